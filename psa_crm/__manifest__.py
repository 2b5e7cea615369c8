# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA CRM",
    "summary": "The sales pipeline of a services firm in the Services app",
    "version": "19.0.1.0.0",
    "category": "Services/CRM",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_base", "crm", "sale_project"],
    "data": [
        "security/ir.model.access.csv",
        "views/psa_crm_menus.xml",
    ],
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
