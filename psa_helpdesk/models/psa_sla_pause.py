# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PsaSlaPause(models.Model):
    _name = "psa.sla.pause"
    _description = "SLA Clock Pause"
    _order = "paused_at desc, id desc"

    status_id = fields.Many2one(
        "psa.sla.status", required=True, index=True, ondelete="cascade"
    )
    ticket_id = fields.Many2one(related="status_id.ticket_id", store=True, index=True)
    company_id = fields.Many2one(related="status_id.company_id", store=True)
    reason = fields.Selection(
        selection=[
            ("stage", "Waiting on Customer"),
            ("closed", "Ticket Closed"),
        ],
        required=True,
        default="stage",
    )
    paused_at = fields.Datetime(required=True)
    resumed_at = fields.Datetime()
    hours = fields.Float(
        string="Paused Business Hours",
        digits=(16, 2),
        help="Business hours between the pause and the resumption, added to the "
        "deadline.",
    )
