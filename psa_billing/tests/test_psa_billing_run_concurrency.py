from contextlib import closing
from datetime import date

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install")
class TestPsaBillingRunConcurrency(BaseCase):
    """Two billing runs on the same engagement in two database transactions at
    once: every timesheet is billed exactly once.

    Real concurrent transactions need committed data, so this test commits its
    own records through separate connections and deletes them at the end.
    """

    # pylint: disable=invalid-commit

    def _cursor(self):
        cr = db_connect(get_db_name()).cursor()
        self.addCleanup(cr.close)
        return cr

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, dict(DISABLED_MAIL_CONTEXT))

    def _create_engagement(self):
        with closing(db_connect(get_db_name()).cursor()) as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            role = env["project.role"].create({"name": "Concurrency Role"})
            # an existing employee: a new one would get time off lines of its own
            employee = env.ref("hr.employee_admin")
            card = env["psa.rate.card"].create(
                {
                    "name": "Concurrency Card",
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "line_ids": [Command.create({"role_id": role.id, "price": 100.0})],
                }
            )
            partner = env["res.partner"].create(
                {"name": "Concurrency Client", "is_company": True}
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency Hours",
                    "type": "service",
                    "invoice_policy": "delivery",
                    "service_type": "timesheet",
                    "uom_id": env.ref("uom.product_uom_hour").id,
                    "taxes_id": [Command.clear()],
                }
            )
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "psa_rate_card_id": card.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            order.action_confirm()
            project = env["project.project"].create(
                {
                    "name": "Concurrency Project",
                    "allow_timesheets": True,
                    "allow_billable": True,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "sale_line_id": order.order_line.id,
                }
            )
            timesheets = env["account.analytic.line"].create(
                [
                    {
                        "name": "Work",
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "role_id": role.id,
                        "date": date(2026, 10, day),
                        "unit_amount": 2.0,
                    }
                    for day in (5, 6, 7)
                ]
            )
            timesheets._psa_set_state("approved", {})
            records = {
                "role": role.id,
                "card": card.id,
                "partner": partner.id,
                "product": product.id,
                "order": order.id,
                "project": project.id,
                "timesheets": timesheets.ids,
            }
            cr.commit()
        self.addCleanup(self._delete_engagement, records)
        return records

    def _delete_engagement(self, records):
        with closing(db_connect(get_db_name()).cursor()) as cr:
            env = self._env(cr)
            order = env["sale.order"].browse(records["order"])
            runs = env["psa.billing.run"].search([("order_ids", "in", order.ids)])
            invoices = order.invoice_ids
            invoices.filtered(lambda move: move.state == "posted").button_draft()
            invoices.unlink()
            runs.write({"state": "draft"})
            runs.unlink()
            env["account.analytic.line"].browse(records["timesheets"]).unlink()
            project = env["project.project"].browse(records["project"])
            analytic_account = project.account_id
            project.unlink()
            analytic_account.unlink()
            order._action_cancel()
            order.unlink()
            env["product.product"].browse(records["product"]).unlink()
            env["psa.rate.card"].browse(records["card"]).unlink()
            env["project.role"].browse(records["role"]).unlink()
            env["res.partner"].browse(records["partner"]).unlink()
            cr.commit()

    def _previewed_run(self, records):
        with closing(db_connect(get_db_name()).cursor()) as cr:
            env = self._env(cr)
            run = env["psa.billing.run"].create(
                {
                    "company_id": env.ref("base.main_company").id,
                    "cutoff_date": date(2026, 10, 31),
                    "invoice_date": date(2026, 11, 2),
                    "order_ids": [Command.set([records["order"]])],
                }
            )
            run.action_preview()
            cr.commit()
            return run.id

    def _billing_state(self, records):
        with closing(db_connect(get_db_name()).cursor()) as cr:
            env = self._env(cr)
            timesheets = env["account.analytic.line"].browse(records["timesheets"])
            order = env["sale.order"].browse(records["order"])
            return (
                timesheets.mapped("psa_invoice_line_id.move_id").ids,
                order.invoice_ids.ids,
                sum(order.invoice_ids.mapped("amount_untaxed")),
            )

    def test_two_runs_at_once_bill_each_line_once(self):
        records = self._create_engagement()
        run_a_id = self._previewed_run(records)
        run_b_id = self._previewed_run(records)
        cr_a, cr_b = self._cursor(), self._cursor()
        run_a = self._env(cr_a)["psa.billing.run"].browse(run_a_id)
        run_b = self._env(cr_b)["psa.billing.run"].browse(run_b_id)
        # A bills and holds the rows until it commits: B cannot wait, it skips
        run_a.action_create_invoices()
        with self.assertRaisesRegex(UserError, "Another billing run"):
            run_b.action_create_invoices()
        cr_b.rollback()
        # B's next transaction starts before A commits: A's rows are newer than
        # B's snapshot, B must not bill them either
        cr_b.execute("SELECT 1")  # B's snapshot is taken now
        cr_a.commit()
        with self.assertRaisesRegex(UserError, "Another billing run"):
            run_b.action_create_invoices()
        cr_b.rollback()
        # B again, in a new transaction: the time is billed, nothing more to bill
        with self.assertRaisesRegex(UserError, "invoiced since the preview"):
            run_b.action_create_invoices()
        cr_b.rollback()
        invoice_links, invoices, amount = self._billing_state(records)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoice_links, invoices)
        # 3 x 2 h at 100.00, billed once
        self.assertEqual(amount, 600.0)
