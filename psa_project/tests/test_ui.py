from datetime import date

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPsaProjectUi(HttpCase):
    def test_psa_project_tour(self):
        role = self.env["project.role"].create({"name": "Tour Consultant"})
        self.env.ref("base.user_admin").write({"email": "mitchell.admin@example.com"})
        self.env["hr.employee"].search(
            [("user_id", "=", self.env.ref("base.user_admin").id)]
        ).hourly_cost = 50.0
        template = self.env["project.project"].create(
            {
                "name": "PSA Tour Template",
                "is_template": True,
                "allow_timesheets": True,
                "date_start": date(2026, 1, 5),
                "date": date(2026, 2, 13),
                "psa_budget_line_ids": [
                    (
                        0,
                        0,
                        {
                            "role_id": role.id,
                            "hours": 100,
                            "bill_rate": 100,
                            "cost_rate": 50,
                        },
                    )
                ],
            }
        )
        self.env["project.task"].create(
            {"name": "Kick-off", "project_id": template.id, "allocated_hours": 16}
        )
        self.start_tour("/odoo", "psa_project_tour", login="admin")
        project = self.env["project.project"].search([("name", "=", "Tour Project")])
        self.assertEqual(project.psa_budget_cost, 5000.0)
        self.assertEqual(project.psa_actual_hours, 8.0)
