import copy
import logging
from collections import defaultdict
from contextlib import contextmanager

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_round

_logger = logging.getLogger(__name__)

RUN_STATES = [
    ("draft", "Draft"),
    ("previewed", "Previewed"),
    ("invoiced", "Invoiced"),
    ("posted", "Posted"),
]
# Engagements previewed and invoiced together (one query reading or linking
# their time, one create of their invoices); their timesheets are forgotten
# before the next batch.
INVOICE_BATCH = 50
# What makes two runs fight over the same timesheets: the loser of the row lock
# skips the engagement (it is billed once, by the winner) instead of failing.
CONCURRENCY_ERRORS = (
    pg_errors.LockNotAvailable,
    pg_errors.SerializationFailure,
    LockError,
)


class PsaBillingRun(models.Model):
    """Month-end billing of time and materials: a preview of what each engagement
    (confirmed sale order) would be billed, write-ups/downs with reason codes, then
    draft customer invoices created through the sale order, then posting.

    Each engagement is locked (``FOR NO KEY UPDATE NOWAIT``) and checked in its
    own savepoint, then invoiced with its batch (or alone when the batch
    fails): two runs at once, or a run failing half-way, leave every timesheet
    billed once or not at all.
    """

    _name = "psa.billing.run"
    _description = "Billing Run"
    _inherit = ["mail.thread"]
    _order = "cutoff_date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    def _default_cutoff_date(self):
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(days=1)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        ondelete="set null",
        default=lambda self: self.env.user,
        tracking=True,
    )
    cutoff_date = fields.Date(
        string="Cut-off Date",
        required=True,
        default=lambda self: self._default_cutoff_date(),
        tracking=True,
        help="Approved billable time dated up to this day (included) is billed.",
    )
    invoice_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Date of the invoices; rates in another currency than the "
        "engagement's are converted at this date (unless the engagement locks "
        "its exchange rate).",
    )
    order_ids = fields.Many2many(
        "sale.order",
        "psa_billing_run_sale_order_rel",
        "run_id",
        "order_id",
        string="Engagements",
        check_company=True,
        domain="[('state', '=', 'sale')]",
        help="Empty: every confirmed engagement of the company with time, "
        "milestones, fees or re-invoiced expenses to bill.",
    )
    state = fields.Selection(
        RUN_STATES,
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        index=True,
    )
    is_automatic = fields.Boolean(
        string="Automatic",
        readonly=True,
        copy=False,
        help="Made by the scheduled month-end billing (company setting "
        "Automatic Billing Runs).",
    )
    line_ids = fields.One2many(
        "psa.billing.run.line", "run_id", string="Preview Lines", copy=False
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_invoice_ids",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")
    held_line_count = fields.Integer(
        string="Held-back Lines", compute="_compute_line_counts"
    )
    error_line_count = fields.Integer(
        string="Lines in Error", compute="_compute_line_counts"
    )
    engagement_count = fields.Integer(
        string="Engagements Billed", compute="_compute_line_counts"
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("line_ids.invoice_line_id.move_id")
    def _compute_invoice_ids(self):
        for run in self:
            run.invoice_ids = run.line_ids.invoice_line_id.move_id
            run.invoice_count = len(run.invoice_ids)

    @api.depends("line_ids.is_held", "line_ids.error", "line_ids.order_id")
    def _compute_line_counts(self):
        for run in self:
            run.held_line_count = len(run.line_ids.filtered("is_held"))
            run.error_line_count = len(run.line_ids.filtered("error"))
            run.engagement_count = len(run.line_ids.order_id)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("cutoff_date", "invoice_date")
    def _check_dates(self):
        for run in self:
            if run.cutoff_date > run.invoice_date:
                raise ValidationError(
                    self.env._(
                        "The cut-off date of %(run)s cannot be after its invoice date.",
                        run=run.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id", self.env.company.id)
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("psa.billing.run") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"cutoff_date", "invoice_date", "order_ids", "company_id"}
        if frozen & set(vals) and self.filtered(
            lambda run: run.state in ("invoiced", "posted")
        ):
            raise UserError(
                self.env._(
                    "The period and engagements of an invoiced billing run cannot "
                    "change."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered(lambda run: run.state in ("invoiced", "posted")):
            raise UserError(
                self.env._(
                    "An invoiced billing run cannot be deleted: cancel or credit its "
                    "invoices instead."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_preview(self):
        """(Re)compute the preview lines: what each engagement would be billed."""
        for run in self:
            if run.state not in ("draft", "previewed"):
                raise UserError(
                    self.env._(
                        "Only a draft or previewed billing run can be previewed "
                        "again (%(run)s).",
                        run=run.name,
                    )
                )
        self.line_ids.unlink()
        for run in self:
            run._psa_compute_preview()
        self.state = "previewed"
        return True

    def action_reset_to_draft(self):
        if self.filtered(lambda run: run.state not in ("draft", "previewed")):
            raise UserError(
                self.env._("Only a previewed billing run can go back to draft.")
            )
        self.line_ids.unlink()
        self.state = "draft"
        return True

    def action_create_invoices(self):
        """Create one draft customer invoice per engagement of the preview, through
        its sale order. Engagements fail or succeed one by one; failures are
        written on their preview lines."""
        for run in self:
            if run.state != "previewed":
                raise UserError(
                    self.env._(
                        "Preview the billing run %(run)s before creating its invoices.",
                        run=run.name,
                    )
                )
            run._psa_create_invoices()
        return True

    def action_post(self):
        """Post the draft invoices of the runs."""
        for run in self:
            if run.state != "invoiced":
                raise UserError(
                    self.env._(
                        "Create the invoices of the billing run %(run)s before "
                        "posting them.",
                        run=run.name,
                    )
                )
        drafts = self.invoice_ids.filtered(lambda move: move.state == "draft")
        # by batches: posting makes Odoo recompute fields of every timesheet
        # of the invoices, kept in memory until the next flush
        for start in range(0, len(drafts), INVOICE_BATCH):
            drafts[start : start + INVOICE_BATCH].action_post()
            if start + INVOICE_BATCH < len(drafts):
                self._psa_free_batch_cache()
        self.state = "posted"
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False, "default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_psa_billing_runs(self, today=None):
        """The month-end billing of the companies with Automatic Billing Runs,
        from their billing day on: one run per company and month (cut-off the
        last day of the previous month, invoices dated today), previewed, then
        invoiced as drafts batch by batch, each batch committed (an
        interrupted run goes on at the next call). The billing administrators
        of the company are notified to review the held-back time and post the
        invoices; nothing is posted automatically."""
        today = today or fields.Date.context_today(self)
        cutoff = today.replace(day=1) - relativedelta(days=1)
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("psa_auto_billing", "=", True),
                    ("psa_auto_billing_day", "<=", today.day),
                ]
            )
        )
        for company in companies:
            Run = self.sudo().with_company(company)
            run = Run.search(
                [
                    ("company_id", "=", company.id),
                    ("is_automatic", "=", True),
                    ("cutoff_date", "=", cutoff),
                ],
                limit=1,
            )
            if not run:
                run = Run.create(
                    {
                        "company_id": company.id,
                        "cutoff_date": cutoff,
                        "invoice_date": today,
                        "is_automatic": True,
                        "user_id": False,
                    }
                )
            just_previewed = run.state == "draft"
            if just_previewed:
                run.action_preview()
                self.env["ir.cron"]._commit_progress()
            if run.state != "previewed":
                continue
            done = False
            if run.line_ids.filtered(lambda line: not line.is_held):
                try:
                    done = run.with_context(
                        psa_commit_progress=True
                    )._psa_create_invoices()
                except UserError as error:
                    # nothing could be invoiced (the errors are on the lines):
                    # tried again at the next call
                    _logger.info("Automatic billing run %s: %s", run.name, error)
                else:
                    if not done:
                        # time is up: the next call goes on
                        return
            # said once: when invoiced, or when the preview left nothing to
            # invoice (held-back time, errors) and the run waits for a human
            if done or just_previewed:
                run._psa_notify_billing_admins()
                self.env["ir.cron"]._commit_progress()

    def _psa_notify_billing_admins(self):
        """Tell the billing administrators of the run's company what the run
        made and what waits for them."""
        self.ensure_one()
        admins = self.env.ref("psa_base.group_psa_billing").all_user_ids.filtered(
            lambda user: self.company_id in user.company_ids and user.active
        )
        self.message_post(
            body=self.env._(
                "Automatic month-end billing up to %(cutoff)s: %(invoices)s draft "
                "invoices to review and post, %(held)s held-back lines, "
                "%(errors)s lines in error.",
                cutoff=self.cutoff_date,
                invoices=self.invoice_count,
                held=self.held_line_count,
                errors=self.error_line_count,
            ),
            partner_ids=admins.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------
    # PREVIEW
    # ------------------------------------------------------------

    def _psa_billable_domain(self):
        """Timesheets this run may bill: approved, billable, not yet invoiced (by a
        run or by Odoo's own invoicing), dated up to the cut-off, on a confirmed
        engagement of the run's company."""
        self.ensure_one()
        domain = (
            Domain("company_id", "=", self.company_id.id)
            & Domain("project_id", "!=", False)
            & Domain("psa_state", "=", "approved")
            & Domain("billable_type", "=", "billable")
            & Domain("date", "<=", self.cutoff_date)
            & Domain("psa_invoice_line_id", "=", False)
            & (
                Domain("timesheet_invoice_id", "=", False)
                | Domain("timesheet_invoice_id.state", "=", "cancel")
            )
            & Domain("order_id.state", "=", "sale")
            & Domain("order_id.company_id", "=", self.company_id.id)
        )
        return domain & self._psa_engagement_domain("order_id")

    def _psa_engagement_domain(self, field):
        """The engagements of the run, on ``field``: those named, else those
        whose billing plan is due by the cut-off date (next billing date empty
        or not after it)."""
        self.ensure_one()
        if self.order_ids:
            return Domain(field, "in", self.order_ids.ids)
        not_due = (
            self.env["psa.billing.plan"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("next_billing_date", ">", self.cutoff_date),
                ]
            )
        )
        if not not_due:
            return Domain.TRUE
        return Domain(field, "not in", not_due.order_id.ids)

    def _psa_compute_preview(self):
        """Create the preview lines of the run, batch-safe: the time is read and
        priced by batches of ``INVOICE_BATCH`` engagements, a fixed number of
        queries per batch whatever the number of timesheets, forgotten between
        batches (memory stays bounded)."""
        self.ensure_one()
        run = self.with_company(self.company_id)
        RunLine = self.env["psa.billing.run.line"]
        Timesheet = self.env["account.analytic.line"].sudo()
        milestone_vals = (
            run._psa_milestone_line_values()
            + run._psa_expense_line_values()
            + run._psa_recurring_line_values()
        )
        domain = run._psa_billable_domain()
        order_ids = [
            order.id for [order] in Timesheet._read_group(domain, ["order_id"])
        ]
        for start in range(0, len(order_ids), INVOICE_BATCH):
            timesheets = Timesheet.search_fetch(
                domain
                & Domain("order_id", "in", order_ids[start : start + INVOICE_BATCH]),
                [
                    "order_id",
                    "so_line",
                    "project_id",
                    "date",
                    "unit_amount",
                    "employee_id",
                    "role_id",
                    "task_id",
                    "company_id",
                ],
                order="date, id",
            )
            retainer_vals, timesheets = run._psa_retainer_time_line_values(timesheets)
            RunLine.create(retainer_vals + run._psa_time_line_values(timesheets))
            self._psa_free_batch_cache()
        RunLine.create(milestone_vals)

    def _psa_free_batch_cache(self):
        """Between two batches: forget the timesheets of the batch done (the
        bulk of a run's memory), and have PostgreSQL plan the next batch's
        statements for the tables as they are now.

        PostgreSQL plans the check of a foreign key once per connection and
        keeps the plan (``DISCARD PLANS`` drops it): the check of a timesheet's
        invoice, planned while the invoices table held no more than a first
        batch's invoices (a firm's first run), reads the whole table for each
        timesheet linked afterwards, as the table grows with the run: a cost
        growing as the square of the run (5.3x the time for 4x the firm in the
        benchmark, docs/BENCHMARKS.md)."""
        self.env.flush_all()
        self.env.cr.execute(SQL("DISCARD PLANS"))
        self.env["account.analytic.line"].invalidate_model()
        self.env["psa.billing.run.line"].invalidate_model(
            ["timesheet_id_list", "timesheet_ids"]
        )

    def _psa_time_line_values(self, timesheets):
        """Values of the preview lines of time and materials ``timesheets``:
        grouped by engagement, order item, rate and the engagement's invoice
        grouping (role, person or task); time without a rate is held back."""
        self.ensure_one()
        if not timesheets:
            return []
        Timesheet = self.env["account.analytic.line"].sudo()
        resolved = timesheets._psa_resolve_rates()
        orders = timesheets.order_id
        orders.fetch(
            [
                "currency_id",
                "company_id",
                "psa_fx_policy",
                "psa_fx_rate",
                "psa_cap_amount",
                "psa_invoice_grouping",
            ]
        )
        # time not billed has no billed amount (see _psa_billed_time_amount)
        billed_so_far = dict(
            Timesheet._read_group(
                Domain("order_id", "in", orders.ids),
                ["order_id"],
                ["psa_billed_amount:sum"],
            )
        )
        converted = {}
        groups = {}
        for timesheet in timesheets:
            order = timesheet.order_id
            values = resolved[timesheet.id]
            rate_line = values["rate_line"]
            if not rate_line:
                key = (order.id, "held", values["reason"])
                group = groups.setdefault(
                    key,
                    {
                        "order": order,
                        "sale_line": timesheet.so_line,
                        "rate": 0.0,
                        "held_reason": values["reason"],
                        "timesheets": [],
                    },
                )
                group["timesheets"].append(timesheet)
                continue
            cache_key = (rate_line.id, order.id)
            if cache_key not in converted:
                converted[cache_key] = self._psa_price_in_order_currency(
                    values["price"], values["currency"], order
                )
            rate = converted[cache_key]
            grouping_key = order._psa_invoice_grouping_key(timesheet)
            key = (order.id, timesheet.so_line.id, grouping_key, rate)
            group = groups.setdefault(
                key,
                {
                    "order": order,
                    "sale_line": timesheet.so_line,
                    "rate": rate,
                    "grouping": grouping_key,
                    "rate_lines": set(),
                    "timesheets": [],
                },
            )
            group["rate_lines"].add(rate_line.id)
            group["timesheets"].append(timesheet)
        return self._psa_preview_line_values(groups, billed_so_far)

    def _psa_milestone_domain(self):
        """Order lines invoiced on milestones with a quantity to invoice (Odoo's:
        the reached milestones' share not invoiced yet), on a confirmed
        engagement of the run's company."""
        self.ensure_one()
        domain = (
            Domain("company_id", "=", self.company_id.id)
            & Domain("order_id.state", "=", "sale")
            & Domain("qty_delivered_method", "=", "milestones")
            & Domain("qty_to_invoice", ">", 0)
        )
        return domain & self._psa_engagement_domain("order_id")

    def _psa_milestone_line_values(self):
        """Values of the preview lines of the order lines invoiced on milestones:
        one line each, no hours, the amount Odoo would invoice. A fixed number
        of queries, plus the pricing of each such order line."""
        self.ensure_one()
        sale_lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(self._psa_milestone_domain(), order="order_id, sequence, id")
        )
        if not sale_lines:
            return []
        milestones = (
            self.env["project.milestone"]
            .sudo()
            .search_fetch(
                [("sale_line_id", "in", sale_lines.ids), ("is_reached", "=", True)],
                ["name", "sale_line_id", "reached_date"],
                order="reached_date, id",
            )
        )
        by_line = defaultdict(lambda: self.env["project.milestone"])
        for milestone in milestones:
            by_line[milestone.sale_line_id] |= milestone
        vals_list = []
        for sale_line in sale_lines:
            reached = by_line[sale_line]
            dates = [day for day in reached.mapped("reached_date") if day]
            vals_list.append(
                {
                    "run_id": self.id,
                    "order_id": sale_line.order_id.id,
                    "sale_line_id": sale_line.id,
                    "line_kind": "milestone",
                    "milestone_names": ", ".join(reached.mapped("name")),
                    "hours": 0.0,
                    "rate": 0.0,
                    "amount": sale_line._psa_milestone_amount_to_invoice(),
                    "date_from": min(dates) if dates else False,
                    "date_to": max(dates) if dates else False,
                }
            )
        return vals_list

    def _psa_expense_domain(self):
        """Order lines of re-invoiced costs (sale_expense: expenses, or vendor
        bills) with a quantity to invoice, on a confirmed engagement of the
        run's company."""
        self.ensure_one()
        domain = (
            Domain("company_id", "=", self.company_id.id)
            & Domain("order_id.state", "=", "sale")
            & Domain("is_expense", "=", True)
            & Domain("qty_delivered_method", "=", "analytic")
            & Domain("qty_to_invoice", ">", 0)
        )
        return domain & self._psa_engagement_domain("order_id")

    def _psa_expense_quantities(self, sale_lines):
        """Quantity of each re-invoiced cost's order line the run bills: Odoo's
        quantity to invoice, but only what was delivered (the expense or bill
        posted, Odoo's analytic lines) by the cut-off date."""
        self.ensure_one()
        sale_lines = sale_lines.sudo()
        delivered = sale_lines._get_delivered_quantity_by_analytic(
            [("amount", "<=", 0.0), ("date", "<=", self.cutoff_date)]
        )
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        quantities = {}
        for sale_line in sale_lines:
            quantity = min(
                sale_line.qty_to_invoice,
                delivered.get(sale_line.id, 0.0) - sale_line.qty_invoiced,
            )
            quantities[sale_line] = max(
                float_round(quantity, precision_digits=digits), 0.0
            )
        return quantities

    def _psa_expense_amount(self, sale_line, quantity):
        """Untaxed amount of ``quantity`` of a re-invoiced cost's order line, at
        its price (at cost or at sales price, per its product's expense policy)
        and discount, in the order's currency."""
        return sale_line.currency_id.round(
            quantity
            * sale_line.price_unit
            * (1.0 - (sale_line.discount or 0.0) / 100.0)
        )

    def _psa_expense_line_values(self):
        """Values of the preview lines of the re-invoiced expenses: one line per
        order line with a quantity delivered by the cut-off date to invoice, no
        hours, the amount Odoo would invoice for it. Dated by the expenses (by
        the analytic lines of a re-invoiced vendor bill, else by the order
        line's creation). A fixed number of queries."""
        self.ensure_one()
        sale_lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(self._psa_expense_domain(), order="order_id, sequence, id")
        )
        if not sale_lines:
            return []
        quantities = self._psa_expense_quantities(sale_lines)
        sale_lines = sale_lines.filtered(lambda sale_line: quantities[sale_line])
        if not sale_lines:
            return []
        expenses = (
            self.env["hr.expense"]
            .sudo()
            .search_fetch(
                [("sale_order_line_id", "in", sale_lines.ids)],
                ["name", "date", "sale_order_line_id"],
                order="date, id",
            )
        )
        expenses_of = expenses.grouped("sale_order_line_id")
        analytic_dates = {
            sale_line: (first, last)
            for sale_line, first, last in self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("so_line", "in", sale_lines.ids),
                    ("amount", "<=", 0.0),
                    ("date", "<=", self.cutoff_date),
                ],
                ["so_line"],
                ["date:min", "date:max"],
            )
        }
        vals_list = []
        for sale_line in sale_lines:
            line_expenses = expenses_of.get(sale_line, expenses.browse())
            dates = [day for day in line_expenses.mapped("date") if day]
            if dates:
                date_from, date_to = min(dates), max(dates)
            elif sale_line in analytic_dates:
                date_from, date_to = analytic_dates[sale_line]
            else:
                date_from = date_to = sale_line.create_date.date()
            quantity = quantities[sale_line]
            vals_list.append(
                {
                    "run_id": self.id,
                    "order_id": sale_line.order_id.id,
                    "sale_line_id": sale_line.id,
                    "line_kind": "expense",
                    "expense_names": ", ".join(line_expenses.mapped("name"))
                    or sale_line.name,
                    "quantity": quantity,
                    "hours": 0.0,
                    "rate": sale_line.price_unit,
                    "amount": self._psa_expense_amount(sale_line, quantity),
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        return vals_list

    def _psa_recurring_line_values(self):
        """Values of the preview lines of the recurring fees and retainers due:
        one line per period, prorated by days when the period is cut by the
        fee's dates. A fixed number of queries."""
        self.ensure_one()
        domain = (
            Domain("company_id", "=", self.company_id.id)
            & Domain("order_id.state", "=", "sale")
            & Domain("type", "in", ("recurring", "retainer"))
            & Domain(
                "next_billing_date", "<=", max(self.cutoff_date, self.invoice_date)
            )
        ) & self._psa_engagement_domain("order_id")
        plan_lines = self.env["psa.billing.plan.line"].sudo().search(domain)
        vals_list = []
        for plan_line in plan_lines:
            currency = plan_line.order_id.currency_id
            periods = plan_line._psa_due_periods(self.cutoff_date, self.invoice_date)
            for date_from, date_to, share in periods:
                vals_list.append(
                    {
                        "run_id": self.id,
                        "order_id": plan_line.order_id.id,
                        "plan_line_id": plan_line.id,
                        "line_kind": "recurring",
                        "hours": 0.0,
                        "rate": 0.0,
                        "amount": currency.round(plan_line.amount * share),
                        "date_from": date_from,
                        "date_to": date_to,
                    }
                )
        return vals_list

    def _psa_retainer_time_line_values(self, timesheets):
        """Split the retainers' time from ``timesheets``: returns the values of
        its preview lines and the other timesheets (time and materials).

        The time of an engagement dated within one of its retainers burns the
        retainer's period (allocated again first, see
        ``psa.retainer.period._psa_reallocate``). Per period: one line of the
        time fully covered, billed at zero; lines of the time with overage, at
        the overage rate (or at the rate card when the plan also has a time and
        materials component, or the retainer counts money), held back under
        the hold policy until a billing administrator approves them. The lines
        are on the order item of their time, so that Odoo's invoiced quantities
        count their hours (an overage line also invoices at zero the part of
        its time the balance covered)."""
        self.ensure_one()
        Timesheet = self.env["account.analytic.line"].sudo()
        retainers = (
            self.env["psa.billing.plan.line"]
            .sudo()
            .search(
                [
                    ("type", "=", "retainer"),
                    ("order_id", "in", timesheets.order_id.ids),
                    ("date_start", "<=", self.cutoff_date),
                ]
            )
        )
        if not retainers:
            return [], timesheets
        by_order = retainers.grouped("order_id")
        governed = timesheets.filtered(
            lambda ts: any(
                line._psa_period_of(ts.date)
                for line in by_order.get(ts.order_id, retainers.browse())
            )
        )
        if not governed:
            return [], timesheets
        retainers._psa_reallocate_covering(governed)
        governed.invalidate_recordset()
        governed.fetch(
            [
                "psa_retainer_period_id",
                "psa_retainer_covered",
                "psa_retainer_overage",
                "psa_overage_approved",
            ]
        )
        resolved = governed._psa_resolve_rates()
        converted = {}
        groups = {}
        hours_of = governed._psa_overage_hours()
        for timesheet in governed:
            period = timesheet.psa_retainer_period_id
            if not period:
                continue
            line = period.plan_line_id
            order = timesheet.order_id
            sale_line = timesheet.so_line
            if not hours_of[timesheet.id]:
                # fully covered: billed at zero
                covered = groups.setdefault(
                    (period.id, sale_line.id, "covered"),
                    {
                        "period": period,
                        "sale_line": sale_line,
                        "kind": "retainer_time",
                        "rate": 0.0,
                        "hours": 0.0,
                        "covered": 0.0,
                        "timesheets": [],
                        "dates": [],
                    },
                )
                covered["hours"] += timesheet.unit_amount
                covered["dates"].append(timesheet.date)
                covered["timesheets"].append(timesheet)
                continue
            held_reason = False
            if line.retainer_unit == "hours" and not line.plan_id.has_time_materials:
                rate = line.overage_rate
            else:
                values = resolved[timesheet.id]
                if not values["rate_line"]:
                    rate, held_reason = 0.0, values["reason"]
                else:
                    cache_key = (values["rate_line"].id, order.id)
                    if cache_key not in converted:
                        converted[cache_key] = self._psa_price_in_order_currency(
                            values["price"], values["currency"], order
                        )
                    rate = converted[cache_key]
            if (
                not held_reason
                and line.overage_policy == "hold"
                and not timesheet.psa_overage_approved
            ):
                held_reason = self.env._(
                    "Retainer overage held for approval (%(retainer)s).",
                    retainer=line._psa_label(),
                )
            group = groups.setdefault(
                (period.id, sale_line.id, "overage", rate, held_reason),
                {
                    "period": period,
                    "sale_line": sale_line,
                    "kind": "overage",
                    "rate": rate,
                    "held_reason": held_reason,
                    "hours": 0.0,
                    "covered": 0.0,
                    "timesheets": [],
                    "dates": [],
                },
            )
            group["hours"] += hours_of[timesheet.id]
            group["covered"] += timesheet.unit_amount - hours_of[timesheet.id]
            group["dates"].append(timesheet.date)
            group["timesheets"].append(timesheet)
        vals_list = []
        for group in groups.values():
            lines = Timesheet.union(*group["timesheets"])
            period = group["period"]
            hours = float_round(group["hours"], precision_digits=2)
            currency = period.order_id.currency_id
            vals_list.append(
                {
                    "run_id": self.id,
                    "order_id": period.order_id.id,
                    "plan_line_id": period.plan_line_id.id,
                    "retainer_period_id": period.id,
                    "sale_line_id": group["sale_line"].id,
                    "line_kind": group["kind"],
                    "hours": hours,
                    "covered_hours": float_round(group["covered"], precision_digits=2),
                    "rate": group["rate"],
                    "amount": currency.round(hours * group["rate"]),
                    "is_held": bool(group.get("held_reason")),
                    "held_reason": group.get("held_reason") or False,
                    "date_from": min(group["dates"]),
                    "date_to": max(group["dates"]),
                    "timesheet_id_list": lines.ids,
                }
            )
        billed_in_periods = governed.filtered("psa_retainer_period_id")
        return vals_list, timesheets - billed_in_periods

    def _psa_price_in_order_currency(self, price, currency, order):
        return (
            self.env["account.analytic.line"]
            .with_company(order.company_id)
            ._psa_price_in_currency(
                price, currency, order.currency_id, self.invoice_date, order
            )
        )

    def _psa_preview_line_values(self, groups, billed_so_far):
        """Values of the preview lines from the groups of timesheets; applies the
        engagements' not-to-exceed caps: in the order of their earliest time, lines
        are billed until the cap is reached and the rest is held back as a
        write-down."""
        hours_digits = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        vals_list = []
        by_order = defaultdict(list)
        for group in groups.values():
            by_order[group["order"]].append(group)
        for order, order_groups in by_order.items():
            currency = order.currency_id
            cap = order.psa_cap_amount
            remaining = (
                currency.round(cap - billed_so_far.get(order, 0.0)) if cap else None
            )
            order_groups.sort(
                key=lambda group: (
                    "held_reason" in group,
                    group["timesheets"][0].date,
                    group["timesheets"][0].id,
                )
            )
            for group in order_groups:
                lines = self.env["account.analytic.line"].union(*group["timesheets"])
                hours = float_round(
                    sum(lines.mapped("unit_amount")), precision_digits=hours_digits
                )
                amount = currency.round(hours * group["rate"])
                held_amount = 0.0
                held_reason = group.get("held_reason", False)
                if not held_reason and remaining is not None:
                    billed = max(min(amount, remaining), 0.0)
                    held_amount = currency.round(amount - billed)
                    remaining = currency.round(remaining - billed)
                    if held_amount:
                        held_reason = self.env._(
                            "Not-to-exceed cap of %(cap)s reached.",
                            cap=currency.format(cap),
                        )
                grouping = group.get("grouping") or (False, False, False)
                vals_list.append(
                    {
                        "run_id": self.id,
                        "order_id": order.id,
                        "sale_line_id": group["sale_line"].id,
                        "role_id": grouping[0],
                        "employee_id": grouping[1],
                        "task_id": grouping[2],
                        "rate": group["rate"],
                        # when one priced all the time (the usual case)
                        "rate_line_id": len(group.get("rate_lines", ())) == 1
                        and next(iter(group["rate_lines"])),
                        "hours": hours,
                        "amount": amount,
                        "is_held": "held_reason" in group,
                        "held_amount": held_amount,
                        "held_reason": held_reason,
                        "date_from": lines[0].date,
                        "date_to": lines[-1].date,
                        "timesheet_id_list": lines.ids,
                    }
                )
        return vals_list

    # ------------------------------------------------------------
    # INVOICING
    # ------------------------------------------------------------

    def _psa_create_invoices(self):
        """Invoice the engagements of the preview by batches of
        ``INVOICE_BATCH``: each engagement is locked and checked in its own
        savepoint (one failing is skipped with its error, the others go on),
        then the batch's invoices are created in one go, as Odoo's own batched
        invoicing does, and their time linked in one query. A batch failing
        as a whole is invoiced again engagement by engagement, to tell which
        one fails. The timesheets of a batch are forgotten before the next one:
        memory stays bounded whatever the size of the run.

        With ``psa_commit_progress`` in the context (the scheduled run), each
        batch is committed; returns False when the scheduled action's time is
        up before the end (calling it again goes on), True when done."""
        self.ensure_one()
        # resumable: the engagements a previous, interrupted call invoiced stay
        to_invoice = self.line_ids.filtered(
            lambda line: not line.is_held and not line.invoice_line_id
        )
        lines_by_order = defaultdict(lambda: self.env["psa.billing.run.line"])
        for line in to_invoice:
            lines_by_order[line.order_id] |= line
        to_invoice.error = False
        orders = list(lines_by_order)
        for start in range(0, len(orders), INVOICE_BATCH):
            batch = orders[start : start + INVOICE_BATCH]
            self._psa_invoice_batch({order: lines_by_order[order] for order in batch})
            left = max(len(orders) - start - INVOICE_BATCH, 0)
            if self.env.context.get("psa_commit_progress"):
                # the scheduled run commits batch by batch and stops when its
                # time is up (the scheduler calls it again to go on)
                if not self.env["ir.cron"]._commit_progress(len(batch), remaining=left):
                    if left:
                        return False
            if left:
                self._psa_free_batch_cache()
        if self.line_ids.invoice_line_id:
            self.state = "invoiced"
        elif self.line_ids.filtered("error"):
            raise UserError(
                self.env._(
                    "No invoice could be created:\n%(errors)s",
                    errors="\n".join(
                        f"{line.order_id.name}: {line.error}"
                        for line in self.line_ids.filtered("error")
                    ),
                )
            )
        else:
            raise UserError(self.env._("There is nothing to invoice in this run."))
        return True

    def _psa_invoice_batch(self, lines_by_order):
        """Invoice ``{engagement: its preview lines}``: see
        ``_psa_create_invoices``."""
        # the time of the batch's preview lines in one query, not one per engagement
        self.env["psa.billing.run.line"].union(*lines_by_order.values()).fetch(
            ["timesheet_ids"]
        )
        prepared = {}
        for order, lines in lines_by_order.items():
            with self._psa_engagement_errors(order, lines):
                with self.env.cr.savepoint():
                    prepared[order] = self._psa_prepare_engagement_invoice(order, lines)
        if not prepared:
            return
        if len(prepared) > 1:
            try:
                with self.env.cr.savepoint():
                    # a copy: creating may change the values, needed again below
                    self._psa_create_engagement_invoices(
                        copy.deepcopy(prepared), lines_by_order
                    )
                return
            except (UserError, ValidationError, *CONCURRENCY_ERRORS):
                # e.g. time approved at this moment on one of the engagements:
                # the others must not wait for it
                _logger.info(
                    "Billing run %s: a batch of %s engagements failed, invoicing "
                    "them one by one",
                    self.name,
                    len(prepared),
                )
        # one by one (the locks taken by the checks are kept)
        for order, invoice_vals in prepared.items():
            with self._psa_engagement_errors(order, lines_by_order[order]):
                with self.env.cr.savepoint():
                    self._psa_create_engagement_invoices(
                        {order: invoice_vals}, lines_by_order
                    )

    @contextmanager
    def _psa_engagement_errors(self, order, lines):
        """Write on the engagement's preview lines why it could not be invoiced
        (a business error, or another run billing it at the same moment)."""
        error = False
        try:
            yield
        except CONCURRENCY_ERRORS:
            error = self.env._(
                "Another billing run is billing this engagement's time at the "
                "same moment: nothing was billed here; preview again later."
            )
        except (UserError, ValidationError) as exc:
            error = str(exc)
        if error:
            _logger.info(
                "Billing run %s: engagement %s not invoiced: %s",
                self.name,
                order.name,
                error,
            )
            lines.error = error

    def _psa_lock_timesheets(self, timesheets):
        """Lock the timesheets of an engagement; fails at once (NOWAIT) when
        another transaction holds them, or when another transaction changed them
        since this one started (REPEATABLE READ)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_analytic_line WHERE id IN %s "
                "FOR NO KEY UPDATE NOWAIT",
                tuple(timesheets.ids),
            ),
            log_exceptions=False,
        )

    def _psa_lock_records(self, records):
        """Lock the order lines invoiced on milestones, or the fees, of an
        engagement like its timesheets: another run invoicing them at once fails
        here, and the records are read again."""
        if not records:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                SQL.identifier(records._table),
                tuple(records.ids),
            ),
            log_exceptions=False,
        )
        records.invalidate_recordset()

    def _psa_prepare_engagement_invoice(self, order, lines):
        """Lock what the engagement's preview lines bill, check it is still as
        previewed, and return the values of its draft invoice."""
        timesheets = lines.timesheet_ids.sudo()
        if timesheets:
            self._psa_lock_timesheets(timesheets)
            timesheets.invalidate_recordset()
        self._psa_lock_records(
            lines.filtered(
                lambda line: line.line_kind in ("milestone", "expense")
            ).sale_line_id.sudo()
        )
        self._psa_lock_records(lines.plan_line_id.sudo())
        lines._psa_check_still_billable()
        lines._psa_check_cap()
        order = order.with_company(order.company_id)
        if order.partner_invoice_id.lang:
            order = order.with_context(lang=order.partner_invoice_id.lang)
        invoice_vals = order._prepare_invoice()
        invoice_vals["invoice_date"] = self.invoice_date
        for sequence, line in enumerate(lines.sorted("sequence"), start=1):
            invoice_vals["invoice_line_ids"] += [
                Command.create(vals)
                for vals in line._psa_prepare_invoice_lines(sequence * 10)
            ]
        return invoice_vals

    def _psa_create_engagement_invoices(self, invoice_vals_by_order, lines_by_order):
        """Create the draft invoices ``{engagement: invoice values}`` at once and
        link every preview line to its invoice line, every timesheet to the
        invoice line that billed it; the billing plans move on."""
        orders = list(invoice_vals_by_order)
        moves = (
            self.env["sale.order"]
            .union(*orders)
            .with_company(self.company_id)
            ._create_account_invoices(list(invoice_vals_by_order.values()), final=False)
        )
        all_lines = self.env["psa.billing.run.line"]
        for order, move in zip(orders, moves, strict=True):
            move.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": move, "origin": order},
                subtype_xmlid="mail.mt_note",
            )
            lines = lines_by_order[order]
            all_lines |= lines
            # each preview line's first invoice line on its sale order item,
            # else (fees, credits) its first invoice line
            main_lines = {}
            move_lines = move.invoice_line_ids.sorted(
                lambda move_line: (move_line.sequence, move_line.id)
            )
            for move_line in move_lines:
                if move_line.psa_billing_run_line_id and move_line.sale_line_ids:
                    main_lines.setdefault(move_line.psa_billing_run_line_id, move_line)
            for move_line in move_lines:
                if move_line.psa_billing_run_line_id:
                    main_lines.setdefault(move_line.psa_billing_run_line_id, move_line)
            for line in lines:
                line.invoice_line_id = main_lines[line]
        all_lines._psa_link_timesheets()
        all_lines._psa_advance_plans()
        # the engagements' schedules move on when they were due (billing an
        # engagement named ahead of its schedule leaves the schedule)
        for plan in self.env["sale.order"].union(*orders).sudo().psa_billing_plan_id:
            if plan.next_billing_date and plan.next_billing_date <= self.cutoff_date:
                plan._psa_advance_schedule(self.cutoff_date)
        return moves
