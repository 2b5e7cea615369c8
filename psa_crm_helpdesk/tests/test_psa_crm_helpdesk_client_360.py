# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestPsaCrmHelpdeskClient360(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = new_test_user(
            cls.env, login="psa_crmhd_consultant", groups="psa_base.group_psa_user"
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "SLA Client", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "SLA Contact", "parent_id": cls.client.id}
        )
        cls.other_client = cls.env["res.partner"].create(
            {"name": "SLA Other", "is_company": True}
        )
        cls.policy = cls.env["psa.sla.policy"].create(
            {"name": "Standard", "response_hours": 4.0, "resolution_hours": 16.0}
        )
        now = fields.Datetime.now()
        Ticket = cls.env["helpdesk.ticket"]
        Status = cls.env["psa.sla.status"]
        # (partner, start, state): 3 met + 1 breached within 12 months for the
        # client (through its contact too), 1 breached 13 months ago (outside),
        # 1 running (not decided), 1 met for the other client
        clocks = [
            (cls.client, now - timedelta(days=10), "met"),
            (cls.contact, now - timedelta(days=40), "met"),
            (cls.contact, now - timedelta(days=100), "met"),
            (cls.client, now - timedelta(days=200), "breached"),
            (cls.client, now - timedelta(days=400), "breached"),
            (cls.client, now - timedelta(days=1), "running"),
            (cls.other_client, now - timedelta(days=5), "met"),
        ]
        cls.tickets = Ticket.create(
            [
                {
                    "name": f"Ticket {index}",
                    "description": "Something is broken",
                    "partner_id": partner.id,
                }
                for index, (partner, _start, _state) in enumerate(clocks)
            ]
        )
        # the clocks are set by hand: the policies of the database do not matter
        cls.tickets.psa_sla_status_ids.unlink()
        # the 13-month old breach is on a closed ticket
        cls.tickets[4].stage_id = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Done (SLA test)", "closed": True}
        )
        cls.tickets.psa_sla_status_ids.unlink()
        Status.create(
            [
                {
                    "ticket_id": ticket.id,
                    "policy_id": cls.policy.id,
                    "target": "resolution",
                    "start": start,
                    "deadline": start + timedelta(hours=16),
                    "state": state,
                    "reached_at": start + timedelta(hours=2)
                    if state == "met"
                    else False,
                }
                for ticket, (_partner, start, state) in zip(
                    cls.tickets, clocks, strict=True
                )
            ]
        )
        # a ticket of the client still open and past its deadline
        cls.tickets[0].psa_sla_status_ids.state = "breached"
        cls.tickets[0].psa_sla_status_ids.reached_at = False

    def test_sla_compliance(self):
        """4 clocks decided in 12 months (the first one is now breached as an
        open ticket): 2 met of 4 = 50 %; the 13-month old breach and the running
        clock do not count. Open tickets in breach: the first one and the
        200-day old one (the 13-month old one is closed)."""
        partners = (self.client | self.contact | self.other_client).with_user(
            self.consultant
        )
        self.assertEqual(partners.mapped("psa_sla_decided_12m_count"), [4, 4, 1])
        self.assertEqual(partners.mapped("psa_sla_breach_12m_count"), [2, 2, 0])
        self.assertEqual(partners.mapped("psa_sla_compliance_12m"), [50.0, 50.0, 100.0])
        self.assertEqual(partners.mapped("psa_sla_open_breach_count"), [2, 2, 0])

    def test_sla_action(self):
        """The smart button opens the SLA analysis of the client only."""
        action = self.client.action_psa_open_client_sla()
        rows = self.env["psa.sla.report"].search(action["domain"])
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows.partner_id, self.client)

    def test_batch_queries(self):
        """The figures of many partners take the same queries as those of one."""
        one = self.client.with_user(self.consultant)
        many = (self.client | self.contact | self.other_client).with_user(
            self.consultant
        )

        def count(partners):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            partners.read(["psa_sla_compliance_12m", "psa_sla_open_breach_count"])
            return self.cr.sql_log_count - before

        count(one)
        self.assertLessEqual(count(many), count(one))
