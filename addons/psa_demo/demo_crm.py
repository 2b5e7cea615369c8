"""Demo data of psa_crm: an open pipeline of opportunities estimated by role, at
different probabilities, whose weighted hours show in capacity vs demand."""

from datetime import timedelta

from odoo import Command, fields

# (name, client, probability, weeks from this Monday: first, last, template?,
#  [(role, hours)])
DEMO_OPPORTUNITIES = [
    (
        "Acme - Warehouse Rollout",
        "partner_acme",
        70.0,
        3,
        10,
        True,
        [
            ("role_project_manager", 60.0),
            ("role_senior_developer", 240.0),
            ("role_consultant", 160.0),
        ],
    ),
    (
        "Globex - Data Platform Phase 2",
        "partner_globex",
        40.0,
        6,
        17,
        True,
        [
            ("role_architect", 80.0),
            ("role_developer", 400.0),
            ("role_project_manager", 50.0),
        ],
    ),
    (
        "Initech - Support Portal",
        "partner_initech",
        20.0,
        8,
        13,
        False,
        [("role_developer", 160.0), ("role_consultant", 40.0)],
    ),
    (
        "Stark - Odoo Assessment",
        "partner_stark",
        90.0,
        1,
        4,
        False,
        [("role_architect", 40.0), ("role_consultant", 80.0)],
    ),
]


def generate_crm_demo(env):
    """Create the open pipeline (called from psa_demo's post_init_hook)."""
    today = fields.Date.context_today(env["crm.lead"])
    monday = today - timedelta(days=today.weekday())
    salesperson = env.ref("psa_demo.user_bob", raise_if_not_found=False)
    template = env.ref(
        "psa_demo.project_template_implementation", raise_if_not_found=False
    )
    vals_list = []
    for (
        name,
        client,
        probability,
        first,
        last,
        use_template,
        lines,
    ) in DEMO_OPPORTUNITIES:
        vals_list.append(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": env.ref(f"psa_demo.{client}").id,
                "user_id": salesperson.id if salesperson else False,
                "probability": probability,
                "psa_project_template_id": (
                    template.id if use_template and template else False
                ),
                "psa_expected_start": monday + timedelta(weeks=first),
                "psa_expected_end": monday + timedelta(weeks=last, days=4),
                "psa_estimate_line_ids": [
                    Command.create(
                        {"role_id": env.ref(f"psa_demo.{role}").id, "hours": hours}
                    )
                    for role, hours in lines
                ],
            }
        )
    return env["crm.lead"].create(vals_list)
