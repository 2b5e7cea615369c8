from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaTimesheetTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_consultant = new_test_user(
            cls.env,
            login="psa_tour_consultant",
            name="PSA Tour Consultant",
            groups="psa_base.group_psa_user",
        )
        cls.user_approver = new_test_user(
            cls.env,
            login="psa_tour_approver",
            name="PSA Tour Approver",
            groups="psa_base.group_psa_user",
        )
        Employee = cls.env["hr.employee"]
        approver = Employee.create(
            {"name": "PSA Tour Approver", "user_id": cls.user_approver.id}
        )
        cls.employee = Employee.create(
            {
                "name": "PSA Tour Consultant",
                "user_id": cls.user_consultant.id,
                "parent_id": approver.id,
            }
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "PSA Tour Project",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
            }
        )

    def test_submit_and_approve_tour(self):
        self.start_tour(
            "/odoo", "psa_timesheet_submit_tour", login="psa_tour_consultant"
        )
        line = self.env["account.analytic.line"].search(
            [
                ("employee_id", "=", self.employee.id),
                ("project_id", "=", self.project.id),
            ]
        )
        self.assertEqual(len(line), 1)
        self.assertEqual(line.unit_amount, 4.0)
        self.assertEqual(line.psa_state, "submitted")
        self.start_tour(
            "/odoo", "psa_timesheet_approve_tour", login="psa_tour_approver"
        )
        self.assertEqual(line.psa_state, "approved")
        self.assertEqual(line.psa_approved_by_id, self.user_approver)
