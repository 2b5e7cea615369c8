from odoo import fields, models
from odoo.tools import SQL


class PsaDemandForecast(models.Model):
    """Demand forecast per role and week: the pipeline weighted by probability
    (estimates of open opportunities phased over their expected dates) next to the
    confirmed and tentative allocations and the capacity of the role. Built on the
    sources of the capacity vs demand report (psa_resource)."""

    _name = "psa.demand.forecast"
    _description = "Demand Forecast"
    _auto = False
    _order = "week, role_id"
    _rec_name = "role_id"

    role_id = fields.Many2one("project.role", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    week = fields.Date(readonly=True, help="Monday of the week.")
    pipeline_hours = fields.Float(
        string="Pipeline (Weighted)",
        readonly=True,
        help="Estimated hours of open opportunities x probability, spread evenly "
        "over the weekdays between their expected start and end.",
    )
    confirmed_hours = fields.Float(string="Confirmed", readonly=True)
    tentative_hours = fields.Float(string="Tentative", readonly=True)
    open_request_hours = fields.Float(string="Open Requests", readonly=True)
    capacity_hours = fields.Float(string="Capacity", readonly=True)
    demand_hours = fields.Float(string="Demand", readonly=True)
    gap_hours = fields.Float(
        string="Capacity Left",
        readonly=True,
        help="Capacity minus demand (allocations, open requests and pipeline).",
    )

    @property
    def _table_query(self):
        sources = self.env["psa.capacity.demand.report"]._psa_demand_sources()
        return SQL(
            """
            SELECT
                ROW_NUMBER() OVER (ORDER BY D.week, D.company_id, D.role_id) AS id,
                D.role_id, D.company_id, D.week,
                SUM(D.pipeline) AS pipeline_hours,
                SUM(D.confirmed) AS confirmed_hours,
                SUM(D.tentative) AS tentative_hours,
                SUM(D.open_request) AS open_request_hours,
                SUM(D.capacity) AS capacity_hours,
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
            SQL(" UNION ALL ").join(sources),
        )
