from datetime import date

from odoo import Command
from odoo.tests import new_test_user

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
