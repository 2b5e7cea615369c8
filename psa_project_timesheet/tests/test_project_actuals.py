from datetime import date

from odoo.tests import freeze_time, tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
@freeze_time("2026-03-20")
class TestProjectActuals(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = mail_new_test_user(
            cls.env, login="pjts_manager", groups="psa_base.group_psa_manager"
        )
        cls.role_dev = cls.env["project.role"].create({"name": "Developer"})
        cls.role_arch = cls.env["project.role"].create({"name": "Architect"})
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Dev", "hourly_cost": 50.0, "default_role_id": cls.role_dev.id}
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Bridge project",
                "user_id": cls.manager.id,
                "date_start": date(2026, 3, 2),
                "date": date(2026, 4, 24),
                "psa_budget_line_ids": [
                    (0, 0, {"role_id": cls.role_dev.id, "hours": 100, "cost_rate": 50}),
                    (0, 0, {"role_id": cls.role_arch.id, "hours": 20, "cost_rate": 50}),
                ],
            }
        )
        line_vals = {"employee_id": cls.employee.id, "project_id": cls.project.id}
        Line = cls.env["account.analytic.line"]
        cls.approved = Line.create(
            {**line_vals, "date": date(2026, 3, 10), "unit_amount": 8, "name": "a"}
        )
        cls.arch_time = Line.create(
            {
                **line_vals,
                "date": date(2026, 3, 11),
                "unit_amount": 4,
                "name": "b",
                "role_id": cls.role_arch.id,
            }
        )
        cls.rejected = Line.create(
            {**line_vals, "date": date(2026, 3, 12), "unit_amount": 6, "name": "c"}
        )
        cls.draft = Line.create(
            {**line_vals, "date": date(2026, 3, 13), "unit_amount": 2, "name": "d"}
        )
        (cls.approved | cls.arch_time | cls.rejected).action_psa_submit()
        (cls.approved | cls.arch_time).action_psa_approve()
        cls.rejected.action_psa_reject("Wrong task")

    def test_rejected_time_is_not_actual(self):
        evm = self.project.psa_get_evm(date(2026, 3, 20))
        self.assertEqual(evm["hours"], 14.0)  # 8 + 4 approved, 2 draft; 6 rejected out
        self.assertAlmostEqual(evm["ac"], 700.0)

    def test_approved_time_only(self):
        self.env.company.psa_project_approved_time_only = True
        evm = self.project.psa_get_evm(date(2026, 3, 20))
        self.assertEqual(evm["hours"], 12.0)
        self.assertAlmostEqual(evm["ac"], 600.0)

    def test_budget_vs_actual_by_logged_role(self):
        report = self.env["psa.project.budget.report"].with_user(self.manager)
        rows = {
            row.role_id: row.actual_hours
            for row in report.search([("project_id", "=", self.project.id)])
        }
        # the architect's time was logged with the Architect role by a developer
        self.assertEqual(rows[self.role_arch], 4.0)
        self.assertEqual(rows[self.role_dev], 10.0)
