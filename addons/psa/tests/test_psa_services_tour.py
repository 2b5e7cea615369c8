from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPsaServicesTour(HttpCase):
    def test_services_app_tour(self):
        """The administrator opens the Services app and walks through its screens."""
        self.start_tour("/odoo", "psa_services_tour", login="admin")
