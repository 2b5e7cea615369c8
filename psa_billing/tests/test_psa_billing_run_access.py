from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaBillingRunAccess(PsaBillingRunCommon):
    def test_consultant_sees_no_run_card_or_ledger(self):
        run = self._run()
        run.action_preview()
        Run = self.env["psa.billing.run"].with_user(self.user_consultant)
        with self.assertRaises(AccessError):
            Run.search([])
        with self.assertRaises(AccessError):
            run.with_user(self.user_consultant).read(["name"])
        with self.assertRaises(AccessError):
            self.env["psa.rate.card"].with_user(self.user_consultant).search([])
        with self.assertRaises(AccessError):
            run.line_ids.with_user(self.user_consultant).read(["amount"])
        with self.assertRaises(AccessError):
            Run.create({"cutoff_date": self.cutoff, "invoice_date": self.invoice_date})
        # the ledger fields are billing fields
        self.assertNotIn(
            "psa_billed_amount",
            self.env["account.analytic.line"]
            .with_user(self.user_consultant)
            .fields_get(),
        )
        menus = (
            self.env["ir.ui.menu"].with_user(self.user_consultant)._visible_menu_ids()
        )
        self.assertNotIn(self.env.ref("psa_billing.psa_billing_menu_runs").id, menus)

    def test_billing_admin_runs_the_whole_flow(self):
        menus = self.env["ir.ui.menu"].with_user(self.user_billing)._visible_menu_ids()
        self.assertIn(self.env.ref("psa_billing.psa_billing_menu_runs").id, menus)
        run = self._run(user=self.user_billing)
        run.action_preview()
        run.action_create_invoices()
        run.action_post()
        self.assertEqual(run.state, "posted")
        self.assertEqual(run.invoice_ids.create_uid, self.user_billing)

    def test_other_company_runs_are_invisible(self):
        run = self._run()
        run.action_preview()
        Run = self.env["psa.billing.run"].with_user(self.user_billing2)
        self.assertFalse(Run.search([("id", "=", run.id)]))
        with self.assertRaises(AccessError):
            run.with_user(self.user_billing2).read(["name"])
        self.assertFalse(
            self.env["psa.billing.run.line"]
            .with_user(self.user_billing2)
            .search([("run_id", "=", run.id)])
        )
        self.assertFalse(
            self.env["psa.rate.card"]
            .with_user(self.user_billing2)
            .search([("id", "=", self.card_uk.id)])
        )
        # and a run of the second company does not bill the first one's time
        own_run = Run.create(
            {"cutoff_date": self.cutoff, "invoice_date": self.invoice_date}
        )
        own_run.action_preview()
        self.assertFalse(own_run.line_ids)
