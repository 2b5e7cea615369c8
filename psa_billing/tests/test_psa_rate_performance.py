from datetime import timedelta
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from .common import PsaBillingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 10:00:00")
class TestPsaRatePerformance(PsaBillingCommon):
    """Resolving and applying rates costs the same number of queries for 10 and
    60 lines (every batch mixes the three card levels, the three kinds of card
    lines, dates before and after a rate change, and lines with no rate)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        projects = (cls.project_engagement, cls.project_client, cls.project_other)
        employees = (
            cls.employee_carl,
            cls.employee_paul,
            cls.employee_dana,
            cls.employee_nora,
        )
        start = cls.day_before_change - timedelta(days=5)
        cls.lines = cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "project_id": projects[index % 3].id,
                    "employee_id": employees[index % 4].id,
                    "unit_amount": 1.0,
                    "date": start + timedelta(days=index % 12),
                }
                for index in range(80)
            ]
        )

    def _count_queries(self, method, lines, sudo=False):
        lines = lines.with_user(self.user_billing)
        if sudo:
            # as action_psa_price does: billing administrators only read timesheets
            lines = lines.sudo()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        getattr(lines, method)()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_resolve_rates_query_count(self):
        # warm up the caches (groups, rules) on a first batch
        self._count_queries("_psa_resolve_rates", self.lines[70:80])
        count_10 = self._count_queries("_psa_resolve_rates", self.lines[:10])
        count_60 = self._count_queries("_psa_resolve_rates", self.lines[10:70])
        self.assertEqual(count_10, count_60)
        self.assertLessEqual(count_10, 20)
        result = self.lines[:60].with_user(self.user_billing)._psa_resolve_rates()
        self.assertEqual(len(result), 60)
        self.assertTrue(any(values["reason"] for values in result.values()))
        self.assertTrue(any(values["rate_line"] for values in result.values()))

    def test_apply_rates_query_count(self):
        # the lines repeat every 12 lines: one write per distinct (rate line, rate),
        # the same groups in 12 and 60 lines
        lines = self.lines
        self._count_queries("_psa_apply_rates", lines[72:80], sudo=True)
        count_12 = self._count_queries("_psa_apply_rates", lines[:12], sudo=True)
        count_60 = self._count_queries("_psa_apply_rates", lines[12:72], sudo=True)
        self.assertEqual(count_12, count_60)
        priced = lines[:72].filtered("psa_rate_line_id")
        self.assertTrue(priced)
        self.assertNotEqual(priced, lines[:72])

    def test_new_time_reads_no_billing_currency(self):
        """Saving new time (not priced yet) computes no billing currency: Odoo
        reads the currency of every monetary value it saves, line by line, and
        the zero amounts of new time are not saved again. Pricing the time then
        computes its amounts in the engagement's currency."""
        Line = self.env.registry["account.analytic.line"]
        vals_list = [
            {
                "name": "New work",
                "project_id": self.project_engagement.id,
                "employee_id": employee.id,
                "unit_amount": 1.5,
                "date": self.day_before_change,
            }
            for employee in (self.employee_carl, self.employee_paul)
        ]
        with patch.object(
            Line,
            "_compute_psa_currency_id",
            autospec=True,
            side_effect=Line._compute_psa_currency_id,
        ) as compute:
            lines = self.env["account.analytic.line"].create(vals_list)
            self.env.flush_all()
        compute.assert_not_called()
        lines.invalidate_recordset()
        self.assertEqual(lines.mapped("psa_standard_amount"), [0.0, 0.0])
        self.assertEqual(lines.mapped("psa_billable_amount"), [0.0, 0.0])

        lines.with_user(self.user_billing).action_psa_price()
        self.env.flush_all()
        lines.invalidate_recordset()
        priced = lines.filtered("psa_bill_rate")
        self.assertTrue(priced)
        for line in priced:
            amount = line.psa_currency_id.round(1.5 * line.psa_bill_rate)
            self.assertTrue(amount)
            self.assertEqual(line.psa_standard_amount, amount)
            self.assertEqual(line.psa_billable_amount, amount)
