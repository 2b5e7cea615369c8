from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    psa_rate_card_id = fields.Many2one(
        "psa.rate.card",
        string="Rate Card",
        ondelete="restrict",
        index="btree_not_null",
        help="Rates of this client's time when its engagement has no rate card of "
        "its own (a card of another company than the time's is ignored). Set on "
        "the company: its contacts share it.",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["psa_rate_card_id"]
