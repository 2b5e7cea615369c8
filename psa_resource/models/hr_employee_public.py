from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # internal users only, like the default role
    psa_utilization_target = fields.Float(
        string="Utilization Target (%)", readonly=True, groups="base.group_user"
    )
    psa_is_overallocated = fields.Boolean(
        string="Over-allocated", readonly=True, groups="base.group_user"
    )
