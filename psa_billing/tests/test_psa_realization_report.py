from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaRealizationReport(PsaBillingRunCommon):
    """The October time of the fixture billed on 2026-11-02, with a write-down of
    0.5 h on the Project Manager's line (EUR 1,913.75 billed, see
    test_psa_billing_run). From 2026-11-01 the company's rates are EUR 0.966 and
    GBP 0.84 per USD (still 1.15 EUR per GBP, so the prices do not move): the
    standard and billable amounts are converted at the rate of the day worked
    (0.92), the billed and collected amounts at the rate of the invoice date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency.rate"].create(
            [
                {
                    "name": "2026-11-01",
                    "rate": rate,
                    "currency_id": currency.id,
                    "company_id": cls.company.id,
                }
                for currency, rate in ((cls.eur, 0.966), (cls.gbp, 0.84))
            ]
        )
        cls.reason = cls.env.ref("psa_billing.psa_billing_reason_rework")
        run = cls._run(cls)
        run.action_preview()
        pm_line = run.line_ids.filtered(lambda line: line.role_id == cls.role_pm)
        pm_line.write({"adjustment_hours": -0.5, "reason_id": cls.reason.id})
        run.action_create_invoices()
        run.action_post()
        cls.invoice = run.invoice_ids
        cls.Report = cls.env["psa.realization.report"]

    def _rows(self, user=None, **domain):
        Report = self.Report.with_user(user) if user else self.Report
        return Report.search(
            [("order_id", "=", self.order.id)]
            + [(field, "=", value) for field, value in domain.items()]
        )

    def test_billed_in_company_currency(self):
        self.assertEqual(self.invoice.currency_id, self.eur)
        self.assertEqual(self.invoice.amount_untaxed, 1913.75)
        # the invoice in USD at the invoice date: 1,913.75 / 0.966
        self.assertAlmostEqual(self.invoice.amount_untaxed_signed, 1981.11, places=2)
        rows = self._rows(billing_status="billed")
        self.assertEqual(
            set(rows.ids),
            set((self.ts_dana_1 | self.ts_dana_2 | self.ts_dana_3 | self.ts_paul).ids),
        )
        self.assertEqual(rows.currency_id, self.usd)
        billed = sum(rows.mapped("billed_amount"))
        self.assertEqual(self.usd.round(billed), self.invoice.amount_untaxed_signed)
        # what adding the engagement's currency to the company's gives
        raw = sum(self.timesheets.sudo().mapped("psa_billed_amount"))
        self.assertAlmostEqual(raw, 1913.75, places=2)
        self.assertNotAlmostEqual(billed, raw, places=0)
        # grouped, the sum is converted too
        [(total,)] = self.Report._read_group(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")],
            [],
            ["billed_amount:sum"],
        )
        self.assertEqual(self.usd.round(total), self.invoice.amount_untaxed_signed)

    def test_row_values(self):
        row = self.Report.browse(self.ts_paul.id)
        self.assertEqual(row.date, date(2026, 10, 7))
        self.assertEqual(row.company_id, self.company)
        self.assertEqual(row.partner_id, self.client)
        self.assertEqual(row.order_id, self.order)
        self.assertEqual(row.project_id, self.project)
        self.assertEqual(row.employee_id, self.employee_paul)
        self.assertEqual(row.role_id, self.role_pm, "the employee's default role")
        self.assertEqual(row.rate_card_id, self.card_uk)
        self.assertEqual(row.reason_id, self.reason)
        self.assertEqual(row.invoice_id, self.invoice)
        self.assertEqual(row.hours, 2.0)
        # EUR 345.00 worked at 0.92 (2026-10-07), EUR 258.75 billed at 0.966
        self.assertAlmostEqual(row.standard_amount, 375.0, places=2)
        self.assertAlmostEqual(row.billable_amount, 375.0, places=2)
        self.assertAlmostEqual(row.billed_amount, 258.75 / 0.966, places=2)
        self.assertAlmostEqual(row.leakage, 375.0 - 258.75 / 0.966, places=2)
        self.assertAlmostEqual(row.realization, 100 * 258.75 / 0.966 / 375, places=2)
        self.assertEqual(row.collected_amount, 0.0, "not paid")

    def test_held_time_without_rate(self):
        # approved billable time without a rate is reported, unbilled, at 0
        row = self.Report.browse(self.ts_nora.id)
        self.assertEqual(row.billing_status, "unbilled")
        self.assertEqual(row.hours, 3.0)
        self.assertEqual(row.billable_amount, 0.0)
        self.assertFalse(row.rate_card_id)
        # drafts and non-billable unpriced time are not
        rows = self._rows()
        self.assertFalse(
            rows & self.Report.browse((self.ts_draft | self.ts_internal).ids)
        )

    def test_realization_ratio_of_sums(self):
        [(partner, billable, billed, realization)] = self.Report._read_group(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")],
            ["partner_id"],
            ["billable_amount:sum", "billed_amount:sum", "realization:avg"],
        )
        self.assertEqual(partner, self.client)
        # EUR 2,553.00 billable at 0.92
        self.assertAlmostEqual(billable, 2775.0, places=2)
        self.assertAlmostEqual(realization, 100 * billed / billable, places=6)
        self.assertAlmostEqual(realization, 100 * 1913.75 / 0.966 / 2775.0, places=4)
        # not the average (or the sum) of the rows' ratios
        rows = self._rows(billing_status="billed")
        average = sum(rows.mapped("realization")) / len(rows)
        self.assertNotAlmostEqual(realization, average, places=1)
        [(as_sum,)] = self.Report._read_group(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")],
            [],
            ["realization:sum"],
        )
        self.assertAlmostEqual(as_sum, realization, places=6)
        # the pivot's API
        [group] = self.Report.formatted_read_group(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")],
            ["partner_id"],
            ["realization:avg"],
        )
        self.assertAlmostEqual(group["realization:avg"], realization, places=6)

    def test_collected_share_of_payment(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create(
            {
                "amount": 956.87,
                "currency_id": self.eur.id,
                "payment_date": self.invoice_date,
            }
        )._create_payments()
        self.assertAlmostEqual(self.invoice.amount_residual, 956.88, places=2)
        rows = self._rows(billing_status="billed")
        paid_share = 1 - 956.88 / 1913.75
        for row in rows:
            self.assertAlmostEqual(
                row.collected_amount, row.billed_amount * paid_share, places=2
            )

    def test_access(self):
        rows = self._rows(billing_status="billed")
        self.assertEqual(len(self._rows(user=self.user_billing)), len(self._rows()))
        with self.assertRaises(AccessError):
            self.Report.with_user(self.user_consultant).search([])
        with self.assertRaises(AccessError):
            rows.with_user(self.user_consultant).read(["billed_amount"])
        # another company's billing administrator sees none of these rows
        other = self.Report.with_user(self.user_billing2).search([])
        self.assertFalse(other & rows)
        with self.assertRaises(AccessError):
            rows.with_user(self.user_billing2).read(["billed_amount"])

    def test_unbilled_time_action(self):
        action = self.env.ref("psa_billing.account_analytic_line_action_psa_unbilled")
        lines = (
            self.env["account.analytic.line"]
            .with_user(self.user_billing)
            .search(safe_eval(action.domain))
        )
        self.assertIn(self.ts_nora, lines)
        self.assertIn(self.ts_november, lines)
        self.assertFalse(lines & (self.ts_dana_1 | self.ts_paul | self.ts_draft))
        self.assertFalse(lines & self.ts_internal)
        self.assertIn(
            "Nora Noroles",
            self.ts_nora.with_user(self.user_billing).psa_unpriced_reason,
        )

    def test_report_in_another_currency(self):
        wizard = (
            self.env["psa.realization.report.wizard"]
            .with_user(self.user_billing)
            .create({})
        )
        self.assertEqual(wizard.currency_id, self.usd, "the company's by default")
        wizard.currency_id = self.eur
        action = wizard.action_open_report()
        self.assertEqual(action["res_model"], "psa.realization.report")
        self.assertEqual(action["context"]["psa_report_currency_id"], self.eur.id)
        self.env.invalidate_all()
        Report = self.Report.with_user(self.user_billing).with_context(
            **action["context"]
        )
        rows = Report.search(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")]
        )
        self.assertEqual(rows.currency_id, self.eur)
        # the engagement's own currency: the ledger as it is
        self.assertAlmostEqual(sum(rows.mapped("billed_amount")), 1913.75, places=6)
        [(billable, billed, realization)] = Report._read_group(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")],
            [],
            ["billable_amount:sum", "billed_amount:sum", "realization:avg"],
        )
        self.assertAlmostEqual(billable, 2553.0, places=6)
        self.assertAlmostEqual(billed, 1913.75, places=6)
        self.assertAlmostEqual(realization, 100 * 1913.75 / 2553.0, places=6)
        # in GBP: 0.84 GBP per USD at the invoice date, 0.966 EUR
        self.env.invalidate_all()
        [(billed_gbp,)] = Report.with_context(
            psa_report_currency_id=self.gbp.id
        )._read_group(
            [("order_id", "=", self.order.id), ("billing_status", "=", "billed")],
            [],
            ["billed_amount:sum"],
        )
        self.assertAlmostEqual(billed_gbp, 1913.75 * 0.84 / 0.966, places=6)

    def test_companies_in_several_currencies(self):
        # a user working in two companies of different currencies sees every
        # amount in the current company's currency, never a mix
        company_eu = self.env["res.company"].create(
            {"name": "PSA Euro Company", "currency_id": self.eur.id}
        )
        Report = self.Report.sudo()
        self.env.invalidate_all()
        rows = Report.with_context(
            allowed_company_ids=[company_eu.id, self.company.id]
        ).search([("order_id", "=", self.order.id), ("billing_status", "=", "billed")])
        self.assertEqual(rows.currency_id, self.eur)
        self.assertAlmostEqual(sum(rows.mapped("billed_amount")), 1913.75, places=6)
        self.env.invalidate_all()
        rows = Report.with_context(
            allowed_company_ids=[self.company.id, company_eu.id]
        ).search([("order_id", "=", self.order.id), ("billing_status", "=", "billed")])
        self.assertEqual(rows.currency_id, self.usd)
        self.assertEqual(
            self.usd.round(sum(rows.mapped("billed_amount"))),
            self.invoice.amount_untaxed_signed,
        )

    def test_views(self):
        Report = self.Report.with_user(self.user_billing)
        action = self.env.ref("psa_billing.psa_realization_report_action")
        views = Report.get_views(
            [(False, view_type) for view_type in action.view_mode.split(",")]
            + [(action.search_view_id.id, "search")]
        )
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
        self.assertIn("realization", views["views"]["pivot"]["arch"])
        unbilled = self.env.ref(
            "psa_billing.account_analytic_line_view_list_psa_unbilled"
        )
        views = (
            self.env["account.analytic.line"]
            .with_user(self.user_billing)
            .get_views([(unbilled.id, "list")])
        )
        self.assertIn("psa_unpriced_reason", views["views"]["list"]["arch"])
