# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "PSA Helpdesk",
    "summary": "Service desk tickets (OCA helpdesk_mgmt) in the Services app",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "AGPL-3",
    "depends": ["psa_base", "helpdesk_mgmt"],
    "data": [
        "security/psa_helpdesk_security.xml",
        "views/psa_helpdesk_menus.xml",
    ],
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
