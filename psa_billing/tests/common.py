from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon


class PsaBillingCommon(BaseCommon):
    """Rate cards, engagements and timesheets for the billing tests.

    The company works in EUR; GBP has rates for the company. Cards:

    - ``card_default`` (EUR, company default): default line 50, Developer 80;
    - ``card_client`` (EUR, on the client ``client``): Developer 90 until
      2026-02-28 then 95, Carl Consultant 120;
    - ``card_engagement`` (GBP, on the sale order ``order``): default 70,
      Developer 97.53.

    Projects: ``project_engagement`` (sold by ``order``, client ``client``),
    ``project_client`` (client ``client``, no sale order), ``project_other``
    (client ``other_client``, no card).
    """

    day_before_change = date(2026, 2, 27)
    day = date(2026, 3, 2)

    @classmethod
    def default_env_context(cls):
        return {**DISABLED_MAIL_CONTEXT}

    @classmethod
    def setup_main_company(cls, currency_code="EUR"):
        return super().setup_main_company(currency_code=currency_code)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.company.currency_id
        # the company currency has no rate of its own (a demo firm's EUR rates
        # against another currency would skew the conversions)
        cls.eur.rate_ids.unlink()
        # Odoo rates: units of GBP for 1 EUR (the company currency)
        cls.gbp = cls.setup_other_currency(
            "GBP", rates=[("2026-01-01", 0.85), ("2026-03-01", 0.86)]
        )
        cls.company2 = cls.env["res.company"].create({"name": "PSA Billing Company 2"})

        cls.user_consultant = new_test_user(
            cls.env, login="psa_bl_consultant", groups="psa_base.group_psa_user"
        )
        cls.user_manager = new_test_user(
            cls.env, login="psa_bl_manager", groups="psa_base.group_psa_manager"
        )
        cls.user_billing = new_test_user(
            cls.env, login="psa_bl_billing", groups="psa_base.group_psa_billing"
        )

        # the company's own default card (e.g. the demo firm's) is not the tests'
        cls.env["psa.rate.card"].search(
            [("is_default", "=", True), ("company_id", "=", cls.company.id)]
        ).is_default = False
        cls.role_dev = cls.env["project.role"].create({"name": "Developer"})
        cls.role_pm = cls.env["project.role"].create({"name": "Project Manager"})
        Employee = cls.env["hr.employee"]
        cls.employee_carl = Employee.create(
            {
                "name": "Carl Consultant",
                "user_id": cls.user_consultant.id,
                "default_role_id": cls.role_dev.id,
            }
        )
        cls.employee_dana = Employee.create(
            {"name": "Dana Developer", "default_role_id": cls.role_dev.id}
        )
        cls.employee_paul = Employee.create(
            {"name": "Paul Planner", "default_role_id": cls.role_pm.id}
        )
        cls.employee_nora = Employee.create({"name": "Nora Noroles"})

        Card = cls.env["psa.rate.card"]
        cls.card_default = Card.create(
            {
                "name": "Standard",
                "is_default": True,
                "line_ids": [
                    Command.create({"price": 50.0}),
                    Command.create({"role_id": cls.role_dev.id, "price": 80.0}),
                ],
            }
        )
        cls.card_client = Card.create(
            {
                "name": "Client Card",
                "line_ids": [
                    Command.create(
                        {
                            "role_id": cls.role_dev.id,
                            "price": 90.0,
                            "date_to": date(2026, 2, 28),
                        }
                    ),
                    Command.create(
                        {
                            "role_id": cls.role_dev.id,
                            "price": 95.0,
                            "date_from": date(2026, 3, 1),
                        }
                    ),
                    Command.create(
                        {"employee_id": cls.employee_carl.id, "price": 120.0}
                    ),
                ],
            }
        )
        cls.card_engagement = Card.create(
            {
                "name": "Engagement Card",
                "currency_id": cls.gbp.id,
                "line_ids": [
                    Command.create({"price": 70.0}),
                    Command.create({"role_id": cls.role_dev.id, "price": 97.53}),
                ],
            }
        )

        cls.client = cls.env["res.partner"].create(
            {
                "name": "Client Company",
                "is_company": True,
                "psa_rate_card_id": cls.card_client.id,
            }
        )
        cls.client_contact = cls.env["res.partner"].create(
            {"name": "Client Contact", "parent_id": cls.client.id}
        )
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Other Client", "is_company": True}
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Consulting", "type": "service", "list_price": 100.0}
        )
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": cls.eur.id}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client_contact.id,
                "pricelist_id": cls.pricelist_eur.id,
                "psa_rate_card_id": cls.card_engagement.id,
                "order_line": [
                    Command.create({"product_id": cls.service.id, "product_uom_qty": 5})
                ],
            }
        )
        Project = cls.env["project.project"]
        cls.project_engagement = Project.create(
            {
                "name": "Engagement Project",
                "allow_timesheets": True,
                "partner_id": cls.client_contact.id,
                "sale_line_id": cls.order.order_line.id,
            }
        )
        cls.project_client = Project.create(
            {
                "name": "Client Project",
                "allow_timesheets": True,
                "partner_id": cls.client_contact.id,
            }
        )
        cls.project_other = Project.create(
            {
                "name": "Other Project",
                "allow_timesheets": True,
                "partner_id": cls.other_client.id,
            }
        )

    @classmethod
    def _timesheet(cls, project, employee, day=None, **vals):
        values = {
            "name": "Work",
            "project_id": project.id,
            "employee_id": employee.id,
            "unit_amount": 2.0,
            "date": day or cls.day,
        }
        values.update(vals)
        return cls.env["account.analytic.line"].create(values)

    def _resolve(self, lines):
        return lines.with_user(self.user_billing)._psa_resolve_rates()


class PsaBillingRunCommon(AccountTestInvoicingCommon):
    """A USD company billing a EUR client with a GBP rate card, for the billing
    run tests (amounts computed by hand in the tests).

    Odoo rates of the company (units per USD): EUR 0.92, GBP 0.80, so one GBP is
    1.15 EUR. The GBP card ``card_uk``: Developer 100.00 until 2026-10-15 then
    120.00, Project Manager 150.00, no default line.

    ``order`` (EUR, cap 2,000.00) sells ``project``; its October time:

    - Dana (Developer): 10-05 8 h and 10-14 4 h at 115.00 EUR, 10-20 6 h at 138.00;
    - Paul (Project Manager): 10-07 2 h at 172.50 EUR;
    - Nora (no role): 10-08 3 h, no rate: held back;
    - not billed: a draft line, a non-billable line, time after the cut-off.
    """

    cutoff = date(2026, 10, 31)
    invoice_date = date(2026, 11, 2)

    @classmethod
    def get_default_groups(cls):
        # the set-up user (Odoo's accountant) also configures the firm
        return (
            super().get_default_groups()
            | cls.quick_ref("psa_base.group_psa_admin")
            | cls.quick_ref("hr.group_hr_manager")
            | cls.quick_ref("sales_team.group_sale_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.usd = cls.company.currency_id
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 0.92)])
        cls.gbp = cls.setup_other_currency("GBP", rates=[("2026-01-01", 0.80)])
        cls.company2 = cls.setup_other_company(name="PSA Billing Run Company 2")[
            "company"
        ]
        cls.user_billing = new_test_user(
            cls.env,
            login="psa_run_billing",
            groups="psa_base.group_psa_billing",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_consultant = new_test_user(
            cls.env,
            login="psa_run_consultant",
            groups="psa_base.group_psa_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_billing2 = new_test_user(
            cls.env,
            login="psa_run_billing2",
            groups="psa_base.group_psa_billing",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        cls.role_dev = cls.env["project.role"].create({"name": "Developer"})
        cls.role_pm = cls.env["project.role"].create({"name": "Project Manager"})
        Employee = cls.env["hr.employee"]
        cls.employee_dana = Employee.create(
            {"name": "Dana Developer", "default_role_id": cls.role_dev.id}
        )
        cls.employee_paul = Employee.create(
            {"name": "Paul Planner", "default_role_id": cls.role_pm.id}
        )
        cls.employee_nora = Employee.create({"name": "Nora Noroles"})
        cls.card_uk = cls.env["psa.rate.card"].create(
            {
                "name": "UK Rates",
                "currency_id": cls.gbp.id,
                "line_ids": [
                    Command.create(
                        {
                            "role_id": cls.role_dev.id,
                            "price": 100.0,
                            "date_to": date(2026, 10, 15),
                        }
                    ),
                    Command.create(
                        {
                            "role_id": cls.role_dev.id,
                            "price": 120.0,
                            "date_from": date(2026, 10, 16),
                        }
                    ),
                    Command.create({"role_id": cls.role_pm.id, "price": 150.0}),
                ],
            }
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Euro Client",
                "is_company": True,
                "psa_rate_card_id": cls.card_uk.id,
            }
        )
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": cls.eur.id}
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Consulting Hours",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data[
                    "default_account_revenue"
                ].id,
            }
        )
        cls.order, cls.project = cls._engagement(cls.client, cap=2000.0)
        cls.timesheets = cls._timesheets(
            cls.project,
            [
                (cls.employee_dana, date(2026, 10, 5), 8.0),
                (cls.employee_paul, date(2026, 10, 7), 2.0),
                (cls.employee_nora, date(2026, 10, 8), 3.0),
                (cls.employee_dana, date(2026, 10, 14), 4.0),
                (cls.employee_dana, date(2026, 10, 20), 6.0),
            ],
        )
        cls.ts_dana_1, cls.ts_paul, cls.ts_nora, cls.ts_dana_2, cls.ts_dana_3 = (
            cls.timesheets
        )
        # never billed by the run: a draft, non-billable time, after the cut-off
        cls.ts_draft = cls._timesheets(
            cls.project, [(cls.employee_dana, date(2026, 10, 21), 5.0)], state="draft"
        )
        cls.ts_internal = cls._timesheets(
            cls.project,
            [(cls.employee_dana, date(2026, 10, 22), 1.0)],
            billable_type="non_billable",
            non_billable_reason="internal",
        )
        cls.ts_november = cls._timesheets(
            cls.project, [(cls.employee_dana, date(2026, 11, 3), 2.0)]
        )

    @classmethod
    def _fee_product(cls, name):
        """A service sold per period (recurring fees, retainers): no taxes, the
        company's revenue account."""
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data[
                    "default_account_revenue"
                ].id,
            }
        )

    @classmethod
    def _engagement(cls, partner, cap=0.0, **order_vals):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "pricelist_id": cls.pricelist_eur.id,
                "psa_cap_amount": cap,
                "order_line": [
                    Command.create(
                        {"product_id": cls.service.id, "product_uom_qty": 100.0}
                    )
                ],
                **order_vals,
            }
        )
        order.action_confirm()
        project = cls.env["project.project"].create(
            {
                "name": f"Project of {order.name}",
                "allow_timesheets": True,
                "allow_billable": True,
                "partner_id": partner.id,
                "sale_line_id": order.order_line.id,
            }
        )
        return order, project

    @classmethod
    def _timesheets(cls, project, entries, state="approved", **vals):
        lines = cls.env["account.analytic.line"].create(
            [
                {
                    "name": f"Work of {employee.name}",
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "date": day,
                    "unit_amount": hours,
                    **vals,
                }
                for employee, day, hours in entries
            ]
        )
        if state != "draft":
            lines._psa_set_state(state, {})
        return lines

    def _run(self, orders=None, user=None, **vals):
        return (
            self.env["psa.billing.run"]
            .with_user(user or self.user_billing)
            .create(
                {
                    "cutoff_date": self.cutoff,
                    "invoice_date": self.invoice_date,
                    "order_ids": [Command.set((orders or self.order).ids)],
                    **vals,
                }
            )
        )
