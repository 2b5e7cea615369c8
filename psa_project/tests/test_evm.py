from datetime import date

from odoo.tests import freeze_time, tagged

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestEarnedValue(PsaProjectCommon):
    """Hand-computed earned value of the sample project (see common.py) as of
    Friday 2026-01-23, the end of week 3 (15 of 30 working days elapsed).

    | Figure   | Computation                                  |      Value |
    |----------|----------------------------------------------|------------|
    | BAC      | 6,000 + 3,200 + 1,200                        |  10,400.00 |
    | PV       | 10,400 x 15 / 30                             |   5,200.00 |
    | hours    | 15+5+20+10+5+15+5+5                          |         80 |
    | progress | 80 / 180 (no task estimates)                 |   0.444444 |
    | EV       | 0.444444 x 10,400                            |   4,622.22 |
    | AC       | 5,150 of timesheets + 250 expense            |   5,400.00 |
    | CPI      | 4,622.22 / 5,400                             |     0.8560 |
    | SPI      | 4,622.22 / 5,200                             |     0.8889 |
    | EAC      | 10,400 / CPI = 5,400 x 180 / 80              |  12,150.00 |
    | ETC      | 12,150 - 5,400                               |   6,750.00 |
    | VAC      | 10,400 - 12,150                              |  -1,750.00 |
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._create_sample_project()
        cls._log_sample_weeks(cls.project)

    def test_evm_hand_computed(self):
        evm = self.project.psa_get_evm(date(2026, 1, 23))
        self.assertEqual(evm["bac"], 10400.00)
        self.assertEqual(evm["pv"], 5200.00)
        self.assertEqual(evm["ev"], 4622.22)
        self.assertEqual(evm["ac"], 5400.00)
        self.assertAlmostEqual(evm["progress"], 80 / 180)
        self.assertAlmostEqual(evm["cpi"], 0.8560, places=4)
        self.assertAlmostEqual(evm["spi"], 0.8889, places=4)
        self.assertEqual(evm["eac"], 12150.00)
        self.assertEqual(evm["etc"], 6750.00)
        self.assertEqual(evm["vac"], -1750.00)

    def test_evm_as_of_earlier_date(self):
        """Friday 2026-01-09: 5 working days, 15 h consultant + 5 h architect."""
        evm = self.project.psa_get_evm(date(2026, 1, 9))
        self.assertEqual(evm["pv"], 1733.33)  # 10,400 x 5 / 30
        self.assertEqual(evm["ac"], 1275.00)  # 825 + 450
        self.assertEqual(evm["ev"], 1155.56)  # 20 / 180 x 10,400
        self.assertAlmostEqual(evm["cpi"], 1155.5556 / 1275, places=4)
        self.assertEqual(evm["eac"], 11475.00)  # 1,275 x 180 / 20

    def test_evm_before_start_and_after_end(self):
        before = self.project.psa_get_evm(date(2026, 1, 2))
        self.assertEqual(before["pv"], 0.0)
        self.assertEqual(before["ac"], 0.0)
        self.assertIsNone(before["cpi"])
        self.assertIsNone(before["spi"])
        self.assertEqual(before["eac"], 10400.0)
        after = self.project.psa_get_evm(date(2026, 3, 1))
        self.assertEqual(after["pv"], 10400.0)

    def test_progress_from_task_estimates(self):
        """With estimates, progress = hours / (hours + remaining estimate)."""
        task = self.env["project.task"].create(
            {"name": "Design", "project_id": self.project.id, "allocated_hours": 60}
        )
        self._log(self.project, self.emp_architect, 20, date(2026, 1, 23), task=task)
        evm = self.project.psa_get_evm(date(2026, 1, 23))
        # 100 h logged, 40 h remaining on the only estimated task
        self.assertAlmostEqual(evm["progress"], 100 / 140)
        self.assertEqual(evm["ev"], 7428.57)  # 10,400 x 100 / 140

    def test_planned_value_by_milestones(self):
        """Weighted milestones: 30 % due Fri 2026-01-16 (10 working days from the
        start), 70 % due Fri 2026-02-13 (20 more working days)."""
        self.project.allow_milestones = True
        self.env["project.milestone"].create(
            [
                {
                    "name": "Blueprint",
                    "project_id": self.project.id,
                    "deadline": date(2026, 1, 16),
                    "psa_weight": 30,
                },
                {
                    "name": "Go-live",
                    "project_id": self.project.id,
                    "deadline": date(2026, 2, 13),
                    "psa_weight": 70,
                },
            ]
        )
        # 5 / 10 days of the first segment: 15 % of 10,400
        self.assertEqual(self.project.psa_get_evm(date(2026, 1, 9))["pv"], 1560.00)
        self.assertEqual(self.project.psa_get_evm(date(2026, 1, 16))["pv"], 3120.00)
        # 30 % + 70 % x 5 / 20 = 47.5 %
        self.assertEqual(self.project.psa_get_evm(date(2026, 1, 23))["pv"], 4940.00)

    def test_other_lines_ignored(self):
        """Income and lines of other projects do not count as cost."""
        other = self._create_project("Other", [(self.role_pm, 10, 100, 60)])
        self._log(other, self.emp_pm, 8, date(2026, 1, 12))
        self._expense(self.project, -1000, date(2026, 1, 12))  # income line
        evm = self.project.psa_get_evm(date(2026, 1, 23))
        self.assertEqual(evm["ac"], 5400.00)

    @freeze_time("2026-01-23")
    def test_live_fields(self):
        self.assertEqual(self.project.psa_evm_ac, 5400.00)
        self.assertEqual(self.project.psa_evm_eac, 12150.00)
        self.assertEqual(self.project.psa_evm_cpi, 0.86)
        self.assertAlmostEqual(self.project.psa_actual_hours, 80.0)
