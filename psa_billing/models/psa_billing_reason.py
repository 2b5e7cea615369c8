from odoo import fields, models

ADJUSTMENT_DIRECTIONS = [
    ("down", "Write-Down"),
    ("up", "Write-Up"),
    ("both", "Both"),
]


class PsaBillingReason(models.Model):
    _name = "psa.billing.reason"
    _description = "Billing Adjustment Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Short code shown in the realization reports."
    )
    direction = fields.Selection(
        ADJUSTMENT_DIRECTIONS,
        required=True,
        default="both",
        help="Whether the reason justifies write-downs, write-ups or both.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        ondelete="cascade",
        index="btree_not_null",
        help="Empty: the reason is shared by all companies.",
    )
    description = fields.Text(translate=True)

    _code_company_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        "Another adjustment reason already has this code.",
    )
