from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import float_compare, float_round

PERIOD_STATES = [("open", "Open"), ("closed", "Closed")]
DIGITS = 2


class PsaRetainerPeriod(models.Model):
    """The balance of one period of a retainer component.

    A period exists from the first of: its retainer fee invoiced, time approved
    in it, the daily cron reaching it. Its balance is the hours (or amount)
    granted plus those rolled over from earlier periods. The engagement's
    approved billable time dated in the period burns it in date order (oldest
    hours first); beyond it, the time is overage. At period end (the cron) the
    unused balance rolls over to the next period, within the retainer's
    ``rollover_max_periods``, or expires."""

    _name = "psa.retainer.period"
    _description = "Retainer Period"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    plan_line_id = fields.Many2one(
        "psa.billing.plan.line",
        string="Retainer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('type', '=', 'retainer')]",
    )
    plan_id = fields.Many2one(
        related="plan_line_id.plan_id", string="Billing Plan", store=True, index=True
    )
    order_id = fields.Many2one(
        related="plan_line_id.order_id", string="Engagement", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="plan_line_id.order_id.partner_id", string="Customer", store=True
    )
    user_id = fields.Many2one(
        related="plan_line_id.order_id.user_id", string="Account Manager", store=True
    )
    company_id = fields.Many2one(
        related="plan_line_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="plan_line_id.currency_id")
    name = fields.Char(compute="_compute_name")
    retainer_unit = fields.Selection(related="plan_line_id.retainer_unit")
    date_start = fields.Date(string="Period Start", required=True, readonly=True)
    date_end = fields.Date(string="Period End", required=True, readonly=True)
    state = fields.Selection(
        PERIOD_STATES, required=True, default="open", readonly=True, index=True
    )
    granted = fields.Float(
        digits=(16, DIGITS),
        readonly=True,
        help="Hours (or amount) the period grants (prorated for a partial period).",
    )
    rolled_in = fields.Float(
        string="Rolled Over In",
        digits=(16, DIGITS),
        readonly=True,
        help="Unused balance of earlier periods carried into this one.",
    )
    consumed = fields.Float(
        digits=(16, DIGITS),
        readonly=True,
        help="Approved time of the period covered by its balance.",
    )
    overage = fields.Float(
        digits=(16, DIGITS),
        readonly=True,
        help="Approved time of the period beyond its balance.",
    )
    rolled_out = fields.Float(
        string="Rolled Over Out",
        digits=(16, DIGITS),
        readonly=True,
        help="Unused balance carried into the next period at period end.",
    )
    expired = fields.Float(
        digits=(16, DIGITS),
        readonly=True,
        help="Unused balance lost at period end (older than the rollover limit, "
        "or no rollover).",
    )
    expired_amount = fields.Monetary(
        compute="_compute_balance",
        store=True,
        currency_field="currency_id",
        help="Value of the expired balance at the retainer's price.",
    )
    balance = fields.Float(
        compute="_compute_balance",
        store=True,
        digits=(16, DIGITS),
        help="Granted plus rolled over in.",
    )
    remaining = fields.Float(
        compute="_compute_balance",
        store=True,
        digits=(16, DIGITS),
        help="Balance not used, rolled over or expired yet.",
    )
    usage_percent = fields.Float(
        string="Used (%)",
        compute="_compute_balance",
        store=True,
        digits=(16, 1),
        aggregator=None,
    )
    held_overage = fields.Float(
        string="Overage Held",
        compute="_compute_held_overage",
        digits=(16, DIGITS),
        help="Overage waiting for a billing administrator's approval.",
    )
    alerted_thresholds = fields.Char(
        string="Alerts Sent",
        readonly=True,
        copy=False,
        help="Thresholds (% of the balance) whose alert was sent.",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Invoiced by",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id", string="Invoice", store=True
    )
    timesheet_ids = fields.One2many(
        "account.analytic.line",
        "psa_retainer_period_id",
        string="Timesheets",
        readonly=True,
        groups="psa_base.group_psa_billing",
    )

    _period_uniq = models.Constraint(
        "UNIQUE(plan_line_id, date_start)",
        "A retainer has one period per start date.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "plan_line_id.name", "plan_line_id.product_id", "date_start", "date_end"
    )
    def _compute_name(self):
        for period in self:
            period.name = self.env._(
                "%(retainer)s: %(start)s to %(end)s",
                retainer=period.plan_line_id._psa_label(),
                start=period.date_start or "",
                end=period.date_end or "",
            )

    @api.depends(
        "granted",
        "rolled_in",
        "consumed",
        "overage",
        "rolled_out",
        "expired",
        "plan_line_id.amount",
        "plan_line_id.retainer_hours",
        "plan_line_id.retainer_amount",
    )
    def _compute_balance(self):
        for period in self:
            period.balance = float_round(
                period.granted + period.rolled_in, precision_digits=DIGITS
            )
            period.remaining = float_round(
                period.balance - period.consumed - period.rolled_out - period.expired,
                precision_digits=DIGITS,
            )
            period.usage_percent = (
                (period.consumed + period.overage) / period.balance * 100.0
                if period.balance
                else 0.0
            )
            period.expired_amount = period.currency_id.round(
                period.expired * period.plan_line_id._psa_price_per_unit()
            )

    def _compute_held_overage(self):
        held = defaultdict(float)
        if self.ids and self.env.user.has_group("psa_base.group_psa_billing"):
            rows = (
                self.env["account.analytic.line"]
                .sudo()
                ._read_group(
                    Domain("psa_retainer_period_id", "in", self.ids)
                    & Domain("psa_retainer_overage", ">", 0)
                    & Domain("psa_overage_approved", "=", False)
                    & Domain("psa_invoice_line_id", "=", False),
                    ["psa_retainer_period_id"],
                    ["psa_retainer_overage:sum"],
                )
            )
            held.update({period.id: total for period, total in rows})
        for period in self:
            hold = period.plan_line_id.overage_policy == "hold"
            period.held_overage = held[period.id] if hold else 0.0

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_psa_approve_overage(self):
        """Approve the held overage of the periods: the next billing run bills
        it."""
        if not self.env.user.has_group("psa_base.group_psa_billing"):
            raise AccessError(
                self.env._("Only billing administrators can approve overage.")
            )
        self.check_access("write")
        self.env["account.analytic.line"].sudo().search(
            [
                ("psa_retainer_period_id", "in", self.ids),
                ("psa_retainer_overage", ">", 0),
                ("psa_overage_approved", "=", False),
            ]
        ).write({"psa_overage_approved": True})
        return True

    def action_view_timesheets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timesheets"),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "domain": [("psa_retainer_period_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_retainer_values(self, timesheets):
        """{timesheet id: what it burns of this period, in its retainer's unit}:
        its hours, or for a retainer of money its value at the rate card in the
        engagement's currency (unpriced time burns nothing)."""
        self.ensure_one()
        if self.retainer_unit != "amount":
            return {timesheet.id: timesheet.unit_amount for timesheet in timesheets}
        values = {}
        order = self.order_id
        resolved = timesheets._psa_resolve_rates()
        for timesheet in timesheets:
            found = resolved[timesheet.id]
            price = 0.0
            if found["rate_line"]:
                price = timesheet._psa_price_in_currency(
                    found["price"],
                    found["currency"],
                    order.currency_id,
                    timesheet.date,
                    order,
                )
            values[timesheet.id] = order.currency_id.round(
                price * timesheet.unit_amount
            )
        return values

    def _psa_reallocate(self):
        """Burn the balance of the periods with their approved billable time,
        in date order. Time already billed keeps what it burnt; in an open period
        the time not billed yet burns again what is left (the balance may have
        grown by a rollover); in a closed period only new time is allocated (its
        balance is gone: it is overage). Then send the alerts due. Batch-safe."""
        periods = self.sudo()
        if not periods:
            return
        Timesheet = self.env["account.analytic.line"].sudo()
        domain = Domain.OR(
            Domain("order_id", "=", period.order_id.id)
            & Domain("date", ">=", period.date_start)
            & Domain("date", "<=", period.date_end)
            for period in periods
        )
        timesheets = Timesheet.search_fetch(
            domain
            & Domain("project_id", "!=", False)
            & Domain("psa_state", "=", "approved")
            & Domain("billable_type", "=", "billable"),
            [
                "order_id",
                "date",
                "unit_amount",
                "psa_retainer_period_id",
                "psa_retainer_covered",
                "psa_retainer_overage",
                "psa_invoice_line_id",
            ],
            order="date, id",
        )
        # the allocated time that left the periods (reset, no longer billable)
        stale = Timesheet.search(
            Domain("psa_retainer_period_id", "in", periods.ids)
            & Domain("id", "not in", timesheets.ids)
            & Domain("psa_invoice_line_id", "=", False)
        )
        updates = {ts.id: (None, 0.0, 0.0) for ts in stale}
        # {engagement: {day: its timesheets}}, in date order
        by_order = defaultdict(lambda: defaultdict(list))
        for timesheet in timesheets:
            by_order[timesheet.order_id.id][timesheet.date].append(timesheet)
        totals = {}
        claimed = set()
        for period in periods:
            mine = Timesheet.browse(
                ts.id
                for day, tss in by_order[period.order_id.id].items()
                if period.date_start <= day <= period.date_end
                for ts in tss
            ).sorted(lambda ts: (ts.date, ts.id))
            # two retainers at once on an engagement: time burns the first one
            mine = mine.filtered(
                lambda ts, p=period: ts.id not in claimed
                and ts.psa_retainer_period_id in (p, p.browse())
            )
            claimed.update(mine.ids)
            billed = mine.filtered("psa_invoice_line_id")
            if period.state == "closed":
                kept = mine.filtered("psa_retainer_period_id")
                todo = mine - kept
            else:
                kept = billed
                todo = mine - billed
            values = period._psa_retainer_values(todo)
            consumed = sum(kept.mapped("psa_retainer_covered"))
            left = float_round(
                period.balance - consumed - period.rolled_out - period.expired,
                precision_digits=DIGITS,
            )
            overage = sum(kept.mapped("psa_retainer_overage"))
            for timesheet in todo:
                value = values[timesheet.id]
                covered = float_round(
                    max(min(value, left), 0.0), precision_digits=DIGITS
                )
                extra = float_round(value - covered, precision_digits=DIGITS)
                left = float_round(left - covered, precision_digits=DIGITS)
                consumed += covered
                overage += extra
                updates[timesheet.id] = (period.id, covered, extra)
            totals[period] = (
                float_round(consumed, precision_digits=DIGITS),
                float_round(overage, precision_digits=DIGITS),
            )
        Timesheet._psa_write_retainer_allocation(updates)
        for period, (consumed, overage) in totals.items():
            if float_compare(
                period.consumed, consumed, precision_digits=DIGITS
            ) or float_compare(period.overage, overage, precision_digits=DIGITS):
                period.write({"consumed": consumed, "overage": overage})
        periods._psa_send_alerts()

    def _psa_crossed_thresholds(self):
        """The alert thresholds (percents) already alerted for the period, and
        those its use (covered and overage) has crossed since."""
        self.ensure_one()
        done = {
            int(value)
            for value in (self.alerted_thresholds or "").split(",")
            if value.strip()
        }
        if not self.balance:
            return done, []
        used = self.consumed + self.overage
        return done, [
            threshold
            for threshold in self.plan_line_id._psa_thresholds()
            if threshold not in done
            and float_compare(
                used, self.balance * threshold / 100.0, precision_digits=DIGITS
            )
            >= 0
        ]

    def _psa_send_alerts(self):
        """For each period, the thresholds its use crossed and not alerted yet:
        one activity and one email to the account manager (for the highest one),
        and the thresholds are recorded on the period."""
        template = self.env.ref(
            "psa_billing.mail_template_psa_retainer_alert", raise_if_not_found=False
        )
        for period in self.sudo():
            done, crossed = period._psa_crossed_thresholds()
            if not crossed:
                continue
            threshold = max(crossed)
            period.alerted_thresholds = ",".join(
                str(value) for value in sorted(done | set(crossed))
            )
            user = period.order_id.user_id
            if not user:
                continue
            period.order_id.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._(
                    "Retainer at %(threshold)s%% of its balance", threshold=threshold
                ),
                note=self.env._(
                    "%(period)s: %(used)s used of %(balance)s.",
                    period=period.name,
                    used=f"{period.consumed + period.overage:.2f}",
                    balance=f"{period.balance:.2f}",
                ),
            )
            if template:
                template.with_context(psa_threshold=threshold).send_mail(
                    period.id, email_layout_xmlid="mail.mail_notification_light"
                )

    @api.model
    def _psa_close_periods(self, day):
        """Close the open periods ended before ``day``: their unused balance
        rolls over into the next period (oldest hours first, those older than
        the retainer's limit expire) or expires. Returns the periods closed."""
        to_close = self.sudo().search(
            [("state", "=", "open"), ("date_end", "<", day)], order="date_start, id"
        )
        if not to_close:
            return to_close
        # the next periods must exist to receive the rollover
        lines = to_close.plan_line_id
        lines._psa_ensure_periods(max(to_close.mapped("date_end")) + timedelta(days=1))
        # the time of the periods to close is allocated first
        to_close._psa_reallocate()
        all_periods = self.sudo().search(
            [("plan_line_id", "in", lines.ids)], order="date_start, id"
        )
        touched = self.sudo()
        for line in lines:
            periods = all_periods.filtered(lambda p, line=line: p.plan_line_id == line)
            touched |= periods._psa_roll(to_close)
        (touched - to_close)._psa_reallocate()
        return to_close

    def _psa_roll(self, to_close):
        """Replay the periods of one retainer (in date order) bucket by bucket
        (the hours each period granted), burning the oldest first, and close
        those of ``to_close``. Returns the periods written."""
        line = self.plan_line_id
        limit = line.rollover_max_periods
        carry = []
        written = self.browse()
        periods = list(self)
        for index, period in enumerate(periods):
            if period.state == "open" and period not in to_close:
                break
            buckets = [*carry, [index, period.granted]]
            use = period.consumed
            for bucket in buckets:
                taken = min(bucket[1], use)
                bucket[1] = float_round(bucket[1] - taken, precision_digits=DIGITS)
                use = float_round(use - taken, precision_digits=DIGITS)
            left = [bucket for bucket in buckets if bucket[1] > 0]
            following = periods[index + 1] if index + 1 < len(periods) else None
            if line.rollover_policy == "rollover" and following:
                carry = [
                    bucket
                    for bucket in left
                    if not limit or index + 1 - bucket[0] <= limit
                ]
            else:
                carry = []
            rolled = float_round(sum(b[1] for b in carry), precision_digits=DIGITS)
            expired = float_round(
                sum(b[1] for b in left) - rolled, precision_digits=DIGITS
            )
            if period in to_close:
                period.write(
                    {"state": "closed", "rolled_out": rolled, "expired": expired}
                )
                written |= period
                if following:
                    following.rolled_in = rolled
                    written |= following
        return written

    @api.model
    def _cron_psa_retainers(self, day=None):
        """Daily: create the periods started, close those ended, burn the time
        approved and send the alerts due."""
        day = day or fields.Date.context_today(self)
        lines = (
            self.env["psa.billing.plan.line"]
            .sudo()
            .search(
                [
                    ("type", "=", "retainer"),
                    ("order_id.state", "=", "sale"),
                    ("date_start", "<=", day),
                ]
            )
        )
        lines._psa_ensure_periods(day)
        self._psa_close_periods(day)
        self.sudo().search(
            [("state", "=", "open"), ("plan_line_id", "in", lines.ids)]
        )._psa_reallocate()
