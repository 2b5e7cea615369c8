from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PsaProjectCommon


@tagged("post_install", "-at_install")
class TestAccess(PsaProjectCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._create_sample_project()
        cls.consultant = new_test_user(
            cls.env, login="psa_pj_consultant", groups="psa_base.group_psa_user"
        )
        cls.manager = new_test_user(
            cls.env, login="psa_pj_manager", groups="psa_base.group_psa_manager"
        )
        cls.company_2 = cls.env["res.company"].create({"name": "Other Company"})
        cls.other_manager = new_test_user(
            cls.env,
            login="psa_pj_other",
            groups="psa_base.group_psa_manager",
            company_id=cls.company_2.id,
            company_ids=[(6, 0, cls.company_2.ids)],
        )
        cls.project.company_id = cls.env.company

    def test_consultant_reads_but_cannot_edit_budget(self):
        lines = self.project.psa_budget_line_ids.with_user(self.consultant)
        self.assertEqual(lines.mapped("cost"), [6000.0, 3200.0, 1200.0])
        with self.assertRaises(AccessError):
            lines[0].hours = 10
        with self.assertRaises(AccessError):
            self.env["psa.project.budget.line"].with_user(self.consultant).create(
                {
                    "project_id": self.project.id,
                    "role_id": self.role_pm.id,
                    "hours": 5,
                }
            )
        # EVM figures are project totals, readable by consultants
        project = self.project.with_user(self.consultant)
        self.assertFalse(project.psa_can_edit_budget)
        self.assertEqual(project.psa_get_evm()["bac"], 10400.0)
        project.action_psa_refresh_health()
        self.assertTrue(self.project.psa_health)
        self.assertTrue(self.project.psa_health_date)

    def test_manager_edits_budget(self):
        self.assertTrue(self.project.with_user(self.manager).psa_can_edit_budget)
        lines = self.project.psa_budget_line_ids.with_user(self.manager)
        lines[0].hours = 100
        self.assertEqual(self.project.psa_budget_cost, 9400.0)
        self.env["psa.project.budget.line"].with_user(self.manager).create(
            {
                "project_id": self.project.id,
                "role_id": self.role_pm.id,
                "hours": 5,
                "cost_rate": 60,
            }
        )
        self.assertEqual(self.project.psa_budget_cost, 9700.0)
        self.project.with_user(self.manager).action_psa_refresh_health()

    def test_other_company_cannot_see_budget(self):
        Line = self.env["psa.project.budget.line"].with_user(self.other_manager)
        self.assertFalse(Line.search([("project_id", "=", self.project.id)]))
        with self.assertRaises(AccessError):
            self.project.psa_budget_line_ids.with_user(self.other_manager).read(
                ["hours"]
            )
        Report = self.env["psa.project.budget.report"].with_user(self.other_manager)
        self.assertFalse(Report.search([("project_id", "=", self.project.id)]))
        Report = self.env["psa.project.budget.report"].with_user(self.manager)
        self.assertEqual(len(Report.search([("project_id", "=", self.project.id)])), 3)

    def test_consultant_cannot_see_private_project_budget(self):
        self.project.privacy_visibility = "followers"
        Line = self.env["psa.project.budget.line"]
        self.assertFalse(
            Line.with_user(self.consultant).search(
                [("project_id", "=", self.project.id)]
            )
        )
        self.assertEqual(
            len(
                Line.with_user(self.manager).search(
                    [("project_id", "=", self.project.id)]
                )
            ),
            3,
        )
        self.project.message_subscribe(partner_ids=self.consultant.partner_id.ids)
        self.assertEqual(
            len(
                Line.with_user(self.consultant).search(
                    [("project_id", "=", self.project.id)]
                )
            ),
            3,
        )
