from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestPsaHelpdeskAccess(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = mail_new_test_user(
            cls.env, login="psa_hd_technician", groups="psa_base.group_psa_user"
        )
        cls.other_technician = mail_new_test_user(
            cls.env, login="psa_hd_other", groups="psa_base.group_psa_user"
        )
        cls.manager = mail_new_test_user(
            cls.env, login="psa_hd_manager", groups="psa_base.group_psa_manager"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Service Desk", "user_ids": [(6, 0, cls.technician.ids)]}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer down",
                "description": "<p>Office printer does not answer</p>",
                "team_id": cls.team.id,
            }
        )

    def test_technician_works_team_tickets(self):
        menus = self.env["ir.ui.menu"].with_user(self.technician)._visible_menu_ids()
        self.assertIn(self.env.ref("psa_helpdesk.psa_helpdesk_menu_tickets").id, menus)
        self.assertNotIn(
            self.env.ref("psa_helpdesk.psa_helpdesk_menu_config_teams").id, menus
        )
        ticket = self.ticket.with_user(self.technician)
        ticket.write({"user_id": self.technician.id})
        self.assertEqual(self.ticket.user_id, self.technician)

    def test_technician_outside_team_cannot_see_ticket(self):
        tickets = (
            self.env["helpdesk.ticket"].with_user(self.other_technician).search([])
        )
        self.assertNotIn(self.ticket, tickets)
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.other_technician).read(["name"])

    def test_manager_sees_all_tickets(self):
        tickets = self.env["helpdesk.ticket"].with_user(self.manager).search([])
        self.assertIn(self.ticket, tickets)
