from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psa_crm_confirm_order = fields.Boolean(
        related="company_id.psa_crm_confirm_order", readonly=False
    )
    psa_crm_product_id = fields.Many2one(
        related="company_id.psa_crm_product_id", readonly=False
    )
