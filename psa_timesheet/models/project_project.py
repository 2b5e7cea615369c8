from odoo import fields, models

from .account_analytic_line import NON_BILLABLE_REASONS


class ProjectProject(models.Model):
    _inherit = "project.project"

    psa_is_non_billable = fields.Boolean(
        string="Non-billable by Default",
        help="New timesheets of this project are classified as non-billable, with "
        "the reason below.",
    )
    psa_non_billable_reason = fields.Selection(
        NON_BILLABLE_REASONS,
        string="Default Non-billable Reason",
        default="internal",
    )
