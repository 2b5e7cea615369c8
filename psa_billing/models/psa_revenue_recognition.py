from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_is_zero

from .sale_order import REVENUE_METHODS

ENTRY_KINDS = [
    ("none", "None"),
    ("accrued", "Accrued Revenue"),
    ("deferred", "Deferred Revenue"),
]
INVOICE_MOVE_TYPES = ("out_invoice", "out_refund")
# invoice lines that are revenue (not a down payment held on a liability)
REVENUE_ACCOUNT_TYPES = ("income", "income_other")
# billing plan components billed per period (spread by the straight line)
FEE_TYPES = ("recurring", "retainer")


class PsaRevenueRecognition(models.Model):
    """Revenue recognized on an engagement up to a period end, by the
    engagement's method, against the revenue invoiced up to that day; the
    difference is posted to accrued revenue (recognized > invoiced) or deferred
    revenue (invoiced > recognized) on the period end and reversed on the next
    day. All amounts are in the company's currency.

    Sources (see ``_psa_measure``):

    - contract value: the engagement's untaxed total (but re-invoiced expenses
      and down payments) converted into the company's currency at the order
      date; invoiced to date: the revenue lines of the engagement's posted
      invoices and credit notes (but re-invoiced expenses);
    - ``poc_hours``: approved timesheet hours of the engagement up to the period
      end over the budgeted hours: its projects' allocated hours, else the hours
      sold on its timesheet-tracked lines;
    - ``poc_cost``: cost of that time (the timesheets' cost) over the budgeted
      cost: its projects' budgeted cost (``psa_budget_cost``, module psa_project)
      else the sold quantities at the products' cost;
    - ``milestone``: the share of milestone-invoiced lines of their milestones
      reached by the period end, at the lines' untaxed price;
    - ``straight_line``: the recurring and retainer fees of the billing plan,
      each period's amount (prorated as billed) spread by days over its period;
      without fees, the contract value spread by days from the projects' start
      to their end date.

    Progress is capped at 100 %."""

    _name = "psa.revenue.recognition"
    _description = "Revenue Recognition"
    _order = "date desc, order_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Client", readonly=True, index=True
    )
    date = fields.Date(string="Period End", required=True, readonly=True, index=True)
    method = fields.Selection(REVENUE_METHODS, required=True, readonly=True)
    progress = fields.Float(
        string="Progress (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Share of the contract value earned at the period end.",
    )
    contract_value = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Untaxed total of the engagement at the order date (straight line: "
        "the recurring fees of the service period).",
    )
    done_quantity = fields.Float(
        string="Done to Date",
        readonly=True,
        help="Hours (POC hours) or cost (POC cost) up to the period end.",
    )
    budget_quantity = fields.Float(
        string="Budget",
        readonly=True,
        help="Budgeted hours (POC hours) or budgeted cost (POC cost).",
    )
    recognized_amount = fields.Monetary(
        string="Recognized to Date", currency_field="currency_id", readonly=True
    )
    invoiced_amount = fields.Monetary(
        string="Invoiced to Date",
        currency_field="currency_id",
        readonly=True,
        help="Revenue lines of the engagement's posted customer invoices minus "
        "credit notes, dated up to the period end.",
    )
    difference_amount = fields.Monetary(
        string="Accrued (Deferred)",
        currency_field="currency_id",
        readonly=True,
        help="Recognized minus invoiced: positive is accrued revenue, negative "
        "deferred revenue.",
    )
    entry_kind = fields.Selection(ENTRY_KINDS, string="Entry", readonly=True)
    move_id = fields.Many2one(
        "account.move",
        string="Journal Entry",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    reversal_move_id = fields.Many2one(
        "account.move",
        string="Reversal",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    entry_posted = fields.Boolean(compute="_compute_entry_posted", store=True)

    _order_date_uniq = models.Constraint(
        "UNIQUE(order_id, date)",
        "An engagement's revenue is recognized once per period end.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("move_id.state")
    def _compute_entry_posted(self):
        for record in self:
            record.entry_posted = record.move_id.state == "posted"

    @api.depends("order_id", "date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = (
                f"{record.order_id.name or ''} - {fields.Date.to_string(record.date)}"
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _psa_recognize(self, orders, date_to, grouped=False):
        """Recognize the revenue of ``orders`` (one company) up to ``date_to``:
        one record per engagement not recognized on that day yet, and the
        entries (one per engagement, or one for all with ``grouped``) posted and
        reversed on the next day. Returns the new records."""
        self.check_access("create")
        orders = orders.sudo()
        company = orders.company_id
        if len(company) > 1:
            raise UserError(
                self.env._("Recognize the revenue of one company at a time.")
            )
        done = self.sudo().search(
            [("order_id", "in", orders.ids), ("date", ">=", date_to)]
        )
        later = done.filtered(lambda record: record.date > date_to)
        if later:
            raise UserError(
                self.env._(
                    "The revenue of %(orders)s is already recognized for a later "
                    "period end (%(date)s): recognize the periods in order.",
                    orders=", ".join(later.order_id.mapped("name")),
                    date=fields.Date.to_string(max(later.mapped("date"))),
                )
            )
        orders -= done.order_id
        if not orders:
            return self.browse()
        self._psa_check_previous_reversed(orders, date_to)
        values = [self._psa_measure(order, date_to) for order in orders]
        if any(vals["entry_kind"] != "none" for vals in values):
            company._psa_revenue_recognition_setup()
        records = self.create(values)
        to_post = records.filtered(lambda record: record.entry_kind != "none")
        if to_post:
            to_post._psa_post_entries(grouped=grouped)
        return records

    @api.model
    def _psa_check_previous_reversed(self, orders, date_to):
        """The entry of the previous period of each engagement must be reversed
        (the new entry replaces it)."""
        previous = self.sudo().search(
            [
                ("order_id", "in", orders.ids),
                ("date", "<", date_to),
                ("move_id", "!=", False),
            ]
        )
        pending = previous.filtered(
            lambda record: record.reversal_move_id.state != "posted"
        )
        if pending:
            raise UserError(
                self.env._(
                    "The revenue recognition entries %(entries)s are not reversed: "
                    "post their reversal before recognizing a later period.",
                    entries=", ".join(pending.move_id.mapped("name")),
                )
            )

    # ------------------------------------------------------------
    # MEASURES
    # ------------------------------------------------------------

    @api.model
    def _psa_measure(self, order, date_to):
        """Values of the record of ``order`` (sudo) at ``date_to``."""
        company = order.company_id
        currency = company.currency_id
        method = order.psa_revenue_method
        contract_value = self._psa_contract_value(order)
        invoiced = self._psa_invoiced_amount(order, date_to)
        done = budget = 0.0
        if method == "invoice":
            recognized = invoiced
        elif method in ("poc_hours", "poc_cost"):
            if method == "poc_hours":
                done, budget = self._psa_hours(order, date_to)
            else:
                done, budget = self._psa_costs(order, date_to)
            if float_is_zero(budget, precision_digits=2):
                raise UserError(
                    self.env._(
                        "The engagement %(order)s has no budget to measure its "
                        "percentage of completion: give its project allocated "
                        "hours (or a budgeted cost) or its lines quantities.",
                        order=order.name,
                    )
                )
            recognized = contract_value * min(done / budget, 1.0)
        elif method == "milestone":
            recognized = self._psa_milestone_amount(order, date_to)
        else:
            contract_value, recognized = self._psa_straight_line(order, date_to)
        recognized = currency.round(recognized)
        invoiced = currency.round(invoiced)
        difference = currency.round(recognized - invoiced)
        if method == "invoice" or currency.is_zero(difference):
            kind = "none"
        else:
            kind = "accrued" if difference > 0 else "deferred"
        return {
            "order_id": order.id,
            "partner_id": order.partner_id.commercial_partner_id.id,
            "date": date_to,
            "method": method,
            "contract_value": currency.round(contract_value),
            "progress": (
                min(recognized / contract_value, 1.0) * 100.0 if contract_value else 0.0
            ),
            "done_quantity": done,
            "budget_quantity": budget,
            "recognized_amount": recognized,
            "invoiced_amount": invoiced,
            "difference_amount": difference,
            "entry_kind": kind,
        }

    @api.model
    def _psa_to_company_currency(self, order, amount):
        """``amount`` of the order's currency in the company's, at the order
        date (the contract's rate)."""
        company = order.company_id
        return order.currency_id._convert(
            amount,
            company.currency_id,
            company,
            fields.Date.to_date(order.date_order),
            round=False,
        )

    @api.model
    def _psa_contract_value(self, order):
        """Untaxed total of the engagement's lines, but re-invoiced expenses
        and down payments (recognized as invoiced), in the company's currency."""
        lines = order.order_line.filtered(
            lambda line: not line.display_type
            and not line.is_expense
            and not line.is_downpayment
        )
        return self._psa_to_company_currency(order, sum(lines.mapped("price_subtotal")))

    @api.model
    def _psa_invoiced_amount(self, order, date_to):
        """Revenue of the engagement's posted customer invoices less credit
        notes (their lines on income accounts, of the engagement's order lines
        or billing runs), accounting date up to ``date_to``, in the company's
        currency."""
        domain = Domain(
            [
                ("company_id", "=", order.company_id.id),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", INVOICE_MOVE_TYPES),
                ("display_type", "=", "product"),
                ("account_id.account_type", "in", REVENUE_ACCOUNT_TYPES),
                ("date", "<=", date_to),
            ]
        ) & (
            Domain("sale_line_ids.order_id", "=", order.id)
            | Domain("psa_billing_run_line_id.order_id", "=", order.id)
        )
        # re-invoiced expenses are revenue when invoiced: out of the measure
        domain &= ~Domain("sale_line_ids.is_expense", "=", True)
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(domain, [], ["balance:sum"])
        )
        return -(groups[0][0] or 0.0)

    @api.model
    def _psa_projects(self, order):
        return (
            order.project_ids
            | order.order_line.project_id
            | self.env["project.project"]
            .sudo()
            .search([("sale_line_id", "in", order.order_line.ids)])
        )

    @api.model
    def _psa_timesheet_domain(self, order, date_to):
        projects = self._psa_projects(order)
        return Domain(
            [
                ("project_id", "!=", False),
                ("psa_state", "=", "approved"),
                ("date", "<=", date_to),
            ]
        ) & (
            Domain("order_id", "=", order.id) | Domain("project_id", "in", projects.ids)
        )

    @api.model
    def _psa_hours(self, order, date_to):
        """(approved hours up to ``date_to``, budgeted hours)."""
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                self._psa_timesheet_domain(order, date_to), [], ["unit_amount:sum"]
            )
        )
        done = groups[0][0] or 0.0
        budget = sum(self._psa_projects(order).mapped("allocated_hours"))
        if not budget:
            hour = self.env.ref("uom.product_uom_hour")
            budget = sum(
                line.product_uom_id._compute_quantity(
                    line.product_uom_qty, hour, raise_if_failure=False
                )
                for line in order.order_line
                if line.product_id.type == "service"
                and line.product_id.service_type == "timesheet"
            )
        return done, budget

    @api.model
    def _psa_costs(self, order, date_to):
        """(cost of the approved time up to ``date_to``, budgeted cost), in the
        company's currency."""
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(self._psa_timesheet_domain(order, date_to), [], ["amount:sum"])
        )
        done = -(groups[0][0] or 0.0)
        projects = self._psa_projects(order)
        budget = 0.0
        if "psa_budget_cost" in projects._fields:
            budget = sum(projects.mapped("psa_budget_cost"))
        if not budget:
            budget = sum(
                line.product_uom_qty * line.product_id.standard_price
                for line in order.order_line
                if not line.display_type
            )
        return done, budget

    @api.model
    def _psa_milestone_amount(self, order, date_to):
        """Untaxed amount of the milestone-invoiced lines for their milestones
        reached by ``date_to`` (Odoo delivers ``quantity_percentage`` of the
        line per reached milestone), in the company's currency."""
        amount = 0.0
        for line in order.order_line.filtered(
            lambda line: line.qty_delivered_method == "milestones"
        ):
            milestones = (
                self.env["project.milestone"]
                .sudo()
                .search(
                    [
                        ("sale_line_id", "=", line.id),
                        ("is_reached", "=", True),
                        ("reached_date", "<=", date_to),
                    ]
                )
            )
            share = min(sum(milestones.mapped("quantity_percentage")), 1.0)
            amount += share * line.price_subtotal
        return self._psa_to_company_currency(order, amount)

    @api.model
    def _psa_straight_line(self, order, date_to):
        """(contract value, recognized by ``date_to``) spread evenly by days:
        each recurring fee's period amount over the days of its period; without
        fees the contract value from the projects' start to their end."""
        fees = order.psa_billing_plan_line_ids.filtered(
            lambda fee: fee.type in FEE_TYPES and fee.date_start
        )
        if fees:
            total = recognized = 0.0
            for fee in fees:
                fee_total, fee_recognized = self._psa_fee_spread(fee, date_to)
                total += fee_total
                recognized += fee_recognized
            return (
                self._psa_to_company_currency(order, total),
                self._psa_to_company_currency(order, recognized),
            )
        projects = self._psa_projects(order)
        starts = [day for day in projects.mapped("date_start") if day]
        ends = [day for day in projects.mapped("date") if day]
        if not starts or not ends:
            raise UserError(
                self.env._(
                    "The engagement %(order)s is recognized straight line: give its "
                    "project a start and an end date, or recurring fees.",
                    order=order.name,
                )
            )
        start, end = min(starts), max(ends)
        value = self._psa_contract_value(order)
        return value, value * self._psa_elapsed_share(start, end, date_to)

    @api.model
    def _psa_elapsed_share(self, start, end, date_to):
        """Share of the days from ``start`` to ``end`` (inclusive) elapsed at
        the end of ``date_to``."""
        if date_to < start:
            return 0.0
        total = (end - start).days + 1
        return min(((date_to - start).days + 1) / total, 1.0) if total > 0 else 1.0

    @api.model
    def _psa_fee_spread(self, fee, date_to):
        """(amount of the fee's periods up to its end or ``date_to``'s period,
        amount recognized by ``date_to``): each period's amount (prorated as the
        fee bills it) spread over the days it covers."""
        total = recognized = 0.0
        day = fee.date_start
        last = fee.date_end or fee._psa_period_bounds(date_to)[1]
        while day <= last:
            full_start, full_end = fee._psa_period_bounds(day)
            end = min(full_end, fee.date_end) if fee.date_end else full_end
            share = 1.0
            if fee.proration and (day, end) != (full_start, full_end):
                share = ((end - day).days + 1) / ((full_end - full_start).days + 1)
            amount = fee.amount * share
            total += amount
            recognized += amount * self._psa_elapsed_share(day, end, date_to)
            day = end + timedelta(days=1)
        return total, recognized

    # ------------------------------------------------------------
    # ENTRIES
    # ------------------------------------------------------------

    def _psa_income_account(self):
        """Revenue account of the engagement: its first product line's income
        account (through its fiscal position), else the company's default."""
        self.ensure_one()
        order = self.order_id.sudo()
        for line in order.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        ):
            accounts = line.product_id.product_tmpl_id.with_company(
                order.company_id
            )._get_product_accounts()
            account = accounts.get("income")
            if account:
                return order.fiscal_position_id.map_account(account)
        account = order.company_id.income_account_id
        if not account:
            raise UserError(
                self.env._(
                    "No income account for the engagement %(order)s: set one on its "
                    "products or the company's default income account.",
                    order=order.name,
                )
            )
        return account

    def _psa_entry_lines(self, accrued_account, deferred_account):
        self.ensure_one()
        amount = abs(self.difference_amount)
        income = self._psa_income_account()
        label = self.env._("Revenue recognition %(order)s", order=self.order_id.name)
        if self.entry_kind == "accrued":
            debit_account, credit_account = accrued_account, income
        else:
            debit_account, credit_account = income, deferred_account
        common = {"name": label, "partner_id": self.partner_id.id}
        return [
            Command.create(
                dict(common, account_id=debit_account.id, debit=amount, credit=0.0)
            ),
            Command.create(
                dict(common, account_id=credit_account.id, debit=0.0, credit=amount)
            ),
        ]

    def _psa_post_entries(self, grouped=False):
        """Post the entries of these records on their period end and their
        reversals on the next day."""
        company = self.company_id
        company.ensure_one()
        accrued, deferred, journal = company._psa_revenue_recognition_setup()
        date_to = self[0].date
        batches = [self] if grouped else list(self)
        Move = self.env["account.move"].with_company(company)
        for batch in batches:
            lines = []
            for record in batch:
                lines += record._psa_entry_lines(accrued, deferred)
            ref = self.env._(
                "Revenue recognition %(what)s %(date)s",
                what=batch.order_id.name if len(batch) == 1 else "",
                date=fields.Date.to_string(date_to),
            )
            move = Move.create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date_to,
                    "ref": " ".join(ref.split()),
                    "line_ids": lines,
                }
            )
            move.action_post()
            reversal = move._reverse_moves(
                [
                    {
                        "date": date_to + timedelta(days=1),
                        "ref": self.env._("Reversal of %(ref)s", ref=move.ref),
                    }
                ]
            )
            reversal.action_post()
            batch.write({"move_id": move.id, "reversal_move_id": reversal.id})

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
