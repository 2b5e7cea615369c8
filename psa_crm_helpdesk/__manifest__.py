# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "PSA CRM - Helpdesk",
    "summary": "SLA compliance and open tickets of the client in the Client 360",
    "version": "19.0.1.0.0",
    "category": "Services/CRM",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "AGPL-3",
    "depends": ["psa_crm", "psa_helpdesk"],
    "data": ["views/res_partner_views.xml"],
    "auto_install": True,
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
