# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

INBOUND_EMAIL = """Return-Path: {return_path}
To: {to}
cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 27 Mar 2026 16:16:39 +0100 (CET)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Date: Fri, 27 Mar 2026 15:16:26 +0000
Message-ID: {msg_id}
{extra}

Hello, our mail server does not answer since this morning.
"""


@tagged("post_install", "-at_install")
class TestPsaSlaMailGateway(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = mail_new_test_user(
            cls.env,
            login="psa_sla_gw_agent",
            email="gw.agent@example.com",
            groups="psa_base.group_psa_user",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Support",
                "alias_name": "psa-support",
                "user_ids": [(6, 0, cls.agent.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Gold Client SA", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Gina Gold",
                "parent_id": cls.customer.id,
                "email": "gina@goldclient.example",
            }
        )
        policy_model = cls.env["psa.sla.policy"]
        cls.standard = policy_model.create(
            {"name": "Standard", "sequence": 20, "response_hours": 8.0}
        )
        cls.gold = policy_model.create(
            {
                "name": "Gold 24/7",
                "sequence": 10,
                "partner_ids": [(6, 0, cls.customer.ids)],
                "response_hours": 1.0,
                "resolution_hours": 8.0,
            }
        )
        cls.stage_waiting = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Waiting on Customer", "sequence": 2, "psa_pauses_sla": True}
        )
        cls.stage_progress = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Working", "sequence": 1}
        )

    def test_inbound_email_agent_reply_customer_reply(self):
        alias = f"psa-support@{self.alias_domain}"
        ticket = self.format_and_process(
            INBOUND_EMAIL,
            self.contact.email,
            alias,
            subject="Mail server down",
            msg_id="<gold-1@goldclient.example>",
            target_model="helpdesk.ticket",
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.psa_sla_policy_id, self.gold)
        response = ticket.psa_sla_status_ids.filtered(lambda c: c.target == "response")
        resolution = ticket.psa_sla_status_ids - response
        self.assertEqual(response.state, "running")
        self.assertFalse(response.reached_at)
        # the customer's own email is not a response
        self.assertEqual(response.policy_id, self.gold)

        # the agent answers by email: first response met
        self.format_and_process(
            INBOUND_EMAIL,
            self.agent.email,
            alias,
            subject="Re: Mail server down",
            msg_id="<agent-1@example.com>",
            extra="In-Reply-To: <gold-1@goldclient.example>",
            target_model="helpdesk.ticket",
        )
        self.assertEqual(response.state, "met")
        self.assertTrue(response.reached_at)
        self.assertEqual(resolution.state, "running")

        # waiting on the customer, who answers by email: the clock resumes
        ticket.with_user(self.agent).stage_id = self.stage_waiting
        self.assertEqual(resolution.state, "paused")
        self.format_and_process(
            INBOUND_EMAIL,
            self.contact.email,
            alias,
            subject="Re: Re: Mail server down",
            msg_id="<gold-2@goldclient.example>",
            extra="In-Reply-To: <agent-1@example.com>",
            target_model="helpdesk.ticket",
        )
        self.assertEqual(resolution.state, "running")
        self.assertTrue(resolution.pause_ids.resumed_at)
        self.assertEqual(ticket.psa_sla_state, "running")
