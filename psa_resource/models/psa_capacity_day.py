from odoo import fields, models


class PsaCapacityDay(models.Model):
    """Capacity of an employee on one day, materialised for the SQL reports
    (utilization, capacity vs demand), which cannot evaluate working schedules.

    Rows are written in batch by ``hr.employee._psa_refresh_capacity``: by the
    daily cron on a rolling window, and when a leave is validated or cancelled, a
    public holiday or a working schedule changes, or an employee changes schedule.
    Days without capacity have no row."""

    _name = "psa.capacity.day"
    _description = "Employee Capacity per Day"
    _order = "date, employee_id"
    _rec_name = "date"

    employee_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    date = fields.Date(required=True, readonly=True)
    hours = fields.Float(readonly=True, help="Working hours net of leave and holidays.")

    _employee_date_uniq = models.Constraint(
        "UNIQUE(employee_id, date)", "Capacity is stored once per employee and day."
    )
    _date_idx = models.Index("(date, employee_id)")
