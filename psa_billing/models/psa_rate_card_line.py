from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

# how many overlapping pairs an error message lists before "..."
ERROR_LIST_LIMIT = 10


class PsaRateCardLine(models.Model):
    _name = "psa.rate.card.line"
    _description = "Rate Card Line"
    _order = "rate_card_id, employee_id, role_id, date_from, id"
    _check_company_auto = True

    rate_card_id = fields.Many2one(
        "psa.rate.card",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="rate_card_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(related="rate_card_id.currency_id")
    role_id = fields.Many2one(
        "project.role",
        ondelete="restrict",
        index="btree_not_null",
        help="Leave empty (with no employee) for the card's default line.",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        ondelete="restrict",
        index="btree_not_null",
        check_company=True,
        help="A line for an employee wins over the line of their role.",
    )
    price = fields.Monetary(
        string="Hourly Rate",
        currency_field="currency_id",
        required=True,
        default=0.0,
    )
    date_from = fields.Date(
        string="Valid From", help="Leave empty for no start date (open-ended)."
    )
    date_to = fields.Date(
        string="Valid To", help="Leave empty for no end date (open-ended)."
    )

    _price_positive = models.Constraint(
        "CHECK(price >= 0)", "The hourly rate of a rate card line cannot be negative."
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
        "The end of validity of a rate card line cannot be before its start.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("rate_card_id", "role_id", "employee_id", "date_from", "date_to")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " / ".join(
                [
                    line.rate_card_id.name or "",
                    line._psa_key_label(),
                    line._psa_validity_label(),
                ]
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("rate_card_id", "role_id", "employee_id", "date_from", "date_to")
    def _check_no_overlap(self):
        """Lines of a card with the same key (role, employee) may not overlap in
        time. One query for the whole batch: all lines of the cards concerned."""
        if not self:
            return
        self.flush_model()
        # the whole cards, whatever the user's allowed companies
        lines = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                Domain("rate_card_id", "in", self.rate_card_id.ids),
                ["rate_card_id", "role_id", "employee_id", "date_from", "date_to"],
            )
        )
        by_key = defaultdict(list)
        for line in lines:
            by_key[line._psa_key()].append(line)
        checked = set(self._ids)
        overlaps = []
        for key_lines in by_key.values():
            for index, line in enumerate(key_lines):
                for other in key_lines[index + 1 :]:
                    if line._psa_overlaps(other) and (
                        line.id in checked or other.id in checked
                    ):
                        overlaps.append((line, other))
        if overlaps:
            pairs = [
                self.env._(
                    "%(line)s overlaps %(other)s",
                    line=line.display_name,
                    other=other.display_name,
                )
                for line, other in overlaps[:ERROR_LIST_LIMIT]
            ]
            if len(overlaps) > ERROR_LIST_LIMIT:
                pairs.append("...")
            raise ValidationError(
                self.env._(
                    "Rate card lines for the same role and employee cannot overlap "
                    "in time; end the current line before the new one starts:\n"
                    "%(pairs)s",
                    pairs="\n".join(pairs),
                )
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_key(self):
        self.ensure_one()
        return (self.rate_card_id.id, self.employee_id.id, self.role_id.id)

    def _psa_overlaps(self, other):
        """Whether the validity of two lines (bounds included, empty = open)
        share at least one day."""
        self.ensure_one()
        starts_before_other_ends = (
            not self.date_from or not other.date_to or self.date_from <= other.date_to
        )
        other_starts_before_end = (
            not other.date_from or not self.date_to or other.date_from <= self.date_to
        )
        return starts_before_other_ends and other_starts_before_end

    def _psa_is_valid_on(self, day):
        self.ensure_one()
        return (not self.date_from or self.date_from <= day) and (
            not self.date_to or day <= self.date_to
        )

    def _psa_key_label(self):
        self.ensure_one()
        if self.employee_id and self.role_id:
            return "%s (%s)" % (self.employee_id.name, self.role_id.name)
        if self.employee_id or self.role_id:
            return (self.employee_id or self.role_id).name
        return self.env._("Default rate")

    def _psa_validity_label(self):
        self.ensure_one()
        if not self.date_from and not self.date_to:
            return self.env._("always")
        return self.env._(
            "%(start)s to %(end)s",
            start=self.date_from or "...",
            end=self.date_to or "...",
        )
