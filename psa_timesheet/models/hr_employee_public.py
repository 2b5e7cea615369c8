from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # internal users only, like psa_base's default role: portal users meet public
    # employees (mentions, project sharing) and must not read who approves whom
    psa_timesheet_approver_id = fields.Many2one(
        "res.users",
        string="Timesheet Approver",
        readonly=True,
        groups="base.group_user",
    )
