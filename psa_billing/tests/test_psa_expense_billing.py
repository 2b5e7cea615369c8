from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PsaBillingRunCommon


class PsaExpenseCommon(PsaBillingRunCommon):
    """Re-invoiceable expenses: a flight re-invoiced at its sales price (USD
    300.00, cost USD 250.00) and two taxis at cost (2 x USD 40.00) on a USD
    engagement, posted on 2026-10-10 (41 days before 2026-11-20)."""

    as_of = date(2026, 11, 20)
    expense_day = date(2026, 10, 10)

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            "hr_expense.group_hr_expense_manager"
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        revenue = cls.company_data["default_account_revenue"]
        Product = cls.env["product.product"]
        cls.flight = Product.create(
            {
                "name": "Flight",
                "type": "service",
                "can_be_expensed": True,
                "expense_policy": "sales_price",
                "invoice_policy": "delivery",
                "list_price": 300.0,
                "standard_price": 0.0,
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
                "property_account_income_id": revenue.id,
            }
        )
        cls.taxi = Product.create(
            {
                "name": "Taxi",
                "type": "service",
                "can_be_expensed": True,
                "expense_policy": "cost",
                "invoice_policy": "delivery",
                "standard_price": 40.0,
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
                "property_account_income_id": revenue.id,
            }
        )
        pricelist = cls.env["product.pricelist"].create(
            {"name": "USD", "currency_id": cls.usd.id}
        )
        cls.order_usd, cls.project_usd = cls._engagement(
            cls.client, pricelist_id=pricelist.id
        )
        cls.order_usd.project_id = cls.project_usd
        cls.employee_eve = cls.env["hr.employee"].create(
            {"name": "Eve Expenses", "default_role_id": cls.role_dev.id}
        )
        cls.expense_flight, cls.expense_taxi = cls.env["hr.expense"].create(
            [
                {
                    "name": "Flight to the client",
                    "employee_id": cls.employee_eve.id,
                    "product_id": cls.flight.id,
                    "total_amount_currency": 250.0,
                    "date": cls.expense_day,
                    "sale_order_id": cls.order_usd.id,
                },
                {
                    "name": "Taxis",
                    "employee_id": cls.employee_eve.id,
                    "product_id": cls.taxi.id,
                    "quantity": 2.0,
                    "date": cls.expense_day,
                    "sale_order_id": cls.order_usd.id,
                },
            ]
        )
        cls.expenses = cls.expense_flight | cls.expense_taxi
        cls.expenses.action_submit()
        cls.expenses._do_approve()
        action = cls.expenses.action_post()
        if isinstance(action, dict) and action.get("res_model"):
            wizard = (
                cls.env[action["res_model"]]
                .with_context(**(action.get("context") or {}))
                .browse(action["res_id"])
            )
            wizard.accounting_date = cls.expense_day
            wizard.action_post_entry()

    def _wip(self, as_of=None, **domain):
        # the rows' values depend on the day asked: no cache from another day
        self.env.invalidate_all()
        Report = self.env["psa.wip.report"].with_user(self.user_billing)
        if as_of:
            Report = Report.with_context(psa_wip_date=fields.Date.to_string(as_of))
        return Report.search([(key, "=", value) for key, value in domain.items()])

    def _invoice(self, sale_line, quantity, day, move_type="out_invoice"):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.client.id,
                "invoice_date": day,
                "currency_id": self.usd.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": sale_line.product_id.id,
                            "quantity": quantity,
                            "price_unit": sale_line.price_unit,
                            "tax_ids": [Command.clear()],
                            "sale_line_ids": [Command.set(sale_line.ids)],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move


@tagged("post_install", "-at_install")
class TestPsaExpenseWip(PsaExpenseCommon):
    """Re-invoiceable expenses in the WIP report."""

    def test_expenses_in_wip(self):
        self.assertEqual(self.expenses.mapped("state"), ["posted", "posted"])
        flight_line = self.expense_flight.sale_order_line_id
        taxi_line = self.expense_taxi.sale_order_line_id
        self.assertTrue(flight_line.is_expense)
        self.assertEqual(flight_line.price_unit, 300.0)
        self.assertEqual(taxi_line.price_unit, 40.0)
        rows = self._wip(self.as_of, line_type="expense", order_id=self.order_usd.id)
        self.assertEqual(len(rows), 2)
        flight = rows.filtered(lambda row: row.id == -self.expense_flight.id)
        self.assertEqual(flight.sudo().expense_id, self.expense_flight)
        self.assertEqual(flight.product_id, self.flight)
        self.assertEqual(flight.employee_id, self.employee_eve)
        self.assertEqual(flight.partner_id, self.client)
        self.assertEqual(flight.project_id, self.project_usd)
        self.assertEqual(flight.date, self.expense_day)
        self.assertEqual(flight.age_days, 41)
        self.assertEqual(flight.age_bucket, "31_60")
        self.assertAlmostEqual(flight.cost_amount, 250.0, places=2)
        self.assertAlmostEqual(flight.bill_amount, 300.0, places=2)
        self.assertEqual(flight.hours, 0.0)
        self.assertEqual(flight.name, "Flight to the client")
        taxi = rows - flight
        self.assertAlmostEqual(taxi.cost_amount, 80.0, places=2)
        self.assertAlmostEqual(taxi.bill_amount, 80.0, places=2)
        # aged like the time: as of 2026-12-20, 71 days
        later = self._wip(date(2026, 12, 20), id=flight.id)
        self.assertEqual(later.age_bucket, "61_90")
        # not posted yet on an earlier day
        self.assertFalse(self._wip(date(2026, 10, 9), id=flight.id))
        groups = (
            self.env["psa.wip.report"]
            .with_user(self.user_billing)
            .with_context(psa_wip_date=fields.Date.to_string(self.as_of))
            ._read_group(
                [("order_id", "=", self.order_usd.id)],
                ["line_type", "age_bucket"],
                ["cost_amount:sum", "bill_amount:sum"],
            )
        )
        self.assertEqual(
            [
                (kind, bucket, round(cost, 2), round(bill, 2))
                for kind, bucket, cost, bill in groups
            ],
            [("expense", "31_60", 330.0, 380.0)],
        )

    def test_invoiced_expenses_leave_wip(self):
        taxi_line = self.expense_taxi.sale_order_line_id
        # one taxi invoiced on 2026-11-05: half the taxis stay in WIP
        invoice = self._invoice(taxi_line, 1.0, date(2026, 11, 5))
        taxi = self._wip(self.as_of, id=-self.expense_taxi.id)
        self.assertAlmostEqual(taxi.cost_amount, 40.0, places=2)
        self.assertAlmostEqual(taxi.bill_amount, 40.0, places=2)
        # before the invoice date, all of it
        before = self._wip(date(2026, 11, 1), id=-self.expense_taxi.id)
        self.assertAlmostEqual(before.bill_amount, 80.0, places=2)
        # the rest invoiced: gone; a credit note gives it back
        self._invoice(taxi_line, 1.0, date(2026, 11, 6))
        self.assertFalse(self._wip(self.as_of, id=-self.expense_taxi.id))
        self._invoice(taxi_line, 1.0, date(2026, 11, 7), move_type="out_refund")
        back = self._wip(self.as_of, id=-self.expense_taxi.id)
        self.assertAlmostEqual(back.bill_amount, 40.0, places=2)
        # a cancelled invoice does not invoice
        invoice.button_draft()
        invoice.button_cancel()
        back = self._wip(self.as_of, id=-self.expense_taxi.id)
        self.assertAlmostEqual(back.bill_amount, 80.0, places=2)
        # the time of the engagement is still there next to them
        self.assertTrue(self._wip(self.as_of, line_type="time"))

    def test_screens_of_billing_admins(self):
        # billing administrators read the expense rows (not the expenses of
        # others: the expense column is for expense approvers)
        Report = self.env["psa.wip.report"].with_user(self.user_billing)
        views = Report.get_views([(False, "list"), (False, "pivot"), (False, "search")])
        self.assertNotIn("expense_id", views["views"]["list"]["arch"])
        rows = Report.web_search_read(
            [("line_type", "=", "expense")],
            {
                "name": {},
                "product_id": {"fields": {"display_name": {}}},
                "bill_amount": {},
            },
        )
        self.assertEqual(rows["length"], 2)

    def test_sql_view_today(self):
        today = fields.Date.context_today(self.env.user)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT line_type, age_days FROM psa_wip_report WHERE id = %s",
            [-self.expense_flight.id],
        )
        self.assertEqual(
            self.env.cr.fetchone(),
            ("expense", (today - self.expense_day).days),
        )
        self.assertGreater(today - self.expense_day, timedelta(days=0))


@tagged("post_install", "-at_install")
class TestPsaExpenseBilling(PsaExpenseCommon):
    """The billing run bills the re-invoiced expenses once: the flight at USD
    300.00 (1 x its sales price), the taxis at USD 80.00 (2 x their cost of
    40.00), dated 2026-10-10, on the October run (cut-off 2026-10-31)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.flight_line = cls.expense_flight.sale_order_line_id
        cls.taxi_line = cls.expense_taxi.sale_order_line_id
        cls.reason_rework = cls.env.ref("psa_billing.psa_billing_reason_rework")

    def _expense_lines(self, run):
        return run.line_ids.filtered(lambda line: line.line_kind == "expense")

    def test_expenses_billed_once_by_the_run(self):
        run = self._run(self.order_usd)
        run.action_preview()
        lines = self._expense_lines(run)
        self.assertEqual(run.line_ids, lines)
        self.assertEqual(lines.sale_line_id, self.flight_line | self.taxi_line)
        flight = lines.filtered(lambda line: line.sale_line_id == self.flight_line)
        taxi = lines - flight
        self.assertEqual(flight.order_id, self.order_usd)
        self.assertEqual(flight.currency_id, self.usd)
        self.assertEqual(flight.quantity, 1.0)
        self.assertEqual(flight.rate, 300.0)
        self.assertEqual(flight.amount, 300.0)
        self.assertEqual(flight.billed_amount, 300.0)
        self.assertEqual(flight.hours, 0.0)
        self.assertEqual(flight.billed_hours, 0.0)
        self.assertFalse(flight.timesheet_ids)
        self.assertEqual(flight.date_from, self.expense_day)
        self.assertEqual(flight.date_to, self.expense_day)
        self.assertEqual(flight.name, "Flight to the client: quantity 1, 2026-10-10")
        self.assertEqual(taxi.quantity, 2.0)
        self.assertEqual(taxi.rate, 40.0)
        self.assertEqual(taxi.amount, 80.0)
        self.assertEqual(taxi.billed_amount, 80.0)
        self.assertEqual(taxi.name, "Taxis: quantity 2, 2026-10-10")

        run.action_create_invoices()
        self.assertEqual(run.state, "invoiced")
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.currency_id, self.usd)
        self.assertEqual(invoice.invoice_date, self.invoice_date)
        # 300.00 + 2 x 40.00
        self.assertEqual(invoice.amount_untaxed, 380.0)
        self.assertIn(invoice, self.order_usd.invoice_ids)
        flight_move_line = flight.invoice_line_id
        self.assertEqual(flight_move_line.move_id, invoice)
        self.assertEqual(flight_move_line.sale_line_ids, self.flight_line)
        self.assertEqual(flight_move_line.quantity, 1.0)
        self.assertEqual(flight_move_line.price_unit, 300.0)
        self.assertIn("Flight to the client", flight_move_line.name)
        self.assertEqual(taxi.invoice_line_id.sale_line_ids, self.taxi_line)
        self.assertEqual(taxi.invoice_line_id.price_subtotal, 80.0)
        self.assertEqual(self.flight_line.qty_invoiced, 1.0)
        self.assertEqual(self.taxi_line.qty_invoiced, 2.0)
        self.assertEqual(self.flight_line.qty_to_invoice, 0.0)
        self.assertEqual(self.taxi_line.qty_to_invoice, 0.0)
        self.assertEqual(
            (self.flight_line | self.taxi_line).mapped("invoice_status"),
            ["invoiced", "invoiced"],
        )
        # billed: out of the WIP, the draft invoice as much as once posted
        self.assertFalse(
            self._wip(self.as_of, line_type="expense", order_id=self.order_usd.id)
        )
        run.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(
            self._wip(self.as_of, line_type="expense", order_id=self.order_usd.id)
        )

        # a second run bills nothing again
        again = self._run(self.order_usd)
        again.action_preview()
        self.assertFalse(again.line_ids)
        with self.assertRaisesRegex(UserError, "nothing to invoice"):
            again.action_create_invoices()
        self.assertEqual(self.order_usd.invoice_ids, invoice)

    def test_expenses_after_the_cutoff_wait(self):
        # posted on 2026-10-10: not billed by a run cut off the day before
        early = self._run(
            self.order_usd, cutoff_date=date(2026, 10, 9), invoice_date=self.cutoff
        )
        early.action_preview()
        self.assertFalse(early.line_ids)
        # the run of every engagement (none named) finds them
        run = self._run(self.order_usd)
        run.order_ids = False
        run.action_preview()
        lines = run.line_ids.filtered(lambda line: line.order_id == self.order_usd)
        self.assertEqual(lines.mapped("line_kind"), ["expense", "expense"])
        self.assertEqual(sum(lines.mapped("amount")), 380.0)

    def test_expense_written_down(self):
        run = self._run(self.order_usd)
        run.action_preview()
        flight = self._expense_lines(run).filtered(
            lambda line: line.sale_line_id == self.flight_line
        )
        as_billing = flight.with_user(self.user_billing)
        with self.assertRaisesRegex(ValidationError, "cannot exceed"):
            as_billing.write(
                {"adjustment_amount": -301.0, "reason_id": self.reason_rework.id}
            )
        with self.assertRaisesRegex(ValidationError, "bills no hours"):
            as_billing.write(
                {"adjustment_hours": 1.0, "reason_id": self.reason_rework.id}
            )
        as_billing.write(
            {
                "adjustment_hours": 0.0,
                "adjustment_amount": -50.0,
                "reason_id": self.reason_rework.id,
            }
        )
        self.assertEqual(flight.billed_amount, 250.0)
        run.action_create_invoices()
        invoice = run.invoice_ids
        # 300.00 - 50.00 + 80.00
        self.assertEqual(invoice.amount_untaxed, 330.0)
        self.assertEqual(flight.invoice_line_id.price_subtotal, 300.0)
        # the write-down is a line of its own, not on the order item
        self.assertEqual(self.flight_line.qty_invoiced, 1.0)
        self.assertEqual(self.flight_line.invoice_lines, flight.invoice_line_id)
        write_down = invoice.invoice_line_ids.filtered(
            lambda move_line: move_line.price_subtotal == -50.0
        )
        self.assertEqual(write_down.psa_billing_run_line_id, flight)
        self.assertFalse(write_down.sale_line_ids)
        self.assertFalse(
            self._wip(self.as_of, line_type="expense", order_id=self.order_usd.id)
        )

    def test_concurrent_preview_refused(self):
        run_a = self._run(self.order_usd)
        run_b = self._run(self.order_usd)
        run_a.action_preview()
        run_b.action_preview()
        self.assertEqual(len(self._expense_lines(run_b)), 2)
        run_a.action_create_invoices()
        with self.assertRaisesRegex(UserError, "changed since the preview"):
            run_b.action_create_invoices()
        self.assertEqual(self.order_usd.invoice_ids, run_a.invoice_ids)
        self.assertEqual(self.flight_line.qty_invoiced, 1.0)
        self.assertEqual(self.taxi_line.qty_invoiced, 2.0)
        # previewed again: nothing left
        run_b.action_preview()
        self.assertFalse(run_b.line_ids)

    def test_invoiced_by_odoo_since_the_preview(self):
        run = self._run(self.order_usd)
        run.action_preview()
        # one taxi invoiced by hand on the order item: the run does not bill it
        self._invoice(self.taxi_line, 1.0, date(2026, 11, 1))
        with self.assertRaisesRegex(UserError, "changed since the preview"):
            run.action_create_invoices()
        self.assertEqual(self.taxi_line.qty_invoiced, 1.0)
        run.action_preview()
        taxi = run.line_ids.filtered(lambda line: line.sale_line_id == self.taxi_line)
        self.assertEqual(taxi.quantity, 1.0)
        self.assertEqual(taxi.amount, 40.0)
        run.action_create_invoices()
        self.assertEqual(run.invoice_ids.amount_untaxed, 340.0)
        self.assertEqual(self.taxi_line.qty_invoiced, 2.0)

    def test_consultant_cannot_bill_expenses(self):
        with self.assertRaises(AccessError):
            self._run(self.order_usd, user=self.user_consultant)
        run = self._run(self.order_usd)
        run.action_preview()
        with self.assertRaises(AccessError):
            run.with_user(self.user_consultant).action_create_invoices()
        with self.assertRaises(AccessError):
            run.line_ids.with_user(self.user_consultant).read(["amount"])
        self.assertFalse(self.flight_line.invoice_lines)
