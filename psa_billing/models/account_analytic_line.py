from collections import defaultdict
from contextlib import contextmanager, nullcontext

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, ormcache

# the column types ``_psa_write_rows`` writes, as PostgreSQL array types
ARRAY_TYPES = {
    "int4": SQL("int4[]"),
    "numeric": SQL("numeric[]"),
    "float8": SQL("float8[]"),
    "bool": SQL("bool[]"),
    "date": SQL("date[]"),
}
# rows per UPDATE of _psa_write_rows: few enough for PostgreSQL to find them by
# their index rather than scan the whole table for each chunk
WRITE_ROWS_CHUNK = 2000


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    psa_rate_line_id = fields.Many2one(
        "psa.rate.card.line",
        string="Rate Line",
        copy=False,
        readonly=True,
        ondelete="restrict",
        index="btree_not_null",
        groups="psa_base.group_psa_billing",
        help="Rate card line that priced this time (action Price).",
    )
    psa_currency_id = fields.Many2one(
        "res.currency",
        string="Billing Currency",
        compute="_compute_psa_currency_id",
        groups="psa_base.group_psa_billing",
        help="Currency of the engagement (its sale order), else of the company.",
    )
    psa_bill_rate = fields.Monetary(
        string="Bill Rate",
        currency_field="psa_currency_id",
        copy=False,
        readonly=True,
        groups="psa_base.group_psa_billing",
        help="Hourly rate of this time in the engagement's currency, set by the "
        "action Price from the rate card line.",
    )
    psa_unpriced_reason = fields.Char(
        string="Unpriced Reason",
        compute="_compute_psa_unpriced_reason",
        groups="psa_base.group_psa_billing",
        help="Why no rate applies to this time (no rate card, or no valid line for "
        "its role or employee on its date).",
    )

    # Realization ledger: worked (standard) -> billable -> billed -> collected,
    # in the engagement's currency.
    psa_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Billed by Invoice Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="psa_base.group_psa_billing",
        help="The customer invoice line that billed this time. Invoiced time is "
        "read-only; a credit note frees it for billing again.",
    )
    psa_billing_run_line_id = fields.Many2one(
        "psa.billing.run.line",
        string="Billing Run Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="psa_base.group_psa_billing",
    )
    psa_standard_amount = fields.Monetary(
        string="Standard Amount",
        currency_field="psa_currency_id",
        compute="_compute_psa_standard_amount",
        store=True,
        groups="psa_base.group_psa_billing",
        help="Worked hours at the rate card's rate.",
    )
    psa_billable_amount = fields.Monetary(
        string="Billable Amount",
        currency_field="psa_currency_id",
        compute="_compute_psa_billable_amount",
        store=True,
        groups="psa_base.group_psa_billing",
        help="The standard amount of billable time (zero for non-billable time).",
    )
    psa_billed_amount = fields.Monetary(
        string="Billed Amount",
        currency_field="psa_currency_id",
        copy=False,
        readonly=True,
        groups="psa_base.group_psa_billing",
        help="This time's share of its invoice line, after the cap and the "
        "write-ups and write-downs of the billing run.",
    )
    # Retainers: the period whose balance this time burns, and how much of it is
    # covered by the balance or beyond it (overage), in the retainer's unit
    psa_retainer_period_id = fields.Many2one(
        "psa.retainer.period",
        string="Retainer Period",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="psa_base.group_psa_billing",
    )
    psa_retainer_covered = fields.Float(
        string="Covered by Retainer",
        copy=False,
        readonly=True,
        digits=(16, 2),
        groups="psa_base.group_psa_billing",
        help="Hours (or amount) of this time covered by its retainer period.",
    )
    psa_retainer_overage = fields.Float(
        string="Retainer Overage",
        copy=False,
        readonly=True,
        digits=(16, 2),
        groups="psa_base.group_psa_billing",
        help="Hours (or amount) of this time beyond its retainer period's balance.",
    )
    psa_overage_approved = fields.Boolean(
        string="Overage Approved",
        copy=False,
        readonly=True,
        groups="psa_base.group_psa_billing",
        help="The overage of a retainer held for approval was approved for billing.",
    )
    psa_collected_amount = fields.Monetary(
        string="Collected Amount",
        currency_field="psa_currency_id",
        compute="_compute_psa_collected_amount",
        groups="psa_base.group_psa_billing",
        help="The billed amount times the paid share of its invoice.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    # Stored values that do not change are not assigned again: saving a monetary
    # value reads its currency record by record. New time (not priced yet) keeps
    # the empty column of its new row, read as zero (the SQL reports add it with
    # COALESCE), so creating time reads no billing currency at all. Invoicing
    # time changes the billability's dependencies (Odoo recomputes the project at
    # each change of the invoice), not the billability.
    @api.depends("unit_amount", "psa_bill_rate")
    def _compute_psa_standard_amount(self):
        self.filtered("id").fetch(["psa_standard_amount"])
        for line in self:
            amount = 0.0
            if line.psa_bill_rate:
                amount = line.psa_currency_id.round(
                    line.unit_amount * line.psa_bill_rate
                )
            if line.id and amount == line.psa_standard_amount:
                continue
            line.psa_standard_amount = amount

    @api.depends("psa_standard_amount", "billable_type")
    def _compute_psa_billable_amount(self):
        stored = self.filtered("id")
        stored.fetch(["psa_billable_amount"])
        for line in self:
            amount = (
                line.psa_standard_amount if line.billable_type == "billable" else 0.0
            )
            if line.id and amount == line.psa_billable_amount:
                continue
            line.psa_billable_amount = amount

    @api.depends(
        "psa_billed_amount",
        "psa_invoice_line_id.move_id.amount_residual",
        "psa_invoice_line_id.move_id.state",
    )
    def _compute_psa_collected_amount(self):
        for line in self:
            move = line.psa_invoice_line_id.move_id
            if move.state != "posted" or not move.amount_total:
                line.psa_collected_amount = 0.0
                continue
            paid_share = 1.0 - move.amount_residual / move.amount_total
            line.psa_collected_amount = line.psa_currency_id.round(
                line.psa_billed_amount * paid_share
            )

    @api.depends(
        "order_id.currency_id",
        "project_id.sale_line_id.order_id.currency_id",
        "company_id.currency_id",
    )
    def _compute_psa_currency_id(self):
        # Odoo computes it line by line when it saves the monetary fields of
        # new lines: plain prefetched reads, no look-up table (see
        # _psa_get_engagements, same engagement)
        for line, line_sudo in zip(self, self.sudo(), strict=True):
            order = line_sudo.so_line.order_id or line_sudo.project_id.sale_order_id
            line.psa_currency_id = order.currency_id or line_sudo.company_id.currency_id

    @api.depends(
        "date",
        "employee_id",
        "role_id",
        "project_id",
        "so_line",
        "psa_rate_line_id",
    )
    def _compute_psa_unpriced_reason(self):
        resolved = self._psa_resolve_rates()
        for line in self:
            line.psa_unpriced_reason = resolved[line.id]["reason"]

    # ------------------------------------------------------------
    # EXTENSION POINTS
    # ------------------------------------------------------------

    @api.model
    def _psa_lock_free_fields(self):
        # pricing happens after time is locked
        return super()._psa_lock_free_fields() | {
            "psa_rate_line_id",
            "psa_bill_rate",
            "psa_invoice_line_id",
            "psa_billing_run_line_id",
            "psa_billed_amount",
            "timesheet_invoice_id",
            "psa_retainer_period_id",
            "psa_retainer_covered",
            "psa_retainer_overage",
            "psa_overage_approved",
        }

    def _psa_get_billing_locked(self):
        # time billed by a billing run; time invoiced by Odoo's own Create Invoice
        # keeps Odoo's rules (its key fields are read-only, it may be deleted)
        lines = self.sudo()
        lines.fetch(["psa_invoice_line_id"])
        return super()._psa_get_billing_locked() | lines.filtered(
            "psa_invoice_line_id"
        ).with_env(self.env)

    def _psa_set_state(self, state, extra_vals):
        # approved time burns its engagement's retainer (and may fire its
        # alerts); time leaving the approved state gives its balance back
        was_approved = self.filtered(lambda line: line.psa_state == "approved")
        result = super()._psa_set_state(state, extra_vals)
        if state == "approved":
            self._psa_burn_retainers()
        elif was_approved:
            was_approved.sudo().psa_retainer_period_id._psa_reallocate()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_psa_price(self):
        """Price the selected timesheet lines from their rate cards (billing
        administrators only)."""
        if not self.env.user.has_group("psa_base.group_psa_billing"):
            raise AccessError(
                self.env._("Only billing administrators can price timesheets.")
            )
        lines = self.filtered("project_id")
        if not lines:
            raise UserError(
                self.env._("There is no timesheet (line with a project) to price.")
            )
        lines.check_access("read")
        # billing administrators read all timesheets but do not edit them: only the
        # two pricing fields are written, on lines the user may read
        lines.sudo()._psa_apply_rates()
        unpriced = lines.filtered(lambda line: not line.psa_rate_line_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if unpriced else "success",
                "message": self.env._(
                    "%(priced)s timesheet lines priced, %(unpriced)s without rate.",
                    priced=len(lines) - len(unpriced),
                    unpriced=len(unpriced),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_get_engagements(self):
        """Return {line id: sale order} (possibly empty): the sale order of the
        line's sale order item, else the one of its project.

        Batch-safe: the rate resolution loads what it reads model by model, in a
        fixed order, so that N lines cost the same number of queries whatever N.
        Projects and orders may be private to their followers: the links are read
        as superuser, for lines the user may already read."""
        lines = self.sudo()
        lines.fetch(
            ["so_line", "project_id", "company_id", "employee_id", "role_id", "date"]
        )
        order_lines = lines.so_line | lines.project_id.sale_line_id
        order_lines.fetch(["order_id"])
        order_lines.order_id.fetch(
            ["partner_id", "company_id", "currency_id", "psa_rate_card_id"]
        )
        # many lines share their order item and project: one look-up per pair
        by_pair = {}
        result = {}
        for line in lines:
            pair = (line.so_line, line.project_id)
            order = by_pair.get(pair)
            if order is None:
                order = by_pair[pair] = (
                    line.so_line.order_id or line.project_id.sale_order_id
                ).with_env(self.env)
            result[line.id] = order
        return result

    def _psa_get_rate_cards(self, engagements):
        """Return {line id: rate card} (possibly empty): the engagement's card, else
        the client's (commercial partner), else the company's default card. Cards
        of another company than the line's are ignored. Batch-safe."""
        lines = self.sudo()
        orders = self.env["sale.order"].sudo().union(*engagements.values())
        partners = orders.partner_id | lines.project_id.partner_id
        partners.fetch(["commercial_partner_id", "psa_rate_card_id"])
        clients = partners.commercial_partner_id
        clients.fetch(["psa_rate_card_id"])
        (orders.psa_rate_card_id | clients.psa_rate_card_id).fetch(
            ["name", "company_id", "currency_id"]
        )
        # many lines share their engagement, project and company
        wanted = {}
        key_of = {}
        for line in lines:
            if not line.project_id:
                # not a timesheet: no rate
                continue
            order = engagements[line.id].sudo()
            key = key_of[line.id] = (order, line.project_id, line.company_id)
            if key not in wanted:
                client = (
                    order.partner_id or line.project_id.partner_id
                ).commercial_partner_id
                wanted[key] = (
                    line.company_id,
                    [order.psa_rate_card_id, client.psa_rate_card_id],
                )
        cards_by_key = self.env["psa.rate.card"]._psa_choose_cards(wanted)
        no_card = self.env["psa.rate.card"]
        return {
            line.id: cards_by_key[key_of[line.id]] if line.id in key_of else no_card
            for line in lines
        }

    def _psa_resolve_rates(self):
        """Resolve the rate of each line (PRODUCT §3.3), batch-safe.

        For a line of date d, employee e and role r (the line's role, else the
        employee's default role), within the rate card (see ``_psa_get_rate_cards``)
        the line valid on d for, in this order: e and r, e (any role), r (any
        employee), then the card's default line (no role, no employee).

        :return: {line id: {"rate_line": psa.rate.card.line (maybe empty),
                  "price": float in the card's currency, "currency": the card's
                  currency, "reason": str or False (why there is no rate)}}
        """
        RateLine = self.env["psa.rate.card.line"]
        result = {}
        if not self:
            return result
        lines = self.sudo()
        lines.fetch(
            ["so_line", "project_id", "company_id", "employee_id", "role_id", "date"]
        )
        # the lines of the same order item, project, company, person and role
        # share their engagement, card and role: those are found once per
        # group, on its first line (each field of a line read once: a run
        # prices hundreds of thousands of lines)
        groups = defaultdict(list)
        for line in lines:
            groups[
                (
                    line.so_line,
                    line.project_id,
                    line.company_id,
                    line.employee_id,
                    line.role_id,
                )
            ].append((line, line.date))
        firsts = lines.browse([group[0][0].id for group in groups.values()])
        engagements = firsts._psa_get_engagements()
        cards = firsts._psa_get_rate_cards(engagements)
        firsts.employee_id.fetch(["name", "default_role_id"])
        roles = {
            line.id: line.role_id or line.employee_id.default_role_id for line in firsts
        }
        self.env["project.role"].sudo().union(*roles.values()).fetch(["name"])
        all_cards = self.env["psa.rate.card"].union(*cards.values())
        candidates = RateLine
        dates = [day for group in groups.values() for _line, day in group if day]
        if all_cards and dates:
            candidates = RateLine.search_fetch(
                Domain("rate_card_id", "in", all_cards.ids)
                & (
                    Domain("employee_id", "in", firsts.employee_id.ids)
                    | (
                        Domain("employee_id", "=", False)
                        & Domain(
                            "role_id",
                            "in",
                            [*{role.id for role in roles.values() if role}, False],
                        )
                    )
                )
                & (
                    Domain("date_from", "=", False)
                    | Domain("date_from", "<=", max(dates))
                )
                & (Domain("date_to", "=", False) | Domain("date_to", ">=", min(dates))),
                [
                    "rate_card_id",
                    "employee_id",
                    "role_id",
                    "price",
                    "date_from",
                    "date_to",
                ],
            )
        by_key = defaultdict(list)
        for rate_line in candidates:
            by_key[rate_line._psa_key()].append(rate_line)
        for (_item, _project, _company, employee, _role), group in groups.items():
            first = group[0][0].id
            card, role = cards[first], roles[first]
            # many lines share their day too: one pick each
            picked = {}
            for line, day in group:
                values = picked.get(day)
                if values is None:
                    rate_line = RateLine
                    if card and day:
                        rate_line = self._psa_pick_rate_line(
                            by_key, card, employee, role, day
                        )
                    values = picked[day] = {
                        "rate_line": rate_line,
                        "price": rate_line.price if rate_line else 0.0,
                        "currency": card.currency_id,
                        "reason": False,
                    }
                if not values["rate_line"]:
                    # the reason names the line's project: never shared
                    values = dict(values, reason=line._psa_unpriced_reason(card, role))
                result[line.id] = values
        return result

    @api.model
    def _psa_pick_rate_line(self, by_key, card, employee, role, day):
        keys = []
        if employee:
            if role:
                keys.append((card.id, employee.id, role.id))
            keys.append((card.id, employee.id, False))
        if role:
            keys.append((card.id, False, role.id))
        keys.append((card.id, False, False))
        for key in keys:
            for rate_line in by_key.get(key, ()):
                if rate_line._psa_is_valid_on(day):
                    return rate_line
        return self.env["psa.rate.card.line"]

    def _psa_unpriced_reason(self, card, role):
        self.ensure_one()
        if not self.project_id:
            return self.env._("Not a timesheet (no project).")
        if not card:
            return self.env._(
                "No rate card on the engagement, the client or as default of "
                "%(company)s.",
                company=self.company_id.name,
            )
        if not self.date:
            return self.env._("No date.")
        if role:
            return self.env._(
                "No rate for role %(role)s on %(date)s in card %(card)s",
                role=role.name,
                date=self.date,
                card=card.name,
            )
        return self.env._(
            "No rate for %(employee)s (no role) on %(date)s in card %(card)s",
            employee=self.employee_id.name or "",
            date=self.date,
            card=card.name,
        )

    @api.model
    def _psa_price_in_currency(self, price, from_currency, to_currency, date, order):
        """Convert a rate card price into ``to_currency`` (usually the engagement's)
        following the engagement's exchange rate policy, rounded to the target
        currency.

        - ``locked``: ``price * order.psa_fx_rate``, the locked rate being the units
          of the order's currency for one unit of the card's currency; it applies
          when converting into the order's currency;
        - ``invoice_date`` (default, or no order): Odoo's rates of the order's (else
          the current) company at ``date``, usually the invoice date.
        """
        if not from_currency or not to_currency or from_currency == to_currency:
            return (to_currency or from_currency).round(price)
        if (
            order
            and order.psa_fx_policy == "locked"
            and to_currency == order.currency_id
        ):
            if order.psa_fx_rate <= 0:
                raise UserError(
                    self.env._(
                        "The engagement %(order)s has a locked exchange rate policy "
                        "but no rate.",
                        order=order.display_name,
                    )
                )
            return to_currency.round(price * order.psa_fx_rate)
        company = order.company_id if order else self.env.company
        return from_currency._convert(price, to_currency, company, date)

    def _psa_apply_rates(self, date=None):
        """Write the rate line and bill rate of the lines (in the engagement's
        currency, converted at ``date``, default today, for the ``invoice_date``
        policy). Lines with no rate are emptied. One write per distinct
        (rate line, rate), not per line; bounded number of queries."""
        if not self:
            return
        date = date or fields.Date.context_today(self)
        resolved = self._psa_resolve_rates()
        engagements = self._psa_get_engagements()
        converted = {}
        groups = defaultdict(list)
        for line in self:
            values = resolved[line.id]
            rate_line = values["rate_line"]
            if not rate_line:
                groups[(False, 0.0)].append(line.id)
                continue
            order = engagements[line.id]
            company = order.company_id or line.company_id
            to_currency = order.currency_id or company.currency_id
            cache_key = (rate_line.id, to_currency.id, order.id, company.id)
            if cache_key not in converted:
                converted[cache_key] = self.with_company(
                    company
                )._psa_price_in_currency(
                    values["price"], values["currency"], to_currency, date, order
                )
            groups[(rate_line.id, converted[cache_key])].append(line.id)
        for (rate_line_id, rate), line_ids in groups.items():
            self.browse(line_ids).write(
                {"psa_rate_line_id": rate_line_id, "psa_bill_rate": rate}
            )

    @api.model
    @ormcache()
    def _psa_billed_time_fixed_fields(self):
        """The stored computed fields Odoo recomputes on a timesheet when its
        invoice changes, which keep their value while the timesheet is billed:
        its project and partner (sale_timesheet recomputes them on each change
        of the invoice or of its state, and keeps them on billed time, see
        ``_is_not_billed``) and every field of the same timesheet that depends
        on them (task, sale order item, billability, ...)."""
        fixed = (self._fields["project_id"], self._fields["partner_id"])
        tree = self.pool.get_trigger_tree(fixed)
        return fixed + tuple(
            field
            for field in tree.root
            if field.model_name == self._name
            and field.store
            and field.compute
            and field not in fixed
        )

    @contextmanager
    def _psa_keeping_billed_time(self, written=()):
        """Within the block, the timesheets ``self`` are billed (or billed by
        it, or their invoice is posted): the fields of
        ``_psa_billed_time_fixed_fields`` cannot change on them, and are not
        marked to recompute, which would recompute them on every timesheet of
        the invoices. Those already to recompute stay so, and so do those that
        depend on one of the fields ``written`` in the block other than the
        invoice."""
        tocompute = self.env.transaction.tocompute
        written = set(written) - {"timesheet_invoice_id"}
        protected = []
        for field in self._psa_billed_time_fixed_fields():
            if any(
                depends.split(".")[0] in written
                for depends in self.pool.field_depends[field]
            ):
                continue
            pending = tocompute.get(field) or ()
            protected.append(
                ([field], self.browse(id_ for id_ in self._ids if id_ not in pending))
            )
        with self.env.protecting(protected):
            yield

    @api.model
    @ormcache()
    def _psa_invoice_trigger_links(self):
        """The many2one fields of a timesheet through which a change of its
        invoice, or of the invoice's state, marks other records to recompute
        (an order item's delivered hours, a task's and a project's hours...),
        from the registry's trigger tree. Odoo's ``modified()`` reads them on
        the time being billed or posted, one query per field unless they are
        in the cache: billing and posting fetch them with the rest."""
        tree = self.pool.get_trigger_tree([self._fields["timesheet_invoice_id"]])
        return tuple(
            sorted(
                {
                    inverse.name
                    for key in tree
                    for inverse in self.pool.field_inverses[key]
                    if inverse.model_name == self._name and inverse.type == "many2one"
                }
            )
        )

    @api.model
    def _psa_write_rows(self, fnames, rows, computed=(), billing=False):
        """Write ``{line id: (a value for each field of fnames)}``: one ``UPDATE
        ... FROM unnest(...)`` per 2,000 lines where an ORM write would cost one
        query per distinct value (the values differ line by line). Dependent
        fields are marked as modified as by the ORM. ``computed`` names stored
        computed fields of ``fnames`` whose value the caller computed exactly as
        their compute method would: they are not recomputed.

        ``billing``: the lines, not billed, are billed by this write (their
        invoice is set): the fields that keep their value on billed time are
        not marked to recompute (see ``_psa_keeping_billed_time``); the fields
        depending on the written fields themselves are."""
        if not rows:
            return
        lines = self.sudo().browse(list(rows))
        for fname in computed:
            self.env.remove_to_compute(self._fields[fname], lines)
        # pending ORM writes of these columns would overwrite ours at the flush
        self.flush_model(fnames)
        keeping = (
            lines._psa_keeping_billed_time(
                [fname for fname in fnames if fname not in computed]
            )
            if billing
            else nullcontext()
        )
        with keeping:
            self._psa_update_rows(lines, fnames, rows, computed)

    @api.model
    def _psa_update_rows(self, lines, fnames, rows, computed):
        """The ``UPDATE`` of ``_psa_write_rows`` and the ORM's bookkeeping."""
        # the records related through the links before they change
        lines.modified(
            [fname for fname in fnames if self._fields[fname].relational], before=True
        )
        for fname in computed:
            self.env.remove_to_compute(self._fields[fname], lines)
        array_types = [
            ARRAY_TYPES[self._fields[fname].column_type[1]] for fname in fnames
        ]
        # by id: each chunk's rows are neighbours in the table and its indexes
        items = sorted(rows.items())
        for start in range(0, len(items), WRITE_ROWS_CHUNK):
            chunk = items[start : start + WRITE_ROWS_CHUNK]
            columns = [[line_id for line_id, _row in chunk]] + [
                list(column)
                for column in zip(*(row for _id, row in chunk), strict=True)
            ]
            self.env.cr.execute(
                SQL(
                    # the ids twice: the join alone makes PostgreSQL hash the
                    # whole table for each chunk (a scan growing with the firm)
                    "UPDATE account_analytic_line AS line SET %s "
                    "FROM unnest(%s) AS new_values(id, %s) "
                    "WHERE line.id = new_values.id AND line.id = ANY(%s::int4[])",
                    SQL(", ").join(
                        SQL("%s = new_values.%s", SQL.identifier(f), SQL.identifier(f))
                        for f in fnames
                    ),
                    SQL(", ").join(
                        SQL("%s::%s", column, array_type)
                        for column, array_type in zip(
                            columns, [SQL("int4[]"), *array_types], strict=True
                        )
                    ),
                    SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                    columns[0],
                )
            )
        lines.invalidate_recordset(fnames, flush=False)
        # the one2many fields on the other side (an invoice's timesheets, ...)
        for fname in fnames:
            for inverse in self.pool.field_inverses[self._fields[fname]]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
        lines.modified(fnames)
        for fname in computed:
            self.env.remove_to_compute(self._fields[fname], lines)

    def _psa_unbill(self):
        """Free invoiced time for billing again (credit note, cancelled or deleted
        invoice): the invoice links and the billed amount are cleared."""
        lines = self.sudo()
        if not lines:
            return
        lines.write(
            {
                "psa_invoice_line_id": False,
                "psa_billing_run_line_id": False,
                "psa_billed_amount": 0.0,
                "timesheet_invoice_id": False,
            }
        )

    def _psa_burn_retainers(self):
        """Burn the retainers of the engagements of these approved lines: the
        periods of their dates are created if needed, then their balances are
        burnt again (``psa.retainer.period._psa_reallocate``). Batch-safe."""
        lines = self.sudo().filtered(
            lambda line: line.project_id and line.order_id and line.date
        )
        if not lines:
            return
        retainers = (
            self.env["psa.billing.plan.line"]
            .sudo()
            .search(
                [
                    ("type", "=", "retainer"),
                    ("order_id", "in", lines.order_id.ids),
                    ("date_start", "<=", max(lines.mapped("date"))),
                ]
            )
        )
        if not retainers:
            return
        retainers._psa_reallocate_covering(lines)

    def _psa_overage_hours(self):
        """{line id: hours of the line beyond its retainer period's balance}."""
        lines = self.sudo()
        result = {}
        for line in lines:
            if line.psa_retainer_period_id.retainer_unit != "amount":
                result[line.id] = line.psa_retainer_overage
                continue
            total = line.psa_retainer_covered + line.psa_retainer_overage
            result[line.id] = (
                line.unit_amount * line.psa_retainer_overage / total if total else 0.0
            )
        return result

    @api.model
    def _psa_write_retainer_allocation(self, allocation):
        """Write ``{timesheet id: (period id or None, covered, overage)}``."""
        self._psa_write_rows(
            ["psa_retainer_period_id", "psa_retainer_covered", "psa_retainer_overage"],
            allocation,
        )

    @api.model
    def _psa_unbilled_domain(self):
        """Approved billable time not invoiced yet (work in progress)."""
        return (
            Domain("project_id", "!=", False)
            & Domain("psa_state", "=", "approved")
            & Domain("billable_type", "=", "billable")
            & Domain("psa_invoice_line_id", "=", False)
            & (
                Domain("timesheet_invoice_id", "=", False)
                | Domain("timesheet_invoice_id.state", "=", "cancel")
            )
        )

    @api.model
    def _psa_price_unbilled(self, after_id=0, limit=2000):
        """Price (or re-price, at the rates valid today) a batch of unbilled
        approved time of id greater than ``after_id``, so that WIP is valued at
        the rate cards. Returns the last id processed (0 when nothing is left)."""
        lines = self.sudo().search(
            self._psa_unbilled_domain() & Domain("id", ">", after_id),
            order="id",
            limit=limit,
        )
        if not lines:
            return 0
        lines._psa_apply_rates()
        return lines[-1].id

    @api.model
    def _cron_psa_price_unbilled(self, limit=2000):
        last_id = 0
        while True:
            last_id = self._psa_price_unbilled(after_id=last_id, limit=limit)
            if not last_id:
                break
            if self.env["ir.cron"]._commit_progress(limit) <= 0:
                break
