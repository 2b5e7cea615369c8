from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class PsaRevenueRecognitionWizard(models.TransientModel):
    """Period-end revenue recognition: for each engagement recognized by
    another method than on invoice, the revenue earned up to the period end
    against the revenue invoiced, the difference posted to accrued or deferred
    revenue and reversed on the next day."""

    _name = "psa.revenue.recognition.wizard"
    _description = "Revenue Recognition Period End"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_to = fields.Date(
        string="Period End",
        required=True,
        default=lambda self: self._default_date_to(),
        help="Revenue recognized and invoiced up to this day; the entries are dated "
        "this day and reversed on the next one.",
    )
    order_ids = fields.Many2many(
        "sale.order",
        string="Engagements",
        check_company=True,
        domain="[('state', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Empty: every confirmed engagement of the company not recognized on "
        "invoice.",
    )
    grouped = fields.Boolean(
        string="One Grouped Entry",
        help="Post one entry for all the engagements instead of one per engagement.",
    )
    journal_id = fields.Many2one(related="company_id.psa_revenue_journal_id")

    @api.model
    def _default_date_to(self):
        """The last day of the previous month."""
        return fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)

    def _psa_orders(self):
        self.ensure_one()
        if self.order_ids:
            return self.order_ids
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "sale"),
                    ("psa_revenue_method", "!=", "invoice"),
                ]
            )
        )

    def action_recognize(self):
        self.ensure_one()
        orders = self._psa_orders()
        if not orders:
            raise UserError(
                self.env._(
                    "No confirmed engagement of %(company)s is recognized by another "
                    "method than on invoice.",
                    company=self.company_id.display_name,
                )
            )
        records = (
            self.env["psa.revenue.recognition"]
            .with_company(self.company_id)
            ._psa_recognize(orders, self.date_to, grouped=self.grouped)
        )
        if not records:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": self.env._("Nothing to Recognize"),
                    "message": self.env._(
                        "The revenue of these engagements is already recognized on "
                        "%(date)s.",
                        date=fields.Date.to_string(self.date_to),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_billing.psa_revenue_recognition_action"
        )
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {}
        return action
