from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psa_cpi_at_risk = fields.Float(related="company_id.psa_cpi_at_risk", readonly=False)
    psa_cpi_off_track = fields.Float(
        related="company_id.psa_cpi_off_track", readonly=False
    )
    psa_spi_at_risk = fields.Float(related="company_id.psa_spi_at_risk", readonly=False)
    psa_spi_off_track = fields.Float(
        related="company_id.psa_spi_off_track", readonly=False
    )
    psa_burn_at_risk = fields.Float(
        related="company_id.psa_burn_at_risk", readonly=False
    )
    psa_burn_off_track = fields.Float(
        related="company_id.psa_burn_off_track", readonly=False
    )
    psa_time_entry_lag_days = fields.Integer(
        related="company_id.psa_time_entry_lag_days", readonly=False
    )
    psa_estimate_drift_percent = fields.Float(
        related="company_id.psa_estimate_drift_percent", readonly=False
    )
