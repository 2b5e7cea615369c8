from datetime import date

from odoo.tests import tagged

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestHealth(PsaProjectCommon):
    def _health(self, project, day):
        return project._psa_compute_health_batch(day)[project.id]

    def _codes(self, values):
        return {code: weight for code, weight, _message in values["reasons"]}

    def test_sample_project_at_risk_then_off_track(self):
        """Sample project (common.py) as of Fri 2026-01-23.

        CPI 0.86 < 0.95 (at risk, +15), SPI 0.89 < 0.95 (at risk, +10).
        Burn rate, weeks ending 01-23 / 01-16 / 01-09 weighted 4 / 3 / 2 (the week
        ending 01-02 precedes the start): (4 x 1,825 + 3 x 2,300 + 2 x 1,275) / 9
        = 1,861.11 per week. 3 working weeks remain: 5,400 + 3 x 1,861.11 =
        10,983.33 > 10,400 (+15). ETC 6,750 / 1,861.11 x 7 = 25 days: finish
        2026-02-17 after 2026-02-13 (+15). Score 55.
        """
        project = self._create_sample_project()
        self._log_sample_weeks(project)
        values = self._health(project, date(2026, 1, 23))
        self.assertEqual(values["health"], "at_risk")
        self.assertEqual(
            self._codes(values),
            {
                "cpi_at_risk": 15,
                "spi_at_risk": 10,
                "projected_cost": 15,
                "projected_finish": 15,
            },
        )
        self.assertEqual(values["risk_score"], 55)
        self.assertAlmostEqual(values["burn_rate"], 16750 / 9)
        self.assertEqual(values["projected_cost"], 10983.33)
        self.assertEqual(values["projected_finish"], date(2026, 2, 17))
        messages = dict((c, m) for c, _w, m in values["reasons"])
        self.assertIn("0.86", messages["cpi_at_risk"])
        self.assertIn("0.89", messages["spi_at_risk"])
        # 10 more architect hours (900) on Friday: 90 h, progress 0.5, EV 5,200,
        # AC 6,300, CPI 0.83 < 0.85: off track (+30); SPI 1.0. Burn rate
        # (4 x 2,725 + 3 x 2,300 + 2 x 1,275) / 9 = 2,261.11: cost 6,300 + 3 x
        # 2,261.11 = 13,083.33 > budget (+15); ETC 6,300 -> 20 days, 2026-02-12,
        # in time. Score 45.
        self._log(project, self.emp_architect, 10, date(2026, 1, 23))
        values = self._health(project, date(2026, 1, 23))
        self.assertEqual(values["health"], "off_track")
        self.assertEqual(
            self._codes(values), {"cpi_off_track": 30, "projected_cost": 15}
        )
        self.assertEqual(values["risk_score"], 45)
        self.assertEqual(values["projected_finish"], date(2026, 2, 12))

    def test_transitions_on_track_at_risk_off_track(self):
        """One consultant, 120 h at 55 (BAC 6,600) over 6 weeks: 20 h a week is
        exactly the plan."""
        project = self._create_project(
            "Steady",
            [(self.role_consultant, 120, 100, 55)],
            start=date(2026, 1, 5),
            end=date(2026, 2, 13),
        )
        # week 1: 20 h = 1,100; EV 1,100 = PV = AC -> on track, no reason
        self._log(project, self.emp_consultant, 20, date(2026, 1, 7))
        values = self._health(project, date(2026, 1, 9))
        self.assertEqual(values["health"], "on_track")
        self.assertEqual(values["reasons"], [])
        self.assertEqual(values["risk_score"], 0)
        project._psa_refresh_health(date(2026, 1, 9))
        self.assertEqual(project.psa_health, "on_track")
        self.assertFalse(project.psa_risk_reasons)
        # week 2: 20 h + 150 of expenses: EV 2,200, AC 2,350, CPI 0.94 -> at risk;
        # burn (4 x 1,250 + 3 x 1,100) / 7 = 1,185.71, 4 weeks left:
        # 2,350 + 4,742.86 = 7,092.86 > 6,600
        self._log(project, self.emp_consultant, 20, date(2026, 1, 14))
        self._expense(project, 150, date(2026, 1, 15))
        values = self._health(project, date(2026, 1, 16))
        self.assertEqual(values["health"], "at_risk")
        self.assertEqual(self._codes(values), {"cpi_at_risk": 15, "projected_cost": 15})
        self.assertEqual(values["projected_cost"], 7092.86)
        project._psa_refresh_health(date(2026, 1, 16))
        self.assertEqual(project.psa_health, "at_risk")
        self.assertEqual(project.psa_risk_score, 30)
        self.assertIn("Cost performance index 0.94", project.psa_risk_reasons)
        # week 3: only 10 h: EV 2,750, PV 3,300, SPI 0.83 < 0.85 -> off track
        self._log(project, self.emp_consultant, 10, date(2026, 1, 21))
        values = self._health(project, date(2026, 1, 23))
        self.assertEqual(values["health"], "off_track")
        codes = self._codes(values)
        self.assertEqual(codes["spi_off_track"], 20)
        self.assertEqual(codes["cpi_at_risk"], 15)
        self.assertIn(
            "Schedule performance index 0.83",
            project._psa_format_reasons(values["reasons"]),
        )

    def test_thresholds_from_settings(self):
        project = self._create_project(
            "Steady",
            [(self.role_consultant, 120, 100, 55)],
            start=date(2026, 1, 5),
            end=date(2026, 2, 13),
        )
        self._log(project, self.emp_consultant, 20, date(2026, 1, 7))
        self._log(project, self.emp_consultant, 20, date(2026, 1, 14))
        self._expense(project, 150, date(2026, 1, 15))
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.psa_cpi_at_risk, 0.95)
        self.env.company.write({"psa_cpi_at_risk": 0.9, "psa_cpi_off_track": 0.8})
        values = self._health(project, date(2026, 1, 16))
        self.assertNotIn("cpi_at_risk", self._codes(values))

    def test_budget_burn(self):
        """Cost burned ahead of progress: 90 % of the budget for 50 % of the work."""
        project = self._create_project(
            "Burn",
            [(self.role_consultant, 100, 100, 55)],
            start=date(2026, 1, 5),
            end=date(2026, 2, 13),
        )
        self._log(project, self.emp_consultant, 50, date(2026, 1, 7))  # 2,750
        self._expense(project, 2200, date(2026, 1, 8))  # AC 4,950 = 90 %
        values = self._health(project, date(2026, 1, 9))
        self.assertIn("burn_at_risk", self._codes(values))
        self._expense(project, 550, date(2026, 1, 8))  # AC 5,500 = 100 %
        values = self._health(project, date(2026, 1, 9))
        self.assertEqual(values["health"], "off_track")
        self.assertIn("burn_off_track", self._codes(values))

    def test_trend_estimate_drift_and_lag(self):
        project = self._create_project(
            "Drift",
            [(self.role_consultant, 100, 100, 55)],
            start=date(2026, 1, 5),
            end=date(2026, 3, 27),
        )
        task = self.env["project.task"].create(
            {"name": "Build", "project_id": project.id, "allocated_hours": 130}
        )
        # week 1 at budget cost, then an architect (90/h) on the same task
        self._log(project, self.emp_consultant, 10, date(2026, 1, 7), task=task)
        self._log(project, self.emp_architect, 20, date(2026, 1, 28), task=task)
        values = self._health(project, date(2026, 2, 13))
        codes = self._codes(values)
        # logged + remaining = 30 + 100 = 130 h, 30 % over the 100 budgeted hours
        self.assertEqual(codes["estimate_drift"], 10)
        # last time on 2026-01-28, 16 days before
        self.assertEqual(codes["time_entry_lag"], 10)
        # CPI was 0.77 on 2026-01-16 (EV 423.08 / AC 550) and is 0.54 four
        # weeks later (EV 1,269.23 / AC 2,350)
        self.assertEqual(codes["cpi_trend"], 10)
        messages = project._psa_format_reasons(values["reasons"])
        self.assertIn("No time logged for 16 days", messages)
        self.assertIn("130.0 h", messages)

    def test_scope_change(self):
        """The budget grew from 10,400 (snapshot of 2025-12-26) to 12,000."""
        project = self._create_sample_project()
        self.env["psa.project.snapshot"].create(
            {
                "project_id": project.id,
                "currency_id": project.currency_id.id,
                "date": date(2025, 12, 26),
                "bac": 10400.0,
            }
        )
        self.assertNotIn(
            "scope_change", self._codes(self._health(project, date(2026, 1, 23)))
        )
        project.psa_budget_line_ids[0].hours = 152  # + 32 h x 50 = 1,600
        values = self._health(project, date(2026, 1, 23))
        self.assertEqual(self._codes(values)["scope_change"], 10)
        self.assertIn("the budget went from", values["reasons"][-1][2])
