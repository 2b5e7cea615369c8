from odoo import models
from odoo.fields import Domain


class ProjectProject(models.Model):
    _inherit = "project.project"

    def _psa_actual_timesheet_domain(self):
        """Rejected time is being corrected: it is not an actual. Companies may count
        approved time only."""
        domain = super()._psa_actual_timesheet_domain()
        if self.env.company.psa_project_approved_time_only:
            return domain & Domain("psa_state", "=", "approved")
        return domain & Domain("psa_state", "!=", "rejected")
