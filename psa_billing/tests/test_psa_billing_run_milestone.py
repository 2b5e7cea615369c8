from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaBillingRunMilestone(PsaBillingRunCommon):
    """A fixed fee of EUR 10,000.00 invoiced on milestones (40 % then 60 %)
    next to the engagement's October time (EUR 2,000.00 after its cap)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fixed_fee = cls.env["product.product"].create(
            {
                "name": "Implementation Fixed Fee",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "milestones",
                "list_price": 10000.0,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data[
                    "default_account_revenue"
                ].id,
            }
        )
        cls.fee_line = cls._milestone_line(cls.order, cls.project)
        cls.milestone_design, cls.milestone_delivery = cls.env[
            "project.milestone"
        ].create(
            [
                {
                    "name": "Design signed off",
                    "project_id": cls.project.id,
                    "sale_line_id": cls.fee_line.id,
                    "quantity_percentage": 0.4,
                },
                {
                    "name": "Go-live",
                    "project_id": cls.project.id,
                    "sale_line_id": cls.fee_line.id,
                    "quantity_percentage": 0.6,
                },
            ]
        )

    @classmethod
    def _milestone_line(cls, order, project):
        project.allow_milestones = True
        order.write(
            {
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.fixed_fee.id,
                            "product_uom_qty": 1.0,
                            "price_unit": 10000.0,
                        }
                    )
                ]
            }
        )
        return order.order_line.filtered(lambda line: line.product_id == cls.fixed_fee)

    def test_milestone_invoiced_once_with_the_time(self):
        self.assertEqual(self.fee_line.qty_delivered_method, "milestones")
        run = self._run()
        run.action_preview()
        self.assertFalse(run.line_ids.filtered(lambda line: line.line_kind != "time"))
        self.milestone_design.is_reached = True
        self.assertAlmostEqual(self.fee_line.qty_to_invoice, 0.4)
        run.action_preview()
        fee = run.line_ids.filtered(lambda line: line.line_kind == "milestone")
        self.assertEqual(len(fee), 1)
        self.assertEqual(fee.sale_line_id, self.fee_line)
        self.assertEqual(fee.hours, 0.0)
        self.assertFalse(fee.timesheet_ids)
        self.assertEqual(fee.amount, 4000.0)
        self.assertEqual(fee.billed_amount, 4000.0)
        self.assertIn("Design signed off", fee.name)
        # the time keeps its lines and its cap (2,000.00): the fee is not capped
        time_lines = run.line_ids - fee
        self.assertEqual(len(time_lines), 4)
        self.assertEqual(sum(time_lines.mapped("billed_amount")), 2000.0)

        run.action_create_invoices()
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        # 2,000.00 of time + 40 % of 10,000.00
        self.assertEqual(invoice.amount_untaxed, 6000.0)
        fee_move_line = fee.invoice_line_id
        self.assertEqual(fee_move_line.move_id, invoice)
        self.assertAlmostEqual(fee_move_line.quantity, 0.4)
        self.assertEqual(fee_move_line.price_subtotal, 4000.0)
        self.assertIn("Design signed off", fee_move_line.name)
        self.assertAlmostEqual(self.fee_line.qty_invoiced, 0.4)
        self.assertAlmostEqual(self.fee_line.qty_to_invoice, 0.0)
        # the time is linked as before, the fee links no time
        self.assertEqual(self.ts_dana_1.sudo().timesheet_invoice_id, invoice)
        self.assertFalse(fee_move_line.sudo().psa_billing_run_line_id.timesheet_ids)

        # run again: nothing more to bill
        again = self._run()
        again.action_preview()
        self.assertFalse(again.line_ids.filtered(lambda line: line.line_kind != "time"))
        with self.assertRaisesRegex(UserError, "nothing to invoice"):
            again.action_create_invoices()

        # the go-live: the other 60 %, once
        self.milestone_delivery.is_reached = True
        final = self._run()
        final.action_preview()
        self.assertEqual(
            final.line_ids.filtered("sale_line_id.product_id")
            .mapped("line_kind")
            .count("milestone"),
            1,
        )
        final.action_create_invoices()
        self.assertEqual(final.invoice_ids.amount_untaxed, 6000.0)
        self.assertAlmostEqual(self.fee_line.qty_invoiced, 1.0)
        self.assertEqual(
            sum(self.fee_line.invoice_lines.mapped("price_subtotal")), 10000.0
        )

    def test_engagement_with_only_milestones_found_without_orders(self):
        order, project = self._engagement(self.client)
        fee_line = self._milestone_line(order, project)
        self.env["project.milestone"].create(
            {
                "name": "Kick-off",
                "project_id": project.id,
                "sale_line_id": fee_line.id,
                "quantity_percentage": 0.25,
                "is_reached": True,
            }
        )
        run = self._run()
        run.order_ids = False
        run.action_preview()
        fee = run.line_ids.filtered(lambda line: line.order_id == order)
        self.assertEqual(fee.line_kind, "milestone")
        self.assertEqual(fee.amount, 2500.0)
        # a write-down of the fee: an extra line, no hours
        reason = self.env.ref("psa_billing.psa_billing_reason_rework")
        fee.with_user(self.user_billing).write(
            {"adjustment_amount": -100.0, "reason_id": reason.id}
        )
        self.assertEqual(fee.billed_amount, 2400.0)
        with self.assertRaisesRegex(ValidationError, "bills no hours"):
            fee.with_user(self.user_billing).adjustment_hours = 1.0
        run.action_create_invoices()
        invoice = fee.invoice_id
        self.assertEqual(invoice.amount_untaxed, 2400.0)
        self.assertEqual(invoice.partner_id, self.client)
        self.assertAlmostEqual(fee_line.qty_invoiced, 0.25)

    def test_milestone_changed_since_preview(self):
        self.milestone_design.is_reached = True
        run = self._run()
        run.action_preview()
        self.milestone_delivery.is_reached = True
        # the engagement's time waits with it: nothing of it is invoiced
        with self.assertRaisesRegex(UserError, "changed since the preview"):
            run.action_create_invoices()
        self.assertFalse(self.order.invoice_ids)
        self.assertAlmostEqual(self.fee_line.qty_invoiced, 0.0)
        run.action_preview()
        fee = run.line_ids.filtered(lambda line: line.line_kind == "milestone")
        self.assertEqual(fee.amount, 10000.0)
        self.assertIn("Go-live", fee.name)
