from odoo import fields, models


class PsaRetainerPeriod(models.Model):
    """The balance of one period of a retainer component."""

    _name = "psa.retainer.period"
    _description = "Retainer Period"
    _check_company_auto = True

    plan_line_id = fields.Many2one(
        "psa.billing.plan.line",
        string="Retainer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="plan_line_id.company_id", store=True, index=True
    )
