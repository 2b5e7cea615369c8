from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    psa_timesheet_approver_id = fields.Many2one(
        "res.users", string="Timesheet Approver", readonly=True
    )
