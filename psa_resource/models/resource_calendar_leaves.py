from datetime import timedelta

from odoo import api, models
from odoo.fields import Domain


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._psa_refresh_capacity()
        return leaves

    def write(self, vals):
        if not {
            "date_from",
            "date_to",
            "resource_id",
            "calendar_id",
            "time_type",
            "company_id",
            "holiday_id",
        } & set(vals):
            return super().write(vals)
        self._psa_refresh_capacity(skip_self=True)
        res = super().write(vals)
        self._psa_refresh_capacity()
        return res

    def unlink(self):
        self._psa_refresh_capacity(skip_self=True)
        return super().unlink()

    def _psa_refresh_capacity(self, skip_self=False):
        """Validated time off and public holidays (hr_holidays writes one resource
        leave per validated request and removes it when cancelled or refused)
        change the capacity of the employees they concern."""
        leaves = self.sudo().filtered(lambda leave: leave.date_from and leave.date_to)
        if not leaves:
            return
        domains = []
        for leave in leaves:
            if leave.resource_id:
                domains.append(Domain("resource_id", "=", leave.resource_id.id))
            elif leave.calendar_id:
                domains.append(
                    Domain("resource_calendar_id", "=", leave.calendar_id.id)
                )
            elif leave.company_id:
                domains.append(Domain("company_id", "=", leave.company_id.id))
        if not domains:
            return
        employees = self.env["hr.employee"].sudo().search(Domain.OR(domains))
        if not employees:
            return
        # one day of margin: leaves are stored in UTC, capacity in local days
        date_from = min(leaves.mapped("date_from")).date() - timedelta(days=1)
        date_to = max(leaves.mapped("date_to")).date() + timedelta(days=1)
        if skip_self:
            # the capacity is recomputed without these leaves after the change
            employees = employees.with_context(psa_skip_leave_ids=leaves.ids)
        employees._psa_refresh_capacity(date_from, date_to)
