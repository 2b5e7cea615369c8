from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import PsaBillingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 10:00:00")
class TestPsaRateCardAccess(PsaBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card_company2 = cls.env["psa.rate.card"].create(
            {
                "name": "Company 2 Card",
                "company_id": cls.company2.id,
                "currency_id": cls.eur.id,
                "line_ids": [Command.create({"price": 60.0})],
            }
        )

    def test_consultant_has_no_access(self):
        with self.assertRaises(AccessError):
            self.card_client.with_user(self.user_consultant).read(["name"])
        with self.assertRaises(AccessError):
            self.env["psa.rate.card.line"].with_user(self.user_consultant).search(
                [], limit=1
            )
        # nor to the prices of their own time
        line = self._timesheet(self.project_client, self.employee_carl)
        line._psa_apply_rates()
        line = line.with_user(self.user_consultant)
        self.assertEqual(line.unit_amount, 2.0)
        with self.assertRaises(AccessError):
            line.read(["psa_bill_rate"])
        with self.assertRaises(AccessError):
            line.action_psa_price()

    def test_manager_reads_only(self):
        card = self.card_client.with_user(self.user_manager)
        self.assertEqual(len(card.line_ids), 3)
        with self.assertRaises(AccessError):
            card.name = "Changed"
        with self.assertRaises(AccessError):
            card.line_ids[0].price = 1.0

    def test_billing_admin_manages_cards_and_prices_time(self):
        Card = self.env["psa.rate.card"].with_user(self.user_billing)
        card = Card.create(
            {
                "name": "Partner Card",
                "partner_id": self.other_client.id,
                "line_ids": [
                    Command.create({"role_id": self.role_dev.id, "price": 70.0})
                ],
            }
        )
        self.assertEqual(card.company_id, self.company)
        card.line_ids.price = 75.0
        self.other_client.psa_rate_card_id = card
        # the time of other employees, read but not edited by billing admins
        line = self._timesheet(self.project_other, self.employee_dana)
        line.with_user(self.user_billing).action_psa_price()
        self.assertEqual(line.psa_rate_line_id, card.line_ids)
        self.assertEqual(line.psa_bill_rate, 75.0)
        with self.assertRaises(AccessError):
            line.with_user(self.user_billing).unit_amount = 5.0

    def test_second_company_card_invisible(self):
        Card = self.env["psa.rate.card"].with_user(self.user_billing)
        self.assertNotIn(self.card_company2, Card.search([]))
        self.assertFalse(
            self.env["psa.rate.card.line"]
            .with_user(self.user_billing)
            .search([("rate_card_id", "=", self.card_company2.id)])
        )
        with self.assertRaises(AccessError):
            self.card_company2.with_user(self.user_billing).read(["name"])
        # visible to a billing admin of both companies
        user_both = new_test_user(
            self.env,
            login="psa_bl_billing_both",
            groups="psa_base.group_psa_billing",
            company_ids=[Command.set((self.company | self.company2).ids)],
        )
        cards = Card.with_user(user_both).with_context(
            allowed_company_ids=(self.company | self.company2).ids
        )
        self.assertIn(self.card_company2, cards.search([]))

    def test_menus(self):
        menu = self.env.ref("psa_billing.psa_billing_menu_rate_cards")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.user_billing)._visible_menu_ids())
        self.assertNotIn(
            menu.id, Menu.with_user(self.user_consultant)._visible_menu_ids()
        )

    def test_forms_show_billing_fields_to_billing_admins(self):
        order_arch = (
            self.env["sale.order"]
            .with_user(self.user_billing)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="psa_rate_card_id"', order_arch)
        self.assertIn('name="psa_fx_rate"', order_arch)
        partner_arch = (
            self.env["res.partner"]
            .with_user(self.user_billing)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="psa_rate_card_id"', partner_arch)
        partner_arch = (
            self.env["res.partner"]
            .with_user(self.user_consultant)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="psa_rate_card_id"', partner_arch)
