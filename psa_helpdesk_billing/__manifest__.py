# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "PSA Helpdesk - Billing",
    "summary": "Time logged on tickets billed by the engagement's billing plan, "
    "SLA service credits on the next invoice",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "AGPL-3",
    "depends": ["psa_helpdesk", "psa_billing", "helpdesk_mgmt_project"],
    "data": [
        "views/helpdesk_ticket_views.xml",
        "views/psa_sla_views.xml",
    ],
    "auto_install": True,
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
