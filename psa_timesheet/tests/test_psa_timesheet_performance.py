from datetime import date, timedelta
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from .common import PsaTimesheetCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-18 10:00:00")
class TestPsaTimesheetPerformance(PsaTimesheetCommon):
    """Approving a batch costs the same number of queries whatever its size
    (10,000 lines = 200 employees x 1 week in production): 10 lines per
    employee, batches of 40 and 300 lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees = cls.env["hr.employee"].create(
            [
                {
                    "name": f"Perf Employee {index}",
                    "parent_id": cls.employee_approver.id,
                }
                for index in range(35)
            ]
        )
        monday = date(2026, 11, 9)
        cls.lines = cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "unit_amount": 4,
                    "date": monday + timedelta(days=day),
                }
                for employee in cls.employees
                for day in range(5)
                for project in (cls.project, cls.project_managed)
            ]
        )
        cls.lines.action_psa_submit()

    def _batch(self, start, stop):
        """Lines of employees [start:stop] (10 lines per employee)."""
        employees = self.employees[start:stop]
        return self.lines.filtered(lambda line: line.employee_id in employees)

    def _run(self, method, user, count, *args):
        # warm the caches (groups, rules, xml ids) on a first small batch, then
        # check that 40 and 300 lines cost the same number of queries
        for lines in (self._batch(0, 1), self._batch(1, 5), self._batch(5, 35)):
            lines = lines.with_user(user)
            self.env.invalidate_all()
            if len(lines) == 10:
                getattr(lines, method)(*args)
                continue
            with self.assertQueryCount(count):
                getattr(lines, method)(*args)

    def test_approve_query_count_manager(self):
        self._run("action_psa_approve", self.user_manager, 11)
        self.assertEqual(set(self.lines.mapped("psa_state")), {"approved"})

    def test_approve_query_count_approver(self):
        self._run("action_psa_approve", self.user_approver, 12)
        self.assertEqual(set(self.lines.mapped("psa_state")), {"approved"})

    def test_reject_query_count(self):
        self._run("action_psa_reject", self.user_approver, 12, "Too vague")
        self.assertEqual(set(self.lines.mapped("psa_state")), {"rejected"})

    def test_create_checks_lock_date_once(self):
        """Creating 50 lines checks their lock date once for the batch, not again
        for the cost hr_timesheet writes on each line; a later write of the cost
        is checked again."""
        self.employees[:25].hourly_cost = 50.0
        Line = self.env.registry["account.analytic.line"]
        vals_list = [
            {
                "name": "Batch",
                "project_id": self.project.id,
                "employee_id": employee.id,
                "unit_amount": 1,
                "date": date(2026, 11, 16),
            }
            for employee in self.employees[:25]
            for _day in range(2)
        ]
        with patch.object(
            Line,
            "_psa_check_lock_date",
            autospec=True,
            side_effect=Line._psa_check_lock_date,
        ) as check:
            lines = self.env["account.analytic.line"].create(vals_list)
            self.assertEqual([len(call.args[0]) for call in check.call_args_list], [50])
            # the cost was written on every line (1 h at 50.00)
            self.assertEqual(set(lines.mapped("amount")), {-50.0})
            lines[:1].amount = -10.0
            self.assertEqual(
                [len(call.args[0]) for call in check.call_args_list], [50, 1]
            )
