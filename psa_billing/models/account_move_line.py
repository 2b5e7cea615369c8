from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    psa_billing_run_line_id = fields.Many2one(
        "psa.billing.run.line",
        string="Billing Run Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    def unlink(self):
        # deleting a draft invoice (or its lines) frees the time it billed
        self.env["account.analytic.line"].sudo().search(
            [("psa_invoice_line_id", "in", self.ids)]
        )._psa_unbill()
        return super().unlink()
