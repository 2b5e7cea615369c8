from odoo import fields, models


class PsaDemandForecast(models.Model):
    """Demand forecast per role and week: the pipeline weighted by probability
    (estimates of open opportunities phased over their expected dates) next to the
    confirmed and tentative allocations and the capacity of the role.

    The same figures as psa_resource's capacity vs demand report (whose sources
    psa_crm extends with the pipeline), under the name sales teams know."""

    _name = "psa.demand.forecast"
    _inherit = "psa.capacity.demand.report"
    _description = "Demand Forecast"
    _auto = False
    _log_access = False

    pipeline_hours = fields.Float(
        string="Pipeline (Weighted)",
        help="Estimated hours of open opportunities x probability, spread evenly "
        "over the weekdays between their expected start and end.",
    )
