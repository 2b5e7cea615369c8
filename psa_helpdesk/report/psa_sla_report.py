# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class PsaSlaReport(models.Model):
    _name = "psa.sla.report"
    _description = "SLA Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    status_id = fields.Many2one("psa.sla.status", string="SLA Clock", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    policy_id = fields.Many2one("psa.sla.policy", string="SLA Policy", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    target = fields.Selection(
        selection=[("response", "First Response"), ("resolution", "Resolution")],
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("running", "Running"),
            ("paused", "Paused"),
            ("at_risk", "At Risk"),
            ("breached", "Breached"),
            ("met", "Met"),
        ],
        readonly=True,
    )
    date = fields.Datetime(string="Start", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_at = fields.Datetime(readonly=True)
    is_breached = fields.Boolean(string="Breached", readonly=True)
    compliance = fields.Float(
        string="Compliance (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the decided clocks (met or breached) that met their target.",
    )
    breach_count = fields.Integer(string="Breaches", aggregator="sum", readonly=True)
    paused_hours = fields.Float(aggregator="sum", readonly=True)

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        return SQL(
            """
            SELECT status.id AS id,
                   status.id AS status_id,
                   status.ticket_id AS ticket_id,
                   status.policy_id AS policy_id,
                   ticket.team_id AS team_id,
                   ticket.commercial_partner_id AS partner_id,
                   ticket.user_id AS user_id,
                   status.company_id AS company_id,
                   status.target AS target,
                   status.state AS state,
                   status.start AS date,
                   status.deadline AS deadline,
                   status.reached_at AS reached_at,
                   status.state = 'breached' AS is_breached,
                   CASE WHEN status.state = 'breached' THEN 0.0 ELSE 100.0 END
                       AS compliance,
                   CASE WHEN status.state = 'breached' THEN 1 ELSE 0 END
                       AS breach_count,
                   status.paused_hours AS paused_hours
            """
        )

    def _from(self):
        return SQL(
            """
            FROM psa_sla_status status
            JOIN helpdesk_ticket ticket ON ticket.id = status.ticket_id
            """
        )

    def _where(self):
        # only decided clocks count in the compliance: met or breached
        return SQL("WHERE status.state IN ('met', 'breached')")
