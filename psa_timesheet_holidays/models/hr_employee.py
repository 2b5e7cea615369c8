from odoo import api, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model
    def _psa_expected_hours_leave_domain(self):
        """Expected hours are net of public holidays and of validated time off
        (hr_holidays writes a resource leave per validated request)."""
        return [
            ("time_type", "=", "leave"),
            "|",
            ("resource_id", "=", False),
            ("holiday_id.state", "=", "validate"),
        ]

    @api.model
    def _psa_logged_work_domain(self):
        """Time off written as timesheets (project_timesheet_holidays, when it is
        installed) is leave, not logged work."""
        domain = super()._psa_logged_work_domain()
        Line = self.env["account.analytic.line"]
        for fname in ("holiday_id", "global_leave_id"):
            if fname in Line._fields:
                domain = [*domain, (fname, "=", False)]
        return domain
