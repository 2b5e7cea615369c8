from odoo import api, fields, models


class PsaProjectBudgetLine(models.Model):
    _name = "psa.project.budget.line"
    _description = "Project Budget Line"
    _order = "project_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        related="project_id.company_id",
        store=True,
        index=True,
    )
    role_id = fields.Many2one(
        "project.role",
        required=True,
        ondelete="restrict",
        index=True,
    )
    name = fields.Char(string="Description")
    hours = fields.Float(digits=(16, 2))
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        help="Currency of the bill rate: the project's currency.",
    )
    bill_rate = fields.Monetary(currency_field="currency_id")
    amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        help="Budgeted revenue: hours x bill rate.",
    )
    cost_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        help="Company currency, in which costs are recorded.",
    )
    cost_rate = fields.Monetary(currency_field="cost_currency_id")
    cost = fields.Monetary(
        currency_field="cost_currency_id",
        compute="_compute_cost",
        store=True,
        help="Budgeted cost: hours x cost rate.",
    )

    _hours_positive = models.Constraint(
        "CHECK(hours >= 0)", "Budgeted hours cannot be negative."
    )
    _rates_positive = models.Constraint(
        "CHECK(bill_rate >= 0 AND cost_rate >= 0)", "Rates cannot be negative."
    )

    @api.depends("project_id.company_id")
    def _compute_currency_id(self):
        for line in self:
            company = line.project_id.company_id or self.env.company
            line.cost_currency_id = company.currency_id
            line.currency_id = line.project_id.currency_id or company.currency_id

    @api.depends("hours", "bill_rate", "currency_id")
    def _compute_amount(self):
        for line in self:
            line.amount = line.currency_id.round(line.hours * line.bill_rate)

    @api.depends("hours", "cost_rate", "cost_currency_id")
    def _compute_cost(self):
        for line in self:
            line.cost = line.cost_currency_id.round(line.hours * line.cost_rate)
