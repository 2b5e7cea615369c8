from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import PsaBillingRunCommon


class PsaRevenueRecognitionCommon(PsaBillingRunCommon):
    """USD engagements of the USD company (contract values in company currency),
    the company's accrued and deferred revenue accounts and its miscellaneous
    journal, an accountant (Odoo's accounting administrator)."""

    period_end = date(2026, 10, 31)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.account_accrued = Account.create(
            {
                "name": "Accrued Revenue",
                "code": "PSA1901",
                "account_type": "asset_current",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.account_deferred = Account.create(
            {
                "name": "Deferred Revenue",
                "code": "PSA2901",
                "account_type": "liability_current",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.account_revenue = cls.company_data["default_account_revenue"]
        cls.journal_misc = cls.company_data["default_journal_misc"]
        cls.company.write(
            {
                "psa_accrued_revenue_account_id": cls.account_accrued.id,
                "psa_deferred_revenue_account_id": cls.account_deferred.id,
                "psa_revenue_journal_id": cls.journal_misc.id,
            }
        )
        cls.user_accountant = new_test_user(
            cls.env,
            login="psa_rev_accountant",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.pricelist_usd = cls.env["product.pricelist"].create(
            {"name": "USD", "currency_id": cls.usd.id}
        )
        cls.fixed_fee = cls.env["product.product"].create(
            {
                "name": "Fixed Fee",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 1.0,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.account_revenue.id,
            }
        )
        cls.milestone_fee = cls.env["product.product"].create(
            {
                "name": "Milestone Fee",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "milestones",
                "list_price": 1.0,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.account_revenue.id,
            }
        )
        cls.employee_rita = cls.env["hr.employee"].create(
            {
                "name": "Rita Recognized",
                "default_role_id": cls.role_dev.id,
                "hourly_cost": 50.0,
            }
        )

    @classmethod
    def _fixed_fee_engagement(
        cls,
        amount,
        method,
        product=None,
        qty=1.0,
        company=None,
        pricelist=None,
        **project_vals,
    ):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": cls.client.id,
                    "company_id": company.id,
                    "pricelist_id": (pricelist or cls.pricelist_usd).id,
                    "date_order": "2026-09-15 10:00:00",
                    "psa_revenue_method": method,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or cls.fixed_fee).id,
                                "product_uom_qty": qty,
                                "price_unit": amount / qty,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        project = (
            cls.env["project.project"]
            .with_company(company)
            .create(
                {
                    "name": f"Project of {order.name}",
                    "company_id": company.id,
                    "allow_timesheets": True,
                    "allow_billable": True,
                    "partner_id": cls.client.id,
                    "sale_line_id": order.order_line.id,
                    **project_vals,
                }
            )
        )
        return order, project

    @classmethod
    def _invoice(cls, order, amount, day, move_type="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": cls.client.id,
                "invoice_date": day,
                "date": day,
                "currency_id": cls.usd.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Fixed fee",
                            "quantity": 1.0,
                            "price_unit": amount,
                            "account_id": cls.account_revenue.id,
                            "tax_ids": [Command.clear()],
                            "sale_line_ids": [Command.set(order.order_line.ids)],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _recognize(self, orders, day=None, user=None, grouped=False):
        wizard = (
            self.env["psa.revenue.recognition.wizard"]
            .with_user(user or self.user_accountant)
            .create(
                {
                    "date_to": day or self.period_end,
                    "order_ids": [Command.set(orders.ids)],
                    "grouped": grouped,
                }
            )
        )
        action = wizard.action_recognize()
        return action, self.env["psa.revenue.recognition"].search(
            [("order_id", "in", orders.ids), ("date", "=", day or self.period_end)]
        )

    def _lines(self, move):
        """{account code: (debit, credit)} of ``move``."""
        return {
            line.account_id.code: (line.debit, line.credit) for line in move.line_ids
        }


@tagged("post_install", "-at_install")
class TestPsaRevenueRecognition(PsaRevenueRecognitionCommon):
    def test_poc_hours_accrued_and_reversed(self):
        # USD 12,345.67 fixed fee, 150 hours allocated, 60 logged by the period
        # end: 40 % = 4,938.268 -> 4,938.27; invoiced 25 % = 3,086.42;
        # accrued 1,851.85
        order, project = self._fixed_fee_engagement(
            12345.67, "poc_hours", allocated_hours=150.0
        )
        self._timesheets(
            project,
            [
                (self.employee_rita, date(2026, 10, 5), 30.0),
                (self.employee_rita, date(2026, 10, 30), 30.0),
                # after the period end, or not approved: not counted
                (self.employee_rita, date(2026, 11, 2), 20.0),
            ],
        )
        self._timesheets(
            project, [(self.employee_rita, date(2026, 10, 6), 8.0)], state="draft"
        )
        self._invoice(order, 3086.42, date(2026, 10, 10))
        # an invoice of the next period is not invoiced to date
        self._invoice(order, 1000.0, date(2026, 11, 3))
        __, record = self._recognize(order)
        self.assertEqual(len(record), 1)
        self.assertEqual(record.method, "poc_hours")
        self.assertEqual(record.done_quantity, 60.0)
        self.assertEqual(record.budget_quantity, 150.0)
        self.assertAlmostEqual(record.progress, 40.0, places=2)
        self.assertEqual(record.contract_value, 12345.67)
        self.assertEqual(record.recognized_amount, 4938.27)
        self.assertEqual(record.invoiced_amount, 3086.42)
        self.assertEqual(record.difference_amount, 1851.85)
        self.assertEqual(record.entry_kind, "accrued")
        self.assertTrue(record.entry_posted)
        move = record.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.date, self.period_end)
        self.assertEqual(move.journal_id, self.journal_misc)
        self.assertEqual(
            self._lines(move),
            {
                self.account_accrued.code: (1851.85, 0.0),
                self.account_revenue.code: (0.0, 1851.85),
            },
        )
        self.assertTrue(all(line.partner_id == self.client for line in move.line_ids))
        reversal = record.reversal_move_id
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.date, date(2026, 11, 1))
        self.assertEqual(reversal.reversed_entry_id, move)
        self.assertEqual(
            self._lines(reversal),
            {
                self.account_accrued.code: (0.0, 1851.85),
                self.account_revenue.code: (1851.85, 0.0),
            },
        )
        # next period: 80 of 150 hours = 6,584.36; invoiced 4,086.42: 2,497.94
        __, november = self._recognize(order, date(2026, 11, 30))
        self.assertEqual(november.recognized_amount, 6584.36)
        self.assertEqual(november.invoiced_amount, 4086.42)
        self.assertEqual(november.difference_amount, 2497.94)
        self.assertEqual(november.move_id.date, date(2026, 11, 30))
        self.assertEqual(november.reversal_move_id.date, date(2026, 12, 1))
        # the accrued revenue account holds the last period's difference only
        # (at its period end)
        balance = sum(
            self.env["account.move.line"]
            .search(
                [
                    ("account_id", "=", self.account_accrued.id),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", date(2026, 11, 30)),
                ]
            )
            .mapped("balance")
        )
        self.assertAlmostEqual(balance, 2497.94, places=2)

    def test_poc_hours_foreign_currency(self):
        # EUR 9,200.00 at 0.92 EUR per USD: USD 10,000.00; 5 of 10 hours:
        # USD 5,000.00; invoiced EUR 2,300.00 = USD 2,500.00; accrued 2,500.00
        order, project = self._fixed_fee_engagement(
            9200.0, "poc_hours", pricelist=self.pricelist_eur, allocated_hours=10.0
        )
        self._timesheets(project, [(self.employee_rita, date(2026, 10, 12), 5.0)])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.client.id,
                "invoice_date": date(2026, 10, 13),
                "currency_id": self.eur.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Fixed fee",
                            "quantity": 1.0,
                            "price_unit": 2300.0,
                            "account_id": self.account_revenue.id,
                            "tax_ids": [Command.clear()],
                            "sale_line_ids": [Command.set(order.order_line.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        __, record = self._recognize(order)
        self.assertEqual(record.currency_id, self.usd)
        self.assertEqual(record.contract_value, 10000.0)
        self.assertEqual(record.recognized_amount, 5000.0)
        self.assertEqual(record.invoiced_amount, 2500.0)
        self.assertEqual(record.difference_amount, 2500.0)
        self.assertEqual(record.move_id.currency_id, self.usd)

    def test_poc_cost_deferred(self):
        # USD 10,000.00 (100 units), no project budget: the budgeted cost is
        # the sold quantity at the product's cost
        self.fixed_fee.standard_price = 40.0
        order, project = self._fixed_fee_engagement(10000.0, "poc_cost", qty=100.0)
        # budget 100 x 40.00 = 4,000.00; cost 20 h x 50.00 = 1,000.00: 25 %
        # = 2,500.00; invoiced 6,000.00 less a 500.00 credit note = 5,500.00;
        # deferred 3,000.00
        self._timesheets(project, [(self.employee_rita, date(2026, 10, 12), 20.0)])
        self._invoice(order, 6000.0, date(2026, 10, 1))
        self._invoice(order, 500.0, date(2026, 10, 20), move_type="out_refund")
        __, record = self._recognize(order)
        self.assertEqual(record.done_quantity, 1000.0)
        self.assertEqual(record.budget_quantity, 4000.0)
        self.assertEqual(record.recognized_amount, 2500.0)
        self.assertEqual(record.invoiced_amount, 5500.0)
        self.assertEqual(record.difference_amount, -3000.0)
        self.assertEqual(record.entry_kind, "deferred")
        self.assertEqual(
            self._lines(record.move_id),
            {
                self.account_revenue.code: (3000.0, 0.0),
                self.account_deferred.code: (0.0, 3000.0),
            },
        )
        self.assertEqual(
            self._lines(record.reversal_move_id),
            {
                self.account_revenue.code: (0.0, 3000.0),
                self.account_deferred.code: (3000.0, 0.0),
            },
        )

    def test_straight_line_over_three_months(self):
        # USD 9,000.00 from 2026-10-01 to 2026-12-31 (92 days), invoiced
        # 3,000.00 a month: October 31/92 = 3,032.61 (accrued 32.61), November
        # 61/92 = 5,967.39 (deferred 32.61), December all (nothing to post)
        order, __ = self._fixed_fee_engagement(
            9000.0,
            "straight_line",
            date_start=date(2026, 10, 1),
            date=date(2026, 12, 31),
        )
        self._invoice(order, 3000.0, date(2026, 10, 1))
        __, october = self._recognize(order)
        self.assertEqual(october.recognized_amount, 3032.61)
        self.assertEqual(october.difference_amount, 32.61)
        self.assertEqual(october.entry_kind, "accrued")
        self._invoice(order, 3000.0, date(2026, 11, 1))
        __, november = self._recognize(order, date(2026, 11, 30))
        self.assertEqual(november.recognized_amount, 5967.39)
        self.assertEqual(november.difference_amount, -32.61)
        self.assertEqual(november.entry_kind, "deferred")
        self.assertEqual(
            self._lines(november.move_id),
            {
                self.account_revenue.code: (32.61, 0.0),
                self.account_deferred.code: (0.0, 32.61),
            },
        )
        self._invoice(order, 3000.0, date(2026, 12, 1))
        __, december = self._recognize(order, date(2026, 12, 31))
        self.assertEqual(december.recognized_amount, 9000.0)
        self.assertEqual(december.difference_amount, 0.0)
        self.assertEqual(december.entry_kind, "none")
        self.assertFalse(december.move_id)

    def test_straight_line_recurring_fee(self):
        # USD 3,000.00 a month from 2026-10-16 to 2027-01-15, prorated:
        # 1,548.39 + 3,000.00 + 3,000.00 + 1,451.61 = 9,000.00; on 2026-11-15:
        # October's 1,548.387 + half of November 1,500.00 = 3,048.39; invoiced
        # in advance 4,548.39: deferred 1,500.00
        order, __ = self._fixed_fee_engagement(0.0, "straight_line")
        self.env["psa.billing.plan.line"].create(
            {
                "order_id": order.id,
                "type": "recurring",
                "product_id": self.fixed_fee.id,
                "amount": 3000.0,
                "frequency": "monthly",
                "date_start": date(2026, 10, 16),
                "date_end": date(2027, 1, 15),
            }
        )
        self._invoice(order, 4548.39, date(2026, 11, 1))
        __, record = self._recognize(order, date(2026, 11, 15))
        self.assertEqual(record.contract_value, 9000.0)
        self.assertEqual(record.recognized_amount, 3048.39)
        self.assertEqual(record.invoiced_amount, 4548.39)
        self.assertEqual(record.difference_amount, -1500.0)
        self.assertEqual(record.entry_kind, "deferred")

    def test_milestone(self):
        # 4 units of USD 2,000.00 on milestones: 2 units reached on 10-20,
        # 1 on 11-05, 1 not reached
        order, project = self._fixed_fee_engagement(
            8000.0,
            "milestone",
            product=self.milestone_fee,
            qty=4.0,
            allow_milestones=True,
        )
        line = order.order_line
        self.assertEqual(line.qty_delivered_method, "milestones")
        design, build, __ = self.env["project.milestone"].create(
            [
                {
                    "name": name,
                    "project_id": project.id,
                    "sale_line_id": line.id,
                    "quantity_percentage": share,
                }
                for name, share in (("Design", 0.5), ("Build", 0.25), ("Go-live", 0.25))
            ]
        )
        (design | build).is_reached = True
        design.reached_date = date(2026, 10, 20)
        build.reached_date = date(2026, 11, 5)
        self.assertEqual(line.qty_delivered, 3.0)
        self._invoice(order, 1000.0, date(2026, 10, 25))
        __, record = self._recognize(order)
        self.assertEqual(record.recognized_amount, 4000.0)
        self.assertAlmostEqual(record.progress, 50.0, places=2)
        self.assertEqual(record.difference_amount, 3000.0)
        __, november = self._recognize(order, date(2026, 11, 30))
        self.assertEqual(november.recognized_amount, 6000.0)
        self.assertEqual(november.difference_amount, 5000.0)

    def test_rerun_closed_period_changes_nothing(self):
        order, project = self._fixed_fee_engagement(
            1000.0, "poc_hours", allocated_hours=10.0
        )
        self._timesheets(project, [(self.employee_rita, date(2026, 10, 12), 5.0)])
        __, record = self._recognize(order)
        self.assertEqual(record.difference_amount, 500.0)
        moves = self.env["account.move"].search(
            [("journal_id", "=", self.journal_misc.id)]
        )
        # more time and an invoice of the closed period since: nothing changes
        self._timesheets(project, [(self.employee_rita, date(2026, 10, 13), 5.0)])
        self._invoice(order, 100.0, date(2026, 10, 14))
        action, again = self._recognize(order)
        self.assertEqual(again, record)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(record.difference_amount, 500.0)
        self.assertEqual(
            self.env["account.move"].search(
                [("journal_id", "=", self.journal_misc.id)]
            ),
            moves,
        )
        # an earlier period after a later one is refused
        with self.assertRaises(UserError):
            self._recognize(order, date(2026, 9, 30))

    def test_invoice_method_and_grouped_entry(self):
        on_invoice, __ = self._fixed_fee_engagement(500.0, "invoice")
        first, project_1 = self._fixed_fee_engagement(
            1000.0, "poc_hours", allocated_hours=10.0
        )
        second, project_2 = self._fixed_fee_engagement(
            2000.0, "poc_hours", allocated_hours=10.0
        )
        self._timesheets(project_1, [(self.employee_rita, date(2026, 10, 12), 5.0)])
        self._timesheets(project_2, [(self.employee_rita, date(2026, 10, 12), 2.0)])
        self._invoice(second, 1000.0, date(2026, 10, 2))
        self._invoice(on_invoice, 200.0, date(2026, 10, 2))
        # without engagements: every one not recognized on invoice
        wizard = (
            self.env["psa.revenue.recognition.wizard"]
            .with_user(self.user_accountant)
            .create({"date_to": self.period_end, "grouped": True})
        )
        orders = wizard._psa_orders()
        self.assertIn(first, orders)
        self.assertNotIn(on_invoice, orders)
        # first: accrued 500.00; second: 400.00 - 1,000.00 = deferred 600.00
        __, records = self._recognize(first | second | on_invoice, grouped=True)
        self.assertEqual(len(records), 3)
        invoice_record = records.filtered(lambda rec: rec.order_id == on_invoice)
        self.assertEqual(invoice_record.recognized_amount, 200.0)
        self.assertEqual(invoice_record.entry_kind, "none")
        self.assertFalse(invoice_record.move_id)
        move = (records - invoice_record).move_id
        self.assertEqual(len(move), 1)
        self.assertEqual(
            sorted(move.line_ids.mapped(lambda line: (line.debit, line.credit))),
            [(0.0, 500.0), (0.0, 600.0), (500.0, 0.0), (600.0, 0.0)],
        )
        self.assertEqual(len((records - invoice_record).reversal_move_id), 1)

    def test_missing_settings(self):
        order, project = self._fixed_fee_engagement(
            1000.0, "poc_hours", allocated_hours=10.0
        )
        self._timesheets(project, [(self.employee_rita, date(2026, 10, 12), 5.0)])
        self.company.psa_deferred_revenue_account_id = False
        with self.assertRaisesRegex(UserError, "Deferred Revenue Account"):
            self._recognize(order)
        self.assertFalse(
            self.env["psa.revenue.recognition"].search([("order_id", "=", order.id)])
        )
        # no budget: a clear error too
        self.company.psa_deferred_revenue_account_id = self.account_deferred
        project.allocated_hours = 0.0
        with self.assertRaisesRegex(UserError, "no budget"):
            self._recognize(order)

    def test_settings_view(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.psa_accrued_revenue_account_id, self.account_accrued)
        settings.psa_revenue_journal_id = False
        settings.execute()
        self.assertFalse(self.company.psa_revenue_journal_id)

    def test_default_settings(self):
        # a company given a chart of accounts gets the chart's deferred revenue
        # account, an accrued revenue account and its miscellaneous journal
        company2 = self.company2
        self.assertEqual(company2.psa_revenue_journal_id.type, "general")
        self.assertEqual(company2.psa_revenue_journal_id.company_id, company2)
        deferred = company2.psa_deferred_revenue_account_id
        self.assertEqual(deferred.account_type, "liability_current")
        self.assertEqual(deferred.company_ids, company2)
        accrued = company2.psa_accrued_revenue_account_id
        self.assertEqual(accrued.account_type, "asset_current")
        self.assertEqual(accrued.name, "Accrued Revenue")
        # set ones are kept; the install step fills the empty ones again
        company2.psa_revenue_journal_id = False
        self.env["res.company"]._psa_install_revenue_recognition_defaults()
        self.assertEqual(company2.psa_accrued_revenue_account_id, accrued)
        self.assertTrue(company2.psa_revenue_journal_id)
