"""Demo data of psa_resource: allocations and resource requests showing
utilization, over-allocation and bench."""

from datetime import timedelta

from odoo import fields

# (employee, project, weeks from this Monday: first, last, hours per day or None,
#  % of capacity or None, state). Alice is over-allocated (Acme and Initech in the
# next two weeks), George and Hana are on the bench after this week.
DEMO_ALLOCATIONS = [
    ("employee_alice", "project_acme_erp", -8, 5, 6.0, None, "confirmed"),
    ("employee_alice", "project_initech_managed", 0, 1, 3.0, None, "tentative"),
    ("employee_bob", "project_acme_erp", -8, 7, 3.0, None, "confirmed"),
    ("employee_bob", "project_globex_data", -8, 3, 3.0, None, "confirmed"),
    ("employee_dan", "project_globex_data", -8, 3, None, 60.0, "confirmed"),
    ("employee_dan", "project_acme_erp", -8, 7, None, 40.0, "confirmed"),
    ("employee_fatima", "project_globex_data", -8, 3, None, 100.0, "confirmed"),
    ("employee_george", "project_globex_data", -8, 0, None, 100.0, "confirmed"),
    ("employee_hana", "project_acme_erp", -8, 0, 4.0, None, "confirmed"),
    ("employee_ivan", "project_initech_managed", -8, 11, None, 100.0, "confirmed"),
    ("employee_julia", "project_acme_erp", -4, 5, 5.0, None, "confirmed"),
    ("employee_julia", "project_acme_erp", 6, 9, 4.0, None, "tentative"),
    ("employee_eva", "project_umbrella_audit", -6, 11, None, 100.0, "confirmed"),
    ("employee_karl", "project_umbrella_audit", -6, 11, None, 80.0, "confirmed"),
    ("employee_lotte", "project_umbrella_audit", -6, 11, None, 100.0, "confirmed"),
]

# (project, role, skills [(skill, minimum level)], hours, weeks first-last, rate)
DEMO_REQUESTS = [
    (
        "project_acme_erp",
        "role_senior_developer",
        [("Python", "Advanced"), ("Odoo", "Advanced")],
        120.0,
        2,
        5,
        170.0,
    ),
    (
        "project_globex_data",
        "role_architect",
        [("PostgreSQL", "Advanced")],
        40.0,
        1,
        2,
        210.0,
    ),
    (
        "project_umbrella_audit",
        "role_consultant",
        [("Accounting Processes", "Confirmed")],
        60.0,
        3,
        6,
        150.0,
    ),
]


def generate_resource_demo(env):
    """Called by the post-init hook once the firm, its time and budgets exist."""
    Employee = env["hr.employee"]
    # the capacity of the demo firm (its leave and holidays included) for the
    # reports, then allocations and requests around this week
    Employee._cron_psa_refresh_capacity()
    today = fields.Date.context_today(env["res.users"])
    monday = today - timedelta(days=today.weekday())

    def week(offset, last=False):
        return monday + timedelta(weeks=offset, days=4 if last else 0)

    vals_list = []
    for employee, project, first, last, hours, percent, state in DEMO_ALLOCATIONS:
        vals = {
            "employee_id": env.ref(f"psa_demo.{employee}").id,
            "project_id": env.ref(f"psa_demo.{project}").id,
            "date_from": week(first),
            "date_to": week(last, last=True),
            "state": state,
        }
        if percent:
            vals.update(allocation_type="percent", percent=percent)
        else:
            vals.update(allocation_type="hours", hours_per_day=hours)
        vals_list.append(vals)
    env["psa.allocation"].create(vals_list)
    # Julia ramped up at 60 % for her first quarter, then the job's target applies
    julia = env.ref("psa_demo.employee_julia")
    env["psa.utilization.target"].create(
        [
            {"employee_id": julia.id, "date_from": week(-52), "target": 60.0},
            {
                "employee_id": julia.id,
                "date_from": week(-39),
                "target": julia.psa_utilization_target,
            },
        ]
    )

    skill_types = env.ref("psa_demo.skill_type_technology") | env.ref(
        "psa_demo.skill_type_practice"
    )
    skills = {skill.name: skill for skill in skill_types.skill_ids}
    levels = {
        (level.skill_type_id.id, level.name): level
        for level in skill_types.skill_level_ids
    }
    requests = env["psa.resource.request"].create(
        [
            {
                "project_id": env.ref(f"psa_demo.{project}").id,
                "role_id": env.ref(f"psa_demo.{role}").id,
                "hours": hours,
                "date_from": week(first),
                "date_to": week(last, last=True),
                "bill_rate": rate,
                "skill_ids": [
                    (
                        0,
                        0,
                        {
                            "skill_type_id": skills[skill].skill_type_id.id,
                            "skill_id": skills[skill].id,
                            "level_id": levels[
                                (skills[skill].skill_type_id.id, level)
                            ].id,
                        },
                    )
                    for skill, level in requirements
                ],
            }
            for project, role, requirements, hours, first, last, rate in DEMO_REQUESTS
        ]
    )
    # the last request is staffed with its best candidate, in one click
    wizard = env["psa.resource.suggestion.wizard"].create(
        {"request_id": requests[-1].id}
    )
    wizard._psa_fill()
    if wizard.line_ids:
        wizard.line_ids[0].action_accept()
