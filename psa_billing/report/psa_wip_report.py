from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

AGE_BUCKETS = [
    ("0_30", "0-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("90_plus", "90+ Days"),
]


LINE_TYPES = [("time", "Time"), ("expense", "Expense")]
DONE_EXPENSE_STATES = ("posted", "in_payment", "paid")


class PsaWipReport(models.Model):
    """Work in progress: approved billable time not invoiced yet, one row per
    timesheet line, valued at cost (the employee's hourly cost Odoo records on
    the line) and at the bill rate set by the action Price, both in the
    company's currency (the bill rate converted with Odoo's rate of the day
    worked), aged by the day worked.

    And re-invoiceable expenses (sale_expense) not invoiced yet, one row per
    expense (id: minus the expense's id): posted expenses re-invoiced on an
    engagement (Odoo puts each one on its own sale order line), the quantity
    not on an invoice of that line yet, valued at cost (the expense's posted
    untaxed amount) and at its re-invoice price (the sale line's price: the
    cost or the sales price, per the product's expense policy, converted at the
    rate of the expense date), aged by the expense date.

    The report is as of today, or as of the day given in the context
    (``psa_wip_date``, see the wizard): time worked up to that day and not on an
    invoice dated up to it (cancelled invoices do not count)."""

    _name = "psa.wip.report"
    _description = "Work in Progress Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc, id desc"
    _depends = {
        "account.analytic.line": [
            "name",
            "date",
            "company_id",
            "project_id",
            "task_id",
            "employee_id",
            "role_id",
            "order_id",
            "unit_amount",
            "amount",
            "psa_state",
            "billable_type",
            "psa_bill_rate",
            "psa_invoice_line_id",
            "timesheet_invoice_id",
        ],
        "account.move": ["state", "invoice_date", "date", "move_type"],
        "account.move.line": [
            "move_id",
            "quantity",
            "balance",
            "expense_id",
            "display_type",
            "sale_line_ids",
        ],
        "hr.employee": ["default_role_id"],
        "project.project": ["partner_id", "sale_line_id"],
        "res.company": ["currency_id", "parent_path"],
        "res.currency.rate": ["currency_id", "company_id", "name", "rate"],
        "res.partner": ["commercial_partner_id"],
        "sale.order": ["currency_id", "partner_id", "project_id"],
        "sale.order.line": ["order_id", "price_unit", "discount", "is_expense"],
        "hr.expense": [
            "name",
            "date",
            "company_id",
            "employee_id",
            "product_id",
            "quantity",
            "state",
            "account_move_id",
            "sale_order_line_id",
        ],
    }

    date = fields.Date(readonly=True)
    line_type = fields.Selection(LINE_TYPES, string="Type", readonly=True)
    name = fields.Char(string="Description", readonly=True)
    expense_id = fields.Many2one(
        "hr.expense",
        readonly=True,
        groups="hr_expense.group_hr_expense_team_approver",
    )
    product_id = fields.Many2one(
        "product.product", readonly=True, help="Product of an expense."
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    order_id = fields.Many2one("sale.order", string="Engagement", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    task_id = fields.Many2one("project.task", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    role_id = fields.Many2one("project.role", readonly=True)
    hours = fields.Float(readonly=True)
    age_days = fields.Integer(
        string="Age (Days)",
        aggregator="max",
        readonly=True,
        help="Days from the day worked to the day of the report.",
    )
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    cost_amount = fields.Monetary(
        string="Value at Cost",
        currency_field="currency_id",
        readonly=True,
        help="The cost of the time (the employee's hourly cost), in the "
        "company's currency.",
    )
    bill_amount = fields.Monetary(
        string="Value at Bill Rate",
        currency_field="currency_id",
        readonly=True,
        help="Time: hours times the bill rate set by the action Price (zero for "
        "time not priced yet). Expenses: the quantity not invoiced at the sale "
        "line's price (cost or sales price). Converted into the company's "
        "currency at the rate of the day worked or of the expense.",
    )
    is_priced = fields.Boolean(
        string="Priced",
        readonly=True,
        help="The time has a bill rate (action Price, or a billing run preview).",
    )

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        return SQL(
            "(%s %s %s) UNION ALL (%s)",
            self._select(),
            self._from(),
            self._where(),
            self._expense_query(),
        )

    @api.model
    def _as_of_sql(self):
        """SQL of the day of the report: the context's ``psa_wip_date``, else
        today (``CURRENT_DATE``)."""
        as_of = self.env.context.get("psa_wip_date")
        if as_of:
            return SQL("%s::date", fields.Date.to_date(as_of))
        return SQL("CURRENT_DATE")

    @api.model
    def _fx_to_company_currency(self, date_sql):
        """The conversion of the realization report: the engagement's currency
        into the company's, at Odoo's rate of ``date_sql``."""
        return (
            self.env["psa.realization.report"]
            .with_context(psa_report_company_currency=True)
            ._fx_factor(date_sql)
        )

    @api.model
    def _select(self):
        fx = self._fx_to_company_currency(SQL("A.date"))
        return SQL(
            """
            SELECT
                A.id AS id,
                A.date AS date,
                A.company_id AS company_id,
                C.currency_id AS currency_id,
                CP.id AS partner_id,
                SO.id AS order_id,
                A.project_id AS project_id,
                A.task_id AS task_id,
                A.employee_id AS employee_id,
                COALESCE(A.role_id, E.default_role_id) AS role_id,
                A.unit_amount AS hours,
                AGE.days AS age_days,
                CASE
                    WHEN AGE.days <= 30 THEN '0_30'
                    WHEN AGE.days <= 60 THEN '31_60'
                    WHEN AGE.days <= 90 THEN '61_90'
                    ELSE '90_plus'
                END AS age_bucket,
                -COALESCE(A.amount, 0.0) AS cost_amount,
                A.unit_amount * COALESCE(A.psa_bill_rate, 0.0) * %(fx)s AS bill_amount,
                COALESCE(A.psa_bill_rate, 0.0) != 0 AS is_priced,
                'time' AS line_type,
                A.name AS name,
                NULL::integer AS expense_id,
                NULL::integer AS product_id
            """,
            fx=fx,
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
            LEFT JOIN res_partner CP
                ON CP.id = COALESCE(SOP.commercial_partner_id, PP.commercial_partner_id)
            LEFT JOIN hr_employee E ON E.id = A.employee_id
            LEFT JOIN account_move_line AML ON AML.id = A.psa_invoice_line_id
            LEFT JOIN account_move BM
                ON BM.id = COALESCE(AML.move_id, A.timesheet_invoice_id)
            CROSS JOIN LATERAL (SELECT %(as_of)s - A.date AS days) AGE
            """,
            as_of=self._as_of_sql(),
        )

    @api.model
    def _where(self):
        """Approved billable time worked up to the day of the report and not
        invoiced by then: no invoice, a cancelled one, or one dated later."""
        return SQL(
            """
            WHERE A.project_id IS NOT NULL
              AND A.psa_state = 'approved'
              AND A.billable_type = 'billable'
              AND A.date <= %(as_of)s
              AND (
                BM.id IS NULL
                OR BM.state = 'cancel'
                OR COALESCE(BM.invoice_date, BM.date) > %(as_of)s
              )
            """,
            as_of=self._as_of_sql(),
        )

    @api.model
    def _expense_query(self):
        """Rows of the re-invoiceable expenses not invoiced as of the day of the
        report: posted by then, with the quantity of their sale order line not
        on an invoice (not cancelled, dated by then; credit notes give it back)."""
        as_of = self._as_of_sql()
        fx = self._fx_to_company_currency(SQL("E.date"))
        return SQL(
            """
            SELECT
                -E.id AS id,
                E.date AS date,
                E.company_id AS company_id,
                C.currency_id AS currency_id,
                CP.id AS partner_id,
                SO.id AS order_id,
                SO.project_id AS project_id,
                NULL::integer AS task_id,
                E.employee_id AS employee_id,
                NULL::integer AS role_id,
                0.0 AS hours,
                AGE.days AS age_days,
                CASE
                    WHEN AGE.days <= 30 THEN '0_30'
                    WHEN AGE.days <= 60 THEN '31_60'
                    WHEN AGE.days <= 90 THEN '61_90'
                    ELSE '90_plus'
                END AS age_bucket,
                COST.amount * LEFT_QTY.qty / E.quantity AS cost_amount,
                LEFT_QTY.qty * SOL.price_unit
                    * (1.0 - COALESCE(SOL.discount, 0.0) / 100.0)
                    * %(fx)s AS bill_amount,
                TRUE AS is_priced,
                'expense' AS line_type,
                E.name AS name,
                E.id AS expense_id,
                E.product_id AS product_id
            FROM hr_expense E
            JOIN res_company C ON C.id = E.company_id
            JOIN account_move EM ON EM.id = E.account_move_id
            JOIN sale_order_line SOL ON SOL.id = E.sale_order_line_id
            JOIN sale_order SO ON SO.id = SOL.order_id
            LEFT JOIN res_partner SOP ON SOP.id = SO.partner_id
            LEFT JOIN res_partner CP ON CP.id = SOP.commercial_partner_id
            CROSS JOIN LATERAL (SELECT %(as_of)s - E.date AS days) AGE
            CROSS JOIN LATERAL (
                SELECT COALESCE(SUM(ML.balance), 0.0) AS amount
                  FROM account_move_line ML
                 WHERE ML.move_id = E.account_move_id
                   AND ML.expense_id = E.id
                   AND ML.display_type = 'product'
            ) COST
            CROSS JOIN LATERAL (
                SELECT COALESCE(SUM(
                           CASE WHEN IM.move_type = 'out_refund'
                                THEN -IL.quantity ELSE IL.quantity END
                       ), 0.0) AS qty
                  FROM sale_order_line_invoice_rel R
                  JOIN account_move_line IL ON IL.id = R.invoice_line_id
                  JOIN account_move IM ON IM.id = IL.move_id
                 WHERE R.order_line_id = SOL.id
                   AND IM.move_type IN ('out_invoice', 'out_refund')
                   AND IM.state != 'cancel'
                   AND COALESCE(IM.invoice_date, IM.date) <= %(as_of)s
            ) INVOICED
            CROSS JOIN LATERAL (
                SELECT GREATEST(E.quantity - INVOICED.qty, 0.0) AS qty
            ) LEFT_QTY
            WHERE E.state IN %(states)s
              AND EM.state = 'posted'
              AND EM.date <= %(as_of)s
              AND E.date <= %(as_of)s
              AND E.quantity > 0
              AND LEFT_QTY.qty > 0
            """,
            fx=fx,
            as_of=as_of,
            states=DONE_EXPENSE_STATES,
        )

    def init(self):
        # the view as of today; queries add the day asked (context)
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self.with_context(psa_wip_date=False)._table_query,
            )
        )
