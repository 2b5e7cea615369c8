# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.fields import Domain
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_16H_BRUSSELS, PsaHelpdeskCommon


@tagged("post_install", "-at_install")
class TestPsaSlaCron(PsaHelpdeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalation_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Second Line", "user_ids": [(6, 0, cls.escalation_agent.ids)]}
        )
        cls.policy.write(
            {
                "escalation_notify": True,
                "escalation_user_id": cls.escalation_agent.id,
                "escalation_team_id": cls.escalation_team.id,
                "escalation_raise_priority": True,
                "escalation_activity_type_id": cls.env.ref(
                    "mail.mail_activity_data_todo"
                ).id,
            }
        )

    def _run_cron(self, now):
        with freeze_time(now):
            self.env["psa.sla.status"]._cron_psa_sla_check()

    def _escalation_notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: "SLA" in (m.body or ""))

    def test_at_risk_breach_and_escalation_once(self):
        with freeze_time(FRIDAY_16H_BRUSSELS):
            ticket = self._create_ticket(user=self.agent, user_id=self.agent.id)
        ticket = ticket.with_env(self.env)
        response = self._clock(ticket, "response")
        # nothing due yet
        self._run_cron(datetime(2026, 3, 31, 8, 0))
        self.assertEqual(response.state, "running")
        self.assertFalse(self._escalation_notes(ticket))
        # 80 % elapsed at 08:12 UTC: at risk, notified once
        for _run in range(2):
            self._run_cron(datetime(2026, 3, 31, 8, 30))
        self.assertEqual(response.state, "at_risk")
        self.assertTrue(response.escalated_warning)
        self.assertFalse(response.escalated_breach)
        self.assertEqual(len(self._escalation_notes(ticket)), 1)
        self.assertEqual(ticket.user_id, self.agent, "no reassignment before breach")
        notified = self._escalation_notes(ticket).notification_ids.res_partner_id
        self.assertEqual(notified, (self.agent | self.escalation_agent).partner_id)
        # deadline at 09:00 UTC: breached, escalated once
        for _run in range(2):
            self._run_cron(datetime(2026, 3, 31, 9, 5))
        self.assertEqual(response.state, "breached")
        self.assertTrue(response.escalated_breach)
        self.assertEqual(ticket.psa_sla_state, "breached")
        self.assertEqual(len(self._escalation_notes(ticket)), 2)
        self.assertEqual(ticket.user_id, self.escalation_agent)
        self.assertEqual(ticket.team_id, self.escalation_team)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertEqual(ticket.activity_ids.user_id, self.escalation_agent)
        # escalation does not re-plan the ticket on its new priority/team
        self.assertEqual(ticket.psa_sla_policy_id, self.policy)
        self.assertEqual(response.deadline, datetime(2026, 3, 31, 9, 0))
        # the resolution clock is still running
        self.assertEqual(self._clock(ticket, "resolution").state, "running")

    def test_paused_clock_never_breaches(self):
        with freeze_time(FRIDAY_16H_BRUSSELS):
            ticket = self._create_ticket(
                user=self.agent, stage_id=self.stage_waiting.id
            )
        self.assertEqual(ticket.psa_sla_state, "paused")
        self._run_cron(datetime(2026, 4, 20, 9, 0))
        self.assertEqual(ticket.psa_sla_state, "paused")
        self.assertFalse(self._escalation_notes(ticket))

    def _create_due_tickets(self, count):
        with freeze_time(FRIDAY_16H_BRUSSELS):
            tickets = (
                self.env["helpdesk.ticket"]
                .with_context(tracking_disable=True)
                .create(
                    [
                        {
                            "name": f"Bulk {index}",
                            "description": "<p>bulk</p>",
                            "team_id": self.team.id,
                            "partner_id": self.customer_contact.id,
                            "stage_id": self.stage_new.id,
                            "user_id": self.agent.id,
                        }
                        for index in range(count)
                    ]
                )
            )
        return tickets.psa_sla_status_ids

    def _count_batch_queries(self, clocks, now):
        self.env.flush_all()
        self.env.invalidate_all()
        clocks = clocks.browse(clocks.ids)
        before = self.env.cr.sql_log_count
        with freeze_time(now):
            clocks._psa_check_batch(now)
            self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_cron_queries_bounded_per_batch(self):
        """At-risk and breach escalation of a batch costs the same number of
        queries for 5 and for 50 tickets."""
        now = datetime(2026, 3, 31, 9, 5)
        warm_up, small, large = (self._create_due_tickets(n) for n in (2, 5, 50))
        # first batch fills the registry caches (defaults, access rules)
        self._count_batch_queries(warm_up, now)
        small = self._count_batch_queries(small, now)
        large = self._count_batch_queries(large, now)
        self.assertEqual(small, large)
        self.assertLess(large, 60)

    def test_cron_many_tickets(self):
        """300 tickets (600 clocks) escalated by batches of 100."""
        clocks = self._create_due_tickets(300)
        with freeze_time(datetime(2026, 4, 10, 9, 0)):
            self.env["psa.sla.status"]._cron_psa_sla_check(batch_size=100)
        self.assertEqual(set(clocks.mapped("state")), {"breached"})
        self.assertTrue(all(clocks.mapped("escalated_breach")))
        with freeze_time(datetime(2026, 4, 10, 9, 5)):
            self.assertFalse(
                clocks.search(
                    clocks._psa_due_domain(datetime(2026, 4, 10, 9, 5))
                    & Domain("id", "in", clocks.ids)
                )
            )
