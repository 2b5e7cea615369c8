from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .psa_billing_plan_line import FREQUENCIES, FREQUENCY_MONTHS


class PsaBillingPlan(models.Model):
    """The billing plan of an engagement: its schedule and its components.

    One plan per engagement (sale order), created on the fly by the first
    component added to the engagement. The schedule (frequency and next billing
    date) says when the billing runs bill the engagement: a run whose cut-off
    date is before the next billing date skips it (unless the run names it), and
    invoicing moves the date on by whole frequencies past the run's cut-off. An
    empty next billing date: billed by every run."""

    _name = "psa.billing.plan"
    _description = "Billing Plan"
    _order = "next_billing_date, id"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        string="Engagement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    partner_id = fields.Many2one(
        related="order_id.partner_id", string="Customer", store=True
    )
    user_id = fields.Many2one(
        related="order_id.user_id", string="Account Manager", store=True
    )
    frequency = fields.Selection(
        FREQUENCIES,
        string="Billing Frequency",
        required=True,
        default="monthly",
        help="How often the billing runs bill this engagement.",
    )
    next_billing_date = fields.Date(
        copy=False,
        help="The billing runs whose cut-off date is before this day skip the "
        "engagement, unless they name it; invoicing moves it on by the frequency. "
        "Empty: billed by every run.",
    )
    line_ids = fields.One2many("psa.billing.plan.line", "plan_id", string="Components")
    retainer_period_ids = fields.One2many(
        "psa.retainer.period", "plan_id", string="Retainer Periods"
    )
    has_retainer = fields.Boolean(compute="_compute_components")
    has_time_materials = fields.Boolean(
        string="Has Time and Materials", compute="_compute_components"
    )

    _order_uniq = models.Constraint(
        "UNIQUE(order_id)", "An engagement has one billing plan."
    )

    @api.depends("line_ids.type")
    def _compute_components(self):
        for plan in self:
            types = set(plan.line_ids.mapped("type"))
            plan.has_retainer = "retainer" in types
            plan.has_time_materials = "time_materials" in types

    def action_view_retainer_periods(self):
        self.ensure_one()
        return self.order_id.action_psa_view_retainer_periods()

    @api.model
    def _psa_get_or_create(self, orders):
        """{order id: plan} of the orders, creating the missing plans. The plan
        of an order follows the rights on its lines: read and created as
        superuser for orders the user may read."""
        orders.check_access("read")
        plans = self.sudo().search([("order_id", "in", orders.ids)])
        by_order = {plan.order_id.id: plan for plan in plans}
        missing = [order.id for order in orders if order.id not in by_order]
        if missing:
            created = self.sudo().create([{"order_id": oid} for oid in missing])
            by_order.update({plan.order_id.id: plan for plan in created})
        return {oid: plan.with_env(self.env) for oid, plan in by_order.items()}

    def _psa_advance_schedule(self, cutoff_date):
        """Move the next billing date on by whole frequencies past the
        cut-off (at least one) once the engagement is invoiced."""
        for plan in self.filtered("next_billing_date"):
            months = FREQUENCY_MONTHS[plan.frequency]
            day = plan.next_billing_date + relativedelta(months=months)
            while day <= cutoff_date:
                day += relativedelta(months=months)
            plan.next_billing_date = day
