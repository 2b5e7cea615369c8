# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    psa_sla_compliance_12m = fields.Float(
        string="SLA Compliance (12 Months, %)",
        compute="_compute_psa_client_sla",
        digits=(16, 1),
        help="Share of the client's SLA clocks decided in the last 12 months (met "
        "or breached) that met their target.",
    )
    psa_sla_breach_12m_count = fields.Integer(
        string="SLA Breaches (12 Months)", compute="_compute_psa_client_sla"
    )
    psa_sla_decided_12m_count = fields.Integer(
        string="SLA Clocks Decided (12 Months)", compute="_compute_psa_client_sla"
    )
    psa_sla_open_breach_count = fields.Integer(
        string="Open Tickets in Breach",
        compute="_compute_psa_client_sla",
        help="Open tickets of the client with a clock past its deadline.",
    )

    def _psa_sla_since(self):
        day = fields.Date.context_today(self) - timedelta(days=365)
        return datetime.combine(day, time.min)

    def _compute_psa_client_sla(self):
        """Two grouped queries whatever the number of partners."""
        clients = self._psa_clients()
        companies = Domain("company_id", "in", self.env.companies.ids)
        decided = {}
        for partner, breached, count in (
            self.env["psa.sla.report"]
            .sudo()
            ._read_group(
                Domain("partner_id", "in", clients.ids)
                & Domain("date", ">=", self._psa_sla_since())
                & companies,
                ["partner_id", "is_breached"],
                ["__count"],
            )
        ):
            totals = decided.setdefault(partner.id, [0, 0])
            totals[0] += count
            if breached:
                totals[1] += count
        open_breaches = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                Domain("commercial_partner_id", "in", clients.ids)
                & Domain("closed", "=", False)
                & Domain("psa_sla_state", "=", "breached")
                & companies,
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            client = partner._psa_client()
            count, breaches = decided.get(client.id, (0, 0))
            partner.psa_sla_decided_12m_count = count
            partner.psa_sla_breach_12m_count = breaches
            partner.psa_sla_compliance_12m = (
                100.0 * (count - breaches) / count if count else 0.0
            )
            partner.psa_sla_open_breach_count = open_breaches.get(client, 0)

    def action_psa_open_client_sla(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_helpdesk.psa_sla_report_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("date", ">=", fields.Datetime.to_string(self._psa_sla_since())),
        ]
        action["context"] = {}
        return action
