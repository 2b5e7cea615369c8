from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestPsaCrmClient360(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            login="psa_crm_360_billing",
            groups="psa_base.group_psa_billing,account.group_account_invoice",
            company_id=cls.env.company.id,
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "360 Client", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "360 Contact", "parent_id": cls.client.id}
        )
        cls.other_client = cls.env["res.partner"].create(
            {"name": "360 Other", "is_company": True}
        )
        today = fields.Date.today()
        for partner, amount, due in (
            (cls.contact, 1000.0, today - timedelta(days=10)),
            (cls.client, 500.0, today + timedelta(days=20)),
            (cls.other_client, 300.0, today - timedelta(days=5)),
        ):
            invoice = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Services",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            invoice.action_post()

    def test_open_and_overdue_invoices(self):
        """Invoices of the client and its contacts: 1,000 overdue + 500 not due."""
        partners = (self.client | self.contact | self.other_client).with_user(
            self.billing
        )
        self.assertEqual(
            partners.mapped("psa_open_invoice_amount"), [1500.0, 1500.0, 300.0]
        )
        self.assertEqual(
            partners.mapped("psa_overdue_invoice_amount"), [1000.0, 1000.0, 300.0]
        )

    def test_profitability_12_months(self):
        """Revenue 1,500 (the client's and its contact's invoices; an invoice
        older than 12 months does not count), cost 5 h x 40 = 200 on the
        client's project (time older than 12 months does not count): margin
        1,300, 86.7 % (one decimal)."""
        today = fields.Date.today()
        old_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.client.id,
                "invoice_date": today - timedelta(days=400),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Old services",
                            "quantity": 1.0,
                            "price_unit": 9999.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        old_invoice.action_post()
        # the set-up user is an accountant: the firm's side is set up as admin
        env = self.env(su=True)
        project = env["project.project"].create(
            {"name": "360 Project", "partner_id": self.contact.id}
        )
        employee = env["hr.employee"].create(
            {"name": "360 Consultant", "hourly_cost": 40.0}
        )
        Timesheet = env["account.analytic.line"]
        for day, hours in (
            (today - timedelta(days=3), 5.0),
            (today - timedelta(days=380), 7.0),
        ):
            Timesheet.create(
                {
                    "name": "Work",
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "date": day,
                    "unit_amount": hours,
                }
            )
        client = self.client.with_user(self.billing)
        self.assertAlmostEqual(client.psa_revenue_12m_amount, 1500.0)
        self.assertAlmostEqual(client.psa_cost_12m_amount, 200.0)
        self.assertAlmostEqual(client.psa_margin_12m_amount, 1300.0)
        self.assertEqual(client.psa_margin_12m_percent, 86.7)
        self.assertEqual(
            self.other_client.with_user(self.billing).psa_cost_12m_amount, 0.0
        )

    def test_batch_queries(self):
        """The Client 360 figures of many partners take the same queries as one."""
        fnames = [
            "psa_open_project_count",
            "psa_pipeline_amount",
            "psa_open_invoice_amount",
            "psa_wip_amount",
            "psa_margin_12m_amount",
        ]
        one = self.client.with_user(self.billing)
        many = (self.client | self.contact | self.other_client).with_user(self.billing)

        def count(partners):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            partners.read(fnames)
            return self.cr.sql_log_count - before

        count(one)  # warm the registry caches
        self.assertLessEqual(count(many), count(one))

    def test_new_partner_form(self):
        """The figures compute on a new partner (no saved client yet), as in the
        form of a new contact. (The form itself is not used: OCA helpdesk_mgmt's
        ticket count logs a warning on unsaved partners when it is installed.)"""
        partner = (
            self.env["res.partner"]
            .with_user(self.billing)
            .new({"name": "New Client", "company_type": "company"})
        )
        self.assertEqual(partner.psa_open_project_count, 0)
