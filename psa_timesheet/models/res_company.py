from odoo import fields, models

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    psa_timesheet_lock_date = fields.Date(
        string="Timesheet Lock Date",
        help="No timesheet dated on or before this date may be created, changed or "
        "deleted.",
    )
    psa_timesheet_days_ahead = fields.Integer(
        string="Days Ahead Allowed",
        default=7,
        help="How many days after today time may be logged (0 = not after today).",
    )
    psa_timesheet_reminder_weekday = fields.Selection(
        WEEKDAYS,
        string="Reminder Day",
        default="0",
        help="Day on which employees are reminded of missing time of the last "
        "finished week.",
    )
    psa_timesheet_reminder_hour = fields.Integer(
        string="Reminder Hour",
        default=8,
        help="Hour (0-23, in the company's time zone) from which the reminders of "
        "the day are sent.",
    )
    psa_timesheet_reminder_last_date = fields.Date(
        string="Last Reminder Date", copy=False, readonly=True
    )

    _psa_timesheet_days_ahead_positive = models.Constraint(
        "CHECK(psa_timesheet_days_ahead >= 0)",
        "The number of days ahead allowed for timesheets cannot be negative.",
    )
    _psa_timesheet_reminder_hour_range = models.Constraint(
        "CHECK(psa_timesheet_reminder_hour >= 0 AND psa_timesheet_reminder_hour <= 23)",
        "The reminder hour must be between 0 and 23.",
    )
