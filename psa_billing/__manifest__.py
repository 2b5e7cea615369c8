# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Billing",
    "summary": "Engagements, dated rate cards by role and employee, rate resolution "
    "and pricing of timesheets",
    "version": "19.0.1.0.0",
    "category": "Services/Billing",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": [
        "psa_base",
        "psa_timesheet",
        "sale_timesheet",
        "account",
        "sale_expense",
    ],
    "data": [
        "security/psa_billing_security.xml",
        "security/ir.model.access.csv",
        "security/psa_billing_rules.xml",
        "views/psa_rate_card_views.xml",
        "views/account_analytic_line_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/psa_billing_menus.xml",
    ],
    "development_status": "Beta",
    "maintainers": [],
    "installable": True,
}
