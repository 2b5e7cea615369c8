from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon


class PsaResourceCommon(BaseCommon):
    """A 40 h/week schedule (Mon-Fri 8-12 and 13-17, UTC), users with the least
    groups, employees, a customer project and an internal one, and a second
    company.

    - consultant: PSA consultant, employee ``emp_consultant``;
    - project_owner: PSA consultant who manages ``project`` (may plan it);
    - manager: PSA manager (staffs across the company);
    - user_company2: PSA manager of the second company only.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.company2 = cls.env["res.company"].create({"name": "PSA Resource Co 2"})
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "PSA 40h UTC", "tz": "UTC", "company_id": cls.company.id}
        )
        cls.company.resource_calendar_id = cls.calendar
        cls.company.psa_utilization_target = 75.0
        cls.role_dev = cls.env["project.role"].create({"name": "PSA Res Developer"})
        cls.role_pm = cls.env["project.role"].create({"name": "PSA Res PM"})

        cls.user_consultant = new_test_user(
            cls.env, login="psa_res_consult", groups="psa_base.group_psa_user"
        )
        cls.user_owner = new_test_user(
            cls.env, login="psa_res_owner", groups="psa_base.group_psa_user"
        )
        cls.user_manager = new_test_user(
            cls.env, login="psa_res_mgr", groups="psa_base.group_psa_manager"
        )
        cls.user_company2 = new_test_user(
            cls.env,
            login="psa_res_co2",
            groups="psa_base.group_psa_manager",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        Employee = cls.env["hr.employee"]
        cls.emp_consultant = Employee.create(
            {
                "name": "Connie Consultant",
                "user_id": cls.user_consultant.id,
                "resource_calendar_id": cls.calendar.id,
                "default_role_id": cls.role_dev.id,
                "hourly_cost": 50.0,
            }
        )
        cls.emp_owner = Employee.create(
            {
                "name": "Oscar Owner",
                "user_id": cls.user_owner.id,
                "resource_calendar_id": cls.calendar.id,
                "default_role_id": cls.role_pm.id,
            }
        )
        cls.emp_company2 = Employee.create(
            {
                "name": "Zed Company2",
                "company_id": cls.company2.id,
                "user_id": cls.user_company2.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Res", "is_company": True}
        )
        Project = cls.env["project.project"]
        cls.project = Project.create(
            {
                "name": "Acme Roll-out",
                "partner_id": cls.customer.id,
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "user_id": cls.user_owner.id,
            }
        )
        cls.project2 = Project.create(
            {
                "name": "Other Roll-out",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
            }
        )
        cls.project_internal = Project.create(
            {
                "name": "Internal Work",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "psa_is_non_billable": True,
                "psa_non_billable_reason": "internal",
            }
        )
        cls.project_company2 = Project.create(
            {
                "name": "Company 2 Project",
                "allow_timesheets": True,
                "company_id": cls.company2.id,
            }
        )

    @classmethod
    def _log(cls, employee, day, hours, project=None):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Work",
                "employee_id": employee.id,
                "project_id": (project or cls.project).id,
                "date": day,
                "unit_amount": hours,
            }
        )

    @classmethod
    def _approved_leave(cls, employee, date_from, date_to):
        leave_type = cls.env["hr.leave.type"].create(
            {
                "name": "PSA Res Paid Time Off",
                "requires_allocation": False,
                "leave_validation_type": "no_validation",
                "request_unit": "day",
            }
        )
        leave = (
            cls.env["hr.leave"]
            .with_context(mail_create_nolog=True, mail_notrack=True)
            .create(
                {
                    "name": "Holiday",
                    "employee_id": employee.id,
                    "holiday_status_id": leave_type.id,
                    "request_date_from": date_from,
                    "request_date_to": date_to,
                }
            )
        )
        if leave.state != "validate":
            leave.action_approve()
        return leave

    @classmethod
    def _public_holiday(cls, day, calendar=None):
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public Holiday",
                "calendar_id": (calendar or cls.calendar).id,
                "company_id": cls.company.id,
                "date_from": datetime.combine(day, datetime.min.time()),
                "date_to": datetime.combine(day, datetime.max.time()).replace(
                    microsecond=0
                ),
            }
        )

    @classmethod
    def _allocate(cls, employee, project, date_from, date_to, **vals):
        values = {
            "employee_id": employee.id,
            "project_id": project.id,
            "date_from": date_from,
            "date_to": date_to,
        }
        values.update(vals)
        return cls.env["psa.allocation"].create(values)


MARCH_2026 = (date(2026, 3, 1), date(2026, 3, 31))
