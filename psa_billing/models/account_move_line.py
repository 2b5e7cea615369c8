from datetime import timedelta

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
        # and the periods of the fees it billed (a cancelled one freed them)
        self.filtered(lambda line: line.move_id.state != "cancel")._psa_release_fees()
        return super().unlink()

    def _psa_release_fees(self):
        """The periods of recurring fees billed by these invoice lines are due
        again (their invoice is cancelled, deleted or credited), unless a later
        period of the fee was billed since: then the next billing date stays."""
        run_lines = self.sudo().psa_billing_run_line_id.filtered(
            lambda line: line.line_kind == "recurring"
        )
        for plan_line in run_lines.plan_line_id:
            lines = run_lines.filtered(lambda line, p=plan_line: line.plan_line_id == p)
            billed_to = max(lines.mapped("date_to"))
            if plan_line.next_billing_date == billed_to + timedelta(days=1):
                plan_line.next_billing_date = min(lines.mapped("date_from"))
