from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .test_psa_revenue_recognition import PsaRevenueRecognitionCommon


@tagged("post_install", "-at_install")
class TestPsaRevenueRecognitionAccess(PsaRevenueRecognitionCommon):
    """Accountants run the period end and post; billing administrators read the
    recognitions; consultants see nothing; each company sees its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_poc, cls.project_poc = cls._fixed_fee_engagement(
            1000.0, "poc_hours", allocated_hours=10.0
        )
        cls._timesheets(cls.project_poc, [(cls.employee_rita, date(2026, 10, 12), 5.0)])

    def test_accountant_posts(self):
        __, record = self._recognize(self.order_poc)
        self.assertEqual(record.difference_amount, 500.0)
        self.assertEqual(record.create_uid, self.user_accountant)
        self.assertEqual(record.move_id.state, "posted")
        self.assertEqual(
            record.with_user(self.user_accountant).order_id, self.order_poc
        )

    def test_screens(self):
        with Form(
            self.env["psa.revenue.recognition.wizard"].with_user(self.user_accountant)
        ) as wizard_form:
            wizard_form.date_to = self.period_end
            wizard_form.order_ids.add(self.order_poc)
        action = wizard_form.record.action_recognize()
        self.assertEqual(action["res_model"], "psa.revenue.recognition")
        records = self.env["psa.revenue.recognition"].search(action["domain"])
        self.assertEqual(records.order_id, self.order_poc)
        for user in (self.user_accountant, self.user_billing):
            Recognition = self.env["psa.revenue.recognition"].with_user(user)
            views = Recognition.get_views(
                [(False, "list"), (False, "form"), (False, "pivot"), (False, "search")]
            )
            self.assertEqual(set(views["views"]), {"list", "form", "pivot", "search"})
            self.assertEqual(
                Recognition.web_search_read(
                    action["domain"], {"order_id": {}, "move_id": {}}
                )["length"],
                1,
            )

    def test_consultant_cannot(self):
        for user in (self.user_consultant, self.user_billing):
            with self.assertRaises(AccessError):
                self._recognize(self.order_poc, user=user)
        __, record = self._recognize(self.order_poc)
        with self.assertRaises(AccessError):
            record.with_user(self.user_consultant).read(["recognized_amount"])
        with self.assertRaises(AccessError):
            self.env["psa.revenue.recognition"].with_user(self.user_consultant).search(
                []
            )
        with self.assertRaises(AccessError):
            self.env["psa.revenue.recognition"].with_user(
                self.user_consultant
            )._psa_recognize(self.order_poc, date(2026, 11, 30))

    def test_billing_admin_reads(self):
        __, record = self._recognize(self.order_poc)
        as_billing = record.with_user(self.user_billing)
        self.assertEqual(as_billing.recognized_amount, 500.0)
        self.assertEqual(
            self.env["psa.revenue.recognition"]
            .with_user(self.user_billing)
            .search([("order_id", "=", self.order_poc.id)]),
            record,
        )
        with self.assertRaises(AccessError):
            as_billing.write({"recognized_amount": 0.0})
        with self.assertRaises(AccessError):
            as_billing.unlink()

    def test_multi_company(self):
        company2 = self.company2
        Account = self.env["account.account"].with_company(company2)
        company2.write(
            {
                "psa_accrued_revenue_account_id": Account.create(
                    {
                        "name": "Accrued Revenue 2",
                        "code": "PSA1902",
                        "account_type": "asset_current",
                        "company_ids": [Command.set(company2.ids)],
                    }
                ).id,
                "psa_deferred_revenue_account_id": Account.create(
                    {
                        "name": "Deferred Revenue 2",
                        "code": "PSA2902",
                        "account_type": "liability_current",
                        "company_ids": [Command.set(company2.ids)],
                    }
                ).id,
                "psa_revenue_journal_id": self.env["account.journal"]
                .search(
                    [("company_id", "=", company2.id), ("type", "=", "general")],
                    limit=1,
                )
                .id,
            }
        )
        self.fixed_fee.with_company(company2).property_account_income_id = self.env[
            "account.account"
        ].search(
            [
                ("company_ids", "in", company2.ids),
                ("account_type", "=", "income"),
            ],
            limit=1,
        )
        order2, project2 = self._fixed_fee_engagement(
            3000.0,
            "poc_hours",
            company=company2,
            pricelist=self.env["product.pricelist"].create(
                {
                    "name": "Company 2",
                    "company_id": company2.id,
                    "currency_id": company2.currency_id.id,
                }
            ),
            allocated_hours=10.0,
        )
        self.env["account.analytic.line"].with_company(company2).create(
            {
                "name": "Work",
                "project_id": project2.id,
                "employee_id": self.env["hr.employee"]
                .with_company(company2)
                .create({"name": "Carla Company Two", "company_id": company2.id})
                .id,
                "date": date(2026, 10, 12),
                "unit_amount": 1.0,
            }
        )._psa_set_state("approved", {})
        accountant2 = new_test_user(
            self.env,
            login="psa_rev_accountant2",
            groups="account.group_account_manager",
            company_id=company2.id,
            company_ids=[Command.set(company2.ids)],
        )
        # the accountant of the first company runs its period end: the other
        # company's engagement is not in it
        wizard = (
            self.env["psa.revenue.recognition.wizard"]
            .with_user(self.user_accountant)
            .create({"date_to": self.period_end})
        )
        self.assertIn(self.order_poc, wizard._psa_orders())
        self.assertNotIn(order2, wizard._psa_orders())
        wizard.action_recognize()
        # the second company's accountant posts in its company
        __, record2 = self._recognize(order2, user=accountant2)
        self.assertEqual(record2.company_id, company2)
        self.assertEqual(record2.recognized_amount, 300.0)
        self.assertEqual(record2.move_id.company_id, company2)
        self.assertEqual(record2.move_id.journal_id, company2.psa_revenue_journal_id)
        Recognition = self.env["psa.revenue.recognition"]
        self.assertEqual(Recognition.with_user(accountant2).search([]), record2)
        self.assertEqual(
            Recognition.with_user(self.user_accountant).search([]).company_id,
            self.company,
        )
        self.assertFalse(
            Recognition.with_user(self.user_billing2).search(
                [("company_id", "=", self.company.id)]
            )
        )
