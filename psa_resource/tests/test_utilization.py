from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import MARCH_2026, PsaResourceCommon


@tagged("post_install", "-at_install")
class TestUtilization(PsaResourceCommon):
    """March 2026 of a 40 h/week consultant, by hand:

    - 22 weekdays x 8 h = 176 h of schedule;
    - validated time off Mon 16 - Fri 20 March: -40 h;
    - public holiday Fri 27 March: -8 h;
    - capacity = 128 h.

    Time: 80 h billable on the customer project, 20 h on the internal
    (non-billable) project, 5 h rejected, plus the time off timesheets that
    project_timesheet_holidays writes for the leave and the holiday (48 h), which
    are not logged work. Logged = 100 h, billable = 80 h:

    - billable utilization = 80 / 128 = 62.5 %;
    - total utilization = 100 / 128 = 78.125 %;
    - target 75 % (company default), variance = 62.5 - 75 = -12.5 points.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        employee = cls.emp_consultant
        cls.leave = cls._approved_leave(employee, date(2026, 3, 16), date(2026, 3, 20))
        cls.holiday = cls._public_holiday(date(2026, 3, 27))
        # 20 working days left: 4 h billable + 1 h internal on each
        working_days = [
            day
            for day in (date(2026, 3, d) for d in range(1, 32))
            if day.weekday() < 5
            and not date(2026, 3, 16) <= day <= date(2026, 3, 20)
            and day != date(2026, 3, 27)
        ]
        assert len(working_days) == 16, working_days
        for day in working_days:
            cls._log(employee, day, 5.0)
            cls._log(employee, day, 1.25, project=cls.project_internal)
        rejected = cls._log(employee, date(2026, 3, 3), 5.0)
        rejected.action_psa_submit()
        rejected.action_psa_reject("Wrong task")
        # 16 days x 5 = 80 h billable, 16 x 1.25 = 20 h internal
        employee._psa_refresh_capacity(*MARCH_2026)
        cls.Report = cls.env["psa.utilization.report"]

    def _month(self, user, employee):
        return self.Report.with_user(user)._read_group(
            [
                ("employee_id", "=", employee.id),
                ("period", ">=", MARCH_2026[0]),
                ("period", "<=", MARCH_2026[1]),
            ],
            ["period:month"],
            [
                "capacity_hours:sum",
                "logged_hours:sum",
                "billable_hours:sum",
                "billable_utilization:avg",
                "total_utilization:avg",
                "target:avg",
                "variance:avg",
            ],
        )

    def test_leave_timesheets_exist(self):
        """The premise: Odoo wrote the time off as timesheets."""
        leave_lines = self.env["account.analytic.line"].search(
            [
                ("employee_id", "=", self.emp_consultant.id),
                "|",
                ("holiday_id", "!=", False),
                ("global_leave_id", "!=", False),
            ]
        )
        self.assertEqual(sum(leave_lines.mapped("unit_amount")), 48.0)

    def test_capacity_per_day(self):
        capacity = self.env["psa.capacity.day"].search(
            [
                ("employee_id", "=", self.emp_consultant.id),
                ("date", ">=", MARCH_2026[0]),
                ("date", "<=", MARCH_2026[1]),
            ]
        )
        self.assertEqual(len(capacity), 16)
        self.assertEqual(sum(capacity.mapped("hours")), 128.0)
        self.assertNotIn(date(2026, 3, 27), capacity.mapped("date"))

    def test_month_exact(self):
        [row] = self._month(self.user_consultant, self.emp_consultant)
        (
            month,
            capacity,
            logged,
            billable,
            billable_pct,
            total_pct,
            target,
            variance,
        ) = row
        self.assertEqual(month, date(2026, 3, 1))
        self.assertAlmostEqual(capacity, 128.0)
        self.assertAlmostEqual(logged, 100.0)
        self.assertAlmostEqual(billable, 80.0)
        self.assertAlmostEqual(billable_pct, 62.5)
        self.assertAlmostEqual(total_pct, 78.125)
        self.assertAlmostEqual(target, 75.0)
        self.assertAlmostEqual(variance, -12.5)

    def test_time_on_the_time_off_task_is_not_logged_work(self):
        """Time logged by hand on the company's time off task (no leave behind
        it) is no more logged work than the time off Odoo writes there; time on
        any other task, or on no task, is."""
        leave_task = self.env.company.leave_timesheet_task_id
        self.assertTrue(leave_task, "project_timesheet_holidays sets the task")
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Dentist",
                    "employee_id": self.emp_consultant.id,
                    "project_id": leave_task.project_id.id,
                    "task_id": leave_task.id,
                    "date": date(2026, 3, 4),
                    "unit_amount": 2.0,
                },
                {
                    "name": "Kick-off",
                    "employee_id": self.emp_consultant.id,
                    "project_id": self.project_internal.id,
                    "task_id": self.env["project.task"]
                    .create(
                        {"name": "Kick-off", "project_id": self.project_internal.id}
                    )
                    .id,
                    "date": date(2026, 3, 4),
                    "unit_amount": 3.0,
                },
            ]
        )
        [row] = self._month(self.user_consultant, self.emp_consultant)
        self.assertAlmostEqual(row[2], 103.0)
        self.assertAlmostEqual(row[3], 80.0)

    def test_weeks(self):
        """The week of leave has no capacity and no logged work; the week of the
        holiday has 32 h of capacity and 20 h billable."""
        Report = self.Report.with_user(self.user_manager)
        leave_week = Report.search(
            [
                ("employee_id", "=", self.emp_consultant.id),
                ("period", ">=", date(2026, 3, 16)),
                ("period", "<=", date(2026, 3, 20)),
            ]
        )
        self.assertEqual(sum(leave_week.mapped("capacity_hours")), 0.0)
        self.assertEqual(sum(leave_week.mapped("logged_hours")), 0.0)
        [(capacity, billable, pct, variance)] = Report._read_group(
            [
                ("employee_id", "=", self.emp_consultant.id),
                ("period", ">=", date(2026, 3, 23)),
                ("period", "<=", date(2026, 3, 29)),
            ],
            [],
            [
                "capacity_hours:sum",
                "billable_hours:sum",
                "billable_utilization:avg",
                "variance:avg",
            ],
        )
        self.assertEqual((capacity, billable, pct, variance), (32.0, 20.0, 62.5, -12.5))

    def test_forecast(self):
        """Half the capacity allocated over March: 64 h, 50 % forecast."""
        allocation = self._allocate(
            self.emp_consultant,
            self.project,
            *MARCH_2026,
            allocation_type="percent",
            percent=50.0,
        )
        self.assertAlmostEqual(allocation.allocated_hours, 64.0)
        [(allocated, forecast)] = self.Report.with_user(
            self.user_consultant
        )._read_group(
            [
                ("employee_id", "=", self.emp_consultant.id),
                ("period", ">=", MARCH_2026[0]),
                ("period", "<=", MARCH_2026[1]),
            ],
            [],
            ["allocated_hours:sum", "forecast_utilization:avg"],
        )
        self.assertAlmostEqual(allocated, 64.0)
        self.assertAlmostEqual(forecast, 50.0)

    def test_target_from_job(self):
        job = self.env["hr.job"].create(
            {"name": "PSA Res Senior", "psa_utilization_target": 85.0}
        )
        self.emp_consultant.job_id = job
        self.assertEqual(self.emp_consultant.psa_utilization_target, 85.0)
        self.env.flush_all()
        [row] = self._month(self.user_consultant, self.emp_consultant)
        self.assertAlmostEqual(row[6], 85.0)
        self.assertAlmostEqual(row[7], -22.5)

    def test_leave_refused_restores_capacity(self):
        self.leave.action_refuse()
        capacity = self.env["psa.capacity.day"].search(
            [
                ("employee_id", "=", self.emp_consultant.id),
                ("date", ">=", date(2026, 3, 16)),
                ("date", "<=", date(2026, 3, 20)),
            ]
        )
        self.assertEqual(sum(capacity.mapped("hours")), 40.0)

    @freeze_time("2026-04-01")
    def test_schedule_change_refreshes_capacity(self):
        """Fridays off in the schedule: March loses 6 and 13 March (the 20th is
        time off and the 27th a public holiday already): 128 - 16 = 112 h."""
        fridays = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4")
        self.calendar.write(
            {
                "attendance_ids": [
                    Command.unlink(attendance.id) for attendance in fridays
                ]
            }
        )
        capacity = self.env["psa.capacity.day"].search(
            [
                ("employee_id", "=", self.emp_consultant.id),
                ("date", ">=", MARCH_2026[0]),
                ("date", "<=", MARCH_2026[1]),
            ]
        )
        self.assertEqual(sum(capacity.mapped("hours")), 112.0)

    def test_dated_target(self):
        """Target 90 % from Monday 16 March (as set by a PSA manager): 80 h of
        capacity before at 75 %, 48 h after at 90 %: the month's target is
        (80 x 75 + 48 x 90) / 128 = 80.625 %, variance 62.5 - 80.625."""
        self.env["psa.utilization.target"].with_user(self.user_manager).create(
            {
                "employee_id": self.emp_consultant.id,
                "date_from": date(2026, 3, 16),
                "target": 90.0,
            }
        )
        [row] = self._month(self.user_consultant, self.emp_consultant)
        self.assertAlmostEqual(row[6], 80.625)
        self.assertAlmostEqual(row[7], -18.125)
        with self.assertRaises(AccessError):
            self.env["psa.utilization.target"].with_user(self.user_consultant).create(
                {
                    "employee_id": self.emp_consultant.id,
                    "date_from": date(2026, 4, 1),
                    "target": 10.0,
                }
            )
