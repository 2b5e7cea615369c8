from odoo import fields, models
from odoo.exceptions import UserError


class PsaResourceSuggestion(models.TransientModel):
    _name = "psa.resource.suggestion"
    _description = "Staffing Suggestion"
    _order = "rank"

    wizard_id = fields.Many2one(
        "psa.resource.suggestion.wizard", required=True, ondelete="cascade"
    )
    request_id = fields.Many2one(related="wizard_id.request_id")
    rank = fields.Integer()
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade")
    score = fields.Float()
    skill_score = fields.Float(string="Skills")
    availability_score = fields.Float(string="Availability")
    margin_score = fields.Float(string="Margin")
    target_score = fields.Float(string="Target Gap")
    continuity_score = fields.Float(string="Client Continuity")
    free_hours = fields.Float()
    reasons = fields.Text(string="Why")

    def action_accept(self):
        """Staff the request with this candidate: a tentative allocation over the
        request's period, with the hours still to staff spread over the
        candidate's working days."""
        self.ensure_one()
        request = self.request_id
        employee = self.employee_id
        capacity = employee._psa_compute_capacity_by_day(
            request.date_from, request.date_to
        )[employee.id]
        working_days = len([hours for hours in capacity.values() if hours > 0])
        if not working_days:
            raise UserError(
                self.env._(
                    "%(employee)s has no working day between %(start)s and %(end)s.",
                    employee=employee.name,
                    start=request.date_from,
                    end=request.date_to,
                )
            )
        hours = request.remaining_hours or request.hours
        allocation = self.env["psa.allocation"].create(
            {
                "employee_id": employee.id,
                "project_id": request.project_id.id,
                "role_id": (request.role_id or employee.default_role_id).id,
                "request_id": request.id,
                "date_from": request.date_from,
                "date_to": request.date_to,
                "allocation_type": "hours",
                "hours_per_day": round(min(hours / working_days, 24.0), 2),
                "state": "tentative",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "psa.resource.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
            "context": {"psa_new_allocation_id": allocation.id},
        }
