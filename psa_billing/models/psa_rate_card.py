from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class PsaRateCard(models.Model):
    _name = "psa.rate.card"
    _description = "Rate Card"
    _order = "is_default desc, name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self._default_company_id(),
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        ondelete="restrict",
        default=lambda self: self._default_currency_id(),
        help="Currency of the prices of this card. Time of an engagement in another "
        "currency is converted following the engagement's exchange rate policy.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
        help="Client this card was negotiated with (for information and search). The "
        "card applies to a client once it is set on the client or its engagements.",
    )
    is_default = fields.Boolean(
        string="Company Default",
        copy=False,
        help="Card used for the company's time when neither the engagement nor the "
        "client has a card. At most one per company.",
    )
    line_ids = fields.One2many("psa.rate.card.line", "rate_card_id", copy=True)
    line_count = fields.Integer(compute="_compute_line_count")

    # ------------------------------------------------------------
    # DEFAULT METHODS
    # ------------------------------------------------------------

    def _default_company_id(self):
        return self.env.company

    def _default_currency_id(self):
        return self.env.company.currency_id

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("line_ids")
    def _compute_line_count(self):
        for card in self:
            card.line_count = len(card.line_ids)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("is_default", "company_id", "active")
    def _check_one_default_per_company(self):
        defaults = self.filtered(lambda card: card.is_default and card.active)
        if not defaults:
            return
        # all cards of the companies, whatever the user's allowed companies
        groups = self.sudo()._read_group(
            Domain("is_default", "=", True)
            & Domain("active", "=", True)
            & Domain("company_id", "in", defaults.company_id.ids),
            ["company_id"],
            ["__count"],
            having=[("__count", ">", 1)],
        )
        if groups:
            raise ValidationError(
                self.env._(
                    "A company has at most one default rate card: %(companies)s "
                    "already has one.",
                    companies=", ".join(company.name for company, _count in groups),
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%(name)s (copy)", name=card.name))
            for card, vals in zip(self, vals_list, strict=True)
        ]

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _psa_choose_cards(self, wanted):
        """The card that applies, for each ``{key: (company, candidate cards in
        order of preference)}`` (the engagement's card, the client's, ...): the
        first candidate of the company, else the company's default card, else
        no card. Cards of another company are ignored. One query whatever the
        number of keys; the cards are read as superuser (a card applies to a
        user's time whether or not the user may read it).

        :return: {key: psa.rate.card (maybe empty), in the env of ``self``}"""
        companies = {company.id for company, _candidates in wanted.values()}
        default_cards = self.sudo().search_fetch(
            Domain("is_default", "=", True)
            & Domain("company_id", "in", list(companies)),
            ["name", "company_id", "currency_id"],
        )
        default_by_company = {card.company_id.id: card for card in default_cards}
        no_card = self.browse()
        cards = {}
        for key, (company, candidates) in wanted.items():
            for candidate in candidates:
                if candidate and candidate.company_id == company:
                    card = candidate
                    break
            else:
                card = default_by_company.get(company.id, no_card)
            cards[key] = card.with_env(self.env)
        return cards
