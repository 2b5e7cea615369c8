from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaExpenseWip(PsaBillingRunCommon):
    """Re-invoiceable expenses in the WIP report: a flight re-invoiced at its
    sales price (USD 300.00, cost USD 250.00) and two taxis at cost (2 x USD
    40.00) on a USD engagement, posted on 2026-10-10 (41 days before
    2026-11-20)."""

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
