from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaBillingRunTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_billing = new_test_user(
            cls.env,
            login="psa_tour_billing",
            name="PSA Tour Billing",
            groups="psa_base.group_psa_billing",
        )
        role = cls.env["project.role"].create({"name": "Tour Developer"})
        developer = cls.env["hr.employee"].create(
            {"name": "Tour Dev", "default_role_id": role.id}
        )
        newcomer = cls.env["hr.employee"].create({"name": "Tour Newcomer"})
        card = cls.env["psa.rate.card"].create(
            {
                "name": "Tour Card",
                "line_ids": [Command.create({"role_id": role.id, "price": 120.0})],
            }
        )
        partner = cls.env["res.partner"].create(
            {"name": "Tour Client", "is_company": True}
        )
        product = cls.env["product.product"].create(
            {
                "name": "Tour Hours",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "taxes_id": [Command.clear()],
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "name": "PSA-TOUR-001",
                "partner_id": partner.id,
                "psa_rate_card_id": card.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order.action_confirm()
        project = cls.env["project.project"].create(
            {
                "name": "Tour Engagement",
                "allow_timesheets": True,
                "allow_billable": True,
                "partner_id": partner.id,
                "sale_line_id": cls.order.order_line.id,
            }
        )
        # last month's time: before the run's default cut-off date
        last_month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Build",
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "date": last_month + relativedelta(days=day),
                    "unit_amount": 3.0,
                }
                for employee, day in ((developer, 1), (developer, 2), (newcomer, 3))
            ]
        )._psa_set_state("approved", {})

    def test_billing_run_from_preview_to_posted_invoice(self):
        self.start_tour("/odoo", "psa_billing_run_tour", login="psa_tour_billing")
        run = self.env["psa.billing.run"].search([("order_ids", "in", self.order.ids)])
        self.assertEqual(run.state, "posted")
        invoice = self.order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        # 6 h at 120.00; the newcomer's 3 h have no rate and wait
        self.assertEqual(invoice.amount_total, 720.0)
        self.assertLess(run.cutoff_date, date.today())
