from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    default_role_id = fields.Many2one(
        "project.role",
        ondelete="restrict",
        index="btree_not_null",
        help="Role proposed on this employee's timesheets, allocations and staffing "
        "suggestions when nothing more specific is known.",
    )
