from odoo import fields, models


class PsaWipReportWizard(models.TransientModel):
    _name = "psa.wip.report.wizard"
    _description = "Work in Progress as of a Date"

    date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="Time worked up to this day and not on an invoice dated up to it, "
        "aged from this day.",
    )

    def action_open_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_billing.psa_wip_report_action"
        )
        action["name"] = self.env._(
            "WIP as of %(date)s", date=fields.Date.to_string(self.date)
        )
        action["context"] = {"psa_wip_date": fields.Date.to_string(self.date)}
        return action
