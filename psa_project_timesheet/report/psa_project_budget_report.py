from odoo import api, models


class PsaProjectBudgetReport(models.Model):
    _inherit = "psa.project.budget.report"

    @api.model
    def _timesheet_role(self):
        """The role the time was logged with, else the employee's default role."""
        return "COALESCE(A.role_id, E.default_role_id)"

    @api.model
    def _timesheet_where(self):
        approved_only = self.env.company.psa_project_approved_time_only
        state = (
            "A.psa_state = 'approved'" if approved_only else "A.psa_state != 'rejected'"
        )
        return f"{super()._timesheet_where()} AND {state}"
