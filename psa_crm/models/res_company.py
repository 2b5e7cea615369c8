from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psa_crm_confirm_order = fields.Boolean(
        string="Confirm Won Deals",
        help="When an opportunity with an estimate is won, confirm its order "
        "instead of leaving a quotation.",
    )
    psa_crm_product_id = fields.Many2one(
        "product.product",
        string="Estimate Service Product",
        ondelete="set null",
        domain="[('type', '=', 'service')]",
        help="Service product of the order lines created from an estimate (one "
        "line per role). Empty: the module's Professional Services product.",
    )
