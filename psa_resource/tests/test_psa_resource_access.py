from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import PsaResourceCommon


@tagged("post_install", "-at_install")
class TestPsaResourceAccess(PsaResourceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alloc_consultant = cls._allocate(
            cls.emp_consultant,
            cls.project2,
            date(2026, 3, 2),
            date(2026, 3, 6),
            hours_per_day=4.0,
        )
        cls.alloc_owner = cls._allocate(
            cls.emp_owner,
            cls.project2,
            date(2026, 3, 2),
            date(2026, 3, 6),
            hours_per_day=4.0,
        )
        cls.alloc_company2 = cls._allocate(
            cls.emp_company2,
            cls.project_company2,
            date(2026, 3, 2),
            date(2026, 3, 6),
            hours_per_day=4.0,
        )
        cls.request_company2 = cls.env["psa.resource.request"].create(
            {
                "project_id": cls.project_company2.id,
                "hours": 10,
                "date_from": date(2026, 3, 2),
                "date_to": date(2026, 3, 6),
            }
        )
        for employee in cls.emp_consultant | cls.emp_owner | cls.emp_company2:
            cls._log(
                employee,
                date(2026, 3, 2),
                4.0,
                project=cls.project_company2
                if employee == cls.emp_company2
                else cls.project,
            )
        (cls.emp_consultant | cls.emp_owner | cls.emp_company2)._psa_refresh_capacity(
            date(2026, 3, 1), date(2026, 3, 31)
        )

    def test_manager_sees_team_with_roles(self):
        """A project manager without HR rights reads the public team profiles."""
        menus = self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids()
        self.assertIn(self.env.ref("psa_resource.psa_resource_menu_team").id, menus)
        self.assertIn(self.env.ref("psa_resource.psa_resource_menu_planning").id, menus)
        action = self.env.ref("psa_resource.hr_employee_public_action_psa_team")
        domain = safe_eval(action.domain, {"allowed_company_ids": self.company.ids})
        team = self.env[action.res_model].with_user(self.user_manager).search(domain)
        self.assertIn(self.emp_consultant.id, team.ids)
        connie = team.filtered(lambda e: e.id == self.emp_consultant.id)
        self.assertEqual(connie.default_role_id, self.role_dev)
        self.assertEqual(connie.psa_utilization_target, 75.0)
        # private HR data stays private
        with self.assertRaises(AccessError):
            self.emp_consultant.with_user(self.user_manager).read(["private_phone"])

    def test_consultant_menus(self):
        menus = (
            self.env["ir.ui.menu"].with_user(self.user_consultant)._visible_menu_ids()
        )
        self.assertNotIn(self.env.ref("psa_resource.psa_resource_menu_root").id, menus)
        self.assertIn(
            self.env.ref("psa_resource.psa_resource_menu_my_utilization").id, menus
        )
        self.assertIn(
            self.env.ref("psa_resource.psa_resource_menu_my_allocations").id, menus
        )

    def test_consultant_sees_own_figures(self):
        Allocation = self.env["psa.allocation"].with_user(self.user_consultant)
        self.assertEqual(Allocation.search([]), self.alloc_consultant)
        with self.assertRaises(AccessError):
            self.alloc_owner.with_user(self.user_consultant).read(["employee_id"])
        with self.assertRaises(AccessError):
            self.alloc_consultant.with_user(self.user_consultant).write(
                {"hours_per_day": 8.0}
            )
        Report = self.env["psa.utilization.report"].with_user(self.user_consultant)
        rows = Report.search([("period", ">=", date(2026, 3, 1))])
        self.assertTrue(rows)
        self.assertEqual(rows.employee_id, self.emp_consultant)
        capacity = self.env["psa.capacity.day"].with_user(self.user_consultant)
        self.assertEqual(
            capacity.search([("date", ">=", date(2026, 3, 1))]).employee_id,
            self.emp_consultant,
        )
        with self.assertRaises(AccessError):
            self.env["psa.resource.request"].with_user(self.user_consultant).search([])
        with self.assertRaises(AccessError):
            self.env["psa.capacity.demand.report"].with_user(
                self.user_consultant
            ).search([])

    def test_project_owner_plans_own_project_only(self):
        Allocation = self.env["psa.allocation"].with_user(self.user_owner)
        allocation = Allocation.create(
            {
                "employee_id": self.emp_consultant.id,
                "project_id": self.project.id,
                "date_from": date(2026, 3, 9),
                "date_to": date(2026, 3, 13),
                "hours_per_day": 2.0,
            }
        )
        self.assertIn(allocation, Allocation.search([]))
        with self.assertRaises(AccessError):
            Allocation.create(
                {
                    "employee_id": self.emp_consultant.id,
                    "project_id": self.project2.id,
                    "date_from": date(2026, 3, 9),
                    "date_to": date(2026, 3, 13),
                    "hours_per_day": 2.0,
                }
            )

    def test_manager_sees_company(self):
        Allocation = self.env["psa.allocation"].with_user(self.user_manager)
        allocations = Allocation.search([])
        self.assertIn(self.alloc_consultant, allocations)
        self.assertIn(self.alloc_owner, allocations)
        self.assertNotIn(self.alloc_company2, allocations)
        rows = (
            self.env["psa.utilization.report"]
            .with_user(self.user_manager)
            .search([("period", ">=", date(2026, 3, 1))])
        )
        self.assertLessEqual(self.emp_consultant | self.emp_owner, rows.employee_id)
        self.assertNotIn(self.emp_company2, rows.employee_id)
        self.assertNotIn(
            self.request_company2,
            self.env["psa.resource.request"].with_user(self.user_manager).search([]),
        )

    def test_second_company_isolated(self):
        user = self.user_company2
        self.assertEqual(
            self.env["psa.allocation"].with_user(user).search([]), self.alloc_company2
        )
        with self.assertRaises(AccessError):
            self.alloc_consultant.with_user(user).read(["employee_id"])
        rows = (
            self.env["psa.utilization.report"]
            .with_user(user)
            .search([("period", ">=", date(2026, 3, 1))])
        )
        self.assertEqual(rows.employee_id, self.emp_company2)
        self.assertEqual(
            self.env["psa.resource.request"].with_user(user).search([]),
            self.request_company2,
        )
