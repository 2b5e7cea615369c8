from datetime import date, timedelta

from odoo.tests import Form, freeze_time, tagged

from .common import PsaTimesheetCommon


@tagged("post_install", "-at_install")
class TestPsaTimesheetReminders(PsaTimesheetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"
        (
            cls.employee_consultant
            | cls.employee_other
            | cls.employee_approver
            | cls.employee_manager
        ).resource_calendar_id = cls.company.resource_calendar_id
        cls.last_monday = date(2026, 11, 9)

    def _mails_to(self, record):
        return self.env["mail.mail"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )

    @freeze_time("2026-11-18 10:00:00")
    def test_missing_time_reminders(self):
        for offset in range(5):
            self._log(
                self.user_consultant,
                hours=8,
                day=self.last_monday + timedelta(days=offset),
            )
        self._log(self.user_other, hours=10, day=self.last_monday)
        Employee = self.env["hr.employee"]
        expected = self.employee_consultant._psa_get_expected_hours_by_day(
            self.last_monday, self.last_monday + timedelta(days=6)
        )[self.employee_consultant.id]
        self.assertEqual(sum(expected.values()), 40.0)
        reminded = Employee._psa_send_missing_time_reminders(self.company, self.today)
        self.assertNotIn(self.employee_consultant, reminded)
        self.assertIn(self.employee_other, reminded)
        self.assertNotIn(self.employee_company2, reminded)
        mail = self._mails_to(self.employee_other)
        self.assertEqual(len(mail), 1)
        self.assertIn("10.0", mail.body_html)
        self.assertIn(self.user_other.partner_id, mail.recipient_ids)
        self.assertFalse(self._mails_to(self.employee_consultant))

    @freeze_time("2026-11-18 10:00:00")
    def test_approver_digest(self):
        lines = self._log(self.user_consultant, hours=3) | self._log(
            self.user_consultant, hours=2, project=self.project_managed
        )
        lines.with_user(self.user_consultant).action_psa_submit()
        own = self._log(self.user_other, hours=1, project=self.project_managed)
        own.with_user(self.user_other).action_psa_submit()
        digest = self.env["hr.employee"]._psa_get_approver_digest(self.company)
        self.assertEqual(digest[self.user_approver][self.employee_consultant], [5.0, 2])
        self.assertEqual(digest[self.user_other][self.employee_consultant], [2.0, 1])
        # nobody is told to approve their own time
        self.assertNotIn(self.employee_other, digest[self.user_other])
        self.env["hr.employee"]._psa_send_approver_digest(self.company)
        mail = self._mails_to(self.user_approver)
        self.assertEqual(len(mail), 1)
        self.assertIn("Carl Consultant", mail.body_html)

    def test_cron_day_and_hour(self):
        self.company.write(
            {"psa_timesheet_reminder_weekday": "0", "psa_timesheet_reminder_hour": 9}
        )
        Employee = self.env["hr.employee"]
        with freeze_time("2026-11-16 08:00:00"):
            Employee._cron_psa_timesheet_reminders()
        self.assertFalse(self._mails_to(self.employee_other))
        with freeze_time("2026-11-16 09:30:00"):
            Employee._cron_psa_timesheet_reminders()
            self.assertEqual(len(self._mails_to(self.employee_other)), 1)
            self.assertEqual(
                self.company.psa_timesheet_reminder_last_date, date(2026, 11, 16)
            )
            # once a day only
            Employee._cron_psa_timesheet_reminders()
            self.assertEqual(len(self._mails_to(self.employee_other)), 1)
        # not on another weekday
        with freeze_time("2026-11-17 10:00:00"):
            Employee._cron_psa_timesheet_reminders()
        self.assertEqual(len(self._mails_to(self.employee_other)), 1)

    @freeze_time("2026-11-18 10:00:00")
    def test_submit_week_wizard(self):
        monday = date(2026, 11, 16)
        lines = self._log(self.user_consultant, hours=8, day=monday) | self._log(
            self.user_consultant, hours=4, day=monday + timedelta(days=1)
        )
        previous_week = self._log(
            self.user_consultant, hours=8, day=monday - timedelta(days=1)
        )
        Wizard = self.env["psa.timesheet.submit.week.wizard"].with_user(
            self.user_consultant
        )
        wizard_form = Form(Wizard)
        self.assertEqual(wizard_form.date_from, monday)
        self.assertEqual(wizard_form.hours_to_submit, 12.0)
        self.assertEqual(wizard_form.expected_hours, 40.0)
        self.assertIn("2026-11-17", wizard_form.warning)
        self.assertNotIn("2026-11-16", wizard_form.warning)
        wizard = wizard_form.save()
        self.assertEqual(wizard.employee_id, self.employee_consultant)
        self.assertEqual(wizard.line_ids, lines)
        wizard.action_submit()
        self.assertEqual(set(lines.mapped("psa_state")), {"submitted"})
        self.assertEqual(previous_week.psa_state, "draft")
