# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import Command, models
from odoo.fields import Domain


class PsaBillingRun(models.Model):
    _inherit = "psa.billing.run"

    def _psa_compute_preview(self):
        res = super()._psa_compute_preview()
        self.env["psa.billing.run.line"].create(self._psa_sla_credit_line_values())
        return res

    def _psa_sla_credit_line_values(self):
        """One negative line per SLA breach of an engagement invoiced by the run,
        not credited yet, with a deadline up to the cut-off date: the credit
        of its policy, in the order of the deadlines, as long as the invoice of
        the engagement stays positive (the other credits wait for the next
        invoice). A fixed number of queries."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: not line.is_held and line.line_kind != "sla_credit"
        )
        if not lines:
            return []
        cutoff_end = datetime.combine(self.cutoff_date + timedelta(days=1), time.min)
        statuses = (
            self.env["psa.sla.status"]
            .sudo()
            .search(
                Domain("state", "=", "breached")
                & Domain("policy_id.credit_type", "!=", False)
                & Domain("policy_id.credit_value", ">", 0)
                & Domain("ticket_id.psa_order_id", "in", lines.order_id.ids)
                & Domain("deadline", "<", cutoff_end),
                order="deadline, id",
            )
        )
        statuses -= statuses._psa_credited_lines().sla_status_id
        vals_list = []
        for order in statuses.ticket_id.psa_order_id:
            order_lines = lines.filtered(lambda line, o=order: line.order_id == o)
            total = sum(order_lines.mapped("billed_amount"))
            fees = sum(
                order_lines.filtered(lambda line: line.line_kind == "recurring").mapped(
                    "billed_amount"
                )
            )
            remaining = total
            for status in statuses.filtered(
                lambda s, o=order: s.ticket_id.psa_order_id == o
            ):
                credit = status._psa_credit_amount(
                    fees or total, order, self.invoice_date
                )
                if order.currency_id.is_zero(credit) or (
                    order.currency_id.compare_amounts(credit, remaining) > 0
                ):
                    continue
                remaining -= credit
                vals_list.append(
                    {
                        "run_id": self.id,
                        "order_id": order.id,
                        "line_kind": "sla_credit",
                        "sla_status_id": status.id,
                        "hours": 0.0,
                        "rate": 0.0,
                        "amount": -credit,
                        "date_from": status.deadline.date(),
                        "date_to": status.deadline.date(),
                        "sequence": 1000,
                    }
                )
        return vals_list

    def _psa_prepare_engagement_invoice(self, order, lines):
        """The engagement's invoice, with its SLA credits as negative lines
        after the others. The breaches credited are locked like the timesheets
        (two runs cannot credit the same breach) and checked again."""
        credits = lines.filtered(lambda line: line.line_kind == "sla_credit")
        if not credits:
            return super()._psa_prepare_engagement_invoice(order, lines)
        self._psa_lock_records(credits.sla_status_id.sudo())
        credits._psa_check_credits_still_due()
        invoice_vals = super()._psa_prepare_engagement_invoice(order, lines - credits)
        sequence = max(
            (
                command[2].get("sequence", 0)
                for command in invoice_vals["invoice_line_ids"]
            ),
            default=0,
        )
        invoice_vals["invoice_line_ids"] += [
            Command.create(vals)
            for offset, credit in enumerate(credits, start=1)
            for vals in credit._psa_prepare_invoice_lines(sequence + offset * 10)
        ]
        return invoice_vals
