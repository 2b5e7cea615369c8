import random
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields

from .demo_helpdesk import generate_helpdesk_demo
from .demo_resource import generate_resource_demo

# Skills are assigned in code: hr.skill.type creates its skills and levels inline (Odoo
# refuses a type without both), so they have no XML ids to point to from employees.
DEMO_SKILLS = {
    "employee_alice": [("Odoo", "Advanced"), ("Accounting Processes", "Confirmed")],
    "employee_bob": [("Project Management", "Lead"), ("Odoo", "Intermediate")],
    "employee_dan": [
        ("Odoo", "Expert"),
        ("Python", "Expert"),
        ("PostgreSQL", "Advanced"),
    ],
    "employee_fatima": [
        ("Python", "Expert"),
        ("JavaScript", "Advanced"),
        ("Odoo", "Advanced"),
    ],
    "employee_george": [("Python", "Intermediate"), ("JavaScript", "Intermediate")],
    "employee_hana": [("Python", "Advanced"), ("PostgreSQL", "Intermediate")],
    "employee_ivan": [("Networking", "Advanced"), ("Service Desk (ITIL)", "Confirmed")],
    "employee_julia": [("Odoo", "Intermediate"), ("Supply Chain Processes", "Lead")],
    "employee_eva": [("Project Management", "Lead")],
    "employee_karl": [("Python", "Expert"), ("Cloud Infrastructure", "Advanced")],
    "employee_lotte": [("Odoo", "Advanced"), ("Accounting Processes", "Lead")],
}


def post_init_hook(env):
    skill_types = env.ref("psa_demo.skill_type_technology") | env.ref(
        "psa_demo.skill_type_practice"
    )
    skills = {skill.name: skill for skill in skill_types.skill_ids}
    levels = {
        (level.skill_type_id.id, level.name): level
        for level in skill_types.skill_level_ids
    }
    vals_list = []
    for employee_xmlid, employee_skills in DEMO_SKILLS.items():
        employee = env.ref(f"psa_demo.{employee_xmlid}")
        for skill_name, level_name in employee_skills:
            skill = skills[skill_name]
            level = levels[(skill.skill_type_id.id, level_name)]
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "skill_id": skill.id,
                    "skill_level_id": level.id,
                    "skill_type_id": skill.skill_type_id.id,
                }
            )
    env["hr.employee.skill"].create(vals_list)
    _generate_timesheets(env)
    _plan_project_budgets(env)
    # Each capability's demo lives in its own file. The billing demo invoices: it
    # runs once the chart of accounts of the company's country is loaded, at the end
    # of the installation (see models/ir_module_module.py).
    env.registry._psa_demo_billing_pending = True
    generate_resource_demo(env)
    generate_helpdesk_demo(env)


# Who works on what: employee -> [(project, task, share of the day)]. Before a project
# starts, its share goes to the first project of the list that has started.
DEMO_STAFFING = {
    "employee_alice": [
        ("project_acme_erp", "task_acme_configuration", 0.7),
        ("project_initech_managed", "task_initech_support", 0.2),
        ("project_internal", "task_internal_training", 0.1),
    ],
    "employee_bob": [
        ("project_acme_erp", "task_acme_discovery", 0.3),
        ("project_globex_data", "task_globex_pipeline", 0.3),
        ("project_internal", "task_internal_training", 0.4),
    ],
    "employee_dan": [
        ("project_globex_data", "task_globex_pipeline", 0.6),
        ("project_acme_erp", "task_acme_configuration", 0.4),
    ],
    "employee_fatima": [
        ("project_globex_data", "task_globex_pipeline", 0.7),
        ("project_acme_erp", "task_acme_configuration", 0.3),
    ],
    "employee_george": [("project_globex_data", "task_globex_pipeline", 1.0)],
    "employee_hana": [
        ("project_acme_erp", "task_acme_configuration", 0.5),
        ("project_globex_data", "task_globex_pipeline", 0.5),
    ],
    "employee_ivan": [("project_initech_managed", "task_initech_support", 1.0)],
    "employee_julia": [
        ("project_acme_erp", "task_acme_discovery", 0.6),
        ("project_internal", "task_internal_training", 0.4),
    ],
    "employee_eva": [("project_umbrella_audit", "task_umbrella_audit", 1.0)],
    "employee_karl": [("project_umbrella_audit", "task_umbrella_audit", 1.0)],
    "employee_lotte": [("project_umbrella_audit", "task_umbrella_audit", 1.0)],
}
DEMO_DESCRIPTIONS = [
    "Workshop with key users",
    "Configuration",
    "Data migration scripts",
    "Code review",
    "Status meeting",
    "Testing and fixes",
    "Documentation",
    "Support requests",
]


def _generate_timesheets(env, months=12, seed=2026):
    """A year of time for the demo firm, deterministic for a given day: approved up to
    two weeks ago, submitted last week (a few rejected), draft this week."""
    rng = random.Random(seed)
    today = fields.Date.context_today(env["res.users"])
    week_start = today - timedelta(days=today.weekday())
    first_day = today - relativedelta(months=months)
    vals_list = []
    for employee_xmlid, assignments in DEMO_STAFFING.items():
        employee = env.ref(f"psa_demo.{employee_xmlid}")
        work_days = {
            int(a.dayofweek) for a in employee.resource_calendar_id.attendance_ids
        }
        work_days = work_days or {0, 1, 2, 3, 4}
        resolved = [
            (env.ref(f"psa_demo.{project}"), env.ref(f"psa_demo.{task}"), share)
            for project, task, share in assignments
        ]
        day = first_day
        while day < today:
            if day.weekday() in work_days and rng.random() > 0.04:  # ~4 % days off
                hours_today = rng.choice([7.0, 7.5, 8.0, 8.0, 8.0, 8.5])
                started = [
                    (p, t, s)
                    for p, t, s in resolved
                    if not p.date_start or p.date_start <= day
                ]
                total_share = sum(share for _p, _t, share in started)
                for project, task, share in started:
                    hours = round(hours_today * share / total_share * 4) / 4
                    if hours <= 0:
                        continue
                    vals_list.append(
                        {
                            "employee_id": employee.id,
                            "project_id": project.id,
                            "task_id": task.id,
                            "date": day,
                            "unit_amount": hours,
                            "name": rng.choice(DEMO_DESCRIPTIONS),
                        }
                    )
            day += timedelta(days=1)
    lines = env["account.analytic.line"].create(vals_list)
    to_approve = lines.filtered(lambda line: line.date < week_start - timedelta(days=7))
    submitted = lines.filtered(lambda line: line.date < week_start) - to_approve
    rejected = submitted.filtered(lambda line: line.unit_amount >= 7.5)[:3]
    (to_approve | submitted).action_psa_submit()
    to_approve.action_psa_approve()
    rejected.action_psa_reject(env._("Please split the hours by task."))


# Project health of the demo: (schedule performance, cost performance) the budgets are
# planned for, from the time actually logged: on track, at risk and off track.
DEMO_HEALTH = {
    "project_acme_erp": (1.0, 1.02),
    "project_umbrella_audit": (0.9, 0.92),
    "project_globex_data": (0.7, 0.75),
}
DEMO_BILL_RATES = {
    "role_project_manager": 190.0,
    "role_architect": 210.0,
    "role_senior_developer": 170.0,
    "role_developer": 130.0,
    "role_consultant": 150.0,
    "role_support": 95.0,
}
DEMO_UPDATE_WEEKS = 8


def _plan_project_budgets(env):
    """Budgets by role and task estimates such that the demo projects are on track, at
    risk and off track today, then weekly project updates for the last weeks."""
    today = fields.Date.context_today(env["res.users"])
    projects = env["project.project"]
    progress_by_project = {}
    for xmlid, (schedule_index, _cost_index) in DEMO_HEALTH.items():
        project = env.ref(f"psa_demo.{xmlid}")
        elapsed = (today - project.date_start).days / (
            project.date - project.date_start
        ).days
        progress_by_project[project.id] = min(elapsed * schedule_index, 0.95)
        projects |= project
    bill_rates = {
        env.ref(f"psa_demo.{xmlid}"): rate for xmlid, rate in DEMO_BILL_RATES.items()
    }
    Line = env["account.analytic.line"]
    domain = [("project_id", "in", projects.ids)]
    budget_lines = defaultdict(list)
    cost_index = {env.ref(f"psa_demo.{x}").id: c for x, (_s, c) in DEMO_HEALTH.items()}
    for project, role, hours, amount in Line._read_group(
        domain, ["project_id", "role_id"], ["unit_amount:sum", "amount:sum"]
    ):
        if not role or not hours:
            continue
        progress = progress_by_project[project.id]
        budget_lines[project].append(
            (
                0,
                0,
                {
                    "role_id": role.id,
                    "hours": round(hours / progress),
                    "bill_rate": bill_rates.get(role, 150.0),
                    "cost_rate": round(-amount / hours * cost_index[project.id], 2),
                },
            )
        )
    for project, lines in budget_lines.items():
        project.psa_budget_line_ids = lines
    for task, hours in Line._read_group(
        domain + [("task_id", "!=", False)], ["task_id"], ["unit_amount:sum"]
    ):
        task.allocated_hours = round(hours / progress_by_project[task.project_id.id])
    this_week = today - timedelta(days=today.weekday())
    for weeks_ago in range(DEMO_UPDATE_WEEKS, -1, -1):
        day = this_week - timedelta(weeks=weeks_ago) if weeks_ago else today
        for company, company_projects in projects.grouped("company_id").items():
            started = company_projects.filtered(lambda p, day=day: p.date_start <= day)
            started.with_company(company)._psa_post_updates(day)
