from odoo import api, fields, models

from ..models.account_analytic_line import (
    BILLABLE_TYPES,
    NON_BILLABLE_REASONS,
    PSA_STATES,
)


class TimesheetsAnalysisReport(models.Model):
    _inherit = "timesheets.analysis.report"

    psa_state = fields.Selection(PSA_STATES, string="Approval Status", readonly=True)
    role_id = fields.Many2one("project.role", readonly=True)
    billable_type = fields.Selection(
        BILLABLE_TYPES, string="Billability", readonly=True
    )
    non_billable_reason = fields.Selection(NON_BILLABLE_REASONS, readonly=True)

    @api.model
    def _select(self):
        return (
            super()._select()
            + """,
                COALESCE(A.psa_state, 'draft') AS psa_state,
                A.role_id AS role_id,
                A.billable_type AS billable_type,
                A.non_billable_reason AS non_billable_reason
            """
        )
