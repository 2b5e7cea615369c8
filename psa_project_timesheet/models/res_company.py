from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psa_project_approved_time_only = fields.Boolean(
        string="Project Actuals from Approved Time Only",
        help="Earned value, progress and budget vs actual count only approved "
        "timesheets. Otherwise they count all logged time except rejected lines.",
    )
