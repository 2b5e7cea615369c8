from odoo import fields, models


class HrJob(models.Model):
    _inherit = "hr.job"

    psa_utilization_target = fields.Float(
        string="Utilization Target (%)",
        default=75.0,
        help="Billable utilization expected from the employees in this position: "
        "billable hours as a share of their capacity. Employees take it as their "
        "default target.",
    )

    _psa_utilization_target_range = models.Constraint(
        "CHECK(psa_utilization_target >= 0 AND psa_utilization_target <= 100)",
        "A utilization target is a percentage between 0 and 100.",
    )
