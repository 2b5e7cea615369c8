from datetime import date

from odoo.addons.base.tests.common import BaseCommon


class PsaProjectCommon(BaseCommon):
    """Three roles, three employees with known hourly costs, and helpers to build
    budgeted projects, timesheets and expenses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id = cls.env["resource.calendar"].create(
            {"name": "PSA 40h Mon-Fri", "company_id": cls.env.company.id}
        )
        Role = cls.env["project.role"]
        cls.role_consultant = Role.create({"name": "Consultant"})
        cls.role_architect = Role.create({"name": "Architect"})
        cls.role_pm = Role.create({"name": "Project Manager"})
        Employee = cls.env["hr.employee"]
        cls.emp_consultant = Employee.create(
            {
                "name": "Carla Consultant",
                "hourly_cost": 55.0,
                "default_role_id": cls.role_consultant.id,
            }
        )
        cls.emp_architect = Employee.create(
            {
                "name": "Arthur Architect",
                "hourly_cost": 90.0,
                "default_role_id": cls.role_architect.id,
            }
        )
        cls.emp_pm = Employee.create(
            {
                "name": "Paula Manager",
                "hourly_cost": 60.0,
                "default_role_id": cls.role_pm.id,
            }
        )

    @classmethod
    def _create_project(cls, name, budget, start=None, end=None, **values):
        """``budget``: list of (role, hours, bill_rate, cost_rate)."""
        return cls.env["project.project"].create(
            {
                "name": name,
                "allow_timesheets": True,
                "date_start": start,
                "date": end,
                "psa_budget_line_ids": [
                    (
                        0,
                        0,
                        {
                            "role_id": role.id,
                            "hours": hours,
                            "bill_rate": bill_rate,
                            "cost_rate": cost_rate,
                        },
                    )
                    for role, hours, bill_rate, cost_rate in budget
                ],
                **values,
            }
        )

    @classmethod
    def _create_sample_project(cls):
        """6 weeks, Mon 2026-01-05 to Fri 2026-02-13 (30 working days).

        | Role       | Hours | Bill rate | Amount | Cost rate |   Cost |
        |------------|-------|-----------|--------|-----------|--------|
        | Consultant |   120 |       100 | 12,000 |        50 |  6,000 |
        | Architect  |    40 |       150 |  6,000 |        80 |  3,200 |
        | PM         |    20 |       120 |  2,400 |        60 |  1,200 |
        | Total      |   180 |           | 20,400 |           | 10,400 |
        """
        return cls._create_project(
            "Sample",
            [
                (cls.role_consultant, 120, 100, 50),
                (cls.role_architect, 40, 150, 80),
                (cls.role_pm, 20, 120, 60),
            ],
            start=date(2026, 1, 5),
            end=date(2026, 2, 13),
        )

    @classmethod
    def _log(cls, project, employee, hours, day, task=None):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Work",
                "project_id": project.id,
                "task_id": task.id if task else False,
                "employee_id": employee.id,
                "unit_amount": hours,
                "date": day,
            }
        )

    @classmethod
    def _expense(cls, project, amount, day):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Travel",
                "account_id": project.account_id.id,
                "amount": -amount,
                "date": day,
            }
        )

    @classmethod
    def _log_sample_weeks(cls, project):
        """Time of weeks 1 to 3 of the sample project and one expense.

        | Date       | Employee (cost/h) | Hours |  Cost |
        |------------|-------------------|-------|-------|
        | 2026-01-07 | Consultant (55)   |    15 |   825 |
        | 2026-01-08 | Architect (90)    |     5 |   450 |
        | 2026-01-14 | Consultant        |    20 | 1,100 |
        | 2026-01-15 | Architect         |    10 |   900 |
        | 2026-01-16 | PM (60)           |     5 |   300 |
        | 2026-01-20 | expense           |       |   250 |
        | 2026-01-21 | Consultant        |    15 |   825 |
        | 2026-01-22 | Architect         |     5 |   450 |
        | 2026-01-22 | PM                |     5 |   300 |
        | Total      |                   |    80 | 5,400 |
        """
        cls._log(project, cls.emp_consultant, 15, date(2026, 1, 7))
        cls._log(project, cls.emp_architect, 5, date(2026, 1, 8))
        cls._log(project, cls.emp_consultant, 20, date(2026, 1, 14))
        cls._log(project, cls.emp_architect, 10, date(2026, 1, 15))
        cls._log(project, cls.emp_pm, 5, date(2026, 1, 16))
        cls._expense(project, 250, date(2026, 1, 20))
        cls._log(project, cls.emp_consultant, 15, date(2026, 1, 21))
        cls._log(project, cls.emp_architect, 5, date(2026, 1, 22))
        cls._log(project, cls.emp_pm, 5, date(2026, 1, 22))
