from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class PsaCrmCommon(BaseCommon):
    """A USD company, a client buying in EUR (pricelist) whose rate card is in
    GBP, three roles, a project template and a salesperson.

    Rates (units per USD): EUR 0.9, GBP 0.8."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        cls.gbp = cls.env.ref("base.GBP")
        (cls.eur | cls.gbp).active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.eur | cls.gbp | cls.usd).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.eur.id,
                    "name": "2000-01-01",
                    "rate": 0.9,
                    "company_id": cls.company.id,
                },
                {
                    "currency_id": cls.gbp.id,
                    "name": "2000-01-01",
                    "rate": 0.8,
                    "company_id": cls.company.id,
                },
            ]
        )
        cls.salesman = new_test_user(
            cls.env,
            login="psa_crm_test_salesman",
            name="PSA CRM Salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.consultant = new_test_user(
            cls.env,
            login="psa_crm_test_consultant",
            name="PSA CRM Consultant",
            groups="psa_base.group_psa_user",
        )
        Role = cls.env["project.role"]
        cls.role_dev = Role.create({"name": "CRM Developer"})
        cls.role_pm = Role.create({"name": "CRM Project Manager"})
        cls.role_arch = Role.create({"name": "CRM Architect"})
        cls.card = cls.env["psa.rate.card"].create(
            {
                "name": "Client Card (GBP)",
                "currency_id": cls.gbp.id,
                "line_ids": [
                    Command.create({"role_id": cls.role_dev.id, "price": 80.0}),
                    Command.create({"role_id": cls.role_pm.id, "price": 96.0}),
                    Command.create({"role_id": cls.role_arch.id, "price": 120.0}),
                ],
            }
        )
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "EUR Pricelist", "currency_id": cls.eur.id}
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "CRM Client",
                "is_company": True,
                "psa_rate_card_id": cls.card.id,
                "property_product_pricelist": cls.pricelist_eur.id,
            }
        )
        cls.template = cls.env["project.project"].create(
            {
                "name": "CRM Template",
                "is_template": True,
                "date_start": date(2030, 1, 7),
                "date": date(2030, 3, 29),
                "psa_budget_line_ids": [
                    Command.create(
                        {"role_id": cls.role_dev.id, "hours": 999.0, "bill_rate": 1.0}
                    )
                ],
            }
        )
        cls.stage_won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        if not cls.stage_won:
            cls.stage_won = cls.env["crm.stage"].create(
                {"name": "Won", "is_won": True, "sequence": 100}
            )

    @classmethod
    def _create_opportunity(cls, name, estimate, user=None, **values):
        """estimate: list of (role, hours); rates come from the client's card."""
        return (
            cls.env["crm.lead"]
            .with_user(user or cls.salesman)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": cls.client.id,
                    "user_id": (user or cls.salesman).id,
                    "psa_estimate_line_ids": [
                        Command.create({"role_id": role.id, "hours": hours})
                        for role, hours in estimate
                    ],
                    **values,
                }
            )
        )
