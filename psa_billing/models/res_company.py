from odoo import api, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    psa_accrued_revenue_account_id = fields.Many2one(
        "account.account",
        string="Accrued Revenue Account",
        check_company=True,
        domain="[('account_type', 'in', ('asset_current', 'asset_receivable'))]",
        help="Unbilled receivable: revenue recognized on engagements and not "
        "invoiced yet (period-end revenue recognition).",
    )
    psa_deferred_revenue_account_id = fields.Many2one(
        "account.account",
        string="Deferred Revenue Account",
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_payable'))]",
        help="Revenue invoiced on engagements and not recognized yet (period-end "
        "revenue recognition).",
    )
    psa_revenue_journal_id = fields.Many2one(
        "account.journal",
        string="Revenue Recognition Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Miscellaneous journal of the period-end revenue recognition entries "
        "and their reversals.",
    )

    psa_auto_billing = fields.Boolean(
        string="Automatic Billing Runs",
        help="Each month, from the billing day on, a billing run of everything "
        "due up to the end of the previous month is created, previewed and "
        "invoiced as drafts by a scheduled action; the billing administrators "
        "are notified to review and post the invoices.",
    )
    psa_auto_billing_day = fields.Integer(
        string="Billing Day",
        default=1,
        help="Day of the month (1 to 28) on which the automatic billing run of "
        "the previous month is made.",
    )

    _psa_auto_billing_day_range = models.Constraint(
        "CHECK(psa_auto_billing_day BETWEEN 1 AND 28)",
        "The billing day is a day of the month from 1 to 28.",
    )

    def _psa_revenue_recognition_setup(self):
        """(accrued revenue account, deferred revenue account, journal) of the
        company; a clear error when one is missing."""
        self.ensure_one()
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in (
                "psa_accrued_revenue_account_id",
                "psa_deferred_revenue_account_id",
                "psa_revenue_journal_id",
            )
            if not self[name]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Set the revenue recognition %(missing)s of the company "
                    "%(company)s in the Accounting settings first.",
                    missing=", ".join(missing),
                    company=self.display_name,
                )
            )
        return (
            self.psa_accrued_revenue_account_id,
            self.psa_deferred_revenue_account_id,
            self.psa_revenue_journal_id,
        )

    @api.model
    def _psa_install_revenue_recognition_defaults(self):
        """On install: the revenue recognition settings of the companies with a
        chart of accounts."""
        for company in self.sudo().search([("chart_template", "!=", False)]):
            company._psa_set_revenue_recognition_defaults()

    def _psa_set_revenue_recognition_defaults(self):
        """Fill the empty revenue recognition settings: the company's
        miscellaneous journal, the chart's deferred revenue account (else one
        named so), an accrued revenue account (found by name, else created next
        to the prepaid expenses)."""
        self.ensure_one()
        ChartTemplate = self.env["account.chart.template"].with_company(self)
        Account = self.env["account.account"].with_company(self)
        company_domain = Account._check_company_domain(self)
        vals = {}
        if not self.psa_revenue_journal_id:
            journals = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(self),
                    ("type", "=", "general"),
                ]
            )
            journal = journals.filtered(lambda j: j.code == "MISC")[:1] or journals[:1]
            vals["psa_revenue_journal_id"] = journal.id
        if not self.psa_deferred_revenue_account_id:
            account = ChartTemplate.ref(
                "deferred_revenue", raise_if_not_found=False
            ) or Account.search(
                [
                    *company_domain,
                    ("account_type", "=", "liability_current"),
                    ("name", "=ilike", "deferred revenue%"),
                ],
                limit=1,
            )
            vals["psa_deferred_revenue_account_id"] = account.id
        if not self.psa_accrued_revenue_account_id:
            account = Account.search(
                [
                    *company_domain,
                    ("account_type", "=", "asset_current"),
                    "|",
                    ("name", "=ilike", "accrued revenue%"),
                    ("name", "=ilike", "unbilled revenue%"),
                ],
                limit=1,
            )
            if not account:
                start = ChartTemplate.ref(
                    "prepaid_expenses", raise_if_not_found=False
                ) or Account.search(
                    [*company_domain, ("account_type", "=", "asset_current")],
                    order="code",
                    limit=1,
                )
                account = Account.create(
                    {
                        "name": self.env._("Accrued Revenue"),
                        "code": Account._search_new_account_code(start.code or "1290"),
                        "account_type": "asset_current",
                        "company_ids": [fields.Command.set(self.ids)],
                    }
                )
            vals["psa_accrued_revenue_account_id"] = account.id
        self.write({key: value for key, value in vals.items() if value})
