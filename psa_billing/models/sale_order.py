from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .psa_billing_plan_line import FREQUENCIES

FX_POLICIES = [
    ("invoice_date", "Rate at Invoice Date"),
    ("locked", "Locked Rate"),
]
REVENUE_METHODS = [
    ("invoice", "On Invoice"),
    ("poc_hours", "Percentage of Completion (Hours)"),
    ("poc_cost", "Percentage of Completion (Cost)"),
    ("milestone", "Milestones Reached"),
    ("straight_line", "Straight Line"),
]
INVOICE_GROUPINGS = [
    ("role", "Role and Rate"),
    ("employee", "Person"),
    ("task", "Task"),
    ("rate", "Order Item and Rate"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    psa_rate_card_id = fields.Many2one(
        "psa.rate.card",
        string="Rate Card",
        ondelete="restrict",
        index="btree_not_null",
        check_company=True,
        help="Rates of the time billed on this engagement. Empty: the client's rate "
        "card, else the company's default card.",
    )
    psa_fx_policy = fields.Selection(
        FX_POLICIES,
        string="Exchange Rate Policy",
        required=True,
        default="invoice_date",
        help="How rates in another currency than the engagement's are converted: "
        "with Odoo's exchange rates at the invoice date, or at the rate locked on "
        "the engagement.",
    )
    psa_fx_rate = fields.Float(
        string="Locked Exchange Rate",
        digits=(16, 6),
        help="Units of the engagement's currency for one unit of the rate card's "
        "currency (e.g. 1.15 for a card in GBP and an engagement in EUR when "
        "1 GBP = 1.15 EUR). Required with a locked rate.",
    )
    psa_cap_amount = fields.Monetary(
        string="Not-to-Exceed Cap",
        currency_field="currency_id",
        help="Maximum amount billed for time and materials on this engagement, in "
        "its currency. 0 means no cap.",
    )

    psa_revenue_method = fields.Selection(
        REVENUE_METHODS,
        string="Revenue Recognition",
        required=True,
        default="invoice",
        help="How the period-end revenue recognition measures the revenue earned "
        "on this engagement; the difference with what was invoiced goes to accrued "
        "or deferred revenue.",
    )
    psa_billing_plan_line_ids = fields.One2many(
        "psa.billing.plan.line",
        "order_id",
        string="Billing Plan",
        copy=True,
        help="Recurring fees billed by the billing runs next to the time.",
    )
    # one plan per engagement (unique); the one2many makes it searchable and
    # its compute gives the form a single record
    psa_billing_plan_ids = fields.One2many(
        "psa.billing.plan", "order_id", string="Billing Plans"
    )
    psa_billing_plan_id = fields.Many2one(
        "psa.billing.plan",
        string="Billing Plan Header",
        compute="_compute_psa_billing_plan_id",
    )
    psa_billing_frequency = fields.Selection(
        FREQUENCIES,
        string="Billing Frequency",
        compute="_compute_psa_billing_schedule",
        inverse="_inverse_psa_billing_schedule",
        help="How often the billing runs bill this engagement (its billing plan).",
    )
    psa_next_billing_date = fields.Date(
        string="Next Billing Date",
        compute="_compute_psa_billing_schedule",
        inverse="_inverse_psa_billing_schedule",
        help="Billing runs with an earlier cut-off date skip this engagement "
        "unless they name it. Empty: billed by every run.",
    )
    psa_has_retainer = fields.Boolean(
        string="Has a Retainer", compute="_compute_psa_retainer_balance"
    )
    psa_retainer_remaining = fields.Float(
        string="Retainer Balance",
        compute="_compute_psa_retainer_balance",
        digits=(16, 2),
        help="What is left of the current periods of the engagement's retainers.",
    )
    psa_retainer_period_ids = fields.One2many(
        "psa.retainer.period", "order_id", string="Retainer Periods"
    )
    psa_invoice_grouping = fields.Selection(
        INVOICE_GROUPINGS,
        string="Invoice Lines By",
        required=True,
        default="role",
        help="How billing runs group the time of this engagement into invoice "
        "lines (always by order item and rate as well); Order Item and Rate: one "
        "line per order item and rate, as Odoo's own invoicing.",
    )
    psa_timesheet_appendix = fields.Boolean(
        string="Timesheet Appendix on Invoices",
        default=True,
        help="Print the billed time after the lines of this engagement's invoices.",
    )
    psa_billing_run_line_ids = fields.One2many(
        "psa.billing.run.line", "order_id", string="Billing Run Lines"
    )

    _psa_fx_rate_locked = models.Constraint(
        "CHECK(psa_fx_policy IS DISTINCT FROM 'locked' OR psa_fx_rate > 0)",
        "A locked exchange rate must be greater than zero.",
    )
    _psa_cap_amount_positive = models.Constraint(
        "CHECK(psa_cap_amount IS NULL OR psa_cap_amount >= 0)",
        "The not-to-exceed cap of an engagement cannot be negative.",
    )

    @api.depends("psa_billing_plan_ids")
    def _compute_psa_billing_plan_id(self):
        for order in self:
            order.psa_billing_plan_id = order.psa_billing_plan_ids[:1]

    @api.depends(
        "psa_billing_plan_ids.frequency", "psa_billing_plan_ids.next_billing_date"
    )
    def _compute_psa_billing_schedule(self):
        for order in self:
            plan = order.sudo().psa_billing_plan_ids[:1]
            order.psa_billing_frequency = plan.frequency or "monthly"
            order.psa_next_billing_date = plan.next_billing_date

    def _inverse_psa_billing_schedule(self):
        orders = self.filtered("id")
        plans = self.env["psa.billing.plan"]._psa_get_or_create(orders)
        for order in orders:
            values = {
                "frequency": order.psa_billing_frequency or "monthly",
                "next_billing_date": order.psa_next_billing_date,
            }
            plan = plans[order.id]
            if any(plan[fname] != value for fname, value in values.items()):
                plan.write(values)

    @api.depends("psa_retainer_period_ids.remaining", "psa_retainer_period_ids.state")
    def _compute_psa_retainer_balance(self):
        for order in self:
            # account managers read their balance, not the plan's components
            periods = order.sudo().psa_retainer_period_ids
            order.psa_has_retainer = bool(periods) or (
                "retainer" in order.sudo().psa_billing_plan_line_ids.mapped("type")
            )
            today = fields.Date.context_today(order)
            current = periods.filtered(
                lambda period, today=today: period.state == "open"
                and period.date_start <= today
            )
            order.psa_retainer_remaining = sum(current.mapped("remaining"))

    @api.constrains("psa_fx_policy", "psa_fx_rate")
    def _check_psa_fx_rate(self):
        for order in self:
            if order.psa_fx_policy == "locked" and order.psa_fx_rate <= 0:
                raise ValidationError(
                    self.env._(
                        "The engagement %(order)s has a locked exchange rate policy: "
                        "give its exchange rate (greater than zero).",
                        order=order.display_name,
                    )
                )

    def action_psa_view_retainer_periods(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_billing.psa_retainer_period_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _psa_invoice_grouping_key(self, timesheet):
        """(role id, employee id, task id) of the invoice line that bills
        ``timesheet``, following the engagement's grouping."""
        self.ensure_one()
        if self.psa_invoice_grouping == "employee":
            return (False, timesheet.employee_id.id, False)
        if self.psa_invoice_grouping == "task":
            return (False, False, timesheet.task_id.id)
        if self.psa_invoice_grouping == "rate":
            return (False, False, False)
        role = timesheet.role_id or timesheet.employee_id.default_role_id
        return (role.id, False, False)

    def _psa_billed_time_amount(self):
        """Amount of time already billed on the engagement (its currency), net of
        credit notes (they free the time they credit)."""
        self.ensure_one()
        # time not billed has no billed amount (unbilling clears it): no test on
        # the invoice line, whose partial index PostgreSQL would pick and scan
        # through all the time billed so far in the run
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("order_id", "=", self.id)],
                [],
                ["psa_billed_amount:sum"],
            )
        )
        return groups[0][0] if groups else 0.0
