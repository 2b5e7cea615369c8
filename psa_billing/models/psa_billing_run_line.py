from datetime import timedelta
from functools import partial

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_is_zero, float_round

LINE_KINDS = [
    ("time", "Time"),
    ("milestone", "Milestone"),
    ("recurring", "Recurring Fee"),
    ("retainer_time", "Retainer Time"),
    ("overage", "Retainer Overage"),
    ("expense", "Expense"),
]
# kinds billing hours of time at a rate
HOURLY_KINDS = ("time", "overage")
# kinds billing one period of a fee of the billing plan (a recurring fee or a
# retainer: its plan line's type tells)
FEE_KINDS = ("recurring",)
# what billing writes on each timesheet it bills, in one query for all of them
LEDGER_FIELDS = [
    "psa_invoice_line_id",
    "psa_billing_run_line_id",
    "timesheet_invoice_id",
    "psa_rate_line_id",
    "psa_bill_rate",
    "psa_standard_amount",
    "psa_billable_amount",
    "psa_billed_amount",
]


class PsaBillingRunLine(models.Model):
    """One line of a billing run preview: the time of an engagement for one role
    (or person, or task) at one rate, with what is held back and why, and the
    billing administrator's write-up or write-down with its reason code. Lines
    without a rate are held back entirely and never invoiced."""

    _name = "psa.billing.run.line"
    _description = "Billing Run Line"
    _order = "run_id, order_id, is_held, sequence, id"
    _check_company_auto = True

    run_id = fields.Many2one(
        "psa.billing.run", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    run_state = fields.Selection(related="run_id.state", string="Run Status")
    sequence = fields.Integer(default=10)
    line_kind = fields.Selection(
        LINE_KINDS,
        string="Kind",
        required=True,
        default="time",
        readonly=True,
        help="Time: timesheets at their rate. Milestone: a fixed-fee order line "
        "invoiced on its reached milestones (Odoo's quantity to invoice). "
        "Recurring fee: one period of a fee or retainer of the engagement's billing "
        "plan. Retainer time: "
        "time covered by a retainer period, billed at zero. Retainer overage: "
        "time beyond a retainer period's balance. Expense: a re-invoiced "
        "expense's order line (at cost or at sales price, as its product says) "
        "invoiced for its quantity to invoice.",
    )
    retainer_period_id = fields.Many2one(
        "psa.retainer.period",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    plan_line_id = fields.Many2one(
        "psa.billing.plan.line",
        string="Billing Plan Line",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    milestone_names = fields.Char(
        string="Milestones",
        readonly=True,
        help="The milestones reached of a milestone line, at the preview.",
    )
    expense_names = fields.Char(
        string="Expenses",
        readonly=True,
        help="The expenses of an expense line, at the preview.",
    )
    quantity = fields.Float(
        readonly=True,
        digits="Product Unit of Measure",
        help="Expense: the quantity of its order item billed (delivered by the "
        "cut-off date and not invoiced yet).",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="order_id.partner_id", string="Customer", store=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sales Order Item", ondelete="cascade"
    )
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    role_id = fields.Many2one("project.role", ondelete="set null")
    employee_id = fields.Many2one("hr.employee", ondelete="set null")
    task_id = fields.Many2one("project.task", ondelete="set null")
    name = fields.Char(string="Label", compute="_compute_name")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    # The time a preview line bills, kept as a list of ids rather than in a
    # many2many table: the foreign key of such a table would lock every timesheet
    # row of the preview (FOR KEY SHARE), an extra write on each row of the largest
    # table of the firm that grew faster than the run (see docs/BENCHMARKS.md).
    # Invoicing locks the time and checks it is still as previewed anyway.
    timesheet_id_list = fields.Json(string="Timesheet IDs", readonly=True, copy=False)
    timesheet_ids = fields.Many2many(
        "account.analytic.line",
        string="Timesheets",
        compute="_compute_timesheet_ids",
        search="_search_timesheet_ids",
    )
    timesheet_count = fields.Integer(compute="_compute_timesheet_count")
    covered_hours = fields.Float(
        string="Hours Covered",
        readonly=True,
        digits="Product Unit of Measure",
        help="Retainer overage: the hours of its time the retainer's balance "
        "covered, invoiced at zero with it.",
    )
    hours = fields.Float(readonly=True, digits="Product Unit of Measure")
    rate = fields.Monetary(readonly=True, currency_field="currency_id")
    rate_line_id = fields.Many2one(
        "psa.rate.card.line",
        string="Rate Card Line",
        readonly=True,
        ondelete="set null",
        help="The rate card line that priced the time of this line, when one line "
        "priced it all (else each timesheet's own is found again at invoicing).",
    )
    amount = fields.Monetary(
        string="Standard Amount",
        readonly=True,
        currency_field="currency_id",
        help="Hours times the rate, in the engagement's currency.",
    )
    is_held = fields.Boolean(
        string="Held Back",
        readonly=True,
        help="Time without a rate: never invoiced until it is priced.",
    )
    held_amount = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Part of the standard amount not billed (not-to-exceed cap reached).",
    )
    held_reason = fields.Char(readonly=True)
    adjustment_hours = fields.Float(
        digits="Product Unit of Measure",
        help="Hours added (write-up) or removed (write-down) from the billed "
        "hours; the timesheets keep their hours.",
    )
    adjustment_amount = fields.Monetary(
        currency_field="currency_id",
        help="Amount added (write-up) or removed (write-down, negative) after the "
        "hours.",
    )
    reason_id = fields.Many2one(
        "psa.billing.reason",
        string="Adjustment Reason",
        ondelete="restrict",
        domain="[('company_id', 'in', [company_id, False])]",
    )
    adjustment_note = fields.Char()
    billed_hours = fields.Float(
        compute="_compute_billed", store=True, digits="Product Unit of Measure"
    )
    billed_amount = fields.Monetary(
        compute="_compute_billed",
        store=True,
        currency_field="currency_id",
        help="What is invoiced: billed hours times the rate, plus the amount "
        "adjustment, minus what the cap holds back.",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id", string="Invoice", store=True
    )
    error = fields.Text(readonly=True, copy=False)

    _hours_positive = models.Constraint(
        "CHECK(hours >= 0)", "The hours of a billing run line cannot be negative."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "is_held",
        "held_reason",
        "role_id",
        "employee_id",
        "task_id",
        "hours",
        "date_from",
        "date_to",
        "sale_line_id",
        "line_kind",
        "milestone_names",
        "expense_names",
        "quantity",
        "plan_line_id",
    )
    def _compute_name(self):
        for line in self:
            line.name = line._psa_label()

    @api.depends("timesheet_id_list")
    def _compute_timesheet_ids(self):
        """The time of the preview lines that still exists, in one query for all
        of them."""
        Timesheet = self.env["account.analytic.line"]
        ids = [ts_id for line in self for ts_id in line.timesheet_id_list or ()]
        existing = set(Timesheet.browse(ids).exists()._ids) if ids else set()
        for line in self:
            line.timesheet_ids = Timesheet.browse(
                ts_id for ts_id in line.timesheet_id_list or () if ts_id in existing
            )

    def _search_timesheet_ids(self, operator, value):
        if operator != "in":
            return NotImplemented
        ids = [ts_id for ts_id in value if isinstance(ts_id, int)]
        if not ids:
            return Domain.FALSE
        return Domain(
            "id",
            "in",
            SQL(
                "SELECT line.id FROM psa_billing_run_line line, "
                "jsonb_array_elements(line.timesheet_id_list) AS ts(id) "
                "WHERE ts.id::integer = ANY(%s)",
                ids,
            ),
        )

    @api.depends("timesheet_id_list")
    def _compute_timesheet_count(self):
        for line in self:
            line.timesheet_count = len(line.timesheet_id_list or ())

    @api.depends(
        "hours",
        "rate",
        "amount",
        "held_amount",
        "adjustment_hours",
        "adjustment_amount",
        "is_held",
        "line_kind",
    )
    def _compute_billed(self):
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in self:
            if line.line_kind == "retainer_time":
                # time paid by the retainer's fee
                line.billed_hours = line.hours
                line.billed_amount = 0.0
                continue
            if line.line_kind not in HOURLY_KINDS:
                # a fixed amount (milestones, a fee's period), no hours
                line.billed_hours = 0.0
                line.billed_amount = line.currency_id.round(
                    line.amount + line.adjustment_amount
                )
                continue
            if line.is_held:
                line.billed_hours = 0.0
                line.billed_amount = 0.0
                continue
            line.billed_hours = float_round(
                line.hours + line.adjustment_hours, precision_digits=digits
            )
            line.billed_amount = line.currency_id.round(
                line.billed_hours * line.rate
                + line.adjustment_amount
                - line.held_amount
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("adjustment_hours", "adjustment_amount", "reason_id")
    def _check_adjustment(self):
        for line in self:
            adjusted = not float_is_zero(
                line.adjustment_hours, precision_digits=4
            ) or not line.currency_id.is_zero(line.adjustment_amount)
            if not adjusted:
                continue
            if line.is_held:
                raise ValidationError(
                    self.env._(
                        "Held-back time (%(line)s) cannot be adjusted: price it first.",
                        line=line.name,
                    )
                )
            if line.line_kind not in HOURLY_KINDS and not float_is_zero(
                line.adjustment_hours, precision_digits=4
            ):
                raise ValidationError(
                    self.env._(
                        "%(line)s bills no hours: adjust its amount instead.",
                        line=line.name,
                    )
                )
            if line.run_id.state != "previewed" or line.invoice_line_id:
                raise ValidationError(
                    self.env._("Only the preview of a billing run can be adjusted.")
                )
            if not line.reason_id:
                raise ValidationError(
                    self.env._(
                        "Give a reason code for the adjustment of %(line)s.",
                        line=line.name,
                    )
                )
            up = line.adjustment_hours > 0 or line.adjustment_amount > 0
            down = line.adjustment_hours < 0 or line.adjustment_amount < 0
            if (up and line.reason_id.direction == "down") or (
                down and line.reason_id.direction == "up"
            ):
                raise ValidationError(
                    self.env._(
                        "The reason %(reason)s does not apply to this kind of "
                        "adjustment (%(line)s).",
                        reason=line.reason_id.name,
                        line=line.name,
                    )
                )
            if line.billed_hours < 0 or line.billed_amount < 0:
                raise ValidationError(
                    self.env._(
                        "A write-down cannot exceed what the line bills (%(line)s).",
                        line=line.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_label(self):
        self.ensure_one()
        if self.line_kind == "milestone":
            return self.env._(
                "%(product)s: milestones reached: %(milestones)s",
                product=self.sale_line_id.product_id.name or "",
                milestones=self.milestone_names or "",
            )
        if self.line_kind == "expense":
            dates = str(self.date_from or "")
            if self.date_to and self.date_to != self.date_from:
                dates = self.env._(
                    "%(date_from)s to %(date_to)s",
                    date_from=dates,
                    date_to=self.date_to,
                )
            return self.env._(
                "%(expenses)s: quantity %(quantity)s, %(dates)s",
                expenses=self.expense_names or self.sale_line_id.name or "",
                quantity=f"{self.quantity:g}",
                dates=dates,
            )
        if self.line_kind in FEE_KINDS:
            return self.env._(
                "%(fee)s: %(date_from)s to %(date_to)s",
                fee=self.plan_line_id._psa_label(),
                date_from=self.date_from or "",
                date_to=self.date_to or "",
            )
        if self.line_kind == "retainer_time":
            return self.env._(
                "%(retainer)s: %(hours)s h used, %(date_from)s to %(date_to)s",
                retainer=self.plan_line_id._psa_label(),
                hours=f"{self.hours:.2f}",
                date_from=self.date_from or "",
                date_to=self.date_to or "",
            )
        if self.line_kind == "overage":
            return self.env._(
                "%(retainer)s: overage %(hours)s h, %(date_from)s to %(date_to)s",
                retainer=self.plan_line_id._psa_label(),
                hours=f"{self.hours:.2f}",
                date_from=self.date_from or "",
                date_to=self.date_to or "",
            )
        if self.is_held:
            what = self.held_reason or ""
        else:
            what = (
                self.task_id.name
                or self.employee_id.name
                or self.role_id.name
                or self.sale_line_id.product_id.name
                or ""
            )
        return self.env._(
            "%(what)s: %(hours)s h, %(date_from)s to %(date_to)s",
            what=what,
            hours=f"{self.hours:.2f}",
            date_from=self.date_from or "",
            date_to=self.date_to or "",
        )

    def _psa_prepare_invoice_lines(self, sequence):
        """Values of the invoice lines of this preview line: the billed hours at
        the rate (linked to the sale order item, so that Odoo's invoiced quantity
        and invoice status follow), then one line per amount adjustment (the cap
        held back, the write-up or write-down), with the same product and taxes
        but no quantity on the sale order item. A milestone line is Odoo's own
        line of its order item (its quantity to invoice), an expense line too
        (the quantity previewed); a recurring fee's is on no order item."""
        self.ensure_one()
        sale_line = self.sale_line_id
        label = self._psa_label()
        if self.line_kind == "milestone":
            # Odoo's own line: the quantity to invoice at the order's price
            main = sale_line._prepare_invoice_line(
                sequence=sequence, psa_billing_run_line_id=self.id
            )
            main["name"] = f"{main['name']}\n{label}" if main.get("name") else label
        elif self.line_kind == "expense":
            # Odoo's own line at the order item's price (cost or sales price)
            main = sale_line._prepare_invoice_line(
                sequence=sequence,
                name=label,
                quantity=self.quantity,
                psa_billing_run_line_id=self.id,
            )
        elif self.line_kind in FEE_KINDS or (not sale_line and self.plan_line_id):
            # a fee or retainer of the plan: the product gives the account and the
            # taxes; not on a sale order item (its quantities stay the order's)
            hourly = self.line_kind in ("retainer_time", "overage")
            main = {
                "display_type": "product",
                "sequence": sequence,
                "product_id": self.plan_line_id.product_id.id,
                "name": label,
                "quantity": self.billed_hours if hourly else 1.0,
                "price_unit": self.rate if hourly else self.amount,
                "discount": 0.0,
                "psa_billing_run_line_id": self.id,
            }
        else:
            main = sale_line._prepare_invoice_line(
                sequence=sequence,
                name=label,
                quantity=self.billed_hours,
                price_unit=self.rate,
                discount=0.0,
                psa_billing_run_line_id=self.id,
            )
        values = [main]
        if (
            self.line_kind == "overage"
            and sale_line
            and not float_is_zero(self.covered_hours, precision_digits=2)
        ):
            # the part of the overage's time covered by the retainer, at zero
            values.append(
                sale_line._prepare_invoice_line(
                    sequence=sequence,
                    name=self.env._(
                        "%(retainer)s: %(hours)s h covered by the retainer",
                        retainer=self.plan_line_id._psa_label(),
                        hours=f"{self.covered_hours:.2f}",
                    ),
                    quantity=self.covered_hours,
                    price_unit=0.0,
                    discount=0.0,
                    psa_billing_run_line_id=self.id,
                )
            )
        extras = []
        if not self.currency_id.is_zero(self.held_amount):
            extras.append((self.held_reason, -self.held_amount))
        if not self.currency_id.is_zero(self.adjustment_amount):
            extras.append(
                (
                    self.env._(
                        "Adjustment: %(reason)s",
                        reason=self.adjustment_note or self.reason_id.name,
                    ),
                    self.adjustment_amount,
                )
            )
        for offset, (reason, amount) in enumerate(extras, start=1):
            if not sale_line:
                values.append(
                    dict(
                        main,
                        sequence=sequence + offset,
                        name=f"{label}\n{reason}",
                        quantity=1.0,
                        price_unit=amount,
                    )
                )
                continue
            extra = sale_line._prepare_invoice_line(
                sequence=sequence + offset,
                name=f"{label}\n{reason}",
                quantity=1.0,
                price_unit=amount,
                discount=0.0,
                psa_billing_run_line_id=self.id,
            )
            extra.pop("sale_line_ids", None)
            extra.pop("is_downpayment", None)
            values.append(extra)
        return values

    def _psa_check_still_billable(self):
        """The preview must still describe the time: approved, billable, unbilled
        and the same hours (checked after the rows are locked). Milestone lines:
        their order line still has the amount previewed to invoice."""
        if deleted := self.filtered(
            lambda line: len(line.timesheet_ids) != line.timesheet_count
        ):
            raise UserError(
                self.env._(
                    "Some time of %(order)s was deleted since the preview: preview "
                    "again.",
                    order=deleted.order_id[:1].name,
                )
            )
        self.filtered(
            lambda line: line.line_kind == "milestone"
        )._psa_check_milestones_still_billable()
        self.filtered(
            lambda line: line.line_kind == "expense"
        )._psa_check_expenses_still_billable()
        self.filtered(
            lambda line: line.line_kind in FEE_KINDS
        )._psa_check_fees_still_billable()
        self.filtered(
            lambda line: line.line_kind in ("retainer_time", "overage")
        )._psa_check_retainer_time_still_billable()
        self.filtered(
            lambda line: line.line_kind == "time"
        )._psa_check_time_still_billable()

    def _psa_check_time_still_billable(self):
        """The time of time and materials lines is still approved, billable,
        unbilled and of the same hours."""
        if not self:
            return
        timesheets = self.timesheet_ids.sudo()
        timesheets.fetch(
            [
                "psa_state",
                "billable_type",
                "psa_invoice_line_id",
                "timesheet_invoice_id",
                "unit_amount",
            ]
        )
        billed = timesheets.filtered(
            lambda ts: ts.psa_invoice_line_id
            or (ts.timesheet_invoice_id and ts.timesheet_invoice_id.state != "cancel")
        )
        if billed:
            raise UserError(
                self.env._(
                    "Some time of %(order)s was invoiced since the preview: preview "
                    "again.%(lines)s",
                    order=self.order_id[:1].name,
                    lines=billed._psa_format_list(),
                )
            )
        changed = timesheets.filtered(
            lambda ts: ts.psa_state != "approved" or ts.billable_type != "billable"
        )
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in self:
            hours = float_round(
                sum(line.timesheet_ids.mapped("unit_amount")), precision_digits=digits
            )
            if float_round(hours - line.hours, precision_digits=digits):
                changed |= line.timesheet_ids
        if changed:
            raise UserError(
                self.env._(
                    "Some time of %(order)s changed since the preview: preview "
                    "again.%(lines)s",
                    order=self.order_id[:1].name,
                    lines=changed._psa_format_list(),
                )
            )

    def _psa_check_retainer_time_still_billable(self):
        """The time of retainer lines is still approved, unbilled, and burns its
        period as at the preview (checked after the rows are locked)."""
        timesheets = self.timesheet_ids.sudo()
        timesheets.fetch(
            [
                "psa_state",
                "psa_invoice_line_id",
                "psa_retainer_period_id",
                "psa_retainer_overage",
                "unit_amount",
            ]
        )
        changed = timesheets.filtered(
            lambda ts: ts.psa_invoice_line_id or ts.psa_state != "approved"
        )
        for line in self:
            mine = line.timesheet_ids.sudo()
            changed |= mine.filtered(
                lambda ts, line=line: ts.psa_retainer_period_id
                != line.retainer_period_id
            )
            overage = mine._psa_overage_hours()
            if line.line_kind == "overage":
                if float_round(sum(overage.values()) - line.hours, precision_digits=2):
                    changed |= mine
            else:
                # the time fully covered is still fully covered
                changed |= mine.filtered(lambda ts, overage=overage: overage[ts.id])
        if changed:
            raise UserError(
                self.env._(
                    "Some retainer time of %(order)s changed since the preview: "
                    "preview again.%(lines)s",
                    order=self.order_id[:1].name,
                    lines=changed._psa_format_list(),
                )
            )

    def _psa_check_milestones_still_billable(self):
        for line in self:
            if line.currency_id.compare_amounts(
                line.sale_line_id._psa_milestone_amount_to_invoice(), line.amount
            ):
                raise UserError(
                    self.env._(
                        "The milestones of %(order)s to invoice changed since the "
                        "preview (%(line)s): preview again.",
                        order=line.order_id.name,
                        line=line.sale_line_id.display_name,
                    )
                )

    def _psa_check_expenses_still_billable(self):
        """The order item of each expense line still has the quantity previewed
        to invoice (delivered by the cut-off, not invoiced since, by a run or by
        Odoo), at the amount previewed (checked after the rows are locked)."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for run in self.run_id:
            lines = self.filtered(lambda line, run=run: line.run_id == run)
            quantities = run._psa_expense_quantities(lines.sale_line_id)
            for line in lines:
                sale_line = line.sale_line_id.sudo()
                quantity = quantities[sale_line]
                if float_round(
                    quantity - line.quantity, precision_digits=digits
                ) or line.currency_id.compare_amounts(
                    run._psa_expense_amount(sale_line, quantity), line.amount
                ):
                    raise UserError(
                        self.env._(
                            "The expenses of %(order)s to invoice changed since the "
                            "preview (%(line)s): preview again.",
                            order=line.order_id.name,
                            line=line.name,
                        )
                    )

    def _psa_check_fees_still_billable(self):
        """Each fee's first period in the preview is still its next one to bill
        (no other run billed it since)."""
        for plan_line in self.plan_line_id:
            lines = self.filtered(lambda line, p=plan_line: line.plan_line_id == p)
            if min(lines.mapped("date_from")) != plan_line.next_billing_date:
                raise UserError(
                    self.env._(
                        "The fee %(fee)s of %(order)s was billed or changed since "
                        "the preview: preview again.",
                        fee=plan_line._psa_label(),
                        order=plan_line.order_id.name,
                    )
                )

    def _psa_advance_plans(self):
        """Move the next billing date of the fees billed past their periods; the
        retainer periods billed are created if needed and linked to their
        invoice line."""
        fee_lines = self.filtered(lambda line: line.line_kind in FEE_KINDS)
        retainer_lines = fee_lines.filtered(
            lambda line: line.plan_line_id.type == "retainer"
        )
        if retainer_lines:
            periods = retainer_lines.plan_line_id.sudo()._psa_ensure_periods(
                max(retainer_lines.mapped("date_from"))
            )
            by_key = {(p.plan_line_id.id, p.date_start): p for p in periods}
            for line in retainer_lines:
                period = by_key.get((line.plan_line_id.id, line.date_from))
                if period:
                    period.invoice_line_id = line.invoice_line_id
                    line.retainer_period_id = period
        for plan_line in fee_lines.plan_line_id:
            lines = self.filtered(lambda line, p=plan_line: line.plan_line_id == p)
            plan_line.next_billing_date = max(lines.mapped("date_to")) + timedelta(
                days=1
            )

    def _psa_check_cap(self):
        """Write-ups may not take an engagement over its not-to-exceed cap (of
        time: milestones and other fixed fees are not capped)."""
        time_lines = self.filtered(lambda line: line.line_kind == "time")
        if time_lines != self:
            return time_lines._psa_check_cap()
        for order in self.order_id:
            cap = order.psa_cap_amount
            if not cap:
                continue
            lines = self.filtered(lambda line, order=order: line.order_id == order)
            billed = order._psa_billed_time_amount()
            total = order.currency_id.round(billed + sum(lines.mapped("billed_amount")))
            if order.currency_id.compare_amounts(total, cap) > 0:
                raise UserError(
                    self.env._(
                        "%(order)s would bill %(total)s of time, over its "
                        "not-to-exceed cap of %(cap)s: reduce the write-ups.",
                        order=order.name,
                        total=order.currency_id.format(total),
                        cap=order.currency_id.format(cap),
                    )
                )

    def _psa_link_timesheets(self):
        """Link each timesheet to the invoice line that billed it, with its rate
        and its share of the billed amount (realization ledger). Shares: what the
        cap holds back is taken from the latest time, write-ups and write-downs are
        spread in proportion; the shares add up exactly to the line's billed
        amount. A fixed number of queries per preview line. Lines without time
        (milestones) have nothing to link."""
        time_lines = self.filtered(lambda line: line.line_kind == "time")
        if time_lines != self:
            self.filtered(
                lambda line: line.line_kind in ("retainer_time", "overage")
            )._psa_link_retainer_timesheets()
            return time_lines._psa_link_timesheets()
        rows = {}
        # only what is used below (a field read alone would fetch every column),
        # and what billing them makes Odoo read
        timesheets = self.timesheet_ids.sudo()
        timesheets.fetch(
            [
                "date",
                "unit_amount",
                "billable_type",
                *timesheets._psa_invoice_trigger_links(),
            ]
        )
        # the rate card line that priced each timesheet: the preview's, found
        # again only for lines priced by several
        resolved = (
            self.filtered(lambda line: not line.rate_line_id)
            .timesheet_ids.sudo()
            ._psa_resolve_rates()
        )
        for line in self:
            currency = line.currency_id
            # currency.round without its record checks: a call per timesheet
            round_amount = partial(float_round, precision_rounding=currency.rounding)
            rate = line.rate
            timesheets = line.timesheet_ids.sudo().sorted(lambda ts: (ts.date, ts.id))
            standards = [round_amount(ts.unit_amount * rate) for ts in timesheets]
            # 1. the cap: bill the earliest time first
            to_bill = round_amount(sum(standards) - line.held_amount)
            capped = []
            for standard in standards:
                share = max(min(standard, to_bill), 0.0)
                capped.append(share)
                to_bill = round_amount(to_bill - share)
            if capped and not currency.is_zero(to_bill):
                capped[-1] = round_amount(capped[-1] + to_bill)
            # 2. write-ups/downs in proportion to what is billed
            adjustment = round_amount(line.billed_amount - sum(capped))
            base = sum(capped) or sum(standards) or len(capped)
            weights = capped if sum(capped) else (standards if sum(standards) else None)
            shares = []
            left = adjustment
            for index, share in enumerate(capped):
                if index == len(capped) - 1:
                    part = left
                else:
                    weight = weights[index] if weights else 1.0
                    part = round_amount(adjustment * weight / base)
                    left = round_amount(left - part)
                shares.append(round_amount(share + part))
            invoice_line = line.invoice_line_id
            rate_line_id = line.rate_line_id.id
            for timesheet, standard, share in zip(
                timesheets, standards, shares, strict=True
            ):
                # the standard and billable amounts as their compute method
                # gives them from the rate written here (see LEDGER_FIELDS)
                rows[timesheet.id] = (
                    invoice_line.id,
                    line.id,
                    invoice_line.move_id.id,
                    rate_line_id or resolved[timesheet.id]["rate_line"].id or None,
                    line.rate,
                    standard,
                    standard if timesheet.billable_type == "billable" else 0.0,
                    share,
                )
        self.env["account.analytic.line"]._psa_write_rows(
            LEDGER_FIELDS,
            rows,
            computed=("psa_standard_amount", "psa_billable_amount"),
            billing=True,
        )

    def _psa_link_retainer_timesheets(self):
        """Link the retainer time to the invoice line that billed it: covered
        time at zero, overage at its share of the line (by overage hours, the
        rounding on the last one)."""
        amounts = {}
        # only what is used below (a field read alone would fetch every column),
        # and what billing them makes Odoo read
        timesheets = self.timesheet_ids.sudo()
        timesheets.fetch(
            [
                "date",
                "unit_amount",
                "psa_retainer_period_id",
                "psa_retainer_covered",
                "psa_retainer_overage",
                *timesheets._psa_invoice_trigger_links(),
            ]
        )
        for line in self:
            timesheets = line.timesheet_ids.sudo().sorted(lambda ts: (ts.date, ts.id))
            links = (
                line.invoice_line_id.id,
                line.id,
                line.invoice_line_id.move_id.id,
            )
            if line.line_kind == "retainer_time":
                amounts.update(dict.fromkeys(timesheets.ids, (*links, 0.0)))
                continue
            currency = line.currency_id
            hours = timesheets._psa_overage_hours()
            total = sum(hours.values()) or 1.0
            left = line.billed_amount
            for index, timesheet in enumerate(timesheets):
                if index == len(timesheets) - 1:
                    share = left
                else:
                    share = currency.round(
                        line.billed_amount * hours[timesheet.id] / total
                    )
                    left = currency.round(left - share)
                amounts[timesheet.id] = (*links, share)
        self.env["account.analytic.line"]._psa_write_rows(
            [
                "psa_invoice_line_id",
                "psa_billing_run_line_id",
                "timesheet_invoice_id",
                "psa_billed_amount",
            ],
            amounts,
            billing=True,
        )

    def action_psa_approve_overage(self):
        """Approve the retainer overage held on these preview lines: they are
        invoiced with the run, and the overage is approved for later runs."""
        if not self.env.user.has_group("psa_base.group_psa_billing"):
            raise AccessError(
                self.env._("Only billing administrators can approve overage.")
            )
        lines = self.filtered(
            lambda line: line.line_kind == "overage"
            and line.is_held
            and not line.invoice_line_id
        )
        if not lines:
            raise UserError(self.env._("There is no held overage to approve."))
        lines.check_access("write")
        lines.timesheet_ids.sudo().write({"psa_overage_approved": True})
        lines.write({"is_held": False, "held_reason": False})
        return True

    def action_view_timesheets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timesheets"),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "domain": [("id", "in", self.timesheet_ids.ids)],
            "context": {"create": False},
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered("invoice_line_id"):
            raise UserError(self.env._("Invoiced billing run lines cannot be deleted."))
