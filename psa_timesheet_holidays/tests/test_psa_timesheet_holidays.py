from datetime import date, timedelta

from odoo.tests import freeze_time, tagged

from odoo.addons.psa_timesheet.tests.common import PsaTimesheetCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-18 10:00:00")
class TestPsaTimesheetHolidays(PsaTimesheetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"
        cls.employee_consultant.resource_calendar_id = cls.company.resource_calendar_id
        cls.last_monday = date(2026, 11, 9)
        cls.leave_type = cls.env["hr.leave.type"].create(
            {
                "name": "Paid Time Off",
                "requires_allocation": False,
                "leave_validation_type": "hr",
            }
        )

    def _leave(self, day):
        return self.env["hr.leave"].create(
            {
                "employee_id": self.employee_consultant.id,
                "holiday_status_id": self.leave_type.id,
                "request_date_from": day,
                "request_date_to": day,
            }
        )

    def _expected(self):
        return sum(
            self.employee_consultant._psa_get_expected_hours_by_day(
                self.last_monday, self.last_monday + timedelta(days=6)
            )[self.employee_consultant.id].values()
        )

    def test_expected_hours_net_of_validated_leave(self):
        self.assertEqual(self._expected(), 40.0)
        leave = self._leave(self.last_monday)
        self.assertEqual(self._expected(), 40.0, "A leave waiting for approval counts")
        leave.action_approve()
        self.assertEqual(leave.state, "validate")
        self.assertEqual(self._expected(), 32.0)

    def test_reminder_net_of_leave(self):
        for offset in range(1, 5):
            self._log(
                self.user_consultant,
                hours=8,
                day=self.last_monday + timedelta(days=offset),
            )
        Employee = self.env["hr.employee"]
        self.assertIn(
            self.employee_consultant,
            Employee._psa_send_missing_time_reminders(self.company, self.today),
        )
        self._leave(self.last_monday).action_approve()
        self.assertNotIn(
            self.employee_consultant,
            Employee._psa_send_missing_time_reminders(self.company, self.today),
        )
