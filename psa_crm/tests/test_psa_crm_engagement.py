from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PsaCrmCommon


@tagged("post_install", "-at_install")
class TestPsaCrmEngagement(PsaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._create_opportunity(
            "Big Deal",
            [(cls.role_dev, 100.0), (cls.role_pm, 40.0), (cls.role_arch, 20.0)],
            psa_project_template_id=cls.template.id,
            psa_expected_start=date(2030, 2, 4),
            psa_expected_end=date(2030, 3, 29),
        )

    def test_estimate_rates_from_client_card(self):
        """GBP card converted to the USD company: 80 / 0.8 = 100, 96 / 0.8 = 120,
        120 / 0.8 = 150; expected revenue 100x100 + 40x120 + 20x150 = 17,800."""
        self.assertEqual(self.usd, self.company.currency_id)
        lines = self.lead.psa_estimate_line_ids
        self.assertEqual(lines.mapped("rate"), [100.0, 120.0, 150.0])
        self.assertEqual(lines.mapped("amount"), [10000.0, 4800.0, 3000.0])
        self.assertEqual(self.lead.expected_revenue, 17800.0)
        self.assertEqual(self.lead.psa_estimate_hours, 160.0)
        lines[2].with_user(self.salesman).write({"rate": 160.0})
        self.assertEqual(self.lead.expected_revenue, 18000.0)

    def test_won_creates_engagement(self):
        lead = self.lead.with_user(self.salesman)
        lead.action_set_won()
        order = lead.psa_order_id
        self.assertTrue(order)
        self.assertEqual(order.state, "draft", "A quotation by default")
        self.assertEqual(order.currency_id, self.eur)
        self.assertEqual(order.partner_id, self.client)
        self.assertEqual(order.opportunity_id, self.lead)
        # prices in EUR: 100 x 0.9, 120 x 0.9, 150 x 0.9
        self.assertEqual(
            [(sol.product_uom_qty, sol.price_unit) for sol in order.order_line],
            [(100.0, 90.0), (40.0, 108.0), (20.0, 135.0)],
        )
        self.assertEqual(order.amount_untaxed, 16020.0)
        project = lead.psa_project_id.sudo()
        self.assertTrue(project)
        self.assertFalse(project.is_template)
        self.assertEqual(project.name, "Big Deal")
        self.assertEqual(project.partner_id, self.client)
        self.assertEqual(project.reinvoiced_sale_order_id, order)
        self.assertEqual(order.project_id, project)
        self.assertEqual(project.date_start, date(2030, 2, 4))
        budget = project.psa_budget_line_ids
        self.assertEqual(
            [(b.role_id, b.hours, b.bill_rate) for b in budget],
            [
                (self.role_dev, 100.0, 100.0),
                (self.role_pm, 40.0, 120.0),
                (self.role_arch, 20.0, 150.0),
            ],
            "The estimate replaces the template's budget",
        )
        requests = self.env["psa.resource.request"].search(
            [("project_id", "=", project.id)]
        )
        self.assertEqual(len(requests), 3)
        self.assertEqual(
            {(r.role_id, r.hours, r.date_from, r.date_to) for r in requests},
            {
                (self.role_dev, 100.0, date(2030, 2, 4), date(2030, 3, 29)),
                (self.role_pm, 40.0, date(2030, 2, 4), date(2030, 3, 29)),
                (self.role_arch, 20.0, date(2030, 2, 4), date(2030, 3, 29)),
            },
        )
        self.assertEqual(self.lead.psa_resource_request_count, 3)

        # twice: nothing is created twice
        orders_before = self.env["sale.order"].search_count([])
        projects_before = self.env["project.project"].search_count([])
        lead.action_psa_create_engagement()
        lead.action_set_won()
        self.assertEqual(lead.psa_order_id, order)
        self.assertEqual(lead.psa_project_id.sudo(), project)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
        self.assertEqual(self.env["project.project"].search_count([]), projects_before)
        self.assertEqual(len(order.order_line), 3)
        self.assertEqual(len(project.psa_budget_line_ids), 3)
        self.assertEqual(
            self.env["psa.resource.request"].search_count(
                [("project_id", "=", project.id)]
            ),
            3,
        )

    def test_won_confirms_order_by_setting(self):
        self.company.psa_crm_confirm_order = True
        self.addCleanup(self.company.write, {"psa_crm_confirm_order": False})
        lead = self._create_opportunity(
            "Confirmed Deal",
            [(self.role_dev, 10.0)],
            psa_expected_start=date(2030, 2, 4),
            psa_expected_end=date(2030, 2, 8),
        )
        lead.action_set_won()
        self.assertEqual(lead.psa_order_id.state, "sale")
        self.assertEqual(lead.psa_project_id.sudo().sale_order_id, lead.psa_order_id)

    def test_missing_dates(self):
        self.lead.psa_expected_end = False
        with self.assertRaises(UserError):
            self.lead.with_user(self.salesman).action_psa_create_engagement()
        self.assertFalse(self.lead.psa_order_id)

    def test_confirm_quotation_later(self):
        lead = self.lead.with_user(self.salesman)
        lead.action_psa_create_engagement()
        projects_before = self.env["project.project"].search_count([])
        lead.psa_order_id.action_confirm()
        project = lead.psa_project_id.sudo()
        self.assertEqual(project.sale_order_id, lead.psa_order_id)
        self.assertEqual(project.sale_line_id, lead.psa_order_id.order_line[0])
        self.assertEqual(self.env["project.project"].search_count([]), projects_before)

    def test_estimate_in_form(self):
        """In the opportunity form, the rate comes with the role and the expected
        revenue follows the estimate."""
        with Form(
            self.env["crm.lead"]
            .with_user(self.salesman)
            .with_context(default_type="opportunity")
        ) as form:
            form.name = "Form Deal"
            form.partner_id = self.client
            with form.psa_estimate_line_ids.new() as line:
                line.role_id = self.role_arch
                line.hours = 10.0
                self.assertEqual(line.rate, 150.0)
            self.assertEqual(form.expected_revenue, 1500.0)
        lead = form.record
        self.assertEqual(lead.expected_revenue, 1500.0)

    def test_default_card_without_client_card(self):
        """No card on the client: the company's default card (USD) applies."""
        self.env["psa.rate.card"].create(
            {
                "name": "Default Card",
                "is_default": True,
                "line_ids": [
                    Command.create({"role_id": self.role_dev.id, "price": 90})
                ],
            }
        )
        self.client.psa_rate_card_id = False
        lead = self._create_opportunity("Default Deal", [(self.role_dev, 10.0)])
        self.assertEqual(lead.psa_estimate_line_ids.rate, 90.0)
        self.assertEqual(lead.expected_revenue, 900.0)

    def test_won_lands_on_project(self):
        """Marking won from the form opens the new engagement's project."""
        action = self.lead.with_user(self.salesman).action_set_won_rainbowman()
        self.assertEqual(action["res_model"], "project.project")
        self.assertEqual(action["res_id"], self.lead.psa_project_id.id)
