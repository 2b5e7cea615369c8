from collections import defaultdict
from datetime import datetime, time, timedelta

from pytz import timezone, utc

from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    psa_timesheet_approver_id = fields.Many2one(
        "res.users",
        string="Timesheet Approver",
        compute="_compute_psa_timesheet_approver_id",
        store=True,
        readonly=False,
        ondelete="set null",
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="User who approves this employee's timesheets, besides the project "
        "managers and the PSA managers. Defaults to the manager's user.",
    )

    @api.depends("parent_id.user_id")
    def _compute_psa_timesheet_approver_id(self):
        for employee in self:
            employee.psa_timesheet_approver_id = employee.parent_id.user_id

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _psa_expected_hours_leave_domain(self):
        """Leaves removed from the expected hours: public holidays (company-wide
        leaves) here; psa_timesheet_holidays adds validated time off."""
        return [("time_type", "=", "leave"), ("resource_id", "=", False)]

    def _psa_get_expected_hours_by_day(self, date_from, date_to):
        """Expected working hours of each employee per day between two dates
        (included), from their working schedule. Batch: one computation per
        schedule.

        :return: {employee_id: {date: hours}}
        """
        result = {employee.id: defaultdict(float) for employee in self}
        domain = self._psa_expected_hours_leave_domain()
        for calendar, employees in self.grouped("resource_calendar_id").items():
            if not calendar:
                continue
            tz = timezone(calendar.tz or "UTC")
            start = tz.localize(datetime.combine(date_from, time.min)).astimezone(utc)
            end = tz.localize(datetime.combine(date_to, time.max)).astimezone(utc)
            intervals = calendar._work_intervals_batch(
                start, end, resources=employees.resource_id, domain=domain
            )
            for employee in employees:
                for start_dt, end_dt, _meta in intervals[employee.resource_id.id]:
                    result[employee.id][start_dt.date()] += (
                        end_dt - start_dt
                    ).total_seconds() / 3600.0
        return result

    @api.model
    def _psa_logged_work_domain(self):
        """Timesheet lines that count as logged work in reminders and the weekly
        submission (psa_timesheet_holidays excludes time off lines)."""
        return [("project_id", "!=", False)]

    def _psa_get_logged_hours_by_day(self, date_from, date_to):
        """Hours logged by each employee per day (one grouped query).

        :return: {employee_id: {date: hours}}
        """
        result = {employee.id: defaultdict(float) for employee in self}
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                self._psa_logged_work_domain()
                + [
                    ("employee_id", "in", self.ids),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["employee_id", "date:day"],
                ["unit_amount:sum"],
            )
        )
        for employee, day, hours in groups:
            result[employee.id][fields.Date.to_date(day)] += hours
        return result

    # ------------------------------------------------------------
    # REMINDERS
    # ------------------------------------------------------------

    @api.model
    def _cron_psa_timesheet_reminders(self):
        """Hourly cron: once a day per company, from the configured hour, send the
        approvers' digest and, on the configured weekday, the missing-time
        reminders of the last finished week."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([("active", "=", True)]):
            tz = timezone(company.resource_calendar_id.tz or "UTC")
            local_now = utc.localize(now).astimezone(tz)
            today = local_now.date()
            if (
                local_now.hour < company.psa_timesheet_reminder_hour
                or company.psa_timesheet_reminder_last_date == today
            ):
                continue
            if int(company.psa_timesheet_reminder_weekday or 0) == today.weekday():
                self._psa_send_missing_time_reminders(company, today)
            self._psa_send_approver_digest(company)
            company.psa_timesheet_reminder_last_date = today

    @api.model
    def _psa_send_missing_time_reminders(self, company, today):
        """Email the employees of ``company`` whose last finished week (before the
        week of ``today``) has fewer logged hours than expected.

        :return: the employees reminded
        """
        Line = self.env["account.analytic.line"]
        date_from, date_to = Line._psa_week_bounds(today - timedelta(days=7))
        employees = self.search(
            [
                ("company_id", "=", company.id),
                ("user_id", "!=", False),
                ("resource_calendar_id", "!=", False),
            ]
        )
        expected = employees._psa_get_expected_hours_by_day(date_from, date_to)
        logged = employees._psa_get_logged_hours_by_day(date_from, date_to)
        template = self.env.ref(
            "psa_timesheet.mail_template_psa_timesheet_reminder",
            raise_if_not_found=False,
        )
        reminded = self.browse()
        for employee in employees:
            expected_hours = round(sum(expected[employee.id].values()), 2)
            logged_hours = round(sum(logged[employee.id].values()), 2)
            if logged_hours >= expected_hours:
                continue
            reminded |= employee
            if template:
                template.with_context(
                    psa_date_from=date_from,
                    psa_date_to=date_to,
                    psa_expected_hours=expected_hours,
                    psa_logged_hours=logged_hours,
                ).send_mail(employee.id)
        return reminded

    @api.model
    def _psa_get_approver_digest(self, company):
        """Submitted timesheets of ``company`` per approver (employee's timesheet
        approver and project manager, never the employee themself).

        :return: {res.users: {hr.employee: [hours, count]}}
        """
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("project_id", "!=", False),
                    ("company_id", "=", company.id),
                    ("psa_state", "=", "submitted"),
                ],
                ["employee_id", "project_id"],
                ["unit_amount:sum", "__count"],
            )
        )
        digest = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
        for employee, project, hours, count in groups:
            approvers = employee.psa_timesheet_approver_id | project.user_id
            for approver in approvers - employee.user_id:
                digest[approver][employee][0] += hours
                digest[approver][employee][1] += count
        return digest

    @api.model
    def _psa_send_approver_digest(self, company):
        digest = self._psa_get_approver_digest(company)
        template = self.env.ref(
            "psa_timesheet.mail_template_psa_timesheet_approver_digest",
            raise_if_not_found=False,
        )
        if not template:
            return digest
        for approver, rows in digest.items():
            template.with_context(
                psa_digest_rows=[
                    {
                        "employee": employee.name,
                        "hours": round(hours, 2),
                        "count": count,
                    }
                    for employee, (hours, count) in sorted(
                        rows.items(), key=lambda item: item[0].name or ""
                    )
                ]
            ).send_mail(approver.id)
        return digest
