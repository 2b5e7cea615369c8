# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaSlaTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            login="psa_sla_tour_agent",
            name="PSA Tour Agent",
            groups="psa_base.group_psa_user",
        )
        cls.portal_user = new_test_user(
            cls.env, login="psa_sla_tour_portal", groups="base.group_portal"
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Tour Desk", "user_ids": [(6, 0, cls.agent.ids)]}
        )
        # keep the status bar short: only the tour's stages
        cls.env["helpdesk.ticket.stage"].search([]).action_archive()
        stages = cls.env["helpdesk.ticket.stage"].create(
            [
                {"name": "Tour In Progress", "sequence": 1},
                {
                    "name": "Tour Waiting on Customer",
                    "sequence": 2,
                    "psa_pauses_sla": True,
                },
                {"name": "Tour Solved", "sequence": 3, "closed": True},
            ]
        )
        cls.env["psa.sla.policy"].create(
            {
                "name": "Tour 24/7",
                "team_ids": [(6, 0, team.ids)],
                "response_hours": 200.0,
                "resolution_hours": 400.0,
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour ticket",
                "description": "<p>Tour</p>",
                "team_id": team.id,
                "stage_id": stages[0].id,
                "partner_id": cls.portal_user.partner_id.id,
            }
        )

    def test_sla_badge_follows_pause(self):
        self.assertEqual(self.ticket.psa_sla_state, "running")
        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{self.ticket.id}",
            "psa_helpdesk_sla_pause_tour",
            login="psa_sla_tour_agent",
        )
        self.assertEqual(self.ticket.psa_sla_state, "running")
        resolution = self.ticket.psa_sla_status_ids.filtered(
            lambda c: c.target == "resolution"
        )
        self.assertEqual(len(resolution.pause_ids), 1)
        self.assertTrue(resolution.pause_ids.resumed_at)

    def test_portal_shows_sla(self):
        self.authenticate("psa_sla_tour_portal", "psa_sla_tour_portal")
        response = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Service Level", response.text)
        self.assertIn("o_psa_sla_portal", response.text)
        response = self.url_open("/my/tickets")
        self.assertIn("o_psa_sla_state", response.text)
