from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PLAN_LINE_TYPES = [
    ("recurring", "Recurring Fee"),
]
FREQUENCIES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
# a run never bills more periods of one fee at once (a forgotten fee of years)
MAX_PERIODS_PER_RUN = 120


class PsaBillingPlanLine(models.Model):
    """A component of an engagement's billing plan, billed by the billing runs.

    Recurring fee: a fixed amount per calendar period (month, quarter, year),
    invoiced in advance (when the period has started by the run's invoice date)
    or in arrears (when it has ended by the run's cut-off date). The first and
    last periods, cut by the start and end dates, are prorated by days. The
    amount is read when the period is billed: a new price applies from the next
    period not billed yet."""

    _name = "psa.billing.plan.line"
    _description = "Billing Plan Line"
    _order = "order_id, sequence, id"
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
        required=True,
        ondelete="restrict",
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="Gives the invoice lines their income account and taxes.",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        help="Untaxed amount of one full period, in the engagement's currency.",
    )
    frequency = fields.Selection(FREQUENCIES, required=True, default="monthly")
    in_advance = fields.Boolean(
        string="Invoice in Advance",
        default=True,
        help="In advance: a period is billed once it has started (by the run's "
        "invoice date). In arrears: once it has ended (by the run's cut-off date).",
    )
    proration = fields.Boolean(
        default=True,
        help="Partial first and last periods are billed in proportion to their days.",
    )
    date_start = fields.Date(string="Start Date", required=True)
    date_end = fields.Date(string="End Date", help="Empty: until further notice.")
    next_billing_date = fields.Date(
        copy=False,
        help="First day not billed yet (empty: the start date); the billing runs "
        "move it on.",
    )

    _amount_positive = models.Constraint(
        "CHECK(amount >= 0)", "The amount of a recurring fee cannot be negative."
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "The end date of a recurring fee cannot be before its start date.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("next_billing_date", "date_start")
    def _check_next_billing_date(self):
        for line in self:
            if line.next_billing_date and line.next_billing_date < line.date_start:
                raise ValidationError(
                    self.env._(
                        "The next billing date of %(line)s cannot be before its "
                        "start date.",
                        line=line._psa_label(),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("next_billing_date"):
                vals["next_billing_date"] = vals.get("date_start")
        return super().create(vals_list)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_label(self):
        self.ensure_one()
        return self.name or self.product_id.name or ""

    def _psa_period_bounds(self, day):
        """The calendar period (month, quarter, year) of ``day``."""
        self.ensure_one()
        months = FREQUENCY_MONTHS[self.frequency]
        start = day.replace(month=(day.month - 1) // months * months + 1, day=1)
        return start, start + relativedelta(months=months, days=-1)

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
