from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

BILLING_STATUSES = [
    ("unbilled", "Not Billed"),
    ("billed", "Billed"),
]


class PsaRealizationReport(models.Model):
    """Realization of the time billed (or to bill): one row per timesheet line,
    every amount converted with Odoo's rates into the company's currency, or into
    the currency picked (context ``psa_report_currency_id``): the ledger of the
    timesheet lines is in the engagement's currency. Worked amounts convert at
    the rate of the day worked, billed and collected ones at the invoice date."""

    _name = "psa.realization.report"
    _description = "Realization Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc, id desc"
    _depends = {
        "account.analytic.line": [
            "date",
            "company_id",
            "project_id",
            "task_id",
            "employee_id",
            "role_id",
            "order_id",
            "unit_amount",
            "psa_state",
            "billable_type",
            "psa_bill_rate",
            "psa_rate_line_id",
            "psa_billing_run_line_id",
            "psa_invoice_line_id",
            "psa_standard_amount",
            "psa_billable_amount",
            "psa_billed_amount",
        ],
        "account.move": [
            "state",
            "move_type",
            "invoice_date",
            "date",
            "amount_total",
            "amount_residual",
        ],
        "account.move.line": ["move_id"],
        "hr.employee": ["default_role_id"],
        "project.project": ["partner_id", "sale_line_id"],
        "psa.billing.run.line": ["reason_id"],
        "psa.rate.card": ["company_id", "is_default", "active"],
        "psa.rate.card.line": ["rate_card_id"],
        "res.company": ["currency_id", "parent_path"],
        "res.currency.rate": ["currency_id", "company_id", "name", "rate"],
        "res.partner": ["commercial_partner_id", "psa_rate_card_id"],
        "sale.order": ["currency_id", "partner_id", "psa_rate_card_id"],
        "sale.order.line": ["order_id"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency",
        readonly=True,
        help="The currency of every amount: the company's (the current one's when "
        "the companies enabled have several currencies), or the one picked when "
        "opening the report.",
    )
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    order_id = fields.Many2one("sale.order", string="Engagement", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    task_id = fields.Many2one("project.task", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    role_id = fields.Many2one("project.role", readonly=True)
    rate_card_id = fields.Many2one(
        "psa.rate.card",
        readonly=True,
        help="The card that priced the time: its rate line's, else (time priced by "
        "a billing run) the engagement's, the client's or the company's default "
        "card.",
    )
    reason_id = fields.Many2one(
        "psa.billing.reason", string="Adjustment Reason", readonly=True
    )
    invoice_id = fields.Many2one("account.move", readonly=True)
    billing_status = fields.Selection(BILLING_STATUSES, readonly=True)
    hours = fields.Float(readonly=True)
    standard_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Worked hours at the rate card's rate, at the rate of the day worked.",
    )
    billable_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The standard amount of billable time, at the rate of the day worked.",
    )
    billed_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The time's share of its invoice (after the cap, write-ups and "
        "write-downs), at the rate of the invoice date.",
    )
    collected_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The billed amount times the paid share of its posted invoice.",
    )
    leakage = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Billable amount minus billed amount.",
    )
    realization = fields.Float(
        string="Realization (%)",
        aggregator="avg",
        readonly=True,
        help="Billed amount over billable amount; grouped rows show the ratio of "
        "their sums.",
    )

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    @api.model
    def _rate(self, currency, day, root_company):
        """SQL of Odoo's rate of ``currency`` on ``day`` for ``root_company``, as
        ``res.currency._get_rates`` reads it: the company's rates before the shared
        ones, the latest on or before the day, else the earliest, else 1."""
        return SQL(
            """COALESCE(
                (SELECT r.rate FROM res_currency_rate r
                  WHERE r.currency_id = %(currency)s AND r.name <= %(day)s
                    AND (r.company_id IS NULL OR r.company_id = %(root)s)
                  ORDER BY r.company_id NULLS LAST, r.name DESC LIMIT 1),
                (SELECT r.rate FROM res_currency_rate r
                  WHERE r.currency_id = %(currency)s
                    AND (r.company_id IS NULL OR r.company_id = %(root)s)
                  ORDER BY r.company_id NULLS LAST, r.name ASC LIMIT 1),
                1.0)""",
            currency=currency,
            day=day,
            root=root_company,
        )

    @api.model
    def _report_currency(self):
        """The currency of the amounts: the one picked (context
        ``psa_report_currency_id``, see the wizard), else the current company's
        when the companies enabled have several currencies, else none (each
        company's own, one currency anyway)."""
        Currency = self.env["res.currency"]
        if self.env.context.get("psa_report_company_currency"):
            return Currency
        currency_id = self.env.context.get("psa_report_currency_id")
        if currency_id:
            return Currency.browse(int(currency_id)).exists()
        if len(self.env.companies.sudo().currency_id) > 1:
            return self.env.company.currency_id
        return Currency

    @api.model
    def _currency_sql(self):
        """SQL of the currency of the amounts (see ``_report_currency``), else
        the line's company's."""
        currency = self._report_currency()
        return SQL("%s", currency.id) if currency else SQL("C.currency_id")

    @api.model
    def _fx_factor(self, day):
        """SQL of the factor converting the engagement's currency into the
        report's (the company's, or the picked one) with Odoo's rates of ``day``
        for the company: rate(report currency) / rate(engagement currency)."""
        root = SQL("split_part(C.parent_path, '/', 1)::integer")
        currency = self._currency_sql()
        order_currency = SQL("COALESCE(SO.currency_id, C.currency_id)")
        return SQL(
            """CASE
                WHEN %(order_currency)s = %(currency)s THEN 1.0
                ELSE %(report_rate)s / %(order_rate)s
            END""",
            order_currency=order_currency,
            currency=currency,
            report_rate=self._rate(currency, day, root),
            order_rate=self._rate(order_currency, day, root),
        )

    @api.model
    def _select(self):
        return SQL(
            """
            SELECT
                A.id AS id,
                A.date AS date,
                A.company_id AS company_id,
                %(currency)s AS currency_id,
                CP.id AS partner_id,
                SO.id AS order_id,
                A.project_id AS project_id,
                A.task_id AS task_id,
                A.employee_id AS employee_id,
                COALESCE(A.role_id, E.default_role_id) AS role_id,
                CASE
                    WHEN A.psa_rate_line_id IS NOT NULL THEN RCL.rate_card_id
                    WHEN COALESCE(A.psa_bill_rate, 0.0) != 0
                    THEN COALESCE(OC.id, CC.id, DC.id)
                END AS rate_card_id,
                BRL.reason_id AS reason_id,
                AM.id AS invoice_id,
                CASE WHEN A.psa_invoice_line_id IS NULL
                    THEN 'unbilled' ELSE 'billed'
                END AS billing_status,
                A.unit_amount AS hours,
                FX.standard AS standard_amount,
                FX.billable AS billable_amount,
                FX.billed AS billed_amount,
                CASE
                    WHEN AM.state = 'posted' AND AM.move_type = 'out_invoice'
                        AND AM.amount_total != 0
                    THEN FX.billed * (1.0 - AM.amount_residual / AM.amount_total)
                    ELSE 0.0
                END AS collected_amount,
                FX.billable - FX.billed AS leakage,
                CASE WHEN FX.billable != 0
                    THEN 100.0 * FX.billed / FX.billable
                END AS realization
            """,
            currency=self._currency_sql(),
        )

    @api.model
    def _from(self):
        """The ledger amounts are converted once per line: standard and billable
        at the day worked, billed at the invoice date."""
        return SQL(
            """
            FROM account_analytic_line A
            JOIN res_company C ON C.id = A.company_id
            LEFT JOIN project_project P ON P.id = A.project_id
            LEFT JOIN res_partner PP ON PP.id = P.partner_id
            LEFT JOIN sale_order_line PSOL ON PSOL.id = P.sale_line_id
            LEFT JOIN sale_order SO ON SO.id = COALESCE(A.order_id, PSOL.order_id)
            LEFT JOIN res_partner SOP ON SOP.id = SO.partner_id
            LEFT JOIN res_partner CP
                ON CP.id = COALESCE(SOP.commercial_partner_id, PP.commercial_partner_id)
            LEFT JOIN psa_rate_card OC
                ON OC.id = SO.psa_rate_card_id AND OC.company_id = A.company_id
            LEFT JOIN psa_rate_card CC
                ON CC.id = CP.psa_rate_card_id AND CC.company_id = A.company_id
            LEFT JOIN LATERAL (
                SELECT card.id FROM psa_rate_card card
                 WHERE card.is_default AND card.active
                   AND card.company_id = A.company_id
                 ORDER BY card.id LIMIT 1
            ) DC ON TRUE
            LEFT JOIN hr_employee E ON E.id = A.employee_id
            LEFT JOIN psa_rate_card_line RCL ON RCL.id = A.psa_rate_line_id
            LEFT JOIN psa_billing_run_line BRL ON BRL.id = A.psa_billing_run_line_id
            LEFT JOIN account_move_line AML ON AML.id = A.psa_invoice_line_id
            LEFT JOIN account_move AM ON AM.id = AML.move_id
            CROSS JOIN LATERAL (
                SELECT %(work_fx)s AS work, %(invoice_fx)s AS invoice
            ) RATES
            CROSS JOIN LATERAL (
                SELECT
                    COALESCE(A.psa_standard_amount, 0.0) * RATES.work AS standard,
                    COALESCE(A.psa_billable_amount, 0.0) * RATES.work AS billable,
                    COALESCE(A.psa_billed_amount, 0.0) * RATES.invoice AS billed
            ) FX
            """,
            work_fx=self._fx_factor(SQL("A.date")),
            invoice_fx=self._fx_factor(
                SQL("COALESCE(AM.invoice_date, AM.date, A.date)")
            ),
        )

    @api.model
    def _where(self):
        """Timesheets priced or billed, and approved billable time not billed
        yet (maybe without a rate: its amounts are 0)."""
        return SQL(
            """
            WHERE A.project_id IS NOT NULL
              AND (
                COALESCE(A.psa_bill_rate, 0.0) != 0
                OR A.psa_invoice_line_id IS NOT NULL
                OR (A.psa_state = 'approved' AND A.billable_type = 'billable')
              )
            """
        )

    def init(self):
        # the view in each company's currency (queries add the conversion asked)
        report = self.with_context(psa_report_company_currency=True)
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                report._table_query,
            )
        )

    # ------------------------------------------------------------
    # READ GROUP
    # ------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        """Grouped realization is the ratio of the sums, not a sum (or an average)
        of the rows' ratios."""
        if aggregate_spec not in ("realization:avg", "realization:sum"):
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "100.0 * SUM(%(billed)s) / NULLIF(SUM(%(billable)s), 0.0)",
            billed=self._field_to_sql(self._table, "billed_amount", query),
            billable=self._field_to_sql(self._table, "billable_amount", query),
        )
