from odoo.tests import Form, tagged

from .common import PsaTimesheetCommon


@tagged("post_install", "-at_install")
class TestPsaTimesheetViews(PsaTimesheetCommon):
    def test_actions_load_for_each_user(self):
        actions = [
            "psa_timesheet.account_analytic_line_action_my",
            "psa_timesheet.account_analytic_line_action_to_approve",
            "psa_timesheet.account_analytic_line_action_all",
            "psa_timesheet.account_analytic_line_action_analysis",
        ]
        for user in (self.user_consultant, self.user_approver, self.user_manager):
            Line = self.env["account.analytic.line"].with_user(user)
            for xmlid in actions:
                action = self.env.ref(xmlid)
                views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
                result = Line.get_views(views + [(action.search_view_id.id, "search")])
                self.assertEqual(
                    set(result["views"]),
                    {mode for _view, mode in views} | {"search"},
                )
            Line.search_read(
                [("project_id", "!=", False)],
                ["psa_state", "role_id", "billable_type", "non_billable_reason"],
                limit=5,
            )

    def test_wizard_views(self):
        Wizard = self.env["psa.timesheet.submit.week.wizard"].with_user(
            self.user_consultant
        )
        Form(Wizard)
        line = self._log(self.user_consultant)
        line.with_user(self.user_consultant).action_psa_submit()
        action = line.with_user(self.user_approver).action_psa_open_reject_wizard()
        Form(self.env[action["res_model"]].with_context(**action["context"]))

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {
                "psa_timesheet_days_ahead": 3,
                "psa_timesheet_lock_date": "2026-10-31",
                "psa_timesheet_reminder_weekday": "4",
                "psa_timesheet_reminder_hour": 17,
            }
        )
        settings.execute()
        self.assertEqual(self.company.psa_timesheet_days_ahead, 3)
        self.assertEqual(str(self.company.psa_timesheet_lock_date), "2026-10-31")
        self.assertEqual(self.company.psa_timesheet_reminder_weekday, "4")
        self.assertEqual(self.company.psa_timesheet_reminder_hour, 17)
