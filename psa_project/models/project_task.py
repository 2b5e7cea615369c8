from datetime import timedelta

from odoo import models


class ProjectTask(models.Model):
    _inherit = "project.task"

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        shift = self.env.context.get("psa_date_shift")
        if shift is not None:
            for task, vals in zip(self, vals_list, strict=True):
                if task.date_deadline and "date_deadline" not in (default or {}):
                    vals["date_deadline"] = task.date_deadline + timedelta(days=shift)
        return vals_list
