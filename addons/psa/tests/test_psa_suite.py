from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestPsaSuite(BaseCommon):
    def test_whole_suite_installed(self):
        """The umbrella app installs every capability module and the bridges."""
        manifest = self.env["ir.module.module"].get_module_info("psa")
        wanted = set(manifest["depends"])
        modules = self.env["ir.module.module"].search([("name", "in", list(wanted))])
        self.assertEqual(set(modules.mapped("name")), wanted)
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        # every bridge whose capabilities are installed is installed too
        bridges = self.env["ir.module.module"].search(
            [("name", "=like", "psa\\_%"), ("auto_install", "=", True)]
        )
        for bridge in bridges:
            if set(bridge.dependencies_id.mapped("state")) == {"installed"}:
                self.assertEqual(bridge.state, "installed", bridge.name)

    def test_services_app_listed(self):
        app = self.env["ir.module.module"].search([("name", "=", "psa")])
        self.assertTrue(app.application)
        root = self.env.ref("psa_base.menu_psa_root")
        self.assertIn(root.id, self.env["ir.ui.menu"]._visible_menu_ids())
        children = self.env["ir.ui.menu"].search([("parent_id", "=", root.id)])
        self.assertGreaterEqual(len(children), 5)
