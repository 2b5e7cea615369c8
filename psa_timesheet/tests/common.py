from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon


class PsaTimesheetCommon(BaseCommon):
    """Users, employees and projects for the timesheet workflow tests.

    - consultant: PSA consultant, employee whose manager is the approver;
    - approver: PSA consultant, timesheet approver of the consultant (through
      the manager default);
    - other: PSA consultant with no right on the consultant's time, manager of
      ``project_managed``;
    - manager: PSA manager;
    - user_company2: PSA manager of a second company only.
    """

    # a Wednesday; its week runs from 2026-11-16 to 2026-11-22
    today = date(2026, 11, 18)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.company2 = cls.env["res.company"].create({"name": "PSA Second Company"})
        cls.role_dev = cls.env["project.role"].create({"name": "Developer"})
        cls.role_pm = cls.env["project.role"].create({"name": "Project Manager"})

        cls.user_consultant = new_test_user(
            cls.env, login="psa_consultant", groups="psa_base.group_psa_user"
        )
        cls.user_approver = new_test_user(
            cls.env, login="psa_approver", groups="psa_base.group_psa_user"
        )
        cls.user_other = new_test_user(
            cls.env, login="psa_other", groups="psa_base.group_psa_user"
        )
        cls.user_manager = new_test_user(
            cls.env, login="psa_manager", groups="psa_base.group_psa_manager"
        )
        cls.user_company2 = new_test_user(
            cls.env,
            login="psa_company2",
            groups="psa_base.group_psa_manager",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        Employee = cls.env["hr.employee"]
        cls.employee_approver = Employee.create(
            {"name": "Alice Approver", "user_id": cls.user_approver.id}
        )
        cls.employee_consultant = Employee.create(
            {
                "name": "Carl Consultant",
                "user_id": cls.user_consultant.id,
                "parent_id": cls.employee_approver.id,
                "default_role_id": cls.role_dev.id,
            }
        )
        cls.employee_other = Employee.create(
            {"name": "Olga Other", "user_id": cls.user_other.id}
        )
        cls.employee_manager = Employee.create(
            {"name": "Max Manager", "user_id": cls.user_manager.id}
        )
        cls.employee_company2 = Employee.create(
            {
                "name": "Zoe Company2",
                "user_id": cls.user_company2.id,
                "company_id": cls.company2.id,
            }
        )
        Project = cls.env["project.project"]
        cls.project = Project.create(
            {
                "name": "Client Project",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
            }
        )
        cls.project_managed = Project.create(
            {
                "name": "Managed Project",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "user_id": cls.user_other.id,
            }
        )
        cls.project_internal = Project.create(
            {
                "name": "Internal Project",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "psa_is_non_billable": True,
                "psa_non_billable_reason": "training",
            }
        )
        cls.project_company2 = Project.create(
            {
                "name": "Company 2 Project",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "company_id": cls.company2.id,
            }
        )
        cls.task = cls.env["project.task"].create(
            {"name": "Analysis", "project_id": cls.project.id}
        )

    @classmethod
    def _log(cls, user, hours=2.0, day=None, project=None, **vals):
        """Log time as ``user`` (on their own employee) in the Services screens."""
        values = {
            "name": "Work",
            "project_id": (project or cls.project).id,
            "unit_amount": hours,
            "date": day or cls.today,
        }
        values.update(vals)
        lines = cls.env["account.analytic.line"].with_context(psa_timesheet_entry=True)
        return lines.with_user(user).create(values)
