from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestBudget(PsaProjectCommon):
    def test_budget_lines_and_totals(self):
        project = self._create_sample_project()
        lines = project.psa_budget_line_ids
        self.assertEqual(lines.mapped("amount"), [12000.0, 6000.0, 2400.0])
        self.assertEqual(lines.mapped("cost"), [6000.0, 3200.0, 1200.0])
        self.assertEqual(project.psa_budget_hours, 180.0)
        self.assertEqual(project.psa_budget_amount, 20400.0)
        self.assertEqual(project.psa_budget_cost, 10400.0)
        self.assertEqual(lines.currency_id, project.currency_id)
        self.assertEqual(lines.cost_currency_id, self.env.company.currency_id)
        lines[0].hours = 100
        self.assertEqual(lines[0].cost, 5000.0)
        self.assertEqual(project.psa_budget_cost, 9400.0)
        self.assertEqual(project.psa_budget_hours, 160.0)
        lines[2].unlink()
        self.assertEqual(project.psa_budget_cost, 8200.0)

    def test_budget_form(self):
        project = self._create_project("Form", [])
        with Form(project) as form:
            with form.psa_budget_line_ids.new() as line:
                line.role_id = self.role_architect
                line.hours = 10
                line.bill_rate = 150
                line.cost_rate = 80
            self.assertEqual(form.psa_budget_cost, 800.0)
            self.assertEqual(form.psa_budget_amount, 1500.0)
        self.assertEqual(project.psa_budget_cost, 800.0)

    @mute_logger("odoo.sql_db")
    def test_negative_hours(self):
        project = self._create_project("Negative", [])
        with self.assertRaises(IntegrityError):
            self.env["psa.project.budget.line"].create(
                {"project_id": project.id, "role_id": self.role_pm.id, "hours": -1}
            )
            self.env.flush_all()
