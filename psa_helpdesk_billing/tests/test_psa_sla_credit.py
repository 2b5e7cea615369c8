# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.psa_billing.tests.common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaSlaCredit(PsaBillingRunCommon):
    """SLA breaches of the engagement's tickets credited on its next invoice.

    The run of PsaBillingRunCommon bills 2,000.00 EUR of October time on
    ``order`` (its cap). Company currency USD, 1 USD = 0.92 EUR."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the set-up user is an accountant: the service desk is set up as admin
        env = cls.env(su=True)
        Policy = env["psa.sla.policy"]
        cls.policy_percent = Policy.create(
            {
                "name": "Gold (10 % credit)",
                "response_hours": 2.0,
                "resolution_hours": 8.0,
                "credit_type": "percent",
                "credit_value": 10.0,
                "sequence": 1000,
            }
        )
        cls.policy_fixed = Policy.create(
            {
                "name": "Silver (50 USD credit)",
                "response_hours": 4.0,
                "resolution_hours": 16.0,
                "credit_type": "fixed",
                "credit_value": 50.0,
                "sequence": 1001,
            }
        )
        cls.policy_none = Policy.create(
            {
                "name": "Bronze (no credit)",
                "response_hours": 8.0,
                "resolution_hours": 40.0,
                "sequence": 1002,
            }
        )
        Ticket = env["helpdesk.ticket"]
        cls.tickets = Ticket.create(
            [
                {
                    "name": name,
                    "description": name,
                    "partner_id": cls.client.id,
                    "project_id": cls.project.id,
                }
                for name in ("Mail down", "VPN slow", "New laptop", "Late breach")
            ]
        )
        # the clocks are set by hand: the policies of the database do not matter
        cls.tickets.psa_sla_status_ids.unlink()
        Status = env["psa.sla.status"]
        cls.breach_percent, cls.breach_fixed, cls.breach_none, cls.breach_late = (
            Status.create(
                [
                    {
                        "ticket_id": ticket.id,
                        "policy_id": policy.id,
                        "target": "resolution",
                        "start": deadline.replace(hour=8),
                        "deadline": deadline,
                        "state": "breached",
                    }
                    for ticket, policy, deadline in zip(
                        cls.tickets,
                        (
                            cls.policy_percent,
                            cls.policy_fixed,
                            cls.policy_none,
                            cls.policy_percent,
                        ),
                        (
                            datetime(2026, 10, 12, 16, 0),
                            datetime(2026, 10, 6, 16, 0),
                            datetime(2026, 10, 8, 16, 0),
                            # after the cut-off: the next run's
                            datetime(2026, 11, 3, 16, 0),
                        ),
                        strict=True,
                    )
                ]
            )
        )

    def _credit_lines(self, run):
        return run.line_ids.filtered(lambda line: line.line_kind == "sla_credit")

    def test_credits_in_preview(self):
        """Fixed 50 USD = 46.00 EUR (deadline 10-06 first), 10 % of the 2,000.00
        EUR billed = 200.00 EUR; no credit for the policy without one or for the
        breach after the cut-off."""
        run = self._run()
        run.action_preview()
        credits = self._credit_lines(run)
        self.assertEqual(credits.sla_status_id, self.breach_fixed | self.breach_percent)
        self.assertEqual(
            credits.sorted("date_to").mapped("billed_amount"), [-46.0, -200.0]
        )
        self.assertIn(self.tickets[0].display_name, credits[-1].name)

    def test_credits_on_invoice_once(self):
        """The credits are negative lines of the engagement's invoice (2,000.00
        - 46.00 - 200.00 = 1,754.00); a second run does not credit them again;
        cancelling the invoice frees them for the next one."""
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertAlmostEqual(invoice.amount_untaxed, 1754.0)
        credit_lines = invoice.invoice_line_ids.filtered(
            lambda move_line: move_line.psa_billing_run_line_id.line_kind
            == "sla_credit"
        )
        self.assertEqual(sorted(credit_lines.mapped("price_subtotal")), [-200.0, -46.0])
        self.assertEqual(self.breach_percent.psa_credit_invoice_id, invoice)

        self._timesheets(self.project, [(self.employee_paul, self.cutoff, 1.0)])
        run2 = self._run()
        run2.action_preview()
        self.assertFalse(self._credit_lines(run2))

        run2.unlink()
        invoice.button_cancel()
        self.assertFalse(self.breach_percent.psa_credit_invoice_id)
        run3 = self._run()
        run3.action_preview()
        self.assertEqual(
            self._credit_lines(run3).sla_status_id,
            self.breach_fixed | self.breach_percent,
        )

    def test_credits_never_exceed_invoice(self):
        """A credit larger than what the run bills waits for the next invoice:
        5,000 USD = 4,600.00 EUR does not fit in the 2,000.00 EUR billed; the
        10 % credit (200.00) still does."""
        self.policy_fixed.credit_value = 5000.0
        run = self._run()
        run.action_preview()
        self.assertEqual(self._credit_lines(run).sla_status_id, self.breach_percent)

    def test_breach_credited_by_another_run(self):
        """Two previews of the same breach: the second to invoice is refused."""
        run1 = self._run()
        run1.action_preview()
        run2 = self._run()
        run2.action_preview()
        run1.action_create_invoices()
        with self.assertRaisesRegex(UserError, "SLA credits"):
            run2.action_create_invoices()
