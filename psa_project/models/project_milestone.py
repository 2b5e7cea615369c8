from datetime import timedelta

from odoo import fields, models


class ProjectMilestone(models.Model):
    _inherit = "project.milestone"

    psa_weight = fields.Float(
        string="Budget Weight (%)",
        digits=(16, 2),
        help="Share of the project budget planned to be earned when this milestone is "
        "reached. When milestones carry weights, planned value follows their deadlines "
        "instead of a linear spread over the project dates.",
    )

    _psa_weight_percent = models.Constraint(
        "CHECK(psa_weight >= 0 AND psa_weight <= 100)",
        "A milestone's budget weight is a percentage between 0 and 100.",
    )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        shift = self.env.context.get("psa_date_shift")
        if shift is not None:
            for milestone, vals in zip(self, vals_list, strict=True):
                if milestone.deadline and "deadline" not in (default or {}):
                    vals["deadline"] = milestone.deadline + timedelta(days=shift)
        return vals_list
