from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import PsaTimesheetCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-18 10:00:00")
class TestPsaTimesheetWorkflow(PsaTimesheetCommon):
    def test_defaults(self):
        self.assertEqual(
            self.employee_consultant.psa_timesheet_approver_id,
            self.user_approver,
            "The approver defaults to the manager's user",
        )
        line = self._log(self.user_consultant)
        self.assertEqual(line.psa_state, "draft")
        self.assertEqual(line.employee_id, self.employee_consultant)
        self.assertEqual(line.role_id, self.role_dev)
        self.assertEqual(line.billable_type, "billable")
        self.assertFalse(line.non_billable_reason)
        internal = self._log(self.user_consultant, project=self.project_internal)
        self.assertEqual(internal.billable_type, "non_billable")
        self.assertEqual(internal.non_billable_reason, "training")

    def test_non_billable_requires_reason(self):
        line = self._log(self.user_consultant)
        with self.assertRaises(ValidationError):
            line.with_user(self.user_consultant).write(
                {"billable_type": "non_billable", "non_billable_reason": False}
            )
        line.with_user(self.user_consultant).write(
            {"billable_type": "non_billable", "non_billable_reason": "rework"}
        )
        self.assertEqual(line.non_billable_reason, "rework")

    def test_plain_analytic_lines_unaffected(self):
        self.company.psa_timesheet_lock_date = "2026-11-30"
        account = self.env["account.analytic.account"].create(
            {
                "name": "Accounting",
                "plan_id": self.env["account.analytic.plan"].create({"name": "P"}).id,
            }
        )
        line = self.env["account.analytic.line"].create(
            {
                "name": "Entry",
                "account_id": account.id,
                "amount": -50.0,
                "date": self.today,
            }
        )
        line.write({"amount": -60.0, "unit_amount": -3})
        self.assertEqual(line.psa_state, "draft")
        line.unlink()

    def test_submit_then_read_only(self):
        line = self._log(self.user_consultant)
        line_as_consultant = line.with_user(self.user_consultant)
        with self.assertRaises(UserError):
            line_as_consultant.write({"psa_state": "approved"})
        line_as_consultant.action_psa_submit()
        self.assertEqual(line.psa_state, "submitted")
        self.assertTrue(line.psa_submitted_date)
        self.assertTrue(line.readonly_timesheet)
        with self.assertRaises(UserError):
            line_as_consultant.write({"unit_amount": 3})
        with self.assertRaises(UserError):
            line_as_consultant.unlink()
        with self.assertRaises(UserError):
            line.with_user(self.user_manager).write({"unit_amount": 3})
        self.assertEqual(line.unit_amount, 2.0)
        # recall: the employee puts their submitted line back to draft
        line_as_consultant.action_psa_reset_to_draft()
        self.assertEqual(line.psa_state, "draft")
        line_as_consultant.write({"unit_amount": 3})

    def test_create_not_draft_refused(self):
        with self.assertRaises(UserError):
            self._log(self.user_consultant, psa_state="approved")

    def test_approver_approves(self):
        line = self._log(self.user_consultant)
        line.with_user(self.user_consultant).action_psa_submit()
        # the approver sees the line through the approver record rule
        Line = self.env["account.analytic.line"]
        self.assertIn(line, Line.with_user(self.user_approver).search([]))
        self.assertNotIn(line, Line.with_user(self.user_other).search([]))
        # wrong users
        with self.assertRaises(AccessError):
            line.with_user(self.user_other).action_psa_approve()
        with self.assertRaises(AccessError):
            line.with_user(self.user_consultant).action_psa_approve()
        with self.assertRaises(AccessError):
            line.with_user(self.user_company2).action_psa_approve()
        self.assertEqual(line.psa_state, "submitted")
        # right user
        line.with_user(self.user_approver).action_psa_approve()
        self.assertEqual(line.psa_state, "approved")
        self.assertEqual(line.psa_approved_by_id, self.user_approver)
        messages = self.project.message_ids.filtered(
            lambda message: "Timesheets approved" in (message.body or "")
        )
        self.assertEqual(len(messages), 1)
        self.assertIn("Carl Consultant", messages.body)
        # approved lines are read-only and cannot be approved again
        with self.assertRaises(UserError):
            line.with_user(self.user_consultant).write({"name": "Changed"})
        with self.assertRaises(UserError):
            line.with_user(self.user_approver).action_psa_approve()

    def test_project_manager_approves(self):
        line = self._log(self.user_consultant, project=self.project_managed)
        line.with_user(self.user_consultant).action_psa_submit()
        line.with_user(self.user_other).action_psa_approve()
        self.assertEqual(line.psa_state, "approved")

    def test_own_time(self):
        # the project manager cannot approve their own time ...
        line = self._log(self.user_other, project=self.project_managed)
        line.with_user(self.user_other).action_psa_submit()
        with self.assertRaises(AccessError):
            line.with_user(self.user_other).action_psa_approve()
        # ... but a PSA manager can
        own = self._log(self.user_manager)
        own.with_user(self.user_manager).action_psa_submit()
        own.with_user(self.user_manager).action_psa_approve()
        self.assertEqual(own.psa_state, "approved")

    def test_reject_and_resubmit(self):
        line = self._log(self.user_consultant)
        line.with_user(self.user_consultant).action_psa_submit()
        with self.assertRaises(UserError):
            line.with_user(self.user_approver).action_psa_reject("  ")
        with self.assertRaises(AccessError):
            line.with_user(self.user_other).action_psa_reject("No")
        line.with_user(self.user_approver).action_psa_reject("Wrong task")
        self.assertEqual(line.psa_state, "rejected")
        self.assertEqual(line.psa_rejection_reason, "Wrong task")
        # the employee corrects and submits again
        line.with_user(self.user_consultant).write({"task_id": self.task.id})
        line.with_user(self.user_consultant).action_psa_submit()
        self.assertEqual(line.psa_state, "submitted")
        self.assertFalse(line.psa_rejection_reason)

    def test_reject_wizard(self):
        lines = self._log(self.user_consultant) | self._log(
            self.user_consultant, hours=1
        )
        lines.with_user(self.user_consultant).action_psa_submit()
        action = lines.with_user(self.user_approver).action_psa_open_reject_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_approver)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard_form.line_count, 2)
        wizard_form.reason = "Split per task"
        wizard_form.save().action_confirm()
        self.assertEqual(set(lines.mapped("psa_state")), {"rejected"})

    def test_reset_approved(self):
        line = self._log(self.user_consultant)
        line.with_user(self.user_consultant).action_psa_submit()
        line.with_user(self.user_approver).action_psa_approve()
        with self.assertRaises(AccessError):
            line.with_user(self.user_consultant).action_psa_reset_to_draft(
                reason="Oops"
            )
        with self.assertRaises(AccessError):
            line.with_user(self.user_approver).action_psa_reset_to_draft(reason="Oops")
        with self.assertRaises(UserError):
            line.with_user(self.user_manager).action_psa_reset_to_draft()
        self.assertEqual(line.psa_state, "approved")
        line.with_user(self.user_manager).action_psa_reset_to_draft(
            reason="Client dispute"
        )
        self.assertEqual(line.psa_state, "draft")
        self.assertFalse(line.psa_approved_by_id)
        messages = self.project.message_ids.filtered(
            lambda message: "Client dispute" in (message.body or "")
        )
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.author_id, self.user_manager.partner_id)

    def test_billing_lock_hook(self):
        line = self._log(self.user_consultant)
        Line = type(self.env["account.analytic.line"])
        with patch.object(Line, "_psa_get_billing_locked", lambda records: records):
            for user in (self.user_consultant, self.user_manager):
                with self.assertRaises(UserError):
                    line.with_user(user).write({"unit_amount": 5})
            with self.assertRaises(UserError):
                line.with_user(self.user_consultant).unlink()
        line.with_user(self.user_consultant).write({"unit_amount": 5})

    def test_multi_company(self):
        line = self._log(self.user_consultant)
        line.with_user(self.user_consultant).action_psa_submit()
        Line = self.env["account.analytic.line"].with_user(self.user_company2)
        self.assertFalse(Line.search([("id", "=", line.id)]))
        with self.assertRaises(AccessError):
            line.with_user(self.user_company2).action_psa_reject("No")
        own = self._log(self.user_company2, project=self.project_company2)
        own.with_user(self.user_company2).action_psa_submit()
        own.with_user(self.user_company2).action_psa_approve()
        self.assertEqual(own.psa_state, "approved")
        with self.assertRaises(AccessError):
            own.with_user(self.user_manager).action_psa_reset_to_draft(reason="x")
