# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "PSA Suite",
    "summary": "Professional Services Automation for service firms: time, projects, "
    "billing, helpdesk SLAs, resources and CRM in one click",
    "version": "19.0.1.0.0",
    "category": "Services/Professional Services",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "AGPL-3",
    "depends": [
        "psa_base",
        "psa_billing",
        "psa_crm",
        "psa_helpdesk",
        "psa_project",
        "psa_resource",
        "psa_timesheet",
    ],
    "assets": {
        "web.assets_tests": ["psa/static/tests/tours/*.js"],
    },
    "application": True,
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
