# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    psa_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        index="btree_not_null",
        ondelete="restrict",
        help="The ticket this time was spent on; the time is logged on the "
        "ticket's project (and task), so it is billed by that project's "
        "engagement like any other time.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._psa_ticket_project_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("psa_ticket_id"):
            self._psa_ticket_project_values([vals])
        return super().write(vals)

    @api.model
    def _psa_ticket_project_values(self, vals_list):
        """Time logged on a ticket goes to the ticket's project and task, unless
        given: one read of the tickets for the whole batch."""
        ticket_ids = {
            vals["psa_ticket_id"]
            for vals in vals_list
            if vals.get("psa_ticket_id") and not vals.get("project_id")
        }
        if not ticket_ids:
            return
        tickets = self.env["helpdesk.ticket"].browse(ticket_ids)
        tickets.fetch(["project_id", "task_id"])
        for vals in vals_list:
            if not vals.get("psa_ticket_id") or vals.get("project_id"):
                continue
            ticket = tickets.browse(vals["psa_ticket_id"])
            if not ticket.project_id:
                raise ValidationError(
                    self.env._(
                        "The ticket %(ticket)s has no project: set the project of "
                        "the ticket (or of its team) before logging time on it.",
                        ticket=ticket.display_name,
                    )
                )
            vals["project_id"] = ticket.project_id.id
            if ticket.task_id and "task_id" not in vals:
                vals["task_id"] = ticket.task_id.id

    @api.constrains("psa_ticket_id", "project_id")
    def _check_psa_ticket_project(self):
        for line in self.filtered("psa_ticket_id"):
            if line.project_id != line.psa_ticket_id.project_id:
                raise ValidationError(
                    self.env._(
                        "Time logged on the ticket %(ticket)s must be on its project "
                        "%(project)s.",
                        ticket=line.psa_ticket_id.display_name,
                        project=line.psa_ticket_id.project_id.display_name
                        or self.env._("(none)"),
                    )
                )
