# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PRIORITY_FIELDS = {
    "0": "is_priority_low",
    "1": "is_priority_medium",
    "2": "is_priority_high",
    "3": "is_priority_very_high",
}


PLANNING_FIELDS = {
    "response_hours",
    "resolution_hours",
    "calendar_id",
    "warning_percent",
}


class PsaSlaPolicy(models.Model):
    _name = "psa.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(
        default=10, help="The first matching policy, by sequence, applies to a ticket."
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    description = fields.Text()
    # --- scope: an empty criterion matches every ticket
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Teams",
        check_company=True,
        help="Leave empty to apply to every team.",
    )
    is_priority_low = fields.Boolean(string="Low", default=True)
    is_priority_medium = fields.Boolean(string="Medium", default=True)
    is_priority_high = fields.Boolean(string="High", default=True)
    is_priority_very_high = fields.Boolean(string="Very High", default=True)
    priority = fields.Char(
        string="Priorities",
        compute="_compute_priority",
        store=True,
        help="Ticket priorities the policy applies to (helpdesk priority codes, "
        "comma separated).",
    )
    category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        string="Categories",
        check_company=True,
        help="Leave empty to apply to every category.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Companies (and their contacts) the policy applies to. Leave empty, "
        "together with the customer tags, to apply to every customer.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Customers carrying one of these tags (on the company) are covered.",
    )
    # --- targets
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        ondelete="restrict",
        check_company=True,
        help="Business hours, public holidays and time zone the targets are counted "
        "in. Leave empty to count around the clock (24/7).",
    )
    response_hours = fields.Float(
        help="Working hours until the first public reply to the customer. "
        "0 = no response target."
    )
    resolution_hours = fields.Float(
        help="Working hours until the ticket reaches a closed stage. "
        "0 = no resolution target."
    )
    warning_percent = fields.Float(
        string="Warning Threshold (%)",
        default=80.0,
        help="A clock turns 'at risk' when this share of its target has elapsed.",
    )
    # --- escalation
    escalation_notify = fields.Boolean(
        string="Notify",
        default=True,
        help="At risk and at breach, notify the assigned user, the team leader and "
        "the escalation user in their inbox.",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        ondelete="set null",
        domain=[("share", "=", False)],
        help="At breach, reassign the ticket to this user.",
    )
    escalation_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        ondelete="set null",
        check_company=True,
        help="At breach, move the ticket to this team.",
    )
    escalation_raise_priority = fields.Boolean(
        string="Raise Priority", help="At breach, raise the ticket priority one level."
    )
    escalation_activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        ondelete="set null",
        help="At breach, schedule this activity for the assigned user (or the team "
        "leader).",
    )
    # --- service credit (used by the billing bridge)
    credit_type = fields.Selection(
        selection=[
            ("percent", "Percentage of the Period Fee"),
            ("fixed", "Fixed Amount"),
        ],
        help="Service credit granted to the customer for each breach of this policy.",
    )
    credit_value = fields.Float(
        help="Percentage of the period's recurring fee, or amount in the company "
        "currency, credited per breach."
    )
    status_count = fields.Integer(compute="_compute_status_count")

    _response_hours_positive = models.Constraint(
        "CHECK(response_hours >= 0 AND resolution_hours >= 0)",
        "SLA targets cannot be negative.",
    )
    _warning_percent_range = models.Constraint(
        "CHECK(warning_percent > 0 AND warning_percent <= 100)",
        "The warning threshold is a percentage between 0 and 100.",
    )

    @api.depends(*PRIORITY_FIELDS.values())
    def _compute_priority(self):
        for policy in self:
            policy.priority = ",".join(
                code for code, fname in PRIORITY_FIELDS.items() if policy[fname]
            )

    def _compute_status_count(self):
        counts = dict(
            self.env["psa.sla.status"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.status_count = counts.get(policy, 0)

    @api.constrains(*PRIORITY_FIELDS.values(), "response_hours", "resolution_hours")
    def _check_scope(self):
        for policy in self:
            if not policy.priority:
                raise ValidationError(
                    self.env._(
                        "The SLA policy %(name)s must apply to at least one priority.",
                        name=policy.name,
                    )
                )
            if not policy.response_hours and not policy.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "The SLA policy %(name)s needs a response or a resolution "
                        "target.",
                        name=policy.name,
                    )
                )
            if policy.credit_type == "percent" and policy.credit_value > 100:
                raise ValidationError(
                    self.env._(
                        "A service credit cannot exceed 100%% of the fee (policy "
                        "%(name)s).",
                        name=policy.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["psa.sla.status"]
            .sudo()
            ._read_group([("policy_id", "in", self.ids)], ["policy_id"])
        )
        if used:
            raise UserError(
                self.env._(
                    "The SLA policy %(names)s has measured tickets: archive it instead "
                    "of deleting it, to keep the SLA history.",
                    names=", ".join(policy.sudo().name for (policy,) in used),
                )
            )

    def write(self, vals):
        res = super().write(vals)
        if PLANNING_FIELDS & set(vals):
            self._psa_replan_open_clocks()
        return res

    def action_view_statuses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_helpdesk.psa_sla_status_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # MATCHING
    # ------------------------------------------------------------

    def _psa_matches(self, ticket):
        """Whether this policy applies to ``ticket`` (already-read values)."""
        self.ensure_one()
        if self.company_id != ticket.company_id:
            return False
        if self.team_ids and ticket.team_id not in self.team_ids:
            return False
        if ticket.priority not in (self.priority or "").split(","):
            return False
        if self.category_ids and ticket.category_id not in self.category_ids:
            return False
        if self.partner_ids or self.partner_category_ids:
            customer = ticket.partner_id.commercial_partner_id
            if not customer:
                return False
            in_partners = customer in self.partner_ids or ticket.partner_id in (
                self.partner_ids
            )
            in_tags = bool(
                (customer.category_id | ticket.partner_id.category_id)
                & self.partner_category_ids
            )
            if not (in_partners or in_tags):
                return False
        return True

    def _psa_replan_open_clocks(self):
        """New targets or working hours apply to the open clocks too (start and
        paused time kept); a target set to 0 stops its open clocks."""
        clocks = (
            self.env["psa.sla.status"]
            .sudo()
            .search([("policy_id", "in", self.ids), ("reached_at", "=", False)])
        )
        to_plan = clocks.browse()
        for clock in clocks:
            policy = clock.policy_id
            hours = policy[f"{clock.target}_hours"]
            if not hours:
                continue
            clock.write({"hours": hours, "calendar_id": policy.calendar_id.id})
            to_plan |= clock
        (clocks - to_plan).unlink()
        to_plan._psa_plan()

    @api.model
    def _psa_find_policies(self, tickets):
        """Return {ticket: policy or empty recordset} with one search for all
        tickets (policies readable to everyone: matching runs as superuser for
        tickets created by customers)."""
        policies = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [("company_id", "in", tickets.company_id.ids)], order="sequence, id"
            )
        )
        empty = self.browse()
        return {
            ticket: next(
                (policy for policy in policies if policy._psa_matches(ticket)), empty
            ).with_env(self.env)
            for ticket in tickets
        }
