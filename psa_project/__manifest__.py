# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Projects",
    "summary": "Project budgets by role, earned value, health and overrun risk",
    "version": "19.0.1.0.0",
    "category": "Services/Project",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_base", "project", "hr_timesheet"],
    "data": [
        "security/psa_project_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/psa_project_budget_line_views.xml",
        "views/project_project_views.xml",
        "views/project_milestone_views.xml",
        "views/psa_project_snapshot_views.xml",
        "views/res_config_settings_views.xml",
        "report/psa_project_budget_report_views.xml",
        "views/psa_project_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["psa_project/static/tests/tours/*.js"],
    },
    "development_status": "Beta",
    "maintainers": [],
    "installable": True,
}
