# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    psa_timesheet_ids = fields.One2many(
        "account.analytic.line", "psa_ticket_id", string="Timesheets"
    )
    psa_hours_spent = fields.Float(
        string="Hours Spent",
        compute="_compute_psa_hours_spent",
        help="Hours logged on the ticket.",
    )
    psa_order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        compute="_compute_psa_order_id",
        store=True,
        index="btree_not_null",
        help="The engagement that bills the time of this ticket: the sales order "
        "of the ticket's task, else of its project. Its billing plan decides: "
        "time and materials at the rate cards, or burnt on the retainer.",
    )

    @api.depends("psa_timesheet_ids.unit_amount")
    def _compute_psa_hours_spent(self):
        groups = dict(
            self.env["account.analytic.line"]._read_group(
                [("psa_ticket_id", "in", self.ids)],
                ["psa_ticket_id"],
                ["unit_amount:sum"],
            )
        )
        for ticket in self:
            ticket.psa_hours_spent = groups.get(ticket._origin, 0.0)

    @api.depends("project_id.sale_line_id", "task_id.sale_line_id")
    def _compute_psa_order_id(self):
        for ticket in self:
            sale_line = ticket.task_id.sale_line_id or ticket.project_id.sale_line_id
            ticket.psa_order_id = sale_line.order_id
