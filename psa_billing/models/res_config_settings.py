from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psa_accrued_revenue_account_id = fields.Many2one(
        related="company_id.psa_accrued_revenue_account_id", readonly=False
    )
    psa_deferred_revenue_account_id = fields.Many2one(
        related="company_id.psa_deferred_revenue_account_id", readonly=False
    )
    psa_revenue_journal_id = fields.Many2one(
        related="company_id.psa_revenue_journal_id", readonly=False
    )
    psa_auto_billing = fields.Boolean(
        related="company_id.psa_auto_billing", readonly=False
    )
    psa_auto_billing_day = fields.Integer(
        related="company_id.psa_auto_billing_day", readonly=False
    )
