# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Base",
    "summary": "Services app root, PSA security groups, settings, default roles "
    "and business-time helpers",
    "version": "19.0.1.0.0",
    "category": "Services/Professional Services",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["project", "hr_timesheet", "resource"],
    "data": [
        "security/psa_base_security.xml",
        "security/ir.model.access.csv",
        "views/hr_employee_views.xml",
        "views/resource_calendar_views.xml",
        "views/res_config_settings_views.xml",
        "views/psa_base_menus.xml",
    ],
    "development_status": "Beta",
    "maintainers": [],
    "installable": True,
}
