from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestPsaDemoFirm(BaseCommon):
    def test_companies_and_currencies(self):
        main = self.env.ref("base.main_company")
        europe = self.env.ref("psa_demo.company_europe")
        self.assertEqual(main.currency_id, self.env.ref("base.USD"))
        self.assertEqual(europe.currency_id, self.env.ref("base.EUR"))
        clients = (
            self.env.ref("psa_demo.partner_acme")
            | self.env.ref("psa_demo.partner_globex")
            | self.env.ref("psa_demo.partner_initech")
        )
        currencies = clients.mapped("property_product_pricelist.currency_id.name")
        self.assertEqual(sorted(currencies), ["EUR", "GBP", "USD"])

    def test_people(self):
        employees = self.env["hr.employee"].search(
            [("work_email", "=like", "%@northwind.example.com")]
        )
        self.assertGreaterEqual(len(employees), 12)
        self.assertEqual(len(employees.company_id), 2)
        dan = self.env.ref("psa_demo.employee_dan")
        self.assertEqual(dan.default_role_id, self.env.ref("psa_demo.role_architect"))
        self.assertIn("Odoo", dan.employee_skill_ids.skill_id.mapped("name"))
        hana = self.env.ref("psa_demo.employee_hana")
        self.assertEqual(
            hana.resource_calendar_id, self.env.ref("psa_demo.calendar_part_time")
        )
        self.assertTrue(self.env.ref("psa_demo.calendar_support_24_7").psa_is_24_7)

    def test_demo_logins_reach_services(self):
        root = self.env.ref("psa_base.menu_psa_root").id
        for login in ("alice", "bob", "carol", "eva"):
            user = self.env["res.users"].search([("login", "=", login)])
            employee = (
                self.env["hr.employee"].sudo().search([("user_id", "=", user.id)])
            )
            self.assertEqual(len(employee), 1, login)
            self.assertIn(
                root, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            )

    def test_projects(self):
        template = self.env.ref("psa_demo.project_template_implementation")
        self.assertTrue(template.is_template)
        self.assertEqual(len(template.task_ids), 3)
        acme = self.env.ref("psa_demo.project_acme_erp")
        self.assertEqual(acme.partner_id, self.env.ref("psa_demo.partner_acme"))
        self.assertTrue(acme.milestone_ids)
        umbrella = self.env.ref("psa_demo.project_umbrella_audit")
        self.assertEqual(umbrella.company_id, self.env.ref("psa_demo.company_europe"))

    def test_year_of_timesheets(self):
        """A year of time in mixed states: approved, submitted, a few rejected."""
        domain = [
            ("project_id", "!=", False),
            ("employee_id.work_email", "=like", "%@northwind.example.com"),
        ]
        counts = dict(
            self.env["account.analytic.line"]._read_group(
                domain, ["psa_state"], ["__count"]
            )
        )
        self.assertGreater(sum(counts.values()), 2000)
        self.assertGreater(counts["approved"], counts.get("submitted", 0))
        self.assertEqual(counts["rejected"], 3)
        self.assertIn("submitted", counts)
        oldest, cost = self.env["account.analytic.line"]._read_group(
            domain, [], ["date:min", "amount:sum"]
        )[0]
        self.assertLessEqual(oldest, date.today() - relativedelta(months=11))
        self.assertLess(
            cost, 0, "timesheets carry their cost, from the employees' hourly cost"
        )

    def test_project_health_and_history(self):
        """Projects on track, at risk and off track, with weekly updates behind them."""
        expected = {
            "project_acme_erp": "on_track",
            "project_umbrella_audit": "at_risk",
            "project_globex_data": "off_track",
        }
        for xmlid, health in expected.items():
            project = self.env.ref(f"psa_demo.{xmlid}")
            self.assertEqual(project.psa_health, health, xmlid)
            self.assertTrue(project.psa_budget_line_ids)
            self.assertGreaterEqual(len(project.update_ids), 8)
            self.assertEqual(project.last_update_status, health)
        globex = self.env.ref("psa_demo.project_globex_data")
        self.assertIn("Cost performance index", globex.psa_risk_reasons)

    def test_billing(self):
        cards = self.env["psa.rate.card"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertEqual(
            sorted(cards.currency_id.mapped("name")), ["EUR", "GBP", "USD"]
        )
        self.assertEqual(
            self.env.ref("psa_demo.partner_globex").psa_rate_card_id.currency_id.name,
            "EUR",
        )
        clients = (
            self.env.ref("psa_demo.partner_acme")
            | self.env.ref("psa_demo.partner_globex")
            | self.env.ref("psa_demo.partner_initech")
        )
        runs = self.env["psa.billing.run"].search(
            [("line_ids.order_id.partner_id", "in", clients.ids)]
        )
        self.assertEqual(sorted(runs.mapped("state")), ["posted", "previewed"])
        posted = runs.filtered(lambda run: run.state == "posted")
        # Acme twice (time and materials, and the fixed fee's first milestone)
        self.assertEqual(len(posted.invoice_ids), 4)
        self.assertEqual(set(posted.invoice_ids.mapped("state")), {"posted"})
        self.assertEqual(
            sorted(posted.invoice_ids.currency_id.mapped("name")), ["EUR", "GBP", "USD"]
        )
        # a goodwill write-down and the cap of Globex are in the ledger
        self.assertTrue(posted.line_ids.filtered("reason_id"))
        self.assertTrue(posted.line_ids.filtered("held_amount"))
        if "sla_status_id" in posted.line_ids._fields:
            # the Gold policy's fixed credit for the late warehouse ticket
            credit = posted.line_ids.filtered(
                lambda line: line.line_kind == "sla_credit"
            )
            self.assertEqual(credit.order_id.partner_id.name, "Acme Corporation")
            self.assertEqual(credit.billed_amount, -250.0)
            self.assertEqual(credit.invoice_id.state, "posted")
            self.assertIn("Warehouse scanners", credit.invoice_line_id.name)
        previewed = runs - posted
        self.assertTrue(previewed.line_ids)
        self.assertFalse(previewed.invoice_ids)

    def test_billing_plans(self):
        """One engagement of each plan type, with history."""
        today = date.today()
        this_month = today.replace(day=1)
        Order = self.env["sale.order"]
        # the retainer: four months billed and closed, rollover and overage
        stark = Order.search(
            [("partner_id", "=", self.env.ref("psa_demo.partner_stark").id)]
        )
        retainer = stark.psa_billing_plan_id.line_ids
        self.assertEqual(retainer.type, "retainer")
        periods = retainer.retainer_period_ids.sorted("date_start")
        self.assertEqual(len(periods), 5)
        self.assertEqual(periods[-1].date_start, this_month)
        self.assertEqual(
            periods.mapped("state"), ["closed"] * 4 + ["open"], periods.mapped("name")
        )
        # month -4: 14 h of 20, 6 h rolled into month -3 (26 h), 3 h used: the
        # other 3 rolled hours expire, its 20 h roll into month -2 (40 h), 45 h
        # used: 5 h over
        self.assertEqual(periods[0].rolled_out, 6.0)
        self.assertRecordValues(
            periods[1],
            [{"balance": 26.0, "consumed": 3.0, "expired": 3.0, "rolled_out": 20.0}],
        )
        self.assertRecordValues(periods[2], [{"balance": 40.0, "overage": 5.0}])
        self.assertTrue(periods[-1].alerted_thresholds)
        self.assertEqual(len(periods[:3].invoice_id), 3)
        # the recurring fee of Initech, prorated in its first month
        fee = self.env["psa.billing.plan.line"].search(
            [("type", "=", "recurring"), ("name", "=like", "Managed hosting%")]
        )
        fee_lines = self.env["psa.billing.run.line"].search(
            [("plan_line_id", "=", fee.id), ("run_id.state", "=", "posted")]
        )
        self.assertEqual(len(fee_lines), 3)
        self.assertLess(fee_lines.sorted("date_from")[0].amount, 1200.0)
        # the fixed fee: first milestone invoiced, the second in preview
        fixed = Order.search([("order_line.product_id.name", "=like", "Warehouse%")])
        milestone_lines = self.env["psa.billing.run.line"].search(
            [("order_id", "=", fixed.id), ("line_kind", "=", "milestone")]
        )
        self.assertEqual(
            sorted(milestone_lines.mapped("run_id.state")), ["posted", "previewed"]
        )
        self.assertEqual(sorted(milestone_lines.mapped("amount")), [9000.0, 12000.0])
        # the revenue of both recognized at the posted run's period end
        recognition = self.env["psa.revenue.recognition"].search(
            [("order_id", "in", (fixed | stark).ids)]
        )
        self.assertEqual(len(recognition), 2)
        self.assertTrue(all(recognition.mapped("move_id")))

    def test_pipeline(self):
        leads = self.env["crm.lead"].search([("psa_estimate_line_ids", "!=", False)])
        self.assertGreaterEqual(len(leads), 4)
        # priced with the clients' rate cards, weighted into the demand forecast
        self.assertTrue(all(leads.psa_estimate_line_ids.mapped("rate")))
        demand = self.env["psa.demand.forecast"].search([("pipeline_hours", ">", 0)])
        self.assertTrue(demand)
