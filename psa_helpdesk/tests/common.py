# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

# Reference week (Europe/Brussels): Friday 2026-03-27 is in winter time (UTC+1),
# the clocks go forward on Sunday 2026-03-29, Monday 2026-03-30 is a public
# holiday, Tuesday 2026-03-31 is in summer time (UTC+2). Working hours: Monday to
# Friday 09:00-12:30 and 13:30-18:00 (8 h a day, lunch 12:30-13:30).
FRIDAY_16H_BRUSSELS = datetime(2026, 3, 27, 15, 0)


class PsaHelpdeskCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.admin = mail_new_test_user(
            cls.env, login="psa_sla_admin", groups="psa_base.group_psa_admin"
        )
        cls.agent = mail_new_test_user(
            cls.env,
            login="psa_sla_agent",
            email="agent@example.com",
            groups="psa_base.group_psa_user",
        )
        cls.escalation_agent = mail_new_test_user(
            cls.env,
            login="psa_sla_lead",
            email="lead@example.com",
            groups="psa_base.group_psa_user",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Service Desk",
                "user_ids": [(6, 0, (cls.agent | cls.escalation_agent).ids)],
                "user_id": cls.escalation_agent.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Brightway NV",
                "is_company": True,
                "email": "it@brightway.example",
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Bea Brightway",
                "parent_id": cls.customer.id,
                "email": "bea@brightway.example",
            }
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Brussels office hours",
                "tz": "Europe/Brussels",
                "company_id": cls.company.id,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for period, hour_from, hour_to in (
                        ("morning", 9.0, 12.5),
                        ("afternoon", 13.5, 18.0),
                    )
                ],
            }
        )
        # Easter Monday 2026-03-30, the whole day in Brussels (UTC+2)
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Easter Monday",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2026, 3, 29, 22, 0),
                "date_to": datetime(2026, 3, 30, 21, 59, 59),
            }
        )
        stage_model = cls.env["helpdesk.ticket.stage"]
        cls.stage_new = stage_model.create({"name": "SLA New", "sequence": 0})
        cls.stage_progress = stage_model.create(
            {"name": "SLA In Progress", "sequence": 1}
        )
        cls.stage_waiting = stage_model.create(
            {"name": "Waiting on Customer", "sequence": 2, "psa_pauses_sla": True}
        )
        cls.stage_done = stage_model.create(
            {"name": "SLA Solved", "sequence": 3, "closed": True}
        )
        cls.policy = cls.env["psa.sla.policy"].create(
            {
                "name": "Standard",
                "sequence": 20,
                "team_ids": [(6, 0, cls.team.ids)],
                "calendar_id": cls.calendar.id,
                "response_hours": 4.0,
                "resolution_hours": 16.0,
                "warning_percent": 80.0,
            }
        )

    @classmethod
    def _create_ticket(cls, user=None, **vals):
        values = {
            "name": "Mail server down",
            "description": "<p>No mail since this morning</p>",
            "team_id": cls.team.id,
            "partner_id": cls.customer_contact.id,
            "stage_id": cls.stage_new.id,
            "priority": "1",
        }
        values.update(vals)
        tickets = cls.env["helpdesk.ticket"]
        if user:
            tickets = tickets.with_user(user)
        return tickets.create(values)

    @staticmethod
    def _clock(ticket, target):
        return ticket.psa_sla_status_ids.filtered(lambda c: c.target == target)
