from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaWipReport(PsaBillingRunCommon):
    """WIP of the USD company: the EUR engagement's time priced on the GBP card
    (Developer GBP 100.00 until 2026-10-15, then 120.00: EUR 115.00 / 138.00),
    converted back into USD at 0.92 EUR per USD: USD 125.00 / 150.00 an hour;
    Wes costs USD 40.00 an hour."""

    as_of = date(2026, 11, 20)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee_wes = cls.env["hr.employee"].create(
            {
                "name": "Wes Wip",
                "default_role_id": cls.role_dev.id,
                "hourly_cost": 40.0,
            }
        )
        # days before 2026-11-20: 0, 30 | 31, 60 | 61, 90 | 91
        cls.ages = [0, 30, 31, 60, 61, 90, 91]
        cls.wip_lines = cls._timesheets(
            cls.project,
            [
                (cls.employee_wes, cls.as_of - timedelta(days=age), 1.5)
                for age in cls.ages
            ],
        )
        cls.wip_lines.with_user(cls.user_billing).action_psa_price()

    def _wip(self, as_of=None, **domain):
        Report = self.env["psa.wip.report"].with_user(self.user_billing)
        if as_of:
            Report = Report.with_context(psa_wip_date=fields.Date.to_string(as_of))
        return Report.search([(key, "=", value) for key, value in domain.items()])

    def test_buckets_and_values(self):
        rows = self._wip(self.as_of, employee_id=self.employee_wes.id)
        self.assertEqual(len(rows), 7)
        by_age = {row.age_days: row for row in rows}
        self.assertEqual(sorted(by_age), self.ages)
        self.assertEqual(
            [by_age[age].age_bucket for age in self.ages],
            ["0_30", "0_30", "31_60", "31_60", "61_90", "61_90", "90_plus"],
        )
        for row in rows:
            self.assertEqual(row.currency_id, self.usd)
            self.assertEqual(row.partner_id, self.client)
            self.assertEqual(row.order_id, self.order)
            self.assertEqual(row.project_id, self.project)
            self.assertEqual(row.role_id, self.role_dev)
            self.assertEqual(row.hours, 1.5)
            self.assertAlmostEqual(row.cost_amount, 60.0, places=2)
            self.assertTrue(row.is_priced)
        # 2026-10-21 and later at USD 150.00, before 2026-10-16 at USD 125.00
        self.assertAlmostEqual(by_age[30].bill_amount, 225.0, places=2)
        self.assertAlmostEqual(by_age[60].bill_amount, 187.5, places=2)
        groups = (
            self.env["psa.wip.report"]
            .with_context(psa_wip_date=fields.Date.to_string(self.as_of))
            .with_user(self.user_billing)
            ._read_group(
                [("employee_id", "=", self.employee_wes.id)],
                ["age_bucket"],
                ["hours:sum", "cost_amount:sum", "bill_amount:sum"],
            )
        )
        totals = {
            bucket: (round(hours, 2), round(cost, 2), round(bill, 2))
            for bucket, hours, cost, bill in groups
        }
        self.assertEqual(
            totals,
            {
                "0_30": (3.0, 120.0, 450.0),
                "31_60": (3.0, 120.0, 412.5),
                "61_90": (3.0, 120.0, 375.0),
                "90_plus": (1.5, 60.0, 187.5),
            },
        )

    def test_as_of_date_and_invoicing(self):
        # as of an earlier day: later time is not there yet, ages shrink
        rows = self._wip(date(2026, 10, 20), employee_id=self.employee_wes.id)
        self.assertEqual(sorted(rows.mapped("age_days")), [0, 29, 30, 59, 60])
        # October time billed by a run invoiced on 2026-11-02
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        billed = self.ts_dana_1
        self.assertTrue(billed.sudo().psa_invoice_line_id)
        self.assertFalse(self._wip(self.as_of, id=billed.id))
        # before the invoice date it was still work in progress
        self.assertTrue(self._wip(date(2026, 11, 1), id=billed.id))
        # Nora's time has no rate: in WIP at cost, not priced
        nora = self._wip(self.as_of, id=self.ts_nora.id)
        self.assertEqual(nora.bill_amount, 0.0)
        self.assertFalse(nora.is_priced)
        # a cancelled invoice puts the time back in WIP
        run.invoice_ids.button_cancel()
        self.assertTrue(self._wip(self.as_of, id=billed.id))
        # drafts, non-billable time are never WIP
        self.assertFalse(self._wip(self.as_of, id=self.ts_draft.id))
        self.assertFalse(self._wip(self.as_of, id=self.ts_internal.id))

    def test_today_and_wizard(self):
        today = fields.Date.context_today(self.env.user)
        line = self._timesheets(
            self.project, [(self.employee_wes, today - timedelta(days=45), 2.0)]
        )
        row = self._wip(id=line.id)
        self.assertEqual(row.age_days, 45)
        self.assertEqual(row.age_bucket, "31_60")
        self.assertAlmostEqual(row.cost_amount, 80.0, places=2)
        wizard = (
            self.env["psa.wip.report.wizard"]
            .with_user(self.user_billing)
            .create({"date": self.as_of})
        )
        action = wizard.action_open_report()
        self.assertEqual(action["context"]["psa_wip_date"], "2026-11-20")
        # the SQL view (today) answers too
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT age_bucket FROM psa_wip_report WHERE id = %s", [line.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], "31_60")

    def test_access_and_companies(self):
        with self.assertRaises(AccessError):
            self.env["psa.wip.report"].with_user(self.user_consultant).search([])
        self.assertTrue(self._wip(self.as_of, id=self.wip_lines[0].id))
        other = (
            self.env["psa.wip.report"]
            .with_user(self.user_billing2)
            .with_context(psa_wip_date="2026-11-20")
            .search([("id", "in", self.wip_lines.ids)])
        )
        self.assertFalse(other)
