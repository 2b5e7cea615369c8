from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaRetainerTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="psa_ret_tour",
            name="PSA Retainer Tour",
            groups="psa_base.group_psa_billing,sales_team.group_sale_salesman",
        )
        partner = cls.env["res.partner"].create(
            {"name": "Retainer Tour Client", "is_company": True}
        )
        hours = cls.env["product.product"].create(
            {
                "name": "Retainer Tour Hours",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "taxes_id": [Command.clear()],
            }
        )
        cls.env["product.product"].create(
            {
                "name": "Tour Support Retainer",
                "type": "service",
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "name": "PSA-RET-TOUR",
                "partner_id": partner.id,
                "user_id": cls.user.id,
                "order_line": [Command.create({"product_id": hours.id})],
            }
        )
        cls.order.action_confirm()
        cls.project = cls.env["project.project"].create(
            {
                "name": "Retainer Tour Project",
                "allow_timesheets": True,
                "allow_billable": True,
                "partner_id": partner.id,
                "sale_line_id": cls.order.order_line.id,
            }
        )
        cls.employee = cls.env["hr.employee"].create({"name": "Tour Consultant"})

    def test_configure_retainer_burn_and_see_the_balance(self):
        url = f"/odoo/psa-engagements/{self.order.id}"
        self.start_tour(url, "psa_retainer_tour", login="psa_ret_tour")
        retainer = self.order.psa_billing_plan_line_ids
        self.assertRecordValues(
            retainer,
            [
                {
                    "type": "retainer",
                    "retainer_hours": 20.0,
                    "overage_rate": 150.0,
                    "amount": 2000.0,
                    "alert_thresholds": "80,100",
                }
            ],
        )
        self.assertEqual(retainer.plan_id, self.order.psa_billing_plan_id)
        # from the first of the month (the tour kept today: a partial month)
        retainer.date_start = fields.Date.today().replace(day=1)
        # 17 h approved today: 85 % of the 20 h of this month
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Support",
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "date": fields.Date.today(),
                    "unit_amount": hours,
                }
                for hours in (10.0, 7.0)
            ]
        )._psa_set_state("approved", {})
        period = retainer.retainer_period_ids
        self.assertEqual(period.remaining, 3.0)
        self.assertEqual(period.alerted_thresholds, "80")
        self.start_tour(url, "psa_retainer_balance_tour", login="psa_ret_tour")
        # the customer sees the balance on the portal page of the order
        self.authenticate(None, None)
        response = self.url_open(self.order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Retainer Balance", response.text)
        self.assertIn("17.00", response.text)
