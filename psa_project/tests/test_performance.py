from datetime import date, timedelta

from odoo.tests import tagged

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestPerformance(PsaProjectCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        projects = cls.env["project.project"].create(
            [
                {
                    "name": f"Perf {i}",
                    "allow_timesheets": True,
                    "allow_milestones": True,
                    "date_start": date(2026, 1, 5),
                    "date": date(2026, 2, 13),
                    "psa_budget_line_ids": [
                        (0, 0, {"role_id": role.id, "hours": 40, "cost_rate": 50})
                        for role in (cls.role_consultant, cls.role_architect)
                    ],
                }
                for i in range(20)
            ]
        )
        employees = cls.emp_consultant + cls.emp_architect + cls.emp_pm
        cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "project_id": project.id,
                    "employee_id": employees[day % 3].id,
                    "unit_amount": 2,
                    "date": date(2026, 1, 5) + timedelta(days=day),
                }
                for project in projects
                for day in range(10)
            ]
        )
        cls.env["project.milestone"].create(
            [
                {
                    "name": "M",
                    "project_id": project.id,
                    "deadline": date(2026, 1, 30),
                    "psa_weight": 50,
                }
                for project in projects
            ]
        )
        cls.projects = projects

    def _count_queries(self, projects):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        projects._psa_compute_health_batch(date(2026, 1, 23))
        return self.env.cr.sql_log_count - before

    def test_health_batch_query_count(self):
        self.env.flush_all()
        few = self._count_queries(self.projects[:5])
        many = self._count_queries(self.projects)
        self.assertEqual(few, many, "health must not query per project")
        self.assertLessEqual(many, 25)
        self.env.invalidate_all()
        with self.assertQueryCount(many):
            self.projects._psa_compute_health_batch(date(2026, 1, 23))


@tagged("-standard", "psa_slow", "post_install", "-at_install")
class TestPerformanceBenchmark(PsaProjectCommon):
    """Opt-in benchmark (``--test-tags psa_slow``): 500 projects with 100 timesheet
    lines each."""

    def test_health_500_projects(self):
        projects = self.env["project.project"].create(
            [
                {
                    "name": f"Bench {i}",
                    "allow_timesheets": True,
                    "date_start": date(2026, 1, 5),
                    "date": date(2026, 2, 13),
                    "psa_budget_line_ids": [
                        (0, 0, {"role_id": self.role_consultant.id, "hours": 300})
                    ],
                }
                for i in range(500)
            ]
        )
        employees = self.emp_consultant + self.emp_architect + self.emp_pm
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "project_id": project.id,
                    "employee_id": employees[line % 3].id,
                    "unit_amount": 1,
                    "date": date(2026, 1, 5) + timedelta(days=line % 18),
                }
                for project in projects
                for line in range(100)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        health = projects._psa_compute_health_batch(date(2026, 1, 23))
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(health), 500)
        self.assertLessEqual(queries, 25)
