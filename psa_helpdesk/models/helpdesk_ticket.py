# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .psa_sla_status import STATE_RANK

SLA_SCOPE_FIELDS = {"team_id", "priority", "category_id", "partner_id", "company_id"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    psa_sla_policy_id = fields.Many2one(
        "psa.sla.policy",
        string="SLA Policy",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    psa_sla_status_ids = fields.One2many(
        "psa.sla.status", "ticket_id", string="SLA Clocks", readonly=True
    )
    psa_sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_psa_sla",
        store=True,
        help="Nearest deadline of the open SLA clocks.",
    )
    psa_sla_state = fields.Selection(
        selection=[
            ("running", "Running"),
            ("paused", "Paused"),
            ("at_risk", "At Risk"),
            ("breached", "Breached"),
            ("met", "Met"),
        ],
        string="SLA Status",
        compute="_compute_psa_sla",
        store=True,
        index="btree_not_null",
        help="Worst state of the ticket's SLA clocks.",
    )

    @api.depends(
        "psa_sla_status_ids.deadline",
        "psa_sla_status_ids.state",
        "psa_sla_status_ids.reached_at",
    )
    def _compute_psa_sla(self):
        for ticket in self:
            clocks = ticket.psa_sla_status_ids
            open_deadlines = [
                c.deadline for c in clocks if not c.reached_at and c.deadline
            ]
            ticket.psa_sla_deadline = min(open_deadlines) if open_deadlines else False
            ticket.psa_sla_state = (
                max(clocks.mapped("state"), key=STATE_RANK.get) if clocks else False
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._psa_sla_apply()
        return tickets

    def write(self, vals):
        # a team change may move the ticket to another stage (helpdesk_mgmt)
        track_stage = "stage_id" in vals or "team_id" in vals
        old_stages = {ticket: ticket.stage_id for ticket in self} if track_stage else {}
        res = super().write(vals)
        # escalations change team or priority without re-planning
        if SLA_SCOPE_FIELDS & set(vals) and not self.env.context.get(
            "psa_sla_no_replan"
        ):
            self._psa_sla_apply()
        if track_stage:
            self._psa_sla_stage_changed(old_stages)
        return res

    # ------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------

    def _psa_sla_apply(self, now=None):
        """Apply the first matching SLA policy; re-plan the open clocks when the
        policy changes (the start and the paused time are kept, so the time
        already elapsed still counts)."""
        now = now or fields.Datetime.now()
        # SLA clocks are system-managed: users who may edit the ticket may not
        # edit its clocks.
        tickets = self.sudo()
        status_model = self.env["psa.sla.status"].sudo()
        matches = self.env["psa.sla.policy"]._psa_find_policies(tickets)
        to_create = []
        to_plan = status_model
        to_unlink = status_model
        for ticket in tickets:
            policy = matches[ticket].sudo()
            if policy == ticket.psa_sla_policy_id and ticket.psa_sla_status_ids:
                continue
            if ticket.psa_sla_policy_id != policy:
                ticket.psa_sla_policy_id = policy
            clocks = {clock.target: clock for clock in ticket.psa_sla_status_ids}
            for target, hours in [
                ("response", policy.response_hours),
                ("resolution", policy.resolution_hours),
            ]:
                clock = clocks.get(target)
                if not hours:
                    if clock and not clock.reached_at:
                        to_unlink |= clock
                    continue
                if clock:
                    if not clock.reached_at:
                        clock.write(
                            {
                                "policy_id": policy.id,
                                "hours": hours,
                                "calendar_id": policy.calendar_id.id,
                            }
                        )
                        to_plan |= clock
                    continue
                to_create.append(
                    {
                        "ticket_id": ticket.id,
                        "policy_id": policy.id,
                        "target": target,
                        "hours": hours,
                        "calendar_id": policy.calendar_id.id,
                        # the creation moment (explicit for imported tickets),
                        # never in the future of the planning moment
                        "start": min(ticket.create_date or now, now),
                        "state": "running",
                    }
                )
        to_unlink.unlink()
        created = status_model.create(to_create)
        (to_plan | created)._psa_plan(now)
        created.filtered(lambda c: c.ticket_id.stage_id.psa_pauses_sla)._psa_pause(now)

    def _psa_sla_stage_changed(self, old_stages, now=None):
        now = now or fields.Datetime.now()
        clocks = self.env["psa.sla.status"].sudo()
        to_pause = to_resume = to_reach = to_reopen = clocks
        for ticket in self.sudo():
            old, new = old_stages[ticket], ticket.stage_id
            if old == new:
                continue
            open_clocks = ticket.psa_sla_status_ids.filtered(lambda c: not c.reached_at)
            if new.closed and not old.closed:
                to_reach |= open_clocks
                continue
            if old.closed and not new.closed:
                to_reopen |= ticket.psa_sla_status_ids.filtered(
                    lambda c: c.target == "resolution" and c.reached_at
                )
            if new.psa_pauses_sla and not old.psa_pauses_sla:
                to_pause |= open_clocks
            elif old.psa_pauses_sla and not new.psa_pauses_sla:
                to_resume |= open_clocks
        to_reach._psa_reach(now)
        to_reopen._psa_reopen(now)
        to_resume._psa_resume(now)
        (
            to_pause | to_reopen.filtered(lambda c: c.ticket_id.stage_id.psa_pauses_sla)
        )._psa_pause(now)

    def _message_post_after_hook(self, message, msg_vals):
        """A public reply by an internal user meets the first response; a
        reply by the customer resumes the paused clocks."""
        res = super()._message_post_after_hook(message, msg_vals)
        message = message.sudo()
        if (
            len(self) != 1
            or message.message_type not in ("email", "comment")
            or message.is_internal
            or message.subtype_id.internal
            or not message.author_id
        ):
            return res
        ticket = self.sudo()
        author = message.author_id
        clocks = ticket.psa_sla_status_ids.filtered(lambda c: not c.reached_at)
        if not clocks:
            return res
        if author.user_ids.filtered(lambda u: not u.share):
            clocks.filtered(lambda c: c.target == "response")._psa_reach()
        elif ticket.partner_id and (
            author == ticket.partner_id
            or author.commercial_partner_id == ticket.partner_id.commercial_partner_id
        ):
            clocks._psa_resume()
        return res
