# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class PsaBillingRunLine(models.Model):
    _inherit = "psa.billing.run.line"

    line_kind = fields.Selection(
        selection_add=[("sla_credit", "SLA Service Credit")],
        ondelete={"sla_credit": "cascade"},
    )
    sla_status_id = fields.Many2one(
        "psa.sla.status",
        string="SLA Breach",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The breached SLA clock this line credits.",
    )

    def _psa_label(self):
        if self.line_kind != "sla_credit":
            return super()._psa_label()
        status = self.sla_status_id
        target = dict(status._fields["target"]._description_selection(self.env))
        return self.env._(
            "SLA service credit: %(ticket)s, %(target)s target breached "
            "(deadline %(deadline)s, policy %(policy)s)",
            ticket=status.ticket_id.display_name,
            target=target.get(status.target, ""),
            deadline=self.date_to or "",
            policy=status.policy_id.name,
        )

    def _psa_prepare_invoice_lines(self, sequence):
        if self.line_kind != "sla_credit":
            return super()._psa_prepare_invoice_lines(sequence)
        self.ensure_one()
        product = (
            self.sla_status_id.policy_id.credit_product_id
            or self.order_id.order_line.filtered(lambda line: not line.display_type)[
                :1
            ].product_id
        )
        return [
            {
                "display_type": "product",
                "sequence": sequence,
                "product_id": product.id,
                "name": self._psa_label(),
                "quantity": 1.0,
                "price_unit": self.billed_amount,
                "discount": 0.0,
                "psa_billing_run_line_id": self.id,
            }
        ]

    def _psa_check_credits_still_due(self):
        """Each breach is still breached and credited by no other invoice; the
        engagement's invoice stays positive with its credits."""
        if not self:
            return
        statuses = self.sla_status_id.sudo()
        credited = statuses._psa_credited_lines() - self
        if credited or any(status.state != "breached" for status in statuses):
            raise UserError(
                self.env._(
                    "The SLA credits of %(order)s changed since the preview: "
                    "preview again.",
                    order=self.order_id[:1].name,
                )
            )
        for order in self.order_id:
            lines = self.run_id.line_ids.filtered(
                lambda line, o=order: line.order_id == o and not line.is_held
            )
            if (
                order.currency_id.compare_amounts(
                    sum(lines.mapped("billed_amount")), 0.0
                )
                < 0
            ):
                raise UserError(
                    self.env._(
                        "The SLA credits of %(order)s exceed what it bills in this "
                        "run: write them down or preview again.",
                        order=order.name,
                    )
                )
