from psycopg2.errors import ForeignKeyViolation

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestPsaBase(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = mail_new_test_user(
            cls.env, login="psa_base_consultant", groups="psa_base.group_psa_user"
        )
        cls.manager = mail_new_test_user(
            cls.env, login="psa_base_manager", groups="psa_base.group_psa_manager"
        )
        cls.psa_admin = mail_new_test_user(
            cls.env, login="psa_base_admin", groups="psa_base.group_psa_admin"
        )
        cls.system_admin = mail_new_test_user(
            cls.env,
            login="psa_base_system",
            groups="psa_base.group_psa_admin,base.group_system",
        )
        cls.employee_user = mail_new_test_user(
            cls.env, login="psa_base_employee", groups="base.group_user"
        )
        cls.role_dev = cls.env["project.role"].create({"name": "Developer"})

    def test_group_ladder(self):
        """Consultant < project manager < administrator; billing implies consultant."""
        user_group = self.env.ref("psa_base.group_psa_user")
        manager_group = self.env.ref("psa_base.group_psa_manager")
        billing_group = self.env.ref("psa_base.group_psa_billing")
        admin_group = self.env.ref("psa_base.group_psa_admin")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertIn(manager_group, admin_group.all_implied_ids)
        self.assertIn(billing_group, admin_group.all_implied_ids)
        self.assertIn(user_group, billing_group.all_implied_ids)
        self.assertNotIn(manager_group, billing_group.all_implied_ids)
        # what each level can do in the apps the suite builds on
        self.assertTrue(
            self.consultant.has_group("hr_timesheet.group_hr_timesheet_user")
        )
        self.assertFalse(
            self.consultant.has_group("hr_timesheet.group_hr_timesheet_approver")
        )
        self.assertTrue(
            self.manager.has_group("hr_timesheet.group_hr_timesheet_approver")
        )
        self.assertTrue(self.manager.has_group("project.group_project_manager"))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("psa_base.group_psa_admin")
        )

    def test_services_menu_visibility(self):
        """Services is shown to consultants, its configuration to managers only."""
        root = self.env.ref("psa_base.menu_psa_root")
        config = self.env.ref("psa_base.menu_psa_config")
        settings = self.env.ref("psa_base.menu_psa_config_settings")
        menu = self.env["ir.ui.menu"]
        visible = menu.with_user(self.consultant)._visible_menu_ids()
        self.assertIn(root.id, visible)
        self.assertIn(self.env.ref("psa_base.menu_psa_timesheets_mine").id, visible)
        self.assertIn(self.env.ref("psa_base.menu_psa_projects_all").id, visible)
        self.assertNotIn(config.id, visible)
        self.assertNotIn(
            root.id, menu.with_user(self.employee_user)._visible_menu_ids()
        )
        visible = menu.with_user(self.manager)._visible_menu_ids()
        self.assertIn(config.id, visible)
        self.assertNotIn(settings.id, visible)
        # settings are Odoo's: they need the Settings right on top of PSA administration
        self.assertNotIn(
            settings.id, menu.with_user(self.psa_admin)._visible_menu_ids()
        )
        self.assertIn(
            settings.id, menu.with_user(self.system_admin)._visible_menu_ids()
        )

    def test_roles_access(self):
        """Consultants read roles; PSA administrators and project managers edit them."""
        role = self.role_dev.with_user(self.consultant)
        self.assertEqual(role.name, "Developer")
        with self.assertRaises(AccessError):
            role.write({"name": "Senior Developer"})
        with self.assertRaises(AccessError):
            self.env["project.role"].with_user(self.consultant).create(
                {"name": "Tester"}
            )
        self.role_dev.with_user(self.psa_admin).write({"name": "Senior Developer"})
        self.assertEqual(self.role_dev.name, "Senior Developer")

    def test_employee_default_role(self):
        employee = self.env["hr.employee"].create(
            {
                "name": "Ada",
                "user_id": self.consultant.id,
                "default_role_id": self.role_dev.id,
            }
        )
        self.assertEqual(employee.default_role_id, self.role_dev)
        # visible to colleagues through the public employee profile
        public = (
            self.env["hr.employee.public"]
            .with_user(self.employee_user)
            .browse(employee.id)
        )
        self.assertEqual(public.default_role_id, self.role_dev)
        # a role in use cannot be deleted from under the employees holding it
        with (
            self.assertRaises(ForeignKeyViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.role_dev.unlink()
