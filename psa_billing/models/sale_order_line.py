from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _psa_milestone_amount_to_invoice(self):
        """Untaxed amount Odoo would invoice now on this order line (its quantity
        to invoice at its price and discount), in the order's currency."""
        self.ensure_one()
        values = self._prepare_invoice_line()
        return self.currency_id.round(
            values["quantity"]
            * values["price_unit"]
            * (1.0 - (values.get("discount") or 0.0) / 100.0)
        )
