import logging
import time
from datetime import date, timedelta

from odoo.tests import tagged

from .common import PsaResourceCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPerformance(PsaResourceCommon):
    """Utilization and capacity refresh do not query per employee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees = cls.env["hr.employee"].create(
            [
                {"name": f"Perf {i}", "resource_calendar_id": cls.calendar.id}
                for i in range(20)
            ]
        )
        cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "employee_id": employee.id,
                    "project_id": cls.project.id,
                    "date": date(2026, 1, 5) + timedelta(days=day),
                    "unit_amount": 6.0,
                }
                for employee in cls.employees
                for day in range(0, 60, 3)
            ]
        )
        cls.env["psa.allocation"].create(
            [
                {
                    "employee_id": employee.id,
                    "project_id": cls.project.id,
                    "date_from": date(2026, 1, 5),
                    "date_to": date(2026, 3, 31),
                    "hours_per_day": 4.0,
                }
                for employee in cls.employees
            ]
        )
        cls.window = (date(2026, 1, 1), date(2026, 3, 31))
        cls.employees._psa_refresh_capacity(*cls.window)

    def _refresh_queries(self, employees):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        employees._psa_refresh_capacity(*self.window)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _report_queries(self, employees):
        Report = self.env["psa.utilization.report"].with_user(self.user_manager)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        groups = Report._read_group(
            [
                ("employee_id", "in", employees.ids),
                ("period", ">=", self.window[0]),
                ("period", "<=", self.window[1]),
            ],
            ["employee_id", "period:month"],
            ["capacity_hours:sum", "billable_utilization:avg", "variance:avg"],
        )
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(groups), 3 * len(employees))
        return queries

    def test_capacity_refresh_bounded(self):
        self._refresh_queries(self.employees[:1])  # warm the caches
        few = self._refresh_queries(self.employees[:5])
        many = self._refresh_queries(self.employees)
        self.assertEqual(few, many, "capacity refresh must not query per employee")
        capacity = self.env["psa.capacity.day"].search_count(
            [("employee_id", "in", self.employees.ids), ("date", "<=", self.window[1])]
        )
        # 64 weekdays from 1 January to 31 March 2026 (no holiday in this calendar)
        self.assertGreaterEqual(capacity, 20 * 64)

    def test_utilization_report_bounded(self):
        self._report_queries(self.employees[:1])  # warm the caches (rules, groups)
        few = self._report_queries(self.employees[:5])
        many = self._report_queries(self.employees)
        self.assertEqual(few, many, "utilization must not query per employee")
        self.env.invalidate_all()
        with self.assertQueryCount(many):
            self.env["psa.utilization.report"].with_user(self.user_manager)._read_group(
                [
                    ("employee_id", "in", self.employees.ids),
                    ("period", ">=", self.window[0]),
                    ("period", "<=", self.window[1]),
                ],
                ["employee_id", "period:month"],
                ["capacity_hours:sum", "billable_utilization:avg", "variance:avg"],
            )

    def _suggest_queries(self, request):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        candidates = request.with_user(self.user_manager).psa_suggest(limit=3)
        self.assertEqual(len(candidates), 3)
        return self.env.cr.sql_log_count - before

    def test_suggest_bounded(self):
        request = self.env["psa.resource.request"].create(
            {
                "project_id": self.project.id,
                "hours": 40.0,
                "date_from": date(2026, 3, 2),
                "date_to": date(2026, 3, 6),
                "bill_rate": 100.0,
            }
        )
        Employee = self.env["hr.employee"]
        sizes = []
        # the first round also fills registry caches: compare the next two
        for size in (20, 60, 240):
            Employee.create(
                [
                    {
                        "name": f"More {size} {i}",
                        "resource_calendar_id": self.calendar.id,
                    }
                    for i in range(size)
                ]
            )
            self._suggest_queries(request)  # warm the caches
            sizes.append(self._suggest_queries(request))
        _first, few, many = sizes
        self.assertEqual(few, many, "suggestions must not query per employee")


@tagged("-standard", "psa_slow", "post_install", "-at_install")
class TestPerformanceBenchmark(PsaResourceCommon):
    """Opt-in benchmark (``--test-tags psa_slow``): 500 employees x 12 months."""

    def test_utilization_500_employees(self):
        employees = self.env["hr.employee"].create(
            [
                {"name": f"Bench {i}", "resource_calendar_id": self.calendar.id}
                for i in range(500)
            ]
        )
        first = date(2025, 1, 1)
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "employee_id": employee.id,
                    "project_id": self.project.id,
                    "date": first + timedelta(weeks=week),
                    "unit_amount": 8.0,
                }
                for employee in employees
                for week in range(52)
            ]
        )
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        started = time.monotonic()
        employees._psa_refresh_capacity(first, date(2025, 12, 31))
        self.env.flush_all()
        refresh_queries = self.env.cr.sql_log_count - before
        _logger.info(
            "capacity refresh, 500 employees x 12 months: %d queries, %.2f s",
            refresh_queries,
            time.monotonic() - started,
        )
        self.assertLessEqual(refresh_queries, 30)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        started = time.monotonic()
        groups = (
            self.env["psa.utilization.report"]
            .with_user(self.user_manager)
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("period", ">=", first),
                    ("period", "<=", date(2025, 12, 31)),
                ],
                ["employee_id", "period:month"],
                ["capacity_hours:sum", "billable_utilization:avg", "variance:avg"],
            )
        )
        report_queries = self.env.cr.sql_log_count - before
        _logger.info(
            "utilization by employee and month, 500 x 12: %d queries, %.2f s",
            report_queries,
            time.monotonic() - started,
        )
        self.assertEqual(len(groups), 500 * 12)
        self.assertLessEqual(report_queries, 10)
