from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psa_utilization_target = fields.Float(
        related="company_id.psa_utilization_target", readonly=False
    )
    psa_weight_skill = fields.Integer(
        related="company_id.psa_weight_skill", readonly=False
    )
    psa_weight_availability = fields.Integer(
        related="company_id.psa_weight_availability", readonly=False
    )
    psa_weight_margin = fields.Integer(
        related="company_id.psa_weight_margin", readonly=False
    )
    psa_weight_target = fields.Integer(
        related="company_id.psa_weight_target", readonly=False
    )
    psa_weight_continuity = fields.Integer(
        related="company_id.psa_weight_continuity", readonly=False
    )
