# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Timesheets",
    "summary": "Timesheet approval, lock date, billable classification, entry rules "
    "and reminders",
    "version": "19.0.1.0.0",
    "category": "Services/Timesheets",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_base", "hr_timesheet", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/psa_timesheet_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/account_analytic_line_views.xml",
        "views/hr_employee_views.xml",
        "views/project_project_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/psa_timesheet_reason_wizard_views.xml",
        "wizard/psa_timesheet_submit_week_wizard_views.xml",
        "views/psa_timesheet_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["psa_timesheet/static/tests/tours/*.js"],
    },
    "development_status": "Beta",
    "maintainers": [],
    "installable": True,
}
