# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Resources",
    "summary": "The team, its roles and skills, at hand for staffing",
    "version": "19.0.1.0.0",
    "category": "Services/Resources",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_base", "hr_skills", "project_hr_skills", "hr_holidays"],
    "data": [
        "views/hr_employee_public_views.xml",
        "views/psa_resource_menus.xml",
    ],
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
