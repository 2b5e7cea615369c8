# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Projects - Timesheet Approval",
    "summary": "Earned value and budget vs actual follow timesheet approval and roles",
    "version": "19.0.1.0.0",
    "category": "Services/Project",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_project", "psa_timesheet"],
    "data": ["views/res_config_settings_views.xml"],
    "auto_install": True,
    "development_status": "Beta",
    "maintainers": [],
    "installable": True,
}
