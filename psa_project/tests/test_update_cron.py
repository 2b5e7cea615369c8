from datetime import date

from odoo.tests import freeze_time, tagged

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestUpdateCron(PsaProjectCommon):
    @freeze_time("2026-01-23")
    def test_weekly_update(self):
        project = self._create_sample_project()
        self._log_sample_weeks(project)
        no_budget = self._create_project("No budget", [])
        done = self._create_sample_project()
        self.env["project.update"].create(
            {"project_id": done.id, "name": "Closed", "status": "done"}
        )
        self.env["project.project"]._cron_psa_weekly_update()
        update = project.last_update_id
        self.assertEqual(update.status, "at_risk")
        self.assertEqual(update.progress, 44)
        self.assertEqual(update.date, date(2026, 1, 23))
        self.assertIn("Cost performance index 0.86", update.description)
        self.assertIn("Risk reasons", update.description)
        self.assertEqual(project.psa_health, "at_risk")
        self.assertEqual(project.psa_risk_score, 55)
        self.assertFalse(no_budget.last_update_id)
        self.assertEqual(done.update_count, 1)
        snapshot = self.env["psa.project.snapshot"].search(
            [("project_id", "=", project.id)]
        )
        self.assertRecordValues(
            snapshot,
            [
                {
                    "date": date(2026, 1, 23),
                    "bac": 10400.0,
                    "pv": 5200.0,
                    "ev": 4622.22,
                    "ac": 5400.0,
                    "health": "at_risk",
                    "risk_score": 55,
                }
            ],
        )

    @freeze_time("2026-01-23")
    def test_rebuild_history(self):
        project = self._create_sample_project()
        self._log_sample_weeks(project)
        project.action_psa_rebuild_snapshots()
        snapshots = self.env["psa.project.snapshot"].search(
            [("project_id", "=", project.id)], order="date"
        )
        self.assertEqual(
            snapshots.mapped("date"),
            [date(2026, 1, 9), date(2026, 1, 16), date(2026, 1, 23)],
        )
        self.assertEqual(snapshots.mapped("ac"), [1275.0, 3575.0, 5400.0])
        action = project.action_psa_open_burnup()
        self.assertEqual(action["res_model"], "psa.project.snapshot")
