from datetime import date

from odoo.tests import freeze_time, tagged

from .common import PsaResourceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestBestFit(PsaResourceCommon):
    """Request: Python at least Intermediate, 40 h in the week of 2 March 2026,
    billed 150/h, for Acme. Weights 40/25/15/10/10 (skill, availability, margin,
    target gap, continuity); components between 0 and 1.

    | Who | Python        | Cost | Week   | Acme  | Score                    |
    |-----|---------------|------|--------|-------|--------------------------|
    | Ann | Expert: 1     |   60 | free   | 20 h  | 40+25+15*0.6+10+10 = 94  |
    | Cid | Beginner: 0.5 |   40 | free   | -     | 20+25+15*110/150+10 = 66 |
    | Ben | Expert: 1     |   60 | booked | -     | 40+0+15*0.6+0+0 = 49     |
    | Dee | none          |   30 | free   | -     | not a candidate          |

    Margin = (150 - cost) / 150; target gap = (75 % - forecast) / 75 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "PSA Res Languages",
                "skill_ids": [(0, 0, {"name": "PSA Python"})],
                "skill_level_ids": [
                    (0, 0, {"name": "Beginner", "level_progress": 25}),
                    (0, 0, {"name": "Intermediate", "level_progress": 50}),
                    (0, 0, {"name": "Expert", "level_progress": 100}),
                ],
            }
        )
        cls.python = skill_type.skill_ids
        levels = {level.name: level for level in skill_type.skill_level_ids}
        Employee = cls.env["hr.employee"]

        def employee(name, cost, level=None):
            values = {
                "name": name,
                "hourly_cost": cost,
                "resource_calendar_id": cls.calendar.id,
            }
            if level:
                values["employee_skill_ids"] = [
                    (
                        0,
                        0,
                        {
                            "skill_id": cls.python.id,
                            "skill_level_id": levels[level].id,
                            "skill_type_id": skill_type.id,
                        },
                    )
                ]
            return Employee.create(values)

        cls.ann = employee("Ann Expert", 60.0, "Expert")
        cls.ben = employee("Ben Booked", 60.0, "Expert")
        cls.cid = employee("Cid Beginner", 40.0, "Beginner")
        cls.dee = employee("Dee Noskill", 30.0)
        cls._allocate(
            cls.ben, cls.project2, date(2026, 3, 2), date(2026, 3, 6), hours_per_day=8
        )
        cls._log(cls.ann, date(2026, 2, 10), 20.0)
        cls.request = (
            cls.env["psa.resource.request"]
            .with_user(cls.user_manager)
            .create(
                {
                    "project_id": cls.project.id,
                    "role_id": cls.role_dev.id,
                    "hours": 40.0,
                    "date_from": date(2026, 3, 2),
                    "date_to": date(2026, 3, 6),
                    "bill_rate": 150.0,
                    "skill_ids": [
                        (
                            0,
                            0,
                            {
                                "skill_type_id": skill_type.id,
                                "skill_id": cls.python.id,
                                "level_id": levels["Intermediate"].id,
                            },
                        )
                    ],
                }
            )
        )

    def test_ranking_and_breakdown(self):
        candidates = self.request.psa_suggest(limit=10)
        by_name = {c["name"]: c for c in candidates}
        self.assertEqual(
            [c["name"] for c in candidates],
            ["Ann Expert", "Cid Beginner", "Ben Booked"],
        )
        self.assertNotIn("Dee Noskill", by_name)
        ann, cid, ben = candidates
        self.assertEqual(
            ann["breakdown"],
            {
                "skill": 100.0,
                "availability": 100.0,
                "margin": 60.0,
                "target_gap": 100.0,
                "continuity": 100.0,
            },
        )
        # 40 + 25 + 15 * 0.6 + 10 + 10
        self.assertAlmostEqual(ann["score"], 94.0)
        # half the level asked, free, cheaper: 20 + 25 + 15 * 110/150 + 10 + 0
        self.assertEqual(cid["breakdown"]["skill"], 50.0)
        self.assertAlmostEqual(cid["score"], 66.0)
        # fully booked that week: no availability, already above target
        self.assertEqual(ben["breakdown"]["availability"], 0.0)
        self.assertEqual(ben["breakdown"]["target_gap"], 0.0)
        self.assertAlmostEqual(ben["score"], 49.0)
        self.assertIn("PSA Python Expert (≥ Intermediate)", ann["reasons"])
        self.assertIn("20.0 h for Acme Res", ann["reasons"])
        self.assertIn("PSA Python Beginner (< Intermediate)", cid["reasons"])
        self.assertIn("0.0 h free of 40.0 h needed", ben["reasons"])

    def test_weights_from_settings(self):
        """Only availability counts: the two free candidates tie at 100."""
        self.company.write(
            {
                "psa_weight_skill": 0,
                "psa_weight_margin": 0,
                "psa_weight_target": 0,
                "psa_weight_continuity": 0,
            }
        )
        scores = {c["name"]: c["score"] for c in self.request.psa_suggest()}
        self.assertEqual(scores["Ann Expert"], 100.0)
        self.assertEqual(scores["Cid Beginner"], 100.0)
        self.assertEqual(scores["Ben Booked"], 0.0)

    def test_one_click_allocation(self):
        action = self.request.with_user(self.user_manager).action_psa_find_candidates()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        top = wizard.with_user(self.user_manager).line_ids[0]
        self.assertEqual(top.employee_id, self.ann)
        self.assertIn("PSA Python Expert", top.reasons)
        top.with_user(self.user_manager).action_accept()
        allocation = self.request.allocation_ids
        self.assertEqual(allocation.employee_id, self.ann)
        self.assertEqual(allocation.hours_per_day, 8.0)
        self.assertAlmostEqual(allocation.allocated_hours, 40.0)
        self.assertEqual(allocation.state, "tentative")
        self.assertEqual(self.request.state, "staffed")
        self.assertEqual(self.request.remaining_hours, 0.0)

    def test_capacity_vs_demand(self):
        """Developer role, week of 2 March: Connie's 40 h of capacity; Ben's
        booking is on the role of his allocation (none); the open request asks
        40 h."""
        self.env.flush_all()
        self.emp_consultant._psa_refresh_capacity(date(2026, 3, 2), date(2026, 3, 8))
        [(capacity, confirmed, tentative, open_hours)] = (
            self.env["psa.capacity.demand.report"]
            .with_user(self.user_manager)
            ._read_group(
                [("role_id", "=", self.role_dev.id), ("week", "=", date(2026, 3, 2))],
                [],
                [
                    "capacity_hours:sum",
                    "confirmed_hours:sum",
                    "tentative_hours:sum",
                    "open_request_hours:sum",
                ],
            )
        )
        self.assertAlmostEqual(capacity, 40.0)
        self.assertAlmostEqual(confirmed, 0.0)
        self.assertAlmostEqual(tentative, 0.0)
        self.assertAlmostEqual(open_hours, 40.0)
