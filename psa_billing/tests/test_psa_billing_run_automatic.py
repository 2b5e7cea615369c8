from datetime import date

from psycopg2.errors import CheckViolation

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.psa_billing.models import psa_billing_run

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaBillingRunAutomatic(PsaBillingRunCommon):
    """The scheduled month-end billing: one run per company and month from the
    billing day on, previewed and invoiced as drafts batch by batch (each batch
    committed, resumed when interrupted), billing administrators notified."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.order.company_id
        cls.company.write({"psa_auto_billing": True, "psa_auto_billing_day": 2})
        cls.order2, cls.project2 = cls._engagement(cls.client)
        cls.ts2 = cls._timesheets(
            cls.project2, [(cls.employee_dana, date(2026, 10, 9), 3.0)]
        )

    def setUp(self):
        super().setUp()
        # outside a real scheduled action _commit_progress commits: counted here
        self.commits = []
        self.time_left = [float("inf")]

        def commit_progress(cron_self, processed=0, *, remaining=None, **kwargs):
            self.commits.append((processed, remaining))
            return self.time_left[0]

        self.patch(type(self.env["ir.cron"]), "_commit_progress", commit_progress)

    def _cron(self, day):
        self.env["psa.billing.run"]._cron_psa_billing_runs(today=day)
        return self.env["psa.billing.run"].search(
            [("company_id", "=", self.company.id), ("is_automatic", "=", True)]
        )

    def test_month_end_run_from_the_billing_day_once(self):
        self.assertFalse(self._cron(date(2026, 11, 1)), "before the billing day")
        run = self._cron(date(2026, 11, 2))
        self.assertEqual(len(run), 1)
        self.assertEqual(run.cutoff_date, self.cutoff)
        self.assertEqual(run.invoice_date, date(2026, 11, 2))
        self.assertEqual(run.state, "invoiced")
        invoices = run.invoice_ids
        self.assertEqual(
            invoices.invoice_line_ids.sale_line_ids.order_id, self.order | self.order2
        )
        self.assertEqual(set(invoices.mapped("state")), {"draft"}, "never posted")
        self.assertEqual(
            self.ts2.sudo().psa_invoice_line_id.move_id, self.order2.invoice_ids
        )
        # the billing administrators are told what waits for them
        message = run.message_ids.filtered(
            lambda m: self.user_billing.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn("draft invoices to review", message.body)
        # the next days of the month: nothing more
        self.assertEqual(self._cron(date(2026, 11, 3)), run)
        self.assertEqual(len(self.order2.invoice_ids), 1)
        # next month: the next run, with what was approved since
        late = self._timesheets(
            self.project2, [(self.employee_dana, date(2026, 11, 20), 2.0)]
        )
        runs = self._cron(date(2026, 12, 2))
        self.assertEqual(len(runs), 2)
        december = runs - run
        self.assertEqual(december.cutoff_date, date(2026, 11, 30))
        self.assertEqual(
            late.sudo().psa_invoice_line_id.move_id,
            december.invoice_ids.filtered(
                lambda move: self.order2 in move.invoice_line_ids.sale_line_ids.order_id
            ),
        )
        self.assertEqual(len(self.order2.invoice_ids), 2)

    def test_companies_without_automatic_billing_are_left_alone(self):
        self.company.psa_auto_billing = False
        self.assertFalse(self._cron(date(2026, 11, 5)))
        self.assertFalse(self.order2.invoice_ids)

    def test_interrupted_run_goes_on_at_the_next_call(self):
        self.patch(psa_billing_run, "INVOICE_BATCH", 1)
        # the scheduled action's time is up after the first batch
        self.time_left[0] = 0.0
        run = self._cron(date(2026, 11, 2))
        self.assertEqual(run.state, "previewed")
        self.assertEqual(len(run.invoice_ids), 1)
        invoiced = run.line_ids.invoice_line_id.sale_line_ids.order_id
        self.assertEqual(len(invoiced), 1)
        # progress committed: preview, then one batch with one engagement left
        self.assertIn((1, 1), self.commits)
        self.time_left[0] = float("inf")
        self.assertEqual(self._cron(date(2026, 11, 3)), run)
        self.assertEqual(run.state, "invoiced")
        for order in self.order | self.order2:
            self.assertEqual(len(order.invoice_ids), 1, "each engagement once")

    def test_billing_day_is_a_day_of_the_month(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation):
            self.company.psa_auto_billing_day = 31
            self.company.flush_recordset()
