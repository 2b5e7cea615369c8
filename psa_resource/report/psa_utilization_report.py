from odoo import api, fields, models
from odoo.tools import SQL

# ratio measures: (numerator column, denominator column), as a percentage of the
# sums over the rows of a group, so that weeks, months, teams and companies are
# exact (a mean of daily ratios would not be)
PSA_RATIOS = {
    "billable_utilization": ("billable_hours", "capacity_hours"),
    "total_utilization": ("logged_hours", "capacity_hours"),
    "forecast_utilization": ("allocated_hours", "capacity_hours"),
    "target": ("target_hours", "capacity_hours"),
}


class PsaUtilizationReport(models.Model):
    """Utilization per employee and day, to be grouped by week or month
    (``period:week``, ``period:month``), employee, team, department or company.

    Capacity comes from ``psa.capacity.day`` (working schedule minus validated
    time off and public holidays, materialised in batch); logged hours are the
    timesheets on projects, except rejected ones and the time off that
    ``project_timesheet_holidays`` writes as timesheets; billable hours are those
    classified ``billable`` by psa_timesheet; allocated hours are the tentative
    and confirmed allocations on the employee's working days. Percentages are
    computed on the sums of each group (see ``_read_group_select``)."""

    _name = "psa.utilization.report"
    _description = "Utilization Analysis"
    _auto = False
    _order = "period desc, employee_id"
    _rec_name = "employee_id"

    employee_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    manager_id = fields.Many2one("hr.employee", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    role_id = fields.Many2one("project.role", string="Default Role", readonly=True)
    period = fields.Date(
        readonly=True, help="Day of the figures: group by week or month."
    )
    capacity_hours = fields.Float(string="Capacity", readonly=True)
    logged_hours = fields.Float(string="Logged", readonly=True)
    billable_hours = fields.Float(string="Billable", readonly=True)
    allocated_hours = fields.Float(string="Allocated", readonly=True)
    target_hours = fields.Float(
        readonly=True,
        help="Capacity times the employee's utilization target of the day.",
    )
    billable_utilization = fields.Float(
        string="Billable Utilization (%)",
        readonly=True,
        aggregator="avg",
        help="Billable hours / capacity.",
    )
    total_utilization = fields.Float(
        string="Total Utilization (%)",
        readonly=True,
        aggregator="avg",
        help="Logged hours / capacity.",
    )
    forecast_utilization = fields.Float(
        string="Forecast Utilization (%)",
        readonly=True,
        aggregator="avg",
        help="Allocated hours (tentative and confirmed) / capacity.",
    )
    target = fields.Float(
        string="Target (%)",
        readonly=True,
        aggregator="avg",
        help="Utilization target of the day (dated history, else the employee's "
        "target), weighted by capacity over a group.",
    )
    variance = fields.Float(
        string="Variance (pts)",
        readonly=True,
        aggregator="avg",
        help="Billable utilization minus target, in percentage points.",
    )

    @property
    def _table_query(self):
        return self._psa_query()

    @api.model
    def _psa_query(self):
        ratio = "CASE WHEN U.capacity > 0 THEN 100.0 * {} / U.capacity ELSE 0.0 END"
        billable = ratio.format("U.billable")
        return SQL(
            """
            SELECT
                (U.employee_id::bigint * 100000
                 + (U.day - DATE '2000-01-01')) AS id,
                U.employee_id AS employee_id,
                E.company_id AS company_id,
                V.department_id AS department_id,
                E.parent_id AS manager_id,
                E.user_id AS user_id,
                E.default_role_id AS role_id,
                U.day AS period,
                U.capacity AS capacity_hours,
                U.logged AS logged_hours,
                U.billable AS billable_hours,
                U.allocated AS allocated_hours,
                U.capacity * %(target)s / 100.0 AS target_hours,
                %(billable)s AS billable_utilization,
                %(total)s AS total_utilization,
                %(forecast)s AS forecast_utilization,
                %(target)s AS target,
                %(billable)s - %(target)s AS variance
            FROM (
                SELECT
                    S.employee_id, S.day,
                    SUM(S.capacity) AS capacity,
                    SUM(S.logged) AS logged,
                    SUM(S.billable) AS billable,
                    SUM(S.allocated) AS allocated
                FROM (%(sources)s) S
                GROUP BY S.employee_id, S.day
            ) U
            JOIN hr_employee E ON E.id = U.employee_id
            LEFT JOIN hr_version V ON V.id = E.current_version_id
            -- the dated target in force on the day: each target runs until the
            -- next one of the employee (one start date per employee)
            LEFT JOIN (
                SELECT employee_id, target, date_from,
                       LEAD(date_from) OVER (
                           PARTITION BY employee_id ORDER BY date_from
                       ) AS date_to
                FROM psa_utilization_target
            ) T
              ON T.employee_id = U.employee_id
             AND T.date_from <= U.day
             AND (T.date_to IS NULL OR U.day < T.date_to)
            """,
            target=SQL("COALESCE(T.target, E.psa_utilization_target, 0)"),
            billable=SQL(billable),
            total=SQL(ratio.format("U.logged")),
            forecast=SQL(ratio.format("U.allocated")),
            sources=SQL(" UNION ALL ").join(self._psa_sources()),
        )

    @api.model
    def _psa_sources(self):
        """Subqueries with columns (employee_id, day, capacity, logged, billable,
        allocated), summed per employee and day. Extend to add a source."""
        return [
            SQL(
                """
                SELECT C.employee_id, C.date AS day, C.hours AS capacity,
                       0.0 AS logged, 0.0 AS billable, 0.0 AS allocated
                FROM psa_capacity_day C
                """
            ),
            SQL(
                """
                SELECT A.employee_id, A.date AS day, 0.0 AS capacity,
                       SUM(A.unit_amount) AS logged,
                       SUM(CASE WHEN A.billable_type = 'billable'
                                THEN A.unit_amount ELSE 0.0 END) AS billable,
                       0.0 AS allocated
                FROM account_analytic_line A
                WHERE %s
                GROUP BY A.employee_id, A.date
                """,
                self._psa_logged_work_condition(),
            ),
            SQL(
                """
                SELECT AL.employee_id, C.date AS day, 0.0 AS capacity,
                       0.0 AS logged, 0.0 AS billable,
                       CASE WHEN AL.allocation_type = 'percent'
                            THEN C.hours * AL.percent / 100.0
                            ELSE AL.hours_per_day END AS allocated
                FROM psa_allocation AL
                JOIN psa_capacity_day C
                  ON C.employee_id = AL.employee_id
                 AND C.date BETWEEN AL.date_from AND AL.date_to
                WHERE AL.state IN ('tentative', 'confirmed')
                """
            ),
        ]

    @api.model
    def _psa_logged_work_condition(self):
        """Timesheet lines ``A`` counted as logged work: on a project, of an
        employee, not rejected, and not time off written as timesheets by
        project_timesheet_holidays nor logged on a company's time off task (leave
        is removed from capacity instead). The leave tasks are read once (an
        array) rather than joined to each line."""
        return SQL(
            """
            A.project_id IS NOT NULL
            AND A.employee_id IS NOT NULL
            AND COALESCE(A.psa_state, 'draft') != 'rejected'
            AND A.holiday_id IS NULL
            AND A.global_leave_id IS NULL
            AND (
                A.task_id IS NULL
                OR A.task_id != ALL (ARRAY(
                    SELECT RC.leave_timesheet_task_id FROM res_company RC
                    WHERE RC.leave_timesheet_task_id IS NOT NULL
                ))
            )
            """
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Percentages of a group are ratios of its sums, not means of ratios."""
        fname = aggregate_spec.split(":", 1)[0]
        if fname in PSA_RATIOS or fname == "variance":
            if fname == "variance":
                return SQL(
                    "%s - %s",
                    self._psa_ratio_sql("billable_utilization", query),
                    self._psa_ratio_sql("target", query),
                )
            return self._psa_ratio_sql(fname, query)
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _psa_ratio_sql(self, fname, query):
        numerator, denominator = PSA_RATIOS[fname]
        denominator_sql = self._field_to_sql(self._table, denominator, query)
        return SQL(
            "COALESCE(100.0 * SUM(%s) / NULLIF(SUM(%s), 0), 0.0)",
            self._field_to_sql(self._table, numerator, query),
            denominator_sql,
        )
