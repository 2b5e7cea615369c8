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
