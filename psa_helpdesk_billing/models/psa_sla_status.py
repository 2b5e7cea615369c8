# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.fields import Domain


class PsaSlaStatus(models.Model):
    _inherit = "psa.sla.status"

    psa_credit_line_ids = fields.One2many(
        "psa.billing.run.line",
        "sla_status_id",
        string="Service Credit Lines",
        readonly=True,
        groups="psa_base.group_psa_billing",
    )
    psa_credit_invoice_id = fields.Many2one(
        "account.move",
        string="Credited On",
        compute="_compute_psa_credit_invoice_id",
        groups="psa_base.group_psa_billing",
        help="The invoice that carries the service credit of this breach (a "
        "cancelled invoice frees the credit for the next invoice).",
    )

    def _compute_psa_credit_invoice_id(self):
        credited = self._psa_credited_lines()
        invoice_by_status = {line.sla_status_id: line.invoice_id for line in credited}
        for status in self:
            status.psa_credit_invoice_id = invoice_by_status.get(
                status, self.env["account.move"]
            )

    def _psa_credited_lines(self):
        """The billing run lines that credited these breaches on an invoice that
        is not cancelled: one query."""
        return (
            self.env["psa.billing.run.line"]
            .sudo()
            .search(
                Domain("sla_status_id", "in", self.ids)
                & Domain("invoice_line_id", "!=", False)
                & Domain("invoice_id.state", "!=", "cancel")
            )
        )

    def _psa_credit_amount(self, base, order, day):
        """Service credit of this breach on ``order``, in its currency:
        ``credit_value`` % of ``base`` (the period's fees, in the order's
        currency), or the fixed ``credit_value`` in the company's currency
        converted at ``day``."""
        self.ensure_one()
        policy = self.policy_id
        currency = order.currency_id
        if policy.credit_type == "percent":
            return currency.round(base * policy.credit_value / 100.0)
        company = order.company_id
        return company.currency_id._convert(policy.credit_value, currency, company, day)
