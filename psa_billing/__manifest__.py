# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Billing",
    "summary": "Engagements and their invoices in the Services app, billing access",
    "version": "19.0.1.0.0",
    "category": "Services/Billing",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_base", "sale_timesheet", "account", "sale_expense"],
    "data": [
        "security/psa_billing_security.xml",
        "views/sale_order_views.xml",
        "views/psa_billing_menus.xml",
    ],
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
