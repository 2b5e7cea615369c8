from odoo import fields, models


class PsaBillingPlan(models.Model):
    """The billing plan of an engagement: its schedule and its components."""

    _name = "psa.billing.plan"
    _description = "Billing Plan"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
