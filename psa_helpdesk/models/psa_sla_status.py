# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

STATE_RANK = {"met": 1, "paused": 2, "running": 3, "at_risk": 4, "breached": 5}
PRIORITIES = ["0", "1", "2", "3"]


class PsaSlaStatus(models.Model):
    _name = "psa.sla.status"
    _description = "SLA Clock"
    _order = "deadline, id"
    _rec_name = "target"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    policy_id = fields.Many2one(
        "psa.sla.policy",
        string="SLA Policy",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="ticket_id.team_id")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    user_id = fields.Many2one(related="ticket_id.user_id")
    target = fields.Selection(
        selection=[("response", "First Response"), ("resolution", "Resolution")],
        required=True,
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        ondelete="restrict",
        help="Empty: counted around the clock (24/7).",
    )
    hours = fields.Float(string="Target Hours", digits=(16, 2))
    start = fields.Datetime(required=True)
    deadline = fields.Datetime(index=True)
    warning_at = fields.Datetime(string="At Risk From", index=True)
    paused_hours = fields.Float(digits=(16, 2), help="Business hours spent paused.")
    paused_since = fields.Datetime(copy=False)
    reached_at = fields.Datetime(copy=False)
    state = fields.Selection(
        selection=[
            ("running", "Running"),
            ("paused", "Paused"),
            ("at_risk", "At Risk"),
            ("breached", "Breached"),
            ("met", "Met"),
        ],
        required=True,
        default="running",
        index=True,
        copy=False,
    )
    escalated_warning = fields.Boolean(
        copy=False, help="Set once the at-risk escalation has run."
    )
    escalated_breach = fields.Boolean(
        copy=False, help="Set once the breach escalation has run."
    )
    pause_ids = fields.One2many("psa.sla.pause", "status_id", string="Pauses")

    _ticket_target_uniq = models.Constraint(
        "UNIQUE(ticket_id, target)", "A ticket has one SLA clock per target."
    )

    @api.depends("ticket_id.display_name", "target")
    def _compute_display_name(self):
        labels = dict(self._fields["target"]._description_selection(self.env))
        for clock in self:
            clock.display_name = (
                f"{clock.ticket_id.display_name} - {labels.get(clock.target, '')}"
            )

    # ------------------------------------------------------------
    # PLANNING (batch helpers, no access check: the SLA clocks are
    # system-managed, callers run them as superuser)
    # ------------------------------------------------------------

    def _psa_plan(self, now=None):
        """Recompute deadline, warning time and state of open clocks: deadline =
        start + target + paused business hours, in the clock's calendar."""
        now = now or fields.Datetime.now()
        clocks = self.filtered(lambda s: not s.reached_at)
        if not clocks:
            return
        calendar_model = self.env["resource.calendar"]
        items = []
        for clock in clocks:
            warning = clock.hours * clock.policy_id.warning_percent / 100
            items.append(
                (clock.calendar_id, clock.start, clock.hours + clock.paused_hours)
            )
            items.append((clock.calendar_id, clock.start, warning + clock.paused_hours))
        moments = calendar_model._psa_add_working_hours_batch(items)
        for index, clock in enumerate(clocks):
            deadline, warning_at = moments[2 * index], moments[2 * index + 1]
            vals = {"deadline": deadline, "warning_at": warning_at}
            if clock.state != "paused":
                vals["state"] = clock._psa_state_at(now, deadline, warning_at)
            clock.write(vals)

    @api.model
    def _psa_state_at(self, now, deadline, warning_at):
        if deadline <= now:
            return "breached"
        if warning_at <= now:
            return "at_risk"
        return "running"

    def _psa_pause(self, now=None):
        """Pause the running clocks of ``self``."""
        now = now or fields.Datetime.now()
        clocks = self.filtered(lambda s: not s.reached_at and s.state != "paused")
        if not clocks:
            return
        clocks.write({"state": "paused", "paused_since": now})
        self.env["psa.sla.pause"].create(
            [{"status_id": clock.id, "paused_at": now} for clock in clocks]
        )

    def _psa_resume(self, now=None):
        """Resume the paused clocks of ``self``: the deadline moves by the paused
        business time."""
        now = now or fields.Datetime.now()
        clocks = self.filtered(lambda s: not s.reached_at and s.state == "paused")
        if not clocks:
            return
        self._psa_close_pauses(clocks, now)
        clocks.write({"state": "running"})
        clocks._psa_plan(now)

    @api.model
    def _psa_close_pauses(self, clocks, now):
        """Close the open pause of each clock, add its business hours."""
        hours = self.env["resource.calendar"]._psa_working_hours_between_batch(
            [(clock.calendar_id, clock.paused_since or now, now) for clock in clocks]
        )
        open_pauses = clocks.pause_ids.filtered(lambda p: not p.resumed_at)
        pause_by_clock = {pause.status_id: pause for pause in open_pauses}
        for clock, paused in zip(clocks, hours, strict=True):
            clock.write(
                {"paused_hours": clock.paused_hours + paused, "paused_since": False}
            )
            pause = pause_by_clock.get(clock)
            if pause:
                pause.write({"resumed_at": now, "hours": paused})

    def _psa_reach(self, now=None):
        """The target of the open clocks of ``self`` is reached at ``now``."""
        now = now or fields.Datetime.now()
        clocks = self.filtered(lambda s: not s.reached_at)
        paused = clocks.filtered(lambda s: s.state == "paused")
        if paused:
            self._psa_close_pauses(paused, now)
            paused._psa_plan(now)
        for clock in clocks:
            clock.write(
                {
                    "reached_at": now,
                    "state": "met" if now <= clock.deadline else "breached",
                }
            )

    def _psa_reopen(self, now=None):
        """Reopened ticket: the closed clocks run again with the business time
        already used; the closed period is logged as a pause."""
        now = now or fields.Datetime.now()
        clocks = self.filtered("reached_at")
        if not clocks:
            return
        self.env["psa.sla.pause"].create(
            [
                {
                    "status_id": clock.id,
                    "paused_at": clock.reached_at,
                    "reason": "closed",
                }
                for clock in clocks
            ]
        )
        for clock in clocks:
            clock.write({"paused_since": clock.reached_at, "reached_at": False})
        self._psa_close_pauses(clocks, now)
        clocks.write({"state": "running"})
        clocks._psa_plan(now)

    # ------------------------------------------------------------
    # CRON: AT RISK, BREACH, ESCALATION
    # ------------------------------------------------------------

    @api.model
    def _psa_due_domain(self, now):
        return (
            Domain("reached_at", "=", False)
            & Domain("state", "!=", "paused")
            & (
                (Domain("warning_at", "<=", now) & Domain("state", "=", "running"))
                | (Domain("deadline", "<=", now) & Domain("state", "!=", "breached"))
                | (
                    Domain("warning_at", "<=", now)
                    & Domain("escalated_warning", "=", False)
                )
                | (
                    Domain("deadline", "<=", now)
                    & Domain("escalated_breach", "=", False)
                )
            )
        )

    @api.model
    def _cron_psa_sla_check(self, batch_size=500):
        """Move the clocks due at now to at risk / breached and escalate, by
        batches: a fixed number of queries per batch, whatever its size."""
        now = fields.Datetime.now()
        domain = self._psa_due_domain(now)
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            clocks = self.search(domain, limit=batch_size, order="deadline, id")
            if not clocks:
                break
            clocks._psa_check_batch(now)
            if not in_cron:
                # called directly (tests, shell): the batch is done in memory
                self.env.flush_all()
                if len(clocks) < batch_size:
                    break
                continue
            remaining = self.search_count(domain)
            if (
                self.env["ir.cron"]._commit_progress(len(clocks), remaining=remaining)
                <= 0
            ):
                break

    def _psa_check_batch(self, now):
        """Update the states of ``self`` and run their escalations once."""
        to_breach = self.filtered(lambda s: s.deadline <= now)
        to_warn = (self - to_breach).filtered(lambda s: s.warning_at <= now)
        breach_state = to_breach.filtered(lambda s: s.state != "breached")
        if breach_state:
            breach_state.write({"state": "breached"})
        warn_state = to_warn.filtered(lambda s: s.state == "running")
        if warn_state:
            warn_state.write({"state": "at_risk"})
        breach_escalate = to_breach.filtered(lambda s: not s.escalated_breach)
        warn_escalate = to_warn.filtered(lambda s: not s.escalated_warning)
        if breach_escalate:
            breach_escalate.write({"escalated_breach": True, "escalated_warning": True})
        if warn_escalate:
            warn_escalate.write({"escalated_warning": True})
        self._psa_escalate(warn_escalate, breach_escalate)

    @api.model
    def _psa_escalate(self, warned, breached):
        """Run the escalation actions of the policies: a note on each ticket and
        inbox notifications (notify), reassignment, priority, activity; in
        grouped writes."""
        if not warned and not breached:
            return
        tickets_model = self.env["helpdesk.ticket"].with_context(
            tracking_disable=True, psa_sla_no_replan=True, mail_notrack=True
        )
        bodies = {}
        recipients = defaultdict(set)
        for clock, level in [(c, "warning") for c in warned] + [
            (c, "breach") for c in breached
        ]:
            ticket = clock.ticket_id
            policy = clock.policy_id
            deadline = fields.Datetime.to_string(clock.deadline)
            if level == "warning":
                line = self.env._(
                    "SLA %(target)s at risk (policy %(policy)s): deadline "
                    "%(deadline)s UTC.",
                    target=clock._psa_target_label(),
                    policy=policy.name,
                    deadline=deadline,
                )
            else:
                line = self.env._(
                    "SLA %(target)s breached (policy %(policy)s): deadline was "
                    "%(deadline)s UTC.",
                    target=clock._psa_target_label(),
                    policy=policy.name,
                    deadline=deadline,
                )
            bodies[ticket.id] = (
                bodies.get(ticket.id, Markup()) + Markup("<p>%s</p>") % line
            )
            if policy.escalation_notify:
                users = (
                    ticket.user_id | ticket.team_id.user_id | policy.escalation_user_id
                )
                recipients[ticket.id] |= set(users.partner_id.ids)
        tickets = tickets_model.browse(list(bodies))
        messages = tickets._message_log_batch(bodies)
        notifications = [
            {
                "mail_message_id": message.id,
                "res_partner_id": partner_id,
                "notification_type": "inbox",
            }
            for message in messages
            for partner_id in recipients.get(message.res_id, ())
        ]
        if notifications:
            self.env["mail.notification"].sudo().create(notifications)
        # breach actions, grouped by identical values
        writes = defaultdict(list)
        activities = []
        for clock in breached:
            ticket = clock.ticket_id
            policy = clock.policy_id
            vals = {}
            if (
                policy.escalation_team_id
                and policy.escalation_team_id != ticket.team_id
            ):
                vals["team_id"] = policy.escalation_team_id.id
            if policy.escalation_user_id:
                vals["user_id"] = policy.escalation_user_id.id
            if policy.escalation_raise_priority and ticket.priority != PRIORITIES[-1]:
                vals["priority"] = PRIORITIES[PRIORITIES.index(ticket.priority) + 1]
            if vals:
                writes[tuple(sorted(vals.items()))].append(ticket.id)
            if policy.escalation_activity_type_id:
                user = (
                    policy.escalation_user_id
                    or ticket.user_id
                    or ticket.team_id.user_id
                )
                activities.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                        "res_id": ticket.id,
                        "activity_type_id": policy.escalation_activity_type_id.id,
                        "summary": self.env._(
                            "SLA breached: %(target)s",
                            target=clock._psa_target_label(),
                        ),
                        "user_id": user.id or self.env.user.id,
                        "date_deadline": fields.Date.context_today(self),
                    }
                )
        for vals, ticket_ids in writes.items():
            tickets = tickets_model.browse(set(ticket_ids))
            # an escalation moves the ticket to another team, not to another
            # stage (helpdesk_mgmt recomputes the stage ticket by ticket)
            with self.env.protecting([tickets._fields["stage_id"]], tickets):
                tickets.write(dict(vals))
        if activities:
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(activities)

    def _psa_target_label(self):
        self.ensure_one()
        return dict(self._fields["target"]._description_selection(self.env))[
            self.target
        ]
