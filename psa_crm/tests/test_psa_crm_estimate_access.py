from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PsaCrmCommon


@tagged("post_install", "-at_install")
class TestPsaCrmEstimateAccess(PsaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesman = new_test_user(
            cls.env,
            login="psa_crm_test_other_salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.billing = new_test_user(
            cls.env,
            login="psa_crm_test_billing",
            groups="psa_base.group_psa_billing",
        )
        cls.lead = cls._create_opportunity(
            "Access Deal",
            [(cls.role_dev, 10.0)],
            psa_expected_start=date(2030, 1, 7),
            psa_expected_end=date(2030, 1, 18),
        )

    def test_salesman_sees_and_edits_estimates(self):
        lines = self.lead.with_user(self.salesman).psa_estimate_line_ids
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.rate, 100.0, "The rate shows as a number")
        lines.write({"hours": 12.0})
        self.assertEqual(self.lead.expected_revenue, 1200.0)

    def test_other_salesman_does_not_see_estimates(self):
        estimates = (
            self.env["psa.opportunity.estimate"]
            .with_user(self.other_salesman)
            .search([("lead_id", "=", self.lead.id)])
        )
        self.assertFalse(estimates)

    def test_rate_cards_stay_billing_only(self):
        with self.assertRaises(AccessError):
            self.card.with_user(self.salesman).read(["name"])
        self.assertEqual(self.card.with_user(self.billing).name, "Client Card (GBP)")

    def test_consultant_cannot_see_opportunities(self):
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.consultant).search([])
        with self.assertRaises(AccessError):
            self.env["psa.opportunity.estimate"].with_user(self.consultant).search([])

    def test_client_360(self):
        client = self.client.with_user(self.salesman)
        self.assertEqual(client.psa_pipeline_count, 1)
        self.assertEqual(client.psa_pipeline_amount, 1000.0)
        self.assertEqual(client.psa_open_project_count, 0)
        self.lead.with_user(self.salesman).action_psa_create_engagement()
        client.invalidate_recordset()
        self.assertEqual(client.psa_open_project_count, 1)
        billing_client = self.client.with_user(self.billing)
        self.assertEqual(billing_client.psa_open_invoice_amount, 0.0)
        self.assertEqual(billing_client.psa_wip_amount, 0.0)
        self.assertEqual(billing_client.psa_realization_12m, 0.0)
        # approved billable time on the new project, priced: work in progress
        employee = self.env["hr.employee"].create({"name": "CRM WIP Employee"})
        timesheet = self.env["account.analytic.line"].create(
            {
                "name": "Kick-off",
                "project_id": self.lead.psa_project_id.id,
                "employee_id": employee.id,
                "unit_amount": 3.0,
            }
        )
        timesheet._psa_set_state("approved", {})
        timesheet.sudo().psa_bill_rate = 100.0
        billing_client.invalidate_recordset()
        self.assertEqual(billing_client.psa_wip_amount, 300.0)
        with self.assertRaises(AccessError):
            client.read(["psa_wip_amount"])

    def test_other_company_estimates_hidden(self):
        other_company = self.env["res.company"].create({"name": "CRM Other Company"})
        lead = self.env["crm.lead"].create(
            {
                "name": "Other Company Deal",
                "type": "opportunity",
                "company_id": other_company.id,
                "psa_estimate_line_ids": [
                    Command.create({"role_id": self.role_dev.id, "hours": 5.0})
                ],
            }
        )
        self.assertEqual(lead.psa_estimate_line_ids.company_id, other_company)
        estimates = (
            self.env["psa.opportunity.estimate"]
            .with_user(self.salesman)
            .search([("lead_id", "=", lead.id)])
        )
        self.assertFalse(estimates)
