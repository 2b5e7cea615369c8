from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psa_timesheet_lock_date = fields.Date(
        related="company_id.psa_timesheet_lock_date", readonly=False
    )
    psa_timesheet_days_ahead = fields.Integer(
        related="company_id.psa_timesheet_days_ahead", readonly=False
    )
    psa_timesheet_reminder_weekday = fields.Selection(
        related="company_id.psa_timesheet_reminder_weekday", readonly=False
    )
    psa_timesheet_reminder_hour = fields.Integer(
        related="company_id.psa_timesheet_reminder_hour", readonly=False
    )
