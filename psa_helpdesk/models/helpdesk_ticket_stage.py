# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    psa_pauses_sla = fields.Boolean(
        string="Pauses SLA (Waiting on Customer)",
        help="Tickets in this stage wait on the customer: their running SLA clocks "
        "are paused, and resume when the ticket leaves the stage or the customer "
        "replies.",
    )
