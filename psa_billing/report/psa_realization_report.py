from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

BILLING_STATUSES = [
    ("unbilled", "Not Billed"),
    ("billed", "Billed"),
]


class PsaRealizationReport(models.Model):
    """Realization of the time billed (or to bill): one row per timesheet line,
    every amount converted into the company's currency with Odoo's rates (the
    ledger of the timesheet lines is in the engagement's currency)."""

    _name = "psa.realization.report"
    _description = "Realization Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc, id desc"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        readonly=True,
        help="The company's currency, in which every amount is reported.",
    )
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    order_id = fields.Many2one("sale.order", string="Engagement", readonly=True)
    project_id = fields.Many2one("project.project", string="Project", readonly=True)
    task_id = fields.Many2one("project.task", string="Task", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Employee", readonly=True)
    role_id = fields.Many2one("project.role", string="Role", readonly=True)
    rate_card_id = fields.Many2one("psa.rate.card", string="Rate Card", readonly=True)
    reason_id = fields.Many2one(
        "psa.billing.reason", string="Adjustment Reason", readonly=True
    )
    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    billing_status = fields.Selection(
        BILLING_STATUSES, string="Billing Status", readonly=True
    )
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
    def _to_company_currency(self, amount, day):
        """SQL converting ``amount`` (in the engagement's currency) into the
        company's currency at ``day``."""
        root = SQL("split_part(C.parent_path, '/', 1)::integer")
        return SQL(
            """CASE
                WHEN SO.currency_id IS NULL OR SO.currency_id = C.currency_id
                THEN %(amount)s
                ELSE %(amount)s * %(company_rate)s / %(order_rate)s
            END""",
            amount=amount,
            company_rate=self._rate(SQL("C.currency_id"), day, root),
            order_rate=self._rate(SQL("SO.currency_id"), day, root),
        )

    @api.model
    def _select(self):
        billed = self._to_company_currency(
            SQL("COALESCE(A.psa_billed_amount, 0.0)"),
            SQL("COALESCE(AM.invoice_date, AM.date, A.date)"),
        )
        billable = self._to_company_currency(
            SQL("COALESCE(A.psa_billable_amount, 0.0)"), SQL("A.date")
        )
        return SQL(
            """
            SELECT
                A.id AS id,
                A.date AS date,
                A.company_id AS company_id,
                C.currency_id AS currency_id,
                COALESCE(SOP.commercial_partner_id, PP.commercial_partner_id)
                    AS partner_id,
                SO.id AS order_id,
                A.project_id AS project_id,
                A.task_id AS task_id,
                A.employee_id AS employee_id,
                COALESCE(A.role_id, E.default_role_id) AS role_id,
                RCL.rate_card_id AS rate_card_id,
                BRL.reason_id AS reason_id,
                AM.id AS invoice_id,
                CASE WHEN A.psa_invoice_line_id IS NULL
                    THEN 'unbilled' ELSE 'billed'
                END AS billing_status,
                A.unit_amount AS hours,
                %(standard)s AS standard_amount,
                %(billable)s AS billable_amount,
                %(billed)s AS billed_amount,
                CASE
                    WHEN AM.state = 'posted' AND AM.move_type = 'out_invoice'
                        AND AM.amount_total != 0
                    THEN %(billed)s * (1.0 - AM.amount_residual / AM.amount_total)
                    ELSE 0.0
                END AS collected_amount,
                %(billable)s - %(billed)s AS leakage,
                CASE WHEN COALESCE(A.psa_billable_amount, 0.0) != 0
                    THEN 100.0 * %(billed)s / %(billable)s
                END AS realization
            """,
            standard=self._to_company_currency(
                SQL("COALESCE(A.psa_standard_amount, 0.0)"), SQL("A.date")
            ),
            billable=billable,
            billed=billed,
        )

    @api.model
    def _from(self):
        return SQL(
            """
            FROM account_analytic_line A
            JOIN res_company C ON C.id = A.company_id
            LEFT JOIN project_project P ON P.id = A.project_id
            LEFT JOIN res_partner PP ON PP.id = P.partner_id
            LEFT JOIN sale_order_line PSOL ON PSOL.id = P.sale_line_id
            LEFT JOIN sale_order SO ON SO.id = COALESCE(A.order_id, PSOL.order_id)
            LEFT JOIN res_partner SOP ON SOP.id = SO.partner_id
            LEFT JOIN hr_employee E ON E.id = A.employee_id
            LEFT JOIN psa_rate_card_line RCL ON RCL.id = A.psa_rate_line_id
            LEFT JOIN psa_billing_run_line BRL ON BRL.id = A.psa_billing_run_line_id
            LEFT JOIN account_move_line AML ON AML.id = A.psa_invoice_line_id
            LEFT JOIN account_move AM ON AM.id = AML.move_id
            """
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
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._table_query,
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
