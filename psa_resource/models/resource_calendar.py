from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        res = super().write(vals)
        if {"attendance_ids", "tz", "two_weeks_calendar", "flexible_hours"} & set(vals):
            employees = (
                self.env["hr.employee"]
                .sudo()
                .search([("resource_calendar_id", "in", self.ids)])
            )
            employees._psa_refresh_capacity()
        return res
