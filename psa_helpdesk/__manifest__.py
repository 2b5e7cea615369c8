# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "PSA Helpdesk",
    "summary": "Service desk tickets (OCA helpdesk_mgmt) with business-hours SLA "
    "clocks, pause, escalation and SLA analysis",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "AGPL-3",
    "depends": ["psa_base", "helpdesk_mgmt"],
    "data": [
        "security/ir.model.access.csv",
        "security/psa_helpdesk_security.xml",
        "data/ir_cron_data.xml",
        "views/psa_sla_policy_views.xml",
        "views/psa_sla_status_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_templates.xml",
        "report/psa_sla_report_views.xml",
        "views/psa_helpdesk_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["psa_helpdesk/static/tests/tours/*.js"],
    },
    "development_status": "Alpha",
    "maintainers": [],
    "installable": True,
}
