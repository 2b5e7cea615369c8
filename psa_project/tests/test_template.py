from datetime import date, datetime

from odoo.tests import tagged

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestTemplate(PsaProjectCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls._create_project(
            "Implementation Template",
            [
                (cls.role_consultant, 120, 100, 50),
                (cls.role_architect, 40, 150, 80),
                (cls.role_pm, 20, 120, 60),
            ],
            start=date(2026, 1, 5),
            end=date(2026, 2, 13),
            is_template=True,
            allow_milestones=True,
        )
        cls.env["project.milestone"].create(
            [
                {
                    "name": "Blueprint",
                    "project_id": cls.template.id,
                    "deadline": date(2026, 1, 16),
                    "psa_weight": 30,
                },
                {
                    "name": "Go-live",
                    "project_id": cls.template.id,
                    "deadline": date(2026, 2, 13),
                    "psa_weight": 70,
                },
            ]
        )
        cls.env["project.task"].create(
            {
                "name": "Workshops",
                "project_id": cls.template.id,
                "allocated_hours": 24,
                "date_deadline": datetime(2026, 1, 9, 16, 0),
                "child_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Prepare workshop",
                            "project_id": cls.template.id,
                            "date_deadline": datetime(2026, 1, 7, 12, 0),
                        },
                    )
                ],
            }
        )

    def test_create_from_template_shifts_dates(self):
        project = self.template.action_create_from_template(
            {"name": "ACME Rollout", "date_start": date(2026, 3, 2)}
        )
        shift = date(2026, 3, 2) - date(2026, 1, 5)  # 56 days
        self.assertFalse(project.is_template)
        self.assertNotIn("psa_date_shift", project.env.context)
        self.assertEqual(project.date_start, date(2026, 3, 2))
        self.assertEqual(project.date, date(2026, 2, 13) + shift)
        # budget
        self.assertEqual(
            project.psa_budget_line_ids.mapped("role_id"),
            self.role_consultant + self.role_architect + self.role_pm,
        )
        self.assertEqual(project.psa_budget_line_ids.mapped("hours"), [120, 40, 20])
        self.assertEqual(project.psa_budget_cost, 10400.0)
        self.assertEqual(project.psa_budget_amount, 20400.0)
        self.assertEqual(len(self.template.psa_budget_line_ids), 3)
        # milestones
        milestones = project.milestone_ids.sorted("deadline")
        self.assertEqual(milestones.mapped("name"), ["Blueprint", "Go-live"])
        self.assertEqual(
            milestones.mapped("deadline"), [date(2026, 3, 13), date(2026, 4, 10)]
        )
        self.assertEqual(milestones.mapped("psa_weight"), [30, 70])
        # tasks and sub-tasks
        task = project.task_ids.filtered(lambda t: t.name == "Workshops")
        self.assertEqual(task.date_deadline, datetime(2026, 3, 6, 16, 0))
        self.assertEqual(task.allocated_hours, 24)
        subtask = project.with_context(active_test=False).task_ids.filtered(
            lambda t: t.name == "Prepare workshop"
        )
        self.assertEqual(subtask.date_deadline, datetime(2026, 3, 4, 12, 0))
        # planned value follows the shifted milestones: 5 of 10 days of 30 %
        evm = project.psa_get_evm(date(2026, 3, 6))
        self.assertEqual(evm["pv"], 1560.0)

    def test_create_from_template_without_new_date(self):
        """Another start date moves the milestone deadlines by its own offset."""
        project = self.template.with_context(
            default_allow_milestones=True
        ).action_create_from_template(
            {"name": "Today", "date_start": date(2026, 1, 12)}
        )
        self.assertEqual(
            project.milestone_ids.sorted("deadline").mapped("deadline"),
            [date(2026, 1, 23), date(2026, 2, 20)],
        )

    def test_duplicate_project_keeps_budget(self):
        project = self._create_sample_project()
        copy = project.copy()
        self.assertEqual(copy.psa_budget_cost, 10400.0)
        self.assertFalse(copy.psa_health)
