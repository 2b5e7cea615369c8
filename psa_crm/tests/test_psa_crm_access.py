from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestPsaCrmAccess(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = mail_new_test_user(
            cls.env, login="psa_crm_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.selling_consultant = mail_new_test_user(
            cls.env,
            login="psa_crm_selling_consultant",
            groups="sales_team.group_sale_salesman,psa_base.group_psa_user",
        )
        cls.consultant = mail_new_test_user(
            cls.env, login="psa_crm_consultant", groups="psa_base.group_psa_user"
        )
        cls.role = cls.env["project.role"].create({"name": "Business Analyst"})

    def test_salesman_reads_roles(self):
        """Odoo 19 does not let salespeople read roles; estimates by role need it."""
        roles = self.env["project.role"].with_user(self.salesman).search([])
        self.assertIn(self.role, roles)
        self.assertEqual(self.role.with_user(self.salesman).name, "Business Analyst")
        with self.assertRaises(AccessError):
            self.role.with_user(self.salesman).write({"name": "BA"})

    def test_pipeline_menu(self):
        pipeline = self.env.ref("psa_crm.psa_crm_menu_pipeline").id
        menu = self.env["ir.ui.menu"]
        self.assertIn(
            pipeline, menu.with_user(self.selling_consultant)._visible_menu_ids()
        )
        self.assertNotIn(pipeline, menu.with_user(self.consultant)._visible_menu_ids())
