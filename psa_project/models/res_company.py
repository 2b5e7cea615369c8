from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psa_cpi_at_risk = fields.Float(
        string="CPI At Risk Below",
        default=0.95,
        help="A project whose cost performance index falls below this value is at "
        "risk.",
    )
    psa_cpi_off_track = fields.Float(
        string="CPI Off Track Below",
        default=0.85,
    )
    psa_spi_at_risk = fields.Float(string="SPI At Risk Below", default=0.95)
    psa_spi_off_track = fields.Float(string="SPI Off Track Below", default=0.85)
    psa_burn_at_risk = fields.Float(
        string="Budget Burn At Risk (%)",
        default=90.0,
        help="Share of the budgeted cost already spent, while the work is not "
        "finished, from which a project is at risk.",
    )
    psa_burn_off_track = fields.Float(string="Budget Burn Off Track (%)", default=100.0)
    psa_time_entry_lag_days = fields.Integer(
        string="Time Entry Lag (days)",
        default=7,
        help="A running project without any time logged for this many days raises a "
        "risk reason.",
    )
    psa_estimate_drift_percent = fields.Float(
        string="Estimate Drift Tolerance (%)",
        default=10.0,
        help="Task estimates (actual + remaining hours) exceeding the budgeted hours "
        "by more than this share raise a risk reason.",
    )
