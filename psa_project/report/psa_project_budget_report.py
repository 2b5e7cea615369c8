from odoo import api, fields, models


class PsaProjectBudgetReport(models.Model):
    _name = "psa.project.budget.report"
    _description = "Project Budget vs Actual by Role"
    _auto = False
    _order = "project_id, role_id"
    _rec_name = "role_id"

    project_id = fields.Many2one("project.project", readonly=True)
    role_id = fields.Many2one("project.role", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    budget_hours = fields.Float(readonly=True)
    actual_hours = fields.Float(readonly=True)
    remaining_hours = fields.Float(string="Hours Left", readonly=True)
    budget_cost = fields.Monetary(readonly=True)
    actual_cost = fields.Monetary(readonly=True)
    cost_variance = fields.Monetary(
        readonly=True, help="Budgeted cost minus actual cost: negative when over."
    )
    budget_amount = fields.Monetary(string="Budgeted Revenue", readonly=True)

    @property
    def _table_query(self):
        return f"""
            SELECT
                row_number() OVER (ORDER BY U.project_id, U.role_id) AS id,
                U.project_id AS project_id,
                U.role_id AS role_id,
                P.company_id AS company_id,
                C.currency_id AS currency_id,
                SUM(U.budget_hours) AS budget_hours,
                SUM(U.actual_hours) AS actual_hours,
                SUM(U.budget_hours) - SUM(U.actual_hours) AS remaining_hours,
                SUM(U.budget_cost) AS budget_cost,
                SUM(U.actual_cost) AS actual_cost,
                SUM(U.budget_cost) - SUM(U.actual_cost) AS cost_variance,
                SUM(U.budget_amount) AS budget_amount
            FROM ({self._budget_query()} UNION ALL {self._actual_query()}) U
            JOIN project_project P ON P.id = U.project_id
            JOIN res_company C
                ON C.id = COALESCE(P.company_id, {self._default_company()})
            GROUP BY U.project_id, U.role_id, P.company_id, C.currency_id
        """

    @api.model
    def _default_company(self):
        return int(self.env.company.id)

    @api.model
    def _budget_query(self):
        return """
            SELECT
                B.project_id AS project_id,
                B.role_id AS role_id,
                B.hours AS budget_hours,
                0.0 AS actual_hours,
                B.cost AS budget_cost,
                0.0 AS actual_cost,
                B.amount AS budget_amount
            FROM psa_project_budget_line B
        """

    @api.model
    def _timesheet_role(self):
        """SQL expression giving the role of a timesheet line ``A`` (employee
        ``E``). Override once timesheet lines carry their own role."""
        return "E.default_role_id"

    @api.model
    def _timesheet_where(self):
        """SQL condition on the timesheet lines ``A`` counted as actual time."""
        return "A.project_id IS NOT NULL"

    @api.model
    def _actual_query(self):
        return f"""
            SELECT
                A.project_id AS project_id,
                {self._timesheet_role()} AS role_id,
                0.0 AS budget_hours,
                A.unit_amount AS actual_hours,
                0.0 AS budget_cost,
                -A.amount AS actual_cost,
                0.0 AS budget_amount
            FROM account_analytic_line A
            LEFT JOIN hr_employee E ON E.id = A.employee_id
            WHERE {self._timesheet_where()}
        """
