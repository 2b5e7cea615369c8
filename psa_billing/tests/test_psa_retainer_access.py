from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_psa_retainer import PsaRetainerCommon


@tagged("post_install", "-at_install")
class TestPsaRetainerAccess(PsaRetainerCommon):
    """Who reads and changes the billing plans and the retainer balances."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.retainer = cls._retainer(cls.engagement)
        cls._timesheets(
            cls.engagement_project, [(cls.employee_dana, date(2026, 1, 5), 5.0)]
        )
        cls.period = cls.retainer.retainer_period_ids
        cls.user_other_am = new_test_user(
            cls.env,
            login="psa_ret_other_am",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_sale_manager = new_test_user(
            cls.env,
            login="psa_ret_sale_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_account_manager_reads_the_balance_of_own_engagements(self):
        self.assertEqual(self.period.consumed, 5.0)
        order = self.engagement.with_user(self.user_am)
        self.assertTrue(order.psa_has_retainer)
        self.assertEqual(order.psa_billing_plan_id, self.retainer.plan_id)
        period = self.period.with_user(self.user_am)
        self.assertEqual(period.remaining, 15.0)
        self.assertEqual(period.order_id, self.engagement)
        action = order.action_psa_view_retainer_periods()
        periods = (
            self.env["psa.retainer.period"]
            .with_user(self.user_am)
            .search(action["domain"])
        )
        self.assertEqual(periods, self.period)
        # read only: no change, no approval of overage
        with self.assertRaises(AccessError):
            period.write({"granted": 100.0})
        with self.assertRaises(AccessError):
            period.action_psa_approve_overage()
        with self.assertRaises(AccessError):
            self.retainer.plan_id.with_user(self.user_am).write(
                {"next_billing_date": date(2026, 5, 1)}
            )

    def test_other_salesperson_and_consultant_see_nothing(self):
        Period = self.env["psa.retainer.period"]
        self.assertFalse(Period.with_user(self.user_other_am).search([]))
        self.assertFalse(
            self.env["psa.billing.plan"].with_user(self.user_other_am).search([])
        )
        with self.assertRaises(AccessError):
            self.period.with_user(self.user_other_am).read(["remaining"])
        with self.assertRaises(AccessError):
            self.period.with_user(self.user_consultant).read(["remaining"])
        # sales managers read them all, billing administrators too
        self.assertIn(self.period, Period.with_user(self.user_sale_manager).search([]))
        self.assertIn(self.period, Period.with_user(self.user_billing).search([]))

    def test_billing_admin_configures_and_approves(self):
        plan = self.retainer.plan_id.with_user(self.user_billing)
        plan.write({"next_billing_date": date(2026, 2, 1)})
        self.retainer.with_user(self.user_billing).write({"overage_policy": "hold"})
        self.assertTrue(
            self.period.with_user(self.user_billing).action_psa_approve_overage()
        )

    def test_other_company_balances_are_invisible(self):
        Period = self.env["psa.retainer.period"]
        self.assertNotIn(self.period, Period.with_user(self.user_billing2).search([]))
        self.assertNotIn(
            self.retainer.plan_id,
            self.env["psa.billing.plan"].with_user(self.user_billing2).search([]),
        )
