from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.tools import SQL

# Window of the materialised capacity (psa.capacity.day) kept by the daily cron:
# from the first day of the month PSA_CAPACITY_MONTHS_BACK months ago to
# PSA_CAPACITY_MONTHS_AHEAD months ahead.
PSA_CAPACITY_MONTHS_BACK = 13
PSA_CAPACITY_MONTHS_AHEAD = 12


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    psa_utilization_target = fields.Float(
        string="Utilization Target (%)",
        compute="_compute_psa_utilization_target",
        store=True,
        readonly=False,
        help="Billable hours expected as a share of capacity. Defaults to the "
        "target of the job position, else the company's.",
    )
    psa_allocation_ids = fields.One2many(
        "psa.allocation", "employee_id", string="Allocations"
    )
    psa_is_overallocated = fields.Boolean(
        string="Over-allocated",
        compute="_compute_psa_is_overallocated",
        store=True,
        help="At least one current or future allocation of this employee exceeds "
        "their capacity on some day.",
    )

    _psa_utilization_target_range = models.Constraint(
        "CHECK(psa_utilization_target >= 0 AND psa_utilization_target <= 100)",
        "A utilization target is a percentage between 0 and 100.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("job_id.psa_utilization_target", "company_id")
    def _compute_psa_utilization_target(self):
        for employee in self:
            if employee.job_id:
                employee.psa_utilization_target = employee.job_id.psa_utilization_target
            else:
                employee.psa_utilization_target = (
                    employee.company_id.psa_utilization_target
                )

    @api.depends("psa_allocation_ids.is_overallocated", "psa_allocation_ids.date_to")
    def _compute_psa_is_overallocated(self):
        today = fields.Date.context_today(self)
        for employee in self:
            employee.psa_is_overallocated = any(
                allocation.is_overallocated and allocation.date_to >= today
                for allocation in employee.psa_allocation_ids
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        employees._psa_refresh_capacity()
        return employees

    def write(self, vals):
        res = super().write(vals)
        if "resource_calendar_id" in vals or "company_id" in vals:
            self._psa_refresh_capacity()
        return res

    # ------------------------------------------------------------
    # CAPACITY
    # ------------------------------------------------------------

    @api.model
    def _psa_capacity_window(self, today=None):
        """Default (first, last) day of the materialised capacity."""
        today = today or fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=PSA_CAPACITY_MONTHS_BACK)
        return first, today + relativedelta(months=PSA_CAPACITY_MONTHS_AHEAD)

    @api.model
    def _psa_capacity_leave_domain(self):
        """Leaves removed from capacity: public holidays (no resource) and the
        resource leaves of validated time off."""
        domain = [
            ("time_type", "=", "leave"),
            "|",
            ("holiday_id", "=", False),
            ("holiday_id.state", "=", "validate"),
        ]
        skip_ids = self.env.context.get("psa_skip_leave_ids")
        if skip_ids:
            # leaves about to be removed (see resource.calendar.leaves)
            domain.append(("id", "not in", skip_ids))
        return domain

    def _psa_compute_capacity_by_day(self, date_from, date_to):
        """Working hours of each employee per day between two dates (included):
        their working schedule in their own time zone, minus public holidays and
        validated time off. One interval computation per working schedule.

        Employees without a working schedule have no capacity. A schedule flagged
        24/7 (business time of SLAs) still counts its attendances here: capacity is
        the time a person works, not the hours a desk is open.

        :return: {employee_id: {date: hours}} (days without capacity omitted)
        """
        result = {employee.id: defaultdict(float) for employee in self}
        domain = self._psa_capacity_leave_domain()
        # schedules and leaves are read as superuser: capacity is computed for any
        # employee the caller may staff, whatever their rights on HR data
        for calendar, employees in self.sudo().grouped("resource_calendar_id").items():
            if not calendar:
                continue
            tz = timezone(calendar.tz or "UTC")
            start = tz.localize(datetime.combine(date_from, time.min)) - timedelta(
                days=1
            )
            end = tz.localize(datetime.combine(date_to, time.max)) + timedelta(days=1)
            intervals = calendar._work_intervals_batch(
                start.astimezone(utc),
                end.astimezone(utc),
                resources=employees.resource_id,
                domain=domain,
            )
            for employee in employees:
                hours_by_day = result[employee.id]
                for start_dt, end_dt, _meta in intervals[employee.resource_id.id]:
                    day = start_dt.date()
                    if date_from <= day <= date_to:
                        hours_by_day[day] += (end_dt - start_dt).total_seconds() / 3600
        return result

    def _psa_refresh_capacity(self, date_from=None, date_to=None):
        """Rewrite the materialised capacity (psa.capacity.day) of these employees
        between two dates (default: the cron's window), then recompute their
        allocations in that window. Bounded: one interval computation per working
        schedule, one DELETE and one INSERT whatever the number of employees."""
        if not self:
            return
        default_from, default_to = self._psa_capacity_window()
        date_from = date_from or default_from
        date_to = date_to or default_to
        capacity = self._psa_compute_capacity_by_day(date_from, date_to)
        employee_ids, company_ids, days, hours = [], [], [], []
        for employee in self:
            for day, day_hours in sorted(capacity[employee.id].items()):
                if day_hours > 0:
                    employee_ids.append(employee.id)
                    company_ids.append(employee.company_id.id)
                    days.append(day)
                    hours.append(round(day_hours, 4))
        CapacityDay = self.env["psa.capacity.day"]
        CapacityDay.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM psa_capacity_day WHERE employee_id = ANY(%s) "
                "AND date BETWEEN %s AND %s",
                self.ids,
                date_from,
                date_to,
            )
        )
        if employee_ids:
            self.env.execute_query(
                SQL(
                    """
                    INSERT INTO psa_capacity_day
                        (employee_id, company_id, date, hours,
                         create_uid, write_uid, create_date, write_date)
                    SELECT t.employee_id, t.company_id, t.day, t.hours,
                           %(uid)s, %(uid)s, %(now)s, %(now)s
                      FROM unnest(%(employees)s::int[], %(companies)s::int[],
                                  %(days)s::date[], %(hours)s::float8[])
                        AS t(employee_id, company_id, day, hours)
                    """,
                    uid=self.env.uid,
                    now=fields.Datetime.now(),
                    employees=employee_ids,
                    companies=company_ids,
                    days=days,
                    hours=hours,
                )
            )
        CapacityDay.invalidate_model()
        self.env["psa.allocation"]._psa_recompute_for(self, date_from, date_to)

    @api.model
    def _cron_psa_refresh_capacity(self):
        """Daily: rebuild the capacity of all active employees on the window and
        drop the rows that left it."""
        date_from, date_to = self._psa_capacity_window()
        employees = self.search([("resource_calendar_id", "!=", False)])
        self.env.execute_query(
            SQL(
                "DELETE FROM psa_capacity_day WHERE date < %s OR date > %s",
                date_from,
                date_to,
            )
        )
        for company_employees in employees.grouped("company_id").values():
            company_employees._psa_refresh_capacity(date_from, date_to)
        # the "over-allocated" flag of employees only looks at current allocations
        self.env.add_to_compute(self._fields["psa_is_overallocated"], employees)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _psa_daterange(self, date_from, date_to):
        day = date_from
        while day <= date_to:
            yield day
            day += timedelta(days=1)
