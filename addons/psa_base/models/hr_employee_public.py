from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # internal users only: portal users may meet public employees (e.g. in mentions)
    # and have no access to roles
    default_role_id = fields.Many2one(
        "project.role", readonly=True, groups="base.group_user"
    )
