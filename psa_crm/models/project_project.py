from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    psa_resource_request_count = fields.Integer(
        string="Resource Requests",
        compute="_compute_psa_resource_request_count",
    )

    def _compute_psa_resource_request_count(self):
        counts = dict(
            self.env["psa.resource.request"]
            .sudo()
            ._read_group([("project_id", "in", self.ids)], ["project_id"], ["__count"])
        )
        for project in self:
            project.psa_resource_request_count = counts.get(project._origin, 0)

    def action_psa_open_resource_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resource Requests"),
            "res_model": "psa.resource.request",
            "view_mode": "list,form",
            "domain": [("project_id", "=", self.id)],
            "context": {"default_project_id": self.id},
        }
