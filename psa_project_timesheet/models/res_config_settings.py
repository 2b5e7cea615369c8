from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psa_project_approved_time_only = fields.Boolean(
        related="company_id.psa_project_approved_time_only", readonly=False
    )
