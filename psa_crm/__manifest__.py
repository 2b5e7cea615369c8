# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA CRM",
    "summary": "Estimates by role on opportunities, won deal to engagement, "
    "pipeline-weighted demand and Client 360",
    "version": "19.0.1.0.0",
    "category": "Services/CRM",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": [
        "psa_base",
        "crm",
        "sale_crm",
        "sale_project",
        "psa_project",
        "psa_billing",
        "psa_resource",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/psa_crm_rules.xml",
        "data/product_data.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/project_project_views.xml",
        "report/psa_demand_forecast_views.xml",
        "views/psa_crm_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["psa_crm/static/tests/tours/*.js"],
    },
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
