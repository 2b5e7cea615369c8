"""Demo data of psa_helpdesk: Tickets with SLA clocks met, breached, paused and
at risk."""

from datetime import timedelta

from odoo import fields

# (customer xmlid, title, priority, created hours ago, story). Acme is covered by
# the Gold 24/7 policy, the other clients by the Standard business-hours policy.
# Stories: "met" (answered and solved in time), "breached" (left open past the
# deadlines), "paused" (answered, waiting on the customer), "at_risk" (most of the
# response time used), "running" (just opened).
DEMO_TICKETS = [
    ("partner_acme_contact", "ERP login fails for the warehouse team", "2", 72, "met"),
    ("partner_acme_contact", "Server room temperature alarm", "3", 10, "breached"),
    ("partner_acme_contact", "Nightly backup job failed", "2", 0.85, "at_risk"),
    ("partner_acme_contact", "Label printer offline in shipping", "1", 2, "paused"),
    ("partner_stark", "VPN drops every hour", "1", 1, "running"),
    ("partner_stark", "Create accounts for three new hires", "1", 120, "met"),
    ("partner_globex", "Sales dashboard shows no data", "2", 240, "breached"),
    ("partner_globex", "Report export is slow", "1", 48, "paused"),
    ("partner_initech", "Invoice PDF layout broken", "1", 96, "met"),
    ("partner_initech", "Password reset link expired", "0", 0.5, "running"),
]


def generate_helpdesk_demo(env):
    """Called by the post-init hook once the firm, its time and budgets exist."""
    now = fields.Datetime.now()
    alice = env.ref("psa_demo.user_alice")
    bob = env.ref("psa_demo.user_bob")
    stage_model = env["helpdesk.ticket.stage"]
    stage_progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    stage_waiting = stage_model.create(
        {
            "name": "Waiting on Customer",
            "sequence": stage_progress.sequence,
            "psa_pauses_sla": True,
        }
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Service Desk",
            "user_ids": [(6, 0, (alice | bob).ids)],
            "user_id": bob.id,
        }
    )
    policy_model = env["psa.sla.policy"]
    gold = policy_model.create(
        {
            "name": "Gold 24/7",
            "sequence": 5,
            "partner_ids": [(6, 0, env.ref("psa_demo.partner_acme").ids)],
            "calendar_id": env.ref("psa_demo.calendar_support_24_7").id,
            "response_hours": 1.0,
            "resolution_hours": 8.0,
            "warning_percent": 75.0,
            "escalation_user_id": bob.id,
            "escalation_raise_priority": True,
            "escalation_activity_type_id": env.ref("mail.mail_activity_data_todo").id,
            "credit_type": "fixed",
            "credit_value": 250.0,
        }
    )
    standard = policy_model.create(
        {
            "name": "Standard (business hours)",
            "sequence": 20,
            "team_ids": [(6, 0, team.ids)],
            "calendar_id": env.ref("resource.resource_calendar_std").id,
            "response_hours": 4.0,
            "resolution_hours": 24.0,
            "credit_type": "percent",
            "credit_value": 5.0,
        }
    )
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": title,
                "description": f"<p>{title}.</p>",
                "team_id": team.id,
                "user_id": alice.id,
                "partner_id": env.ref(f"psa_demo.{partner}").id,
                "priority": priority,
                "stage_id": stage_progress.id,
            }
            for partner, title, priority, hours_ago, _story in DEMO_TICKETS
        ]
    )
    for ticket, (*_values, hours_ago, story) in zip(tickets, DEMO_TICKETS, strict=True):
        # the tickets came in some hours ago: start their clocks then
        clocks = ticket.psa_sla_status_ids
        clocks.write({"start": now - timedelta(hours=hours_ago)})
        clocks._psa_plan(now)
        response = clocks.filtered(lambda c: c.target == "response")
        resolution = clocks - response
        if story == "met":
            # answered after a quarter of the response target, solved at half
            # of the resolution target
            response._psa_reach(
                response.start + (response.deadline - response.start) / 4
            )
            resolution._psa_reach(
                resolution.start + (resolution.deadline - resolution.start) / 2
            )
            ticket.stage_id = stage_done
        elif story == "paused":
            response._psa_reach(
                response.start + (response.deadline - response.start) / 3
            )
            ticket.stage_id = stage_waiting
    assert set(tickets.psa_sla_policy_id.ids) == {gold.id, standard.id}
    _link_tickets_to_engagements(env, tickets)
    # at risk, breaches and escalations as the cron would find them
    env["psa.sla.status"]._cron_psa_sla_check()


# customer -> the project of its engagement, which bills the time of its tickets
DEMO_TICKET_PROJECTS = {
    "partner_acme": "project_acme_erp",
    "partner_globex": "project_globex_data",
    "partner_initech": "project_initech_managed",
}


def _link_tickets_to_engagements(env, tickets):
    """With OCA helpdesk_mgmt_project and psa_helpdesk_billing (installed with the
    suite): the tickets are on their customer's project and the solved ones carry
    the agent's approved time, billed by the engagement."""
    if "project_id" not in tickets._fields:
        return
    for partner_xmlid, project_xmlid in DEMO_TICKET_PROJECTS.items():
        partner = env.ref(f"psa_demo.{partner_xmlid}")
        tickets.filtered(
            lambda t, p=partner: t.commercial_partner_id == p
        ).project_id = env.ref(f"psa_demo.{project_xmlid}")
    Timesheet = env["account.analytic.line"]
    if "psa_ticket_id" not in Timesheet._fields:
        return
    alice = env.ref("psa_demo.employee_alice")
    solved = tickets.filtered(lambda t: t.project_id and t.psa_sla_state == "met")
    lines = Timesheet.create(
        [
            {
                "name": f"Solved: {ticket.name}",
                "psa_ticket_id": ticket.id,
                "employee_id": alice.id,
                "date": ticket.create_date.date(),
                "unit_amount": 1.5,
            }
            for ticket in solved
        ]
    )
    lines._psa_set_state("approved", {})
