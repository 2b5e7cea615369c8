# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import PsaHelpdeskCommon


@tagged("post_install", "-at_install")
class TestPsaSlaAccess(PsaHelpdeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = mail_new_test_user(
            cls.env,
            login="psa_sla_portal",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Client", "is_company": True}
        )
        cls.outsider = mail_new_test_user(
            cls.env, login="psa_sla_outsider", groups="psa_base.group_psa_user"
        )
        cls.ticket = cls._create_ticket()
        cls.other_ticket = cls._create_ticket(
            name="Other client's printer", partner_id=cls.other_customer.id
        )

    def test_consultant_reads_but_cannot_edit_policies(self):
        policy = self.policy.with_user(self.agent)
        self.assertEqual(policy.name, "Standard")
        with self.assertRaises(AccessError):
            policy.write({"response_hours": 1.0})
        with self.assertRaises(AccessError):
            self.env["psa.sla.policy"].with_user(self.agent).create(
                {"name": "Mine", "response_hours": 1.0}
            )
        menus = self.env["ir.ui.menu"].with_user(self.agent)._visible_menu_ids()
        self.assertNotIn(
            self.env.ref("psa_helpdesk.psa_helpdesk_menu_config_sla_policies").id, menus
        )

    def test_admin_manages_policies(self):
        policy = (
            self.env["psa.sla.policy"]
            .with_user(self.admin)
            .create({"name": "Silver", "response_hours": 2.0, "resolution_hours": 8.0})
        )
        policy.write({"is_priority_low": False})
        self.assertEqual(policy.priority, "1,2,3")
        with self.assertRaises(ValidationError):
            policy.write({"response_hours": 0.0, "resolution_hours": 0.0})
        with self.assertRaises(ValidationError):
            policy.write(
                {
                    "is_priority_medium": False,
                    "is_priority_high": False,
                    "is_priority_very_high": False,
                }
            )
        policy.unlink()
        with self.assertRaises(UserError):
            self.policy.with_user(self.admin).unlink()
        self.policy.with_user(self.admin).action_archive()
        self.assertFalse(self.policy.active)

    def test_clocks_follow_ticket_access(self):
        clocks = self.env["psa.sla.status"].with_user(self.agent).search([])
        self.assertEqual(clocks, (self.ticket | self.other_ticket).psa_sla_status_ids)
        self.assertFalse(self.env["psa.sla.status"].with_user(self.outsider).search([]))
        with self.assertRaises(AccessError):
            self.ticket.psa_sla_status_ids.with_user(self.outsider).read(["deadline"])
        with self.assertRaises(AccessError):
            self.ticket.psa_sla_status_ids.with_user(self.agent).write({"state": "met"})

    def test_portal_sees_only_own_tickets_sla(self):
        clocks = self.env["psa.sla.status"].with_user(self.portal_user).search([])
        self.assertEqual(clocks, self.ticket.psa_sla_status_ids)
        ticket = self.ticket.with_user(self.portal_user)
        self.assertEqual(ticket.psa_sla_state, self.ticket.psa_sla_state)
        self.assertTrue(ticket.psa_sla_deadline)
        with self.assertRaises(AccessError):
            self.other_ticket.psa_sla_status_ids.with_user(self.portal_user).read(
                ["state"]
            )

    def test_portal_reply_resumes_paused_clock(self):
        self.ticket.stage_id = self.stage_waiting
        resolution = self._clock(self.ticket, "resolution")
        self.assertEqual(resolution.state, "paused")
        self.ticket.with_user(self.portal_user).message_post(
            body="Here are the logs you asked for",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertNotEqual(resolution.state, "paused")
        self.assertTrue(resolution.pause_ids.resumed_at)

    def test_multi_company_policy(self):
        company_b = self.env["res.company"].create({"name": "PSA Company B"})
        policy_b = self.env["psa.sla.policy"].create(
            {
                "name": "Company B policy",
                "sequence": 1,
                "company_id": company_b.id,
                "response_hours": 1.0,
            }
        )
        self.assertNotIn(
            policy_b, self.env["psa.sla.policy"].with_user(self.agent).search([])
        )
        ticket = self._create_ticket(name="Company A ticket")
        self.assertEqual(ticket.psa_sla_policy_id, self.policy)
