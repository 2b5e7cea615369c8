from odoo import fields, models


class PsaRealizationReportWizard(models.TransientModel):
    _name = "psa.realization.report.wizard"
    _description = "Realization Analysis in a Currency"

    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self._default_currency_id(),
        domain=[("active", "=", True)],
        help="Every amount of the report is converted into this currency with "
        "Odoo's rates: worked amounts at the day worked, billed and collected "
        "amounts at the invoice date.",
    )

    def _default_currency_id(self):
        return self.env.company.currency_id

    def action_open_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_billing.psa_realization_report_action"
        )
        action["name"] = self.env._(
            "Realization in %(currency)s", currency=self.currency_id.name
        )
        action["context"] = {
            "search_default_billed": 1,
            "psa_report_currency_id": self.currency_id.id,
        }
        return action
