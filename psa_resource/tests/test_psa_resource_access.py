from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestPsaResourceAccess(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = mail_new_test_user(
            cls.env, login="psa_res_consultant", groups="psa_base.group_psa_user"
        )
        cls.manager = mail_new_test_user(
            cls.env, login="psa_res_manager", groups="psa_base.group_psa_manager"
        )
        cls.role = cls.env["project.role"].create({"name": "Architect"})
        cls.employee = cls.env["hr.employee"].create(
            {
                "name": "Grace",
                "user_id": cls.consultant.id,
                "default_role_id": cls.role.id,
            }
        )

    def test_manager_sees_team_with_roles(self):
        """A project manager without HR rights reads the public team profiles."""
        menus = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(self.env.ref("psa_resource.psa_resource_menu_team").id, menus)
        action = self.env.ref("psa_resource.hr_employee_public_action_psa_team")
        domain = safe_eval(action.domain, {"allowed_company_ids": self.env.company.ids})
        team = self.env[action.res_model].with_user(self.manager).search(domain)
        self.assertIn(self.employee.id, team.ids)
        grace = team.filtered(lambda e: e.id == self.employee.id)
        self.assertEqual(grace.default_role_id, self.role)
        # private HR data stays private
        with self.assertRaises(AccessError):
            self.employee.with_user(self.manager).read(["private_phone"])

    def test_consultant_has_no_resource_menu(self):
        menus = self.env["ir.ui.menu"].with_user(self.consultant)._visible_menu_ids()
        self.assertNotIn(self.env.ref("psa_resource.psa_resource_menu_root").id, menus)
