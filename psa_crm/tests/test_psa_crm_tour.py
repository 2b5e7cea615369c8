from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaCrmTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="psa_crm_tour",
            name="PSA CRM Tour",
            groups="sales_team.group_sale_salesman,psa_base.group_psa_manager",
        )
        role = cls.env["project.role"].create({"name": "Tour Role"})
        card = cls.env["psa.rate.card"].create(
            {
                "name": "Tour CRM Card",
                "line_ids": [Command.create({"role_id": role.id, "price": 100.0})],
            }
        )
        client = cls.env["res.partner"].create(
            {"name": "Tour CRM Client", "is_company": True, "psa_rate_card_id": card.id}
        )
        template = cls.env["project.project"].create(
            {"name": "Tour CRM Template", "is_template": True}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "PSA Tour Deal",
                "type": "opportunity",
                "partner_id": client.id,
                "user_id": cls.user.id,
                "psa_project_template_id": template.id,
                "psa_expected_start": date(2030, 1, 7),
                "psa_expected_end": date(2030, 2, 1),
                "psa_estimate_line_ids": [
                    Command.create({"role_id": role.id, "hours": 40.0})
                ],
            }
        )

    def test_tour_won_to_engagement(self):
        self.start_tour("/odoo", "psa_crm_won_tour", login="psa_crm_tour")
        self.assertTrue(self.lead.psa_order_id)
        self.assertTrue(self.lead.psa_project_id)
        self.assertEqual(self.lead.psa_resource_request_count, 1)
