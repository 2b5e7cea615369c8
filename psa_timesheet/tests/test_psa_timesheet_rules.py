from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import PsaTimesheetCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-18 10:00:00")
class TestPsaTimesheetRules(PsaTimesheetCommon):
    def test_lock_date(self):
        before = self._log(self.user_consultant, day=self.today - timedelta(days=10))
        self.company.psa_timesheet_lock_date = self.today - timedelta(days=5)
        locked_day = self.today - timedelta(days=5)
        for user in (self.user_consultant, self.user_manager):
            with self.assertRaises(UserError):
                self._log(user, day=locked_day)
        with self.assertRaises(UserError):
            before.with_user(self.user_consultant).write({"unit_amount": 1})
        with self.assertRaises(UserError):
            before.with_user(self.user_manager).unlink()
        with self.assertRaises(UserError):
            before.with_user(self.user_consultant).action_psa_submit()
        # moving an open line into the locked period is refused as well
        line = self._log(self.user_consultant, day=locked_day + timedelta(days=1))
        with self.assertRaises(UserError):
            line.with_user(self.user_consultant).write({"date": locked_day})
        # the lock applies to sudo code too
        with self.assertRaises(UserError):
            before.sudo().write({"unit_amount": 1})
        self.assertEqual(before.unit_amount, 2.0)

    def test_hours(self):
        with self.assertRaises(ValidationError):
            self._log(self.user_consultant, hours=-1)
        zero = self._log(self.user_consultant, hours=0)
        with self.assertRaises(ValidationError):
            zero.with_user(self.user_consultant).action_psa_submit()
        self.assertEqual(zero.psa_state, "draft")

    def test_daily_total(self):
        self._log(self.user_consultant, hours=20)
        self._log(self.user_consultant, hours=4)
        with self.assertRaises(ValidationError):
            self._log(self.user_consultant, hours=0.5)
        line = self._log(
            self.user_consultant, hours=1, day=self.today + timedelta(days=1)
        )
        with self.assertRaises(ValidationError):
            line.with_user(self.user_consultant).write({"date": self.today})
        # another employee is not concerned
        self._log(self.user_other, hours=8)

    def test_rules_outside_services_screens_apply_at_submission(self):
        """Lines written elsewhere (Odoo's Timesheets app, imports, correction lines)
        stay drafts until they comply: submitting them is refused."""
        lines = self.env["account.analytic.line"].with_user(self.user_consultant)
        vals = {"name": "Elsewhere", "project_id": self.project.id, "date": self.today}
        long_day = lines.create(dict(vals, unit_amount=30))
        correction = lines.create(dict(vals, unit_amount=-2))
        future = lines.create(
            dict(vals, unit_amount=1, date=self.today + timedelta(days=30))
        )
        for line in (long_day, correction, future):
            with self.subTest(hours=line.unit_amount, date=line.date):
                with self.assertRaises(ValidationError):
                    line.with_user(self.user_consultant).action_psa_submit()
                self.assertEqual(line.psa_state, "draft")
        # a compliant line is submitted as usual
        long_day.with_user(self.user_consultant).write({"unit_amount": 7})
        correction.unlink()
        long_day.with_user(self.user_consultant).action_psa_submit()
        self.assertEqual(long_day.psa_state, "submitted")

    def test_days_ahead(self):
        self._log(self.user_consultant, day=self.today + timedelta(days=7))
        with self.assertRaises(ValidationError):
            self._log(self.user_consultant, day=self.today + timedelta(days=8))
        self.company.psa_timesheet_days_ahead = 0
        with self.assertRaises(ValidationError):
            self._log(self.user_consultant, day=self.today + timedelta(days=1))
        self._log(self.user_consultant, day=self.today)

    def test_closed_projects(self):
        template = self.env["project.project"].create(
            {"name": "Template", "allow_timesheets": True, "is_template": True}
        )
        archived = self.env["project.project"].create(
            {
                "name": "Archived",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
            }
        )
        closed_stage = self.env["project.project.stage"].create(
            {"name": "Done", "fold": True}
        )
        closed = self.env["project.project"].create(
            {
                "name": "Closed",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "stage_id": closed_stage.id,
            }
        )
        line = self._log(self.user_manager, project=archived)
        archived.action_archive()
        for project in (template, archived, closed):
            with self.assertRaises(ValidationError):
                self._log(self.user_manager, project=project)
        with self.assertRaises(ValidationError):
            line.with_user(self.user_manager).write({"unit_amount": 3})
