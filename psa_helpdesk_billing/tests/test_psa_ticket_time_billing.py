# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.psa_billing.tests.common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaTicketTimeBilling(PsaBillingRunCommon):
    """Time logged on a ticket of the engagement's project is billed by the
    billing run with the engagement's other time (see PsaBillingRunCommon: the
    Developer rate after 2026-10-15 is 120.00 GBP = 138.00 EUR)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            login="psa_hdb_agent",
            groups="psa_base.group_psa_user,helpdesk_mgmt.group_helpdesk_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.employee_dana.user_id = cls.agent
        cls.outsider = new_test_user(
            cls.env,
            login="psa_hdb_outsider",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer down",
                "description": "The printer of the 2nd floor is down.",
                "partner_id": cls.client.id,
                "project_id": cls.project.id,
            }
        )
        cls.ticket_no_project = cls.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "A question without a project.",
                "partner_id": cls.client.id,
            }
        )

    def _log(self, ticket, hours, day=date(2026, 10, 25), user=None):
        return (
            self.env["account.analytic.line"]
            .with_user(user or self.agent)
            .create(
                {
                    "name": "Fixed the printer",
                    "psa_ticket_id": ticket.id,
                    "employee_id": self.employee_dana.id,
                    "date": day,
                    "unit_amount": hours,
                }
            )
        )

    def test_ticket_time_follows_engagement(self):
        """The agent's 3 h on the ticket land on the engagement's project and
        sale order item; the ticket shows its engagement and hours spent."""
        line = self._log(self.ticket, 3.0)
        self.assertEqual(line.project_id, self.project)
        self.assertEqual(line.so_line, self.order.order_line)
        self.assertEqual(line.order_id, self.order)
        self.assertEqual(self.ticket.psa_order_id, self.order)
        self.assertEqual(self.ticket.psa_hours_spent, 3.0)
        self.assertEqual(self.ticket.psa_timesheet_ids, line)

    def test_billing_run_bills_ticket_time(self):
        """Approved ticket time joins the Developer line at 138.00 EUR: 6 h of
        10-20 + 3 h on the ticket = 9 h, 1,242.00 EUR standard amount."""
        line = self._log(self.ticket, 3.0)
        line.sudo()._psa_set_state("approved", {})
        run = self._run()
        run.action_preview()
        run_line = run.line_ids.filtered(lambda rl: line in rl.timesheet_ids)
        self.assertEqual(len(run_line), 1)
        self.assertEqual(run_line.rate, 138.0)
        self.assertEqual(run_line.hours, 9.0)
        self.assertAlmostEqual(run_line.amount, 1242.0)

    def test_draft_ticket_time_not_billed(self):
        """Ticket time not approved waits, like any other time."""
        line = self._log(self.ticket, 3.0)
        run = self._run()
        run.action_preview()
        self.assertNotIn(line, run.line_ids.timesheet_ids)

    def test_ticket_without_project(self):
        """No project on the ticket: a clear error, nothing logged."""
        count = self.env["account.analytic.line"].search_count([])
        with self.assertRaisesRegex(ValidationError, "has no project"):
            self._log(self.ticket_no_project, 1.0)
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)

    def test_ticket_time_on_other_project(self):
        """Time of a ticket cannot be moved to another project."""
        line = self._log(self.ticket, 1.0)
        other_order, other_project = self._engagement(self.client)
        with self.assertRaisesRegex(ValidationError, "must be on its project"):
            line.project_id = other_project

    def test_outsider_cannot_read_ticket_time(self):
        """An employee without helpdesk or timesheet rights cannot read it."""
        self._log(self.ticket, 1.0)
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.outsider).psa_timesheet_ids.read(["unit_amount"])
