from datetime import timedelta

from odoo import fields, models
from odoo.fields import Domain

BILLING_GROUP = "psa_base.group_psa_billing"


class ResPartner(models.Model):
    _inherit = "res.partner"

    psa_open_project_count = fields.Integer(
        string="Open Projects", compute="_compute_psa_client_projects"
    )
    psa_project_at_risk_count = fields.Integer(
        string="Projects at Risk",
        compute="_compute_psa_client_projects",
        help="Open projects whose health is At Risk or Off Track.",
    )
    psa_client_project_ids = fields.Many2many(
        "project.project",
        string="Client Projects",
        compute="_compute_psa_client_projects",
    )
    psa_pipeline_count = fields.Integer(
        string="Open Opportunities", compute="_compute_psa_client_pipeline"
    )
    psa_pipeline_amount = fields.Monetary(
        string="Pipeline",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_pipeline",
        help="Expected revenue of the client's open opportunities.",
    )
    psa_pipeline_weighted_amount = fields.Monetary(
        string="Weighted Pipeline",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_pipeline",
        help="Expected revenue x probability of the client's open opportunities.",
    )
    psa_client_currency_id = fields.Many2one(
        "res.currency", compute="_compute_psa_client_currency_id"
    )
    psa_open_invoice_amount = fields.Monetary(
        string="Open Invoices",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_invoices",
        groups=BILLING_GROUP,
        help="Amount still due on the client's posted invoices (company currency).",
    )
    psa_overdue_invoice_amount = fields.Monetary(
        string="Overdue Invoices",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_invoices",
        groups=BILLING_GROUP,
        help="Part of the open invoices past their due date.",
    )
    psa_wip_amount = fields.Monetary(
        string="Unbilled Time (WIP)",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_realization",
        groups=BILLING_GROUP,
        help="Billable value of the client's time not invoiced yet.",
    )
    psa_billed_12m_amount = fields.Monetary(
        string="Billed (12 Months)",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_realization",
        groups=BILLING_GROUP,
    )
    psa_realization_12m = fields.Float(
        string="Realization (12 Months, %)",
        compute="_compute_psa_client_realization",
        groups=BILLING_GROUP,
        digits=(16, 1),
        help="Billed amount over billable amount of the time billed in the last "
        "12 months.",
    )
    psa_revenue_12m_amount = fields.Monetary(
        string="Revenue (12 Months)",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_profitability",
        groups=BILLING_GROUP,
        help="Untaxed amount of the client's posted invoices less credit notes "
        "dated in the last 12 months (company currency).",
    )
    psa_cost_12m_amount = fields.Monetary(
        string="Cost of Time (12 Months)",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_profitability",
        groups=BILLING_GROUP,
        help="Cost of the time logged on the client's projects in the last 12 "
        "months, at the employees' hourly cost (company currency).",
    )
    psa_margin_12m_amount = fields.Monetary(
        string="Margin (12 Months)",
        currency_field="psa_client_currency_id",
        compute="_compute_psa_client_profitability",
        groups=BILLING_GROUP,
    )
    psa_margin_12m_percent = fields.Float(
        string="Margin (12 Months, %)",
        compute="_compute_psa_client_profitability",
        groups=BILLING_GROUP,
        digits=(16, 1),
        help="Margin over revenue of the last 12 months.",
    )
    psa_retainer_count = fields.Integer(
        string="Running Retainers",
        compute="_compute_psa_client_retainers",
        groups=BILLING_GROUP + ",sales_team.group_sale_salesman",
    )
    psa_retainer_hours_balance = fields.Float(
        string="Retainer Hours (Current Periods)",
        compute="_compute_psa_client_retainers",
        groups=BILLING_GROUP + ",sales_team.group_sale_salesman",
        digits=(16, 2),
        help="Hours granted plus rolled over in the current periods of the client's "
        "hour retainers.",
    )
    psa_retainer_hours_remaining = fields.Float(
        string="Retainer Hours Left",
        compute="_compute_psa_client_retainers",
        groups=BILLING_GROUP + ",sales_team.group_sale_salesman",
        digits=(16, 2),
        help="Hours not used yet in the current periods of the client's hour "
        "retainers.",
    )
    psa_retainer_overage_hours = fields.Float(
        string="Retainer Overage (Hours)",
        compute="_compute_psa_client_retainers",
        groups=BILLING_GROUP + ",sales_team.group_sale_salesman",
        digits=(16, 2),
        help="Approved time beyond the balance in the current periods.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _psa_client(self):
        """The client (saved commercial partner) of a partner, possibly new."""
        self.ensure_one()
        return self.commercial_partner_id._origin

    def _psa_clients(self):
        return self.browse(list({p._psa_client().id for p in self if p._psa_client()}))

    def _compute_psa_client_currency_id(self):
        for partner in self:
            partner.psa_client_currency_id = self.env.company.currency_id

    def _compute_psa_client_projects(self):
        clients = self._psa_clients()
        projects = (
            self.env["project.project"]
            .sudo()
            .search(
                Domain("partner_id.commercial_partner_id", "in", clients.ids)
                & Domain("is_template", "=", False)
                & Domain("active", "=", True)
            )
        )
        projects.fetch(["partner_id", "psa_health"])
        by_client = {}
        for project in projects:
            client = project.partner_id.commercial_partner_id
            by_client.setdefault(client.id, []).append(project.id)
        for partner in self:
            ids = by_client.get(partner._psa_client().id, [])
            client_projects = projects.browse(ids)
            partner.psa_client_project_ids = client_projects.with_env(self.env)
            partner.psa_open_project_count = len(client_projects)
            partner.psa_project_at_risk_count = len(
                client_projects.filtered(
                    lambda p: p.psa_health in ("at_risk", "off_track")
                )
            )

    def _compute_psa_client_pipeline(self):
        clients = self._psa_clients()
        groups = (
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                Domain("partner_id.commercial_partner_id", "in", clients.ids)
                & Domain("type", "=", "opportunity")
                & Domain("active", "=", True)
                & Domain("stage_id.is_won", "=", False),
                ["partner_id"],
                ["__count", "expected_revenue:sum", "prorated_revenue:sum"],
            )
        )
        totals = {}
        for partner, count, revenue, prorated in groups:
            key = partner._psa_client().id
            old = totals.get(key, (0, 0.0, 0.0))
            totals[key] = (old[0] + count, old[1] + revenue, old[2] + prorated)
        for partner in self:
            count, revenue, prorated = totals.get(
                partner._psa_client().id, (0, 0.0, 0.0)
            )
            partner.psa_pipeline_count = count
            partner.psa_pipeline_amount = revenue
            partner.psa_pipeline_weighted_amount = prorated

    def _compute_psa_client_invoices(self):
        clients = self._psa_clients()
        today = fields.Date.context_today(self)
        base = (
            Domain("commercial_partner_id", "in", clients.ids)
            & Domain("move_type", "in", ["out_invoice", "out_refund"])
            & Domain("state", "=", "posted")
            & Domain("payment_state", "in", ["not_paid", "partial"])
            & Domain("company_id", "in", self.env.companies.ids)
        )
        Move = self.env["account.move"].sudo()
        open_amounts = dict(
            Move._read_group(
                base, ["commercial_partner_id"], ["amount_residual_signed:sum"]
            )
        )
        overdue_amounts = dict(
            Move._read_group(
                base & Domain("invoice_date_due", "<", today),
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        for partner in self:
            client = partner._psa_client()
            partner.psa_open_invoice_amount = open_amounts.get(client, 0.0)
            partner.psa_overdue_invoice_amount = overdue_amounts.get(client, 0.0)

    def _compute_psa_client_realization(self):
        clients = self._psa_clients()
        since = fields.Date.context_today(self) - timedelta(days=365)
        Report = self.env["psa.realization.report"].sudo()
        base = Domain("partner_id", "in", clients.ids) & Domain(
            "company_id", "in", self.env.companies.ids
        )
        # work in progress as psa_billing's WIP report values it
        wip = dict(
            self.env["psa.wip.report"]
            .sudo()
            ._read_group(base, ["partner_id"], ["bill_amount:sum"])
        )
        billed = {
            partner: (billed_amount, billable_amount)
            for partner, billed_amount, billable_amount in Report._read_group(
                base
                & Domain("billing_status", "=", "billed")
                & Domain("date", ">=", since),
                ["partner_id"],
                ["billed_amount:sum", "billable_amount:sum"],
            )
        }
        for partner in self:
            client = partner._psa_client()
            billed_amount, billable_amount = billed.get(client, (0.0, 0.0))
            partner.psa_wip_amount = wip.get(client, 0.0)
            partner.psa_billed_12m_amount = billed_amount
            partner.psa_realization_12m = (
                100.0 * billed_amount / billable_amount if billable_amount else 0.0
            )

    def _compute_psa_client_profitability(self):
        """Revenue invoiced and cost of time logged for the client over the last
        12 months, in company currency: three queries whatever the partners."""
        clients = self._psa_clients()
        since = fields.Date.context_today(self) - timedelta(days=365)
        companies = Domain("company_id", "in", self.env.companies.ids)
        revenue = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                Domain("commercial_partner_id", "in", clients.ids)
                & Domain("move_type", "in", ["out_invoice", "out_refund"])
                & Domain("state", "=", "posted")
                & Domain("invoice_date", ">=", since)
                & companies,
                ["commercial_partner_id"],
                ["amount_untaxed_signed:sum"],
            )
        )
        cost_by_project = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                Domain("project_id.partner_id.commercial_partner_id", "in", clients.ids)
                & Domain("date", ">=", since)
                & companies,
                ["project_id"],
                ["amount:sum"],
            )
        )
        cost = {}
        for project, amount in cost_by_project:
            client = project.partner_id.commercial_partner_id
            # timesheet lines carry their cost as a negative amount
            cost[client] = cost.get(client, 0.0) - amount
        for partner in self:
            client = partner._psa_client()
            client_revenue = revenue.get(client, 0.0)
            client_cost = cost.get(client, 0.0)
            margin = client_revenue - client_cost
            partner.psa_revenue_12m_amount = client_revenue
            partner.psa_cost_12m_amount = client_cost
            partner.psa_margin_12m_amount = margin
            partner.psa_margin_12m_percent = (
                100.0 * margin / client_revenue if client_revenue else 0.0
            )

    def _psa_current_retainer_domain(self, clients):
        today = fields.Date.context_today(self)
        return (
            Domain("partner_id.commercial_partner_id", "in", clients.ids)
            & Domain("state", "=", "open")
            & Domain("date_start", "<=", today)
            & Domain("date_end", ">=", today)
            & Domain("plan_line_id.retainer_hours", ">", 0)
            & Domain("company_id", "in", self.env.companies.ids)
        )

    def _compute_psa_client_retainers(self):
        """The current periods of the client's hour retainers: one grouped
        query whatever the number of partners."""
        clients = self._psa_clients()
        totals = {}
        for partner, count, balance, remaining, overage in (
            self.env["psa.retainer.period"]
            .sudo()
            ._read_group(
                self._psa_current_retainer_domain(clients),
                ["partner_id"],
                ["__count", "balance:sum", "remaining:sum", "overage:sum"],
            )
        ):
            client = partner.commercial_partner_id
            old = totals.get(client, (0, 0.0, 0.0, 0.0))
            totals[client] = (
                old[0] + count,
                old[1] + balance,
                old[2] + remaining,
                old[3] + overage,
            )
        for partner in self:
            count, balance, remaining, overage = totals.get(
                partner._psa_client(), (0, 0.0, 0.0, 0.0)
            )
            partner.psa_retainer_count = count
            partner.psa_retainer_hours_balance = balance
            partner.psa_retainer_hours_remaining = remaining
            partner.psa_retainer_overage_hours = overage

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_psa_open_client_projects(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Projects"),
            "res_model": "project.project",
            "view_mode": "list,form",
            "domain": [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("is_template", "=", False),
            ],
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_psa_open_client_retainers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_billing.psa_retainer_period_action"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
        ]
        action["context"] = {"search_default_open": 1}
        return action

    def action_psa_open_client_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("move_type", "in", ["out_invoice", "out_refund"]),
                ("state", "=", "posted"),
                ("payment_state", "in", ["not_paid", "partial"]),
            ],
        }
