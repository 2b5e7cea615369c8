from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round, sql

PLAN_LINE_TYPES = [
    ("time_materials", "Time and Materials"),
    ("milestone", "Milestones"),
    ("retainer", "Retainer"),
    ("recurring", "Recurring Fee"),
]
OVERAGE_POLICIES = [
    ("bill", "Bill at the Overage Rate"),
    ("hold", "Hold for Approval"),
]
ROLLOVER_POLICIES = [
    ("expire", "Expire"),
    ("rollover", "Roll Over"),
]
# components billed per period (a fee invoiced by the runs)
FEE_TYPES = ("recurring", "retainer")
FREQUENCIES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
# a run never bills more periods of one fee at once (a forgotten fee of years)
MAX_PERIODS_PER_RUN = 120


class PsaBillingPlanLine(models.Model):
    """A component of an engagement's billing plan (``psa.billing.plan``).

    - Time and materials: approved billable time is billed at rate-card prices.
      Engagements without a retainer bill their time this way even without the
      component; with a retainer, the component bills the time the retainer does
      not cover at rate-card prices (instead of the overage rate).
    - Milestones: the fixed-fee order lines invoiced on milestones (Odoo's own
      quantity to invoice) are billed by the runs; the component documents it.
    - Retainer: a prepaid block of hours (or money) per period, invoiced in
      advance at each period start; the engagement's approved time burns each
      period's balance (``psa.retainer.period``) in date order, the rest is
      overage (billed at the overage rate, or held for approval).
    - Recurring fee: a fixed amount per calendar period (month, quarter, year),
      invoiced in advance (when the period has started by the run's invoice date)
      or in arrears (when it has ended by the run's cut-off date). The first and
      last periods, cut by the start and end dates, are prorated by days. The
      amount is read when the period is billed: a new price applies from the
      next period not billed yet.

    A line created with only its engagement (``order_id``) joins the
    engagement's plan, created on the fly."""

    _name = "psa.billing.plan.line"
    _description = "Billing Plan Line"
    _order = "order_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "psa.billing.plan",
        string="Billing Plan",
        required=True,
        index=True,
        copy=False,
        ondelete="cascade",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    sequence = fields.Integer(default=10)
    type = fields.Selection(
        PLAN_LINE_TYPES, required=True, default="recurring", string="Component"
    )
    name = fields.Char(
        string="Description",
        help="Label of the invoice lines; empty: the product's name.",
    )
    product_id = fields.Many2one(
        "product.product",
        ondelete="restrict",
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="Gives the invoice lines of a fee or retainer their income account "
        "and taxes.",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        help="Untaxed amount of one full period, in the engagement's currency "
        "(a retainer's price, invoiced in advance).",
    )
    frequency = fields.Selection(FREQUENCIES, required=True, default="monthly")
    in_advance = fields.Boolean(
        string="Invoice in Advance",
        default=True,
        help="In advance: a period is billed once it has started (by the run's "
        "invoice date). In arrears: once it has ended (by the run's cut-off date). "
        "Retainers are always invoiced in advance.",
    )
    proration = fields.Boolean(
        default=True,
        help="Partial first and last periods are billed (and a retainer's hours "
        "granted) in proportion to their days.",
    )
    date_start = fields.Date(
        string="Start Date", default=lambda self: self._default_date_start()
    )
    date_end = fields.Date(string="End Date", help="Empty: until further notice.")
    next_billing_date = fields.Date(
        copy=False,
        help="First day not billed yet (empty: the start date); the billing runs "
        "move it on.",
    )
    # retainer
    retainer_hours = fields.Float(
        digits="Product Unit of Measure",
        help="Hours granted per full period (a block of hours).",
    )
    retainer_amount = fields.Monetary(
        currency_field="currency_id",
        help="Amount granted per full period, burnt by the time at its rate-card "
        "value (a block of money); used when no hours are given.",
    )
    retainer_unit = fields.Selection(
        [("hours", "Hours"), ("amount", "Amount")],
        compute="_compute_retainer_unit",
        help="What the retainer's balance counts.",
    )
    overage_rate = fields.Monetary(
        currency_field="currency_id",
        help="Price of one hour beyond the period's balance (hour retainers).",
    )
    overage_policy = fields.Selection(
        OVERAGE_POLICIES,
        default="bill",
        help="Bill: the billing runs bill the overage. Hold: the overage waits in "
        "the billing run preview until a billing administrator approves it.",
    )
    rollover_policy = fields.Selection(
        ROLLOVER_POLICIES,
        string="Unused Balance",
        default="expire",
        help="At period end the unused balance expires, or rolls over to the "
        "next period.",
    )
    rollover_max_periods = fields.Integer(
        string="Roll Over For (Periods)",
        default=1,
        help="How many periods after the one that granted them unused hours may "
        "still be used (0: no limit). Older hours expire.",
    )
    alert_thresholds = fields.Char(
        default="80,100",
        help="Percentages of a period's balance (comma-separated, e.g. 80,100): "
        "when the time used crosses one, the account manager gets an activity and "
        "an email, once per threshold and period.",
    )
    retainer_period_ids = fields.One2many(
        "psa.retainer.period", "plan_line_id", string="Retainer Periods"
    )

    _amount_positive = models.Constraint(
        "CHECK(amount >= 0)", "The amount of a recurring fee cannot be negative."
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "The end date of a recurring fee cannot be before its start date.",
    )
    _retainer_positive = models.Constraint(
        "CHECK(COALESCE(retainer_hours, 0) >= 0 AND COALESCE(retainer_amount, 0) >= 0 "
        "AND COALESCE(overage_rate, 0) >= 0 "
        "AND COALESCE(rollover_max_periods, 0) >= 0)",
        "The hours, amount, overage rate and rollover periods of a retainer cannot "
        "be negative.",
    )

    def _default_date_start(self):
        return fields.Date.context_today(self)

    def _auto_init(self):
        # lines of databases older than the plan header: give each engagement
        # its plan before the new required column is created
        cr = self.env.cr
        if sql.table_exists(cr, self._table) and not sql.column_exists(
            cr, self._table, "plan_id"
        ):
            self.env["psa.billing.plan"]._auto_init()
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN plan_id integer",
                    SQL.identifier(self._table),
                )
            )
            cr.execute(
                SQL(
                    "INSERT INTO psa_billing_plan "
                    "(order_id, company_id, partner_id, user_id, frequency, "
                    "create_uid, create_date, write_uid, write_date) "
                    "SELECT sale.id, sale.company_id, sale.partner_id, "
                    "sale.user_id, 'monthly', %(uid)s, NOW() AT TIME ZONE 'UTC', "
                    "%(uid)s, NOW() AT TIME ZONE 'UTC' "
                    "FROM sale_order AS sale "
                    "WHERE sale.id IN (SELECT order_id FROM %(table)s) "
                    "AND NOT EXISTS (SELECT 1 FROM psa_billing_plan AS plan "
                    "WHERE plan.order_id = sale.id)",
                    uid=self.env.uid,
                    table=SQL.identifier(self._table),
                )
            )
            cr.execute(
                SQL(
                    "UPDATE %s AS line SET plan_id = plan.id "
                    "FROM psa_billing_plan AS plan "
                    "WHERE plan.order_id = line.order_id",
                    SQL.identifier(self._table),
                )
            )
        return super()._auto_init()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("retainer_hours", "retainer_amount")
    def _compute_retainer_unit(self):
        for line in self:
            line.retainer_unit = (
                "amount"
                if not line.retainer_hours and line.retainer_amount
                else "hours"
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("next_billing_date", "date_start")
    def _check_next_billing_date(self):
        for line in self:
            if (
                line.next_billing_date
                and line.date_start
                and line.next_billing_date < line.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The next billing date of %(line)s cannot be before its "
                        "start date.",
                        line=line._psa_label(),
                    )
                )

    @api.constrains("plan_id", "order_id")
    def _check_plan_order(self):
        for line in self:
            if line.plan_id.order_id != line.order_id:
                raise ValidationError(
                    self.env._(
                        "The component %(line)s must belong to the billing plan of "
                        "its engagement.",
                        line=line._psa_label(),
                    )
                )

    @api.constrains("type", "product_id", "date_start", "in_advance")
    def _check_fee_fields(self):
        for line in self.filtered(lambda line: line.type in FEE_TYPES):
            if not line.product_id or not line.date_start:
                raise ValidationError(
                    self.env._(
                        "A recurring fee or retainer needs a product and a start "
                        "date (%(line)s).",
                        line=line._psa_label() or line.order_id.name,
                    )
                )
            if line.type == "retainer" and not line.in_advance:
                raise ValidationError(
                    self.env._(
                        "A retainer is invoiced in advance (%(line)s).",
                        line=line._psa_label(),
                    )
                )

    @api.constrains("type", "retainer_hours", "retainer_amount", "overage_rate")
    def _check_retainer(self):
        for line in self.filtered(lambda line: line.type == "retainer"):
            if bool(line.retainer_hours) == bool(line.retainer_amount):
                raise ValidationError(
                    self.env._(
                        "Give the retainer %(line)s either hours or an amount per "
                        "period.",
                        line=line._psa_label(),
                    )
                )

    @api.constrains("alert_thresholds")
    def _check_alert_thresholds(self):
        for line in self:
            try:
                line._psa_thresholds()
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "Alert thresholds are percentages between 1 and 1000 "
                        "separated by commas, e.g. 80,100 (%(line)s: %(value)s).",
                        line=line._psa_label(),
                        value=line.alert_thresholds,
                    )
                ) from None

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["psa.billing.plan"]
        missing = {
            vals["order_id"]
            for vals in vals_list
            if vals.get("order_id") and not vals.get("plan_id")
        }
        plan_by_order = {}
        if missing:
            plan_by_order = plans._psa_get_or_create(
                self.env["sale.order"].browse(sorted(missing))
            )
        given = plans.browse(
            {vals["plan_id"] for vals in vals_list if vals.get("plan_id")}
        )
        given_orders = {plan.id: plan.order_id.id for plan in given.sudo()}
        for vals in vals_list:
            if vals.get("plan_id") and not vals.get("order_id"):
                vals["order_id"] = given_orders[vals["plan_id"]]
            elif vals.get("order_id") and not vals.get("plan_id"):
                vals["plan_id"] = plan_by_order[vals["order_id"]].id
            if not vals.get("next_billing_date"):
                vals["next_billing_date"] = vals.get("date_start")
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"type", "frequency", "date_start", "order_id", "plan_id"}
        if frozen & set(vals) and self.sudo().retainer_period_ids:
            changed = self.filtered(
                lambda line: any(
                    line[fname]
                    != line._fields[fname].convert_to_record(
                        line._fields[fname].convert_to_cache(vals[fname], line), line
                    )
                    for fname in frozen & set(vals)
                )
            )
            if changed.sudo().retainer_period_ids:
                raise UserError(
                    self.env._(
                        "The periods of the retainer %(line)s have started: its "
                        "component, frequency, start date and engagement can no "
                        "longer change (end it and add a new one).",
                        line=changed[:1]._psa_label(),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_label(self):
        self.ensure_one()
        return self.name or self.product_id.name or ""

    def _psa_thresholds(self):
        """The alert thresholds as sorted integers; raises ValueError."""
        self.ensure_one()
        values = set()
        for part in (self.alert_thresholds or "").split(","):
            if not part.strip():
                continue
            value = int(part.strip())
            if not 1 <= value <= 1000:
                raise ValueError(part)
            values.add(value)
        return sorted(values)

    def _psa_period_bounds(self, day):
        """The calendar period (month, quarter, year) of ``day``."""
        self.ensure_one()
        months = FREQUENCY_MONTHS[self.frequency]
        start = day.replace(month=(day.month - 1) // months * months + 1, day=1)
        return start, start + relativedelta(months=months, days=-1)

    def _psa_period_of(self, day):
        """(first day, last day, share) of the period of ``day`` cut by the
        line's dates; None outside the dates."""
        self.ensure_one()
        if not self.date_start or day < self.date_start:
            return None
        if self.date_end and day > self.date_end:
            return None
        full_start, full_end = self._psa_period_bounds(day)
        start = max(full_start, self.date_start)
        end = min(full_end, self.date_end) if self.date_end else full_end
        share = 1.0
        if self.proration and (start, end) != (full_start, full_end):
            share = ((end - start).days + 1) / ((full_end - full_start).days + 1)
        return start, end, share

    def _psa_due_periods(self, cutoff_date, invoice_date):
        """The periods due from the next billing date: ``[(first day, last
        day, share of the full period)]`` (share 1.0 without proration)."""
        self.ensure_one()
        periods = []
        day = self.next_billing_date or self.date_start
        while (not self.date_end or day <= self.date_end) and len(
            periods
        ) < MAX_PERIODS_PER_RUN:
            full_start, full_end = self._psa_period_bounds(day)
            end = min(full_end, self.date_end) if self.date_end else full_end
            due = day <= invoice_date if self.in_advance else end <= cutoff_date
            if not due:
                break
            share = 1.0
            if self.proration and (day, end) != (full_start, full_end):
                share = ((end - day).days + 1) / ((full_end - full_start).days + 1)
            periods.append((day, end, share))
            day = end + timedelta(days=1)
        return periods

    def _psa_granted_per_period(self, share=1.0):
        """Hours (or amount) granted by one period of the retainer."""
        self.ensure_one()
        full = self.retainer_hours or self.retainer_amount
        return float_round(full * share, precision_digits=2)

    def _psa_price_per_unit(self):
        """What one hour (or one unit of money) of the retainer is invoiced: the
        period's price over its hours, to value expired hours."""
        self.ensure_one()
        full = self.retainer_hours or self.retainer_amount
        return self.amount / full if full else 0.0

    def _psa_reallocate_covering(self, timesheets):
        """Burn again the periods of these retainers that cover the engagement
        and date of ``timesheets`` (creating the periods up to their last day)."""
        periods = self._psa_ensure_periods(max(timesheets.mapped("date")))
        days = defaultdict(set)
        for timesheet in timesheets:
            days[timesheet.order_id.id].add(timesheet.date)
        periods.filtered(
            lambda period: any(
                period.date_start <= day <= period.date_end
                for day in days[period.order_id.id]
            )
        )._psa_reallocate()

    def _psa_ensure_periods(self, day):
        """Create the missing retainer periods of the lines, from their start up
        to the period of ``day`` (included). Returns all the periods of the
        lines up to that day. Batch-safe (one search, one create)."""
        retainers = self.filtered(
            lambda line: line.type == "retainer" and line.date_start
        )
        Period = self.env["psa.retainer.period"]
        if not retainers:
            return Period
        existing = Period.search_fetch(
            [("plan_line_id", "in", retainers.ids)],
            ["plan_line_id", "date_start", "date_end"],
        )
        known = {(period.plan_line_id.id, period.date_start) for period in existing}
        vals_list = []
        for line in retainers:
            start = line.date_start
            last = min(day, line.date_end) if line.date_end else day
            count = 0
            while start <= last and count < MAX_PERIODS_PER_RUN:
                start, end, share = line._psa_period_of(start)
                if (line.id, start) not in known:
                    vals_list.append(
                        {
                            "plan_line_id": line.id,
                            "date_start": start,
                            "date_end": end,
                            "granted": line._psa_granted_per_period(share),
                        }
                    )
                start = end + timedelta(days=1)
                count += 1
        created = Period.create(vals_list) if vals_list else Period
        return (existing | created).filtered(lambda period: period.date_start <= day)
