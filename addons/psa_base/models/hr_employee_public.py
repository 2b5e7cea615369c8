from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    default_role_id = fields.Many2one("project.role", readonly=True)
