from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaResourceUi(HttpCase):
    def test_staffing_tour(self):
        """A PM opens a resource request, assigns the top suggestion and finds the
        allocation in Planning."""
        new_test_user(
            self.env,
            login="psa_res_tour_pm",
            name="PSA Tour PM",
            groups="psa_base.group_psa_manager",
        )
        calendar = self.env["resource.calendar"].create(
            {"name": "PSA Tour 40h", "tz": "UTC"}
        )
        skill_type = self.env["hr.skill.type"].create(
            {
                "name": "PSA Tour Skills",
                "skill_ids": [(0, 0, {"name": "PSA Tour Python"})],
                "skill_level_ids": [
                    (0, 0, {"name": "Junior", "level_progress": 30}),
                    (0, 0, {"name": "Senior", "level_progress": 100}),
                ],
            }
        )
        levels = {level.name: level for level in skill_type.skill_level_ids}
        for name, level in (("Tour Senior", "Senior"), ("Tour Junior", "Junior")):
            self.env["hr.employee"].create(
                {
                    "name": name,
                    "resource_calendar_id": calendar.id,
                    "hourly_cost": 50.0,
                    "employee_skill_ids": [
                        (
                            0,
                            0,
                            {
                                "skill_id": skill_type.skill_ids.id,
                                "skill_level_id": levels[level].id,
                                "skill_type_id": skill_type.id,
                            },
                        )
                    ],
                }
            )
        project = self.env["project.project"].create({"name": "PSA Tour Staffing"})
        # next Monday to Friday: in the default "current and future" filter
        today = fields.Date.context_today(self.env["res.users"])
        monday = today + timedelta(days=7 - today.weekday())
        request = self.env["psa.resource.request"].create(
            {
                "name": "Tour Python developer",
                "project_id": project.id,
                "hours": 20.0,
                "date_from": monday,
                "date_to": monday + timedelta(days=4),
                "bill_rate": 120.0,
                "skill_ids": [
                    (
                        0,
                        0,
                        {
                            "skill_type_id": skill_type.id,
                            "skill_id": skill_type.skill_ids.id,
                            "level_id": levels["Senior"].id,
                        },
                    )
                ],
            }
        )
        self.start_tour("/odoo", "psa_resource_staffing_tour", login="psa_res_tour_pm")
        allocation = request.allocation_ids
        self.assertEqual(allocation.employee_id.name, "Tour Senior")
        self.assertEqual(allocation.hours_per_day, 4.0)
        self.assertEqual(request.state, "staffed")
