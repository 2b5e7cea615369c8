from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psa_utilization_target = fields.Float(
        string="Default Utilization Target (%)",
        default=75.0,
        help="Target of the employees whose job position has none.",
    )
    psa_weight_skill = fields.Integer(string="Skill Match Weight", default=40)
    psa_weight_availability = fields.Integer(string="Availability Weight", default=25)
    psa_weight_margin = fields.Integer(string="Margin Weight", default=15)
    psa_weight_target = fields.Integer(string="Target Gap Weight", default=10)
    psa_weight_continuity = fields.Integer(
        string="Client Continuity Weight", default=10
    )

    _psa_weights_positive = models.Constraint(
        "CHECK(psa_weight_skill >= 0 AND psa_weight_availability >= 0 "
        "AND psa_weight_margin >= 0 AND psa_weight_target >= 0 "
        "AND psa_weight_continuity >= 0)",
        "Staffing weights cannot be negative.",
    )
