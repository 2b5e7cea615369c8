from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain


class PsaOpportunityEstimate(models.Model):
    _name = "psa.opportunity.estimate"
    _description = "Opportunity Estimate Line"
    _order = "lead_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        ondelete="restrict",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Currency of the opportunity (its company's currency).",
    )
    role_id = fields.Many2one(
        "project.role",
        required=True,
        ondelete="restrict",
        index=True,
    )
    name = fields.Char(string="Description")
    hours = fields.Float(digits=(16, 2), required=True, default=0.0)
    rate = fields.Monetary(
        string="Hourly Rate",
        currency_field="currency_id",
        compute="_compute_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="Defaults to the rate of the role in the client's rate card (else the "
        "company's default card), converted to the opportunity's currency.",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        help="Hours x hourly rate.",
    )

    _hours_positive = models.Constraint(
        "CHECK(hours >= 0)", "Estimated hours cannot be negative."
    )
    _rate_positive = models.Constraint(
        "CHECK(rate >= 0)", "An estimated rate cannot be negative."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("lead_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.lead_id.company_id or self.env.company

    @api.depends("lead_id.company_currency", "company_id")
    def _compute_currency_id(self):
        for line in self:
            line.currency_id = (
                line.lead_id.company_currency
                or line.company_id.currency_id
                or self.env.company.currency_id
            )

    @api.depends("role_id", "lead_id.partner_id")
    def _compute_rate(self):
        rates = self._psa_default_rates()
        for line in self:
            line.rate = rates.get(line._psa_line_key(), 0.0)

    @api.depends("hours", "rate", "currency_id")
    def _compute_amount(self):
        for line in self:
            line.amount = line.currency_id.round(line.hours * line.rate)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.lead_id._psa_sync_expected_revenue()
        return lines

    def write(self, vals):
        leads = self.lead_id
        result = super().write(vals)
        (leads | self.lead_id)._psa_sync_expected_revenue()
        return result

    def unlink(self):
        leads = self.lead_id
        result = super().unlink()
        leads.exists()._psa_sync_expected_revenue()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_line_key(self):
        return self.id

    def _psa_default_rates(self):
        """Return {line key: rate in the opportunity's currency}, batch-safe.

        The rate card is the client's (commercial partner) card when it belongs to
        the opportunity's company, else the company's default card; within it, the
        line of the role valid on the expected start (else today), else the card's
        default line (psa_billing's resolution without an employee)."""
        RateLine = self.env["psa.rate.card.line"].sudo()
        AnalyticLine = self.env["account.analytic.line"]
        lines = self.filtered("role_id")
        if not lines:
            return {}
        wanted = {}
        for line in lines:
            client = line.lead_id.partner_id.commercial_partner_id.sudo()
            wanted[line._psa_line_key()] = (
                line.company_id or self.env.company,
                [client.psa_rate_card_id],
            )
        cards = self.env["psa.rate.card"].sudo()._psa_choose_cards(wanted)
        all_cards = self.env["psa.rate.card"].sudo().union(*cards.values())
        by_key = defaultdict(list)
        if all_cards:
            candidates = RateLine.search_fetch(
                Domain("rate_card_id", "in", all_cards.ids)
                & Domain("employee_id", "=", False)
                & Domain("role_id", "in", [*lines.role_id.ids, False]),
                ["rate_card_id", "employee_id", "role_id", "price", "date_from"]
                + ["date_to"],
            )
            for rate_line in candidates:
                by_key[rate_line._psa_key()].append(rate_line)
        today = fields.Date.context_today(self)
        rates = {}
        for line in lines:
            card = cards[line._psa_line_key()]
            if not card:
                continue
            day = line.lead_id.psa_expected_start or today
            rate_line = AnalyticLine._psa_pick_rate_line(
                by_key, card, self.env["hr.employee"], line.role_id, day
            )
            if not rate_line:
                continue
            company = line.company_id or self.env.company
            rates[line._psa_line_key()] = card.currency_id._convert(
                rate_line.price, line.currency_id, company, today
            )
        return rates
