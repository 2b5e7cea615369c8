from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaBillingRunRecurring(PsaBillingRunCommon):
    """Recurring fees of the engagements' billing plans, billed by the runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.managed = cls._fee_product("Managed Service")

    def _fee(self, order, **vals):
        return self.env["psa.billing.plan.line"].create(
            {
                "order_id": order.id,
                "product_id": self.managed.id,
                "amount": 900.0,
                "frequency": "monthly",
                "in_advance": True,
                "date_start": date(2026, 10, 15),
                **vals,
            }
        )

    def _fee_lines(self, run, fee=None):
        return run.line_ids.filtered(
            lambda line: line.line_kind == "recurring"
            and (not fee or line.plan_line_id == fee)
        ).sorted("date_from")

    def test_monthly_in_advance_prorated_first_and_last(self):
        fee = self._fee(self.order, date_end=date(2027, 1, 20))
        self.assertEqual(fee.next_billing_date, date(2026, 10, 15))
        # cut-off 2026-10-31, invoices of 2026-11-02: October from the 15th
        # (17 of 31 days) and November, in advance
        run = self._run()
        run.action_preview()
        first, november = self._fee_lines(run)
        self.assertEqual(
            (first.date_from, first.date_to), (date(2026, 10, 15), date(2026, 10, 31))
        )
        # 900.00 x 17 / 31 = 493.548...
        self.assertEqual(first.amount, 493.55)
        self.assertEqual(first.hours, 0.0)
        self.assertEqual(november.amount, 900.0)
        self.assertEqual(
            (november.date_from, november.date_to),
            (date(2026, 11, 1), date(2026, 11, 30)),
        )
        run.action_create_invoices()
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        # the time (2,000.00 after its cap) and the fees in one invoice
        self.assertEqual(invoice.amount_untaxed, 3393.55)
        fee_move_lines = (first | november).invoice_line_id
        self.assertEqual(fee_move_lines.move_id, invoice)
        self.assertEqual(sorted(fee_move_lines.mapped("price_subtotal")), [493.55, 900])
        self.assertEqual(fee_move_lines.product_id, self.managed)
        self.assertIn("Managed Service", first.invoice_line_id.name)
        self.assertEqual(fee.next_billing_date, date(2026, 12, 1))
        # the quantities of the order stay the order's
        self.assertFalse(fee_move_lines.sale_line_ids)

        # the same run again: nothing more
        again = self._run()
        again.action_preview()
        self.assertFalse(self._fee_lines(again))
        again.action_reset_to_draft()
        # a cancelled invoice makes its periods due again, once
        invoice.button_cancel()
        self.assertEqual(fee.next_billing_date, date(2026, 10, 15))
        again.action_preview()
        self.assertEqual(sum(self._fee_lines(again).mapped("amount")), 1393.55)
        again.action_create_invoices()
        self.assertEqual(fee.next_billing_date, date(2026, 12, 1))

        # a price change applies from the next period billed: December and the
        # last period, to the end date (20 of 31 days)
        fee.amount = 930.0
        later = self._run(cutoff_date=date(2026, 12, 31), invoice_date=date(2027, 1, 5))
        later.action_preview()
        december, last = self._fee_lines(later)
        self.assertEqual(december.amount, 930.0)
        self.assertEqual(
            (last.date_from, last.date_to), (date(2027, 1, 1), date(2027, 1, 20))
        )
        # 930.00 x 20 / 31 = 600.00
        self.assertEqual(last.amount, 600.0)
        later.action_create_invoices()
        self.assertEqual(
            sum(self._fee_lines(later).invoice_line_id.mapped("price_subtotal")),
            1530.0,
        )
        self.assertEqual(fee.next_billing_date, date(2027, 1, 21))
        ended = self._run(cutoff_date=date(2027, 3, 31), invoice_date=date(2027, 4, 1))
        ended.action_preview()
        self.assertFalse(self._fee_lines(ended))

    def test_quarterly_in_arrears_only_fees(self):
        order, _project = self._engagement(self.client)
        quarterly = self._fee(
            order,
            amount=3000.0,
            frequency="quarterly",
            in_advance=False,
            date_start=date(2026, 8, 1),
        )
        flat = self._fee(
            order,
            name="Hosting",
            amount=100.0,
            in_advance=False,
            proration=False,
            date_start=date(2026, 10, 10),
        )
        # no engagement given: found by its fees alone
        run = self._run()
        run.order_ids = False
        run.action_preview()
        (q3,) = self._fee_lines(run, quarterly)
        # the third quarter from August 1st, ended by the cut-off: 61 of 92 days
        # of 3,000.00 = 1,989.130...; the fourth quarter is not over yet
        self.assertEqual(
            (q3.date_from, q3.date_to), (date(2026, 8, 1), date(2026, 9, 30))
        )
        self.assertEqual(q3.amount, 1989.13)
        (october,) = self._fee_lines(run, flat)
        # without proration, the partial month is a full one
        self.assertEqual(october.amount, 100.0)
        self.assertIn("Hosting", october.name)
        # a write-down of the fee: an extra line with its reason
        reason = self.env.ref("psa_billing.psa_billing_reason_rework")
        q3.with_user(self.user_billing).write(
            {"adjustment_amount": -89.13, "reason_id": reason.id}
        )
        self.assertEqual(q3.billed_amount, 1900.0)
        run.action_create_invoices()
        invoice = q3.invoice_id
        self.assertEqual(invoice, october.invoice_id)
        self.assertEqual(invoice.partner_id, self.client)
        self.assertEqual(invoice.amount_untaxed, 2000.0)
        self.assertEqual(len(invoice.invoice_line_ids), 3)
        self.assertEqual(quarterly.next_billing_date, date(2026, 10, 1))
        self.assertEqual(flat.next_billing_date, date(2026, 11, 1))
        # a deleted draft invoice too
        invoice.unlink()
        self.assertEqual(quarterly.next_billing_date, date(2026, 8, 1))
        self.assertEqual(flat.next_billing_date, date(2026, 10, 10))

    def test_fee_billed_since_the_preview(self):
        fee = self._fee(self.order)
        run = self._run()
        run.action_preview()
        self.assertEqual(len(self._fee_lines(run)), 2)
        # another run billed October meanwhile
        fee.next_billing_date = date(2026, 11, 1)
        with self.assertRaisesRegex(UserError, "since the preview"):
            run.action_create_invoices()
        self.assertFalse(self.order.invoice_ids)
        run.action_preview()
        (november,) = self._fee_lines(run)
        self.assertEqual(november.date_from, date(2026, 11, 1))

    def test_credit_note_frees_the_periods(self):
        fee = self._fee(self.order, in_advance=False, date_start=date(2026, 10, 1))
        run = self._run(orders=self.order)
        run.action_preview()
        (october,) = self._fee_lines(run)
        self.assertEqual(october.amount, 900.0)
        run.action_create_invoices()
        run.action_post()
        self.assertEqual(fee.next_billing_date, date(2026, 11, 1))
        invoice = run.invoice_ids
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "wrong fee"})
        )
        reversal.refund_moves()
        credit_note = self.order.invoice_ids.filtered(
            lambda move: move.move_type == "out_refund"
        )
        credit_note.action_post()
        self.assertEqual(fee.next_billing_date, date(2026, 10, 1))
        rebill = self._run()
        rebill.action_preview()
        self.assertEqual(self._fee_lines(rebill).amount, 900.0)

    def test_fees_are_per_company(self):
        fee = self._fee(self.order)
        Fee = self.env["psa.billing.plan.line"]
        self.assertIn(fee, Fee.with_user(self.user_billing).search([]))
        self.assertNotIn(fee, Fee.with_user(self.user_billing2).search([]))
