from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestPsaBillingAccess(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = mail_new_test_user(
            cls.env, login="psa_billing_consultant", groups="psa_base.group_psa_user"
        )
        cls.billing_admin = mail_new_test_user(
            cls.env, login="psa_billing_admin", groups="psa_base.group_psa_billing"
        )
        cls.client = cls.env["res.partner"].create({"name": "Client A"})
        cls.service = cls.env["product.product"].create(
            {"name": "Consulting", "type": "service", "list_price": 100.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "order_line": [
                    (0, 0, {"product_id": cls.service.id, "product_uom_qty": 5})
                ],
            }
        )
        cls.order.action_confirm()

    def test_billing_admin_sees_engagements_and_invoices(self):
        menus = self.env["ir.ui.menu"].with_user(self.billing_admin)._visible_menu_ids()
        self.assertIn(
            self.env.ref("psa_billing.psa_billing_menu_engagements").id, menus
        )
        self.assertIn(self.env.ref("psa_billing.psa_billing_menu_invoices").id, menus)
        action = self.env.ref("psa_billing.sale_order_action_psa_engagement")
        engagements = (
            self.env["sale.order"]
            .with_user(self.billing_admin)
            .search(safe_eval(action.domain))
        )
        self.assertIn(self.order, engagements)
        # and invoices them through Odoo's own sale -> invoice flow
        invoice = self.order.with_user(self.billing_admin)._create_invoices()
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.amount_untaxed, 500.0)

    def test_consultant_has_no_billing_access(self):
        menus = self.env["ir.ui.menu"].with_user(self.consultant)._visible_menu_ids()
        self.assertNotIn(self.env.ref("psa_billing.psa_billing_menu_root").id, menus)
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.consultant).search([], limit=1)
        with self.assertRaises(AccessError):
            self.order.with_user(self.consultant).write({"client_order_ref": "changed"})
