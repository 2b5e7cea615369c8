from odoo import fields, models


class PsaRevenueRecognition(models.Model):
    """Revenue recognized on an engagement for one period."""

    _name = "psa.revenue.recognition"
    _description = "Revenue Recognition"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
