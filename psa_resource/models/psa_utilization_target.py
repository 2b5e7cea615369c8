from odoo import fields, models


class PsaUtilizationTarget(models.Model):
    """Dated utilization targets of an employee: each line sets the target from
    its date until the next line. Days before the first line use the employee's
    target (by default their job position's)."""

    _name = "psa.utilization.target"
    _description = "Utilization Target History"
    _order = "employee_id, date_from desc"
    _rec_name = "employee_id"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", string="User", store=True)
    date_from = fields.Date(string="From", required=True)
    target = fields.Float(string="Target (%)", required=True)

    _employee_date_uniq = models.Constraint(
        "UNIQUE(employee_id, date_from)",
        "An employee has one utilization target per start date.",
    )
    _target_range = models.Constraint(
        "CHECK(target >= 0 AND target <= 100)",
        "A utilization target is a percentage between 0 and 100.",
    )
