# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import freeze_time, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import FRIDAY_16H_BRUSSELS, PsaHelpdeskCommon


@tagged("post_install", "-at_install")
class TestPsaSlaClock(PsaHelpdeskCommon):
    def _create_friday_ticket(self, **vals):
        with freeze_time(FRIDAY_16H_BRUSSELS):
            return self._create_ticket(user=self.agent, **vals)

    def test_deadlines_lunch_weekend_holiday_dst(self):
        """Friday 16:00 CET + 4 h: Friday 16-18 (2 h), weekend, Easter Monday,
        Tuesday 09:00-11:00 CEST = 09:00 UTC. Resolution 16 h: Friday 2 h, Tuesday
        8 h (lunch excluded), Wednesday 09:00-12:30 + 13:30-16:00 CEST."""
        ticket = self._create_friday_ticket()
        response = self._clock(ticket, "response")
        resolution = self._clock(ticket, "resolution")
        self.assertEqual(ticket.psa_sla_policy_id, self.policy)
        self.assertEqual(response.start, FRIDAY_16H_BRUSSELS)
        self.assertEqual(response.deadline, datetime(2026, 3, 31, 9, 0))
        # 80 % of 4 h = 3 h 12: Friday 2 h + Tuesday 1 h 12 -> 10:12 CEST
        self.assertEqual(response.warning_at, datetime(2026, 3, 31, 8, 12))
        self.assertEqual(resolution.deadline, datetime(2026, 4, 1, 14, 0))
        self.assertEqual(ticket.psa_sla_deadline, datetime(2026, 3, 31, 9, 0))
        self.assertEqual(ticket.psa_sla_state, "running")
        self.assertEqual(set(ticket.psa_sla_status_ids.mapped("state")), {"running"})

    def test_autumn_dst_business_hours(self):
        """Friday 2026-10-23 17:00 CEST + 4 h: Friday 1 h, back to winter time on
        Sunday, Monday 09:00-12:00 CET = 11:00 UTC. Resolution 16 h: Friday 1 h,
        Monday 8 h, Tuesday 09:00-12:30 + 13:30-17:00 CET = 16:00 UTC."""
        with freeze_time("2026-10-23 15:00:00"):
            ticket = self._create_ticket(user=self.agent)
        self.assertEqual(
            self._clock(ticket, "response").deadline, datetime(2026, 10, 26, 11, 0)
        )
        self.assertEqual(
            self._clock(ticket, "resolution").deadline, datetime(2026, 10, 27, 16, 0)
        )

    def test_autumn_dst_24_7_policy(self):
        """Without calendar the clock counts elapsed hours, across the DST change
        of 2026-10-25 too (UTC stays continuous)."""
        self.policy.calendar_id = False
        with freeze_time("2026-10-24 20:00:00"):
            ticket = self._create_ticket(user=self.agent)
        self.assertEqual(
            self._clock(ticket, "response").deadline, datetime(2026, 10, 25, 0, 0)
        )
        self.assertEqual(
            self._clock(ticket, "resolution").deadline, datetime(2026, 10, 25, 12, 0)
        )

    def test_pause_moves_deadline_by_business_hours(self):
        """Paused Tuesday 11:00-15:00 CEST = 3 business hours (lunch excluded):
        the resolution deadline moves from Wednesday 16:00 CEST to Thursday
        10:00 CEST."""
        ticket = self._create_friday_ticket().with_user(self.agent)
        resolution = self._clock(ticket, "resolution")
        with freeze_time("2026-03-31 09:00:00"):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(resolution.state, "paused")
        self.assertEqual(ticket.psa_sla_state, "paused")
        with freeze_time("2026-03-31 13:00:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(resolution.paused_hours, 3.0)
        self.assertEqual(resolution.deadline, datetime(2026, 4, 2, 8, 0))
        self.assertEqual(resolution.state, "running")
        pause = resolution.pause_ids
        self.assertEqual(len(pause), 1)
        self.assertEqual(pause.hours, 3.0)
        self.assertEqual(pause.paused_at, datetime(2026, 3, 31, 9, 0))
        self.assertEqual(pause.resumed_at, datetime(2026, 3, 31, 13, 0))

    def test_priority_change_replans(self):
        urgent = self.env["psa.sla.policy"].create(
            {
                "name": "Urgent",
                "sequence": 5,
                "team_ids": [(6, 0, self.team.ids)],
                "is_priority_low": False,
                "is_priority_medium": False,
                "calendar_id": self.calendar.id,
                "response_hours": 1.0,
                "resolution_hours": 4.0,
            }
        )
        self.assertEqual(urgent.priority, "2,3")
        ticket = self._create_friday_ticket().with_user(self.agent)
        self.assertEqual(ticket.psa_sla_policy_id, self.policy)
        with freeze_time("2026-03-31 07:00:00"):
            ticket.priority = "3"
        self.assertEqual(ticket.psa_sla_policy_id, urgent)
        response = self._clock(ticket, "response")
        resolution = self._clock(ticket, "resolution")
        # same start: the two business hours already elapsed still count
        self.assertEqual(resolution.start, FRIDAY_16H_BRUSSELS)
        self.assertEqual(response.deadline, datetime(2026, 3, 27, 16, 0))
        self.assertEqual(response.state, "breached")
        self.assertEqual(resolution.deadline, datetime(2026, 3, 31, 9, 0))
        self.assertEqual(resolution.state, "running")
        self.assertEqual(ticket.psa_sla_state, "breached")

    def test_first_response_resolution_and_reopen(self):
        ticket = self._create_friday_ticket().with_user(self.agent)
        response = self._clock(ticket, "response")
        resolution = self._clock(ticket, "resolution")
        with freeze_time("2026-03-31 07:30:00"):
            ticket.message_post(body="Internal: checking", subtype_xmlid="mail.mt_note")
            self.assertFalse(response.reached_at, "An internal note is no response")
            ticket.message_post(
                body="We are on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(response.reached_at, datetime(2026, 3, 31, 7, 30))
        self.assertEqual(response.state, "met")
        self.assertEqual(ticket.psa_sla_deadline, resolution.deadline)
        # closed Tuesday 10:00 CEST (3 h used: Friday 2 h, Tuesday 1 h),
        # reopened Wednesday 10:00 CEST
        with freeze_time("2026-03-31 08:00:00"):
            ticket.stage_id = self.stage_done
        self.assertEqual(resolution.state, "met")
        self.assertEqual(ticket.psa_sla_state, "met")
        self.assertFalse(ticket.psa_sla_deadline)
        with freeze_time("2026-04-01 08:00:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(resolution.state, "running")
        self.assertFalse(resolution.reached_at)
        # the 8 business hours while closed do not count: 13 h left from
        # Wednesday 10:00 CEST (7 h on Wednesday) -> Thursday 16:00 CEST
        self.assertEqual(resolution.paused_hours, 8.0)
        self.assertEqual(resolution.deadline, datetime(2026, 4, 2, 14, 0))
        self.assertEqual(resolution.pause_ids.reason, "closed")
        self.assertEqual(response.state, "met")

    def test_no_matching_policy(self):
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Sales desk"})
        ticket = self._create_friday_ticket(team_id=other_team.id)
        self.assertFalse(ticket.psa_sla_policy_id)
        self.assertFalse(ticket.psa_sla_status_ids)
        self.assertFalse(ticket.psa_sla_state)
        # moving it to the service desk applies the policy
        with freeze_time("2026-03-27 15:00:00"):
            ticket.team_id = self.team
        self.assertEqual(ticket.psa_sla_policy_id, self.policy)
        self.assertEqual(len(ticket.psa_sla_status_ids), 2)

    def test_policy_change_replans_open_clocks(self):
        ticket = self._create_friday_ticket()
        with freeze_time("2026-03-27 15:30:00"):
            self.policy.with_user(self.admin).response_hours = 2.0
        # Friday 16:00-18:00 CET
        self.assertEqual(
            self._clock(ticket, "response").deadline, datetime(2026, 3, 27, 17, 0)
        )

    def test_compliance_report(self):
        on_time = self._create_friday_ticket(name="On time").with_user(self.agent)
        late = self._create_friday_ticket(name="Late").with_user(self.agent)
        with freeze_time("2026-03-31 07:30:00"):
            on_time.message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        with freeze_time("2026-03-31 10:00:00"):
            late.message_post(
                body="Sorry, on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self._clock(late, "response").state, "breached")
        manager = mail_new_test_user(
            self.env, login="psa_sla_manager", groups="psa_base.group_psa_manager"
        )
        report = self.env["psa.sla.report"].with_user(manager)
        [(policy, compliance, breaches, count)] = report._read_group(
            [("ticket_id", "in", (on_time | late).ids), ("target", "=", "response")],
            ["policy_id"],
            ["compliance:avg", "breach_count:sum", "__count"],
        )
        self.assertEqual(policy, self.policy)
        self.assertEqual(compliance, 50.0)
        self.assertEqual(breaches, 1)
        self.assertEqual(count, 2)
        # the open resolution clocks are not decided yet
        self.assertFalse(
            report.search(
                [
                    ("ticket_id", "in", (on_time | late).ids),
                    ("target", "=", "resolution"),
                ]
            )
        )

    def test_policy_matching_category_and_customer_tag(self):
        tag = self.env["res.partner.category"].create({"name": "Premium"})
        category = self.env["helpdesk.ticket.category"].create({"name": "Network"})
        policy_model = self.env["psa.sla.policy"]
        by_tag = policy_model.create(
            {
                "name": "Premium customers",
                "sequence": 1,
                "partner_category_ids": [(6, 0, tag.ids)],
                "response_hours": 1.0,
            }
        )
        by_category = policy_model.create(
            {
                "name": "Network incidents",
                "sequence": 2,
                "category_ids": [(6, 0, category.ids)],
                "response_hours": 2.0,
            }
        )
        ticket = self._create_friday_ticket()
        self.assertEqual(ticket.psa_sla_policy_id, self.policy)
        with freeze_time(FRIDAY_16H_BRUSSELS):
            ticket.category_id = category
            self.assertEqual(ticket.psa_sla_policy_id, by_category)
            self.assertFalse(
                self._clock(ticket, "resolution"),
                "no resolution target in the new policy",
            )
            # the tag is on the customer company, the ticket is on its contact
            self.customer.category_id = tag
            ticket.partner_id = self.customer_contact
            ticket.priority = "2"
        self.assertEqual(ticket.psa_sla_policy_id, by_tag)
        self.assertEqual(self._clock(ticket, "response").hours, 1.0)
