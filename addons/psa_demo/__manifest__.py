# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "PSA Demo Firm",
    "summary": "Northwind Consulting: a realistic demo services firm for the PSA Suite",
    "version": "19.0.1.0.0",
    "category": "Services/Professional Services",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "AGPL-3",
    "depends": ["psa"],
    # The firm is this module's purpose, so it is data (installed without --with-demo).
    "data": [
        "data/res_company_data.xml",
        "data/res_currency_data.xml",
        "data/product_pricelist_data.xml",
        "data/res_partner_data.xml",
        "data/project_role_data.xml",
        "data/hr_skill_data.xml",
        "data/resource_calendar_data.xml",
        "data/res_users_data.xml",
        "data/hr_employee_data.xml",
        "data/project_project_data.xml",
    ],
    "post_init_hook": "post_init_hook",
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
