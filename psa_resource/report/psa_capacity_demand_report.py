from odoo import api, fields, models
from odoo.tools import SQL


class PsaCapacityDemandReport(models.Model):
    """Capacity and demand per role and week.

    Capacity is the materialised capacity of the employees whose default role it
    is; demand is their allocations (confirmed and tentative, on the role of the
    allocation) and the hours still to staff on open resource requests, spread
    evenly over the weekdays of the request. ``pipeline_hours`` is filled by
    later bridges (psa_crm: probability-weighted estimates of open
    opportunities) through :meth:`_psa_demand_sources`."""

    _name = "psa.capacity.demand.report"
    _description = "Capacity vs Demand"
    _auto = False
    _order = "week, role_id"
    _rec_name = "role_id"

    role_id = fields.Many2one("project.role", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    week = fields.Date(readonly=True, help="Monday of the week.")
    capacity_hours = fields.Float(string="Capacity", readonly=True)
    confirmed_hours = fields.Float(string="Confirmed", readonly=True)
    tentative_hours = fields.Float(string="Tentative", readonly=True)
    open_request_hours = fields.Float(string="Open Requests", readonly=True)
    pipeline_hours = fields.Float(
        string="Pipeline",
        readonly=True,
        help="Probability-weighted demand of the sales pipeline (filled once a "
        "CRM bridge is installed).",
    )
    demand_hours = fields.Float(string="Demand", readonly=True)
    gap_hours = fields.Float(
        string="Capacity Left",
        readonly=True,
        help="Capacity minus demand: negative when the role is short of people.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT
                ROW_NUMBER() OVER (ORDER BY D.week, D.company_id, D.role_id) AS id,
                D.role_id, D.company_id, D.week,
                SUM(D.capacity) AS capacity_hours,
                SUM(D.confirmed) AS confirmed_hours,
                SUM(D.tentative) AS tentative_hours,
                SUM(D.open_request) AS open_request_hours,
                SUM(D.pipeline) AS pipeline_hours,
                SUM(D.confirmed + D.tentative + D.open_request + D.pipeline)
                    AS demand_hours,
                SUM(D.capacity - D.confirmed - D.tentative - D.open_request
                    - D.pipeline) AS gap_hours
            FROM (
                SELECT S.role_id, S.company_id,
                       date_trunc('week', S.day)::date AS week,
                       S.capacity, S.confirmed, S.tentative, S.open_request,
                       S.pipeline
                FROM (%s) S
            ) D
            GROUP BY D.role_id, D.company_id, D.week
            """,
            SQL(" UNION ALL ").join(self._psa_demand_sources()),
        )

    @api.model
    def _psa_demand_sources(self):
        """Subqueries with columns (role_id, company_id, day, capacity, confirmed,
        tentative, open_request, pipeline), summed per role and week.

        Hook for demand from other apps: psa_crm appends a subquery giving
        ``pipeline`` hours (estimates of open opportunities weighted by their
        probability) per role and day."""
        return [
            SQL(
                """
                SELECT E.default_role_id AS role_id, C.company_id, C.date AS day,
                       C.hours AS capacity, 0.0 AS confirmed, 0.0 AS tentative,
                       0.0 AS open_request, 0.0 AS pipeline
                FROM psa_capacity_day C
                JOIN hr_employee E ON E.id = C.employee_id
                """
            ),
            SQL(
                """
                SELECT AL.role_id, AL.company_id, C.date AS day, 0.0 AS capacity,
                       CASE WHEN AL.state = 'confirmed' THEN H.hours
                            ELSE 0.0 END AS confirmed,
                       CASE WHEN AL.state = 'tentative' THEN H.hours
                            ELSE 0.0 END AS tentative,
                       0.0 AS open_request, 0.0 AS pipeline
                FROM psa_allocation AL
                JOIN psa_capacity_day C
                  ON C.employee_id = AL.employee_id
                 AND C.date BETWEEN AL.date_from AND AL.date_to
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN AL.allocation_type = 'percent'
                                THEN C.hours * AL.percent / 100.0
                                ELSE AL.hours_per_day END AS hours
                ) H
                WHERE AL.state IN ('tentative', 'confirmed')
                """
            ),
            SQL(
                """
                SELECT R.role_id, R.company_id, W.day, 0.0 AS capacity,
                       0.0 AS confirmed, 0.0 AS tentative,
                       R.remaining_hours / COUNT(*) OVER (PARTITION BY R.id)
                           AS open_request,
                       0.0 AS pipeline
                FROM psa_resource_request R
                CROSS JOIN LATERAL (
                    SELECT G.day::date AS day
                    FROM generate_series(R.date_from, R.date_to, INTERVAL '1 day')
                        AS G(day)
                    WHERE EXTRACT(ISODOW FROM G.day) < 6
                ) W
                WHERE R.state = 'open' AND R.remaining_hours > 0
                """
            ),
        ]
