# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PsaSlaPolicy(models.Model):
    _inherit = "psa.sla.policy"

    credit_product_id = fields.Many2one(
        "product.product",
        ondelete="restrict",
        domain="[('type', '=', 'service')]",
        help="Product of the service credit invoice lines (income account and "
        "taxes). Empty: the product of the engagement's first order line.",
    )
