from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaBillingPlan(PsaBillingRunCommon):
    """The billing plan header of the engagements: one plan per engagement, its
    components, its schedule honoured by the billing runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.managed = cls._fee_product("Managed Service")

    def _fee(self, order, **vals):
        return (
            self.env["psa.billing.plan.line"]
            .with_user(self.user_billing)
            .create(
                {
                    "order_id": order.id,
                    "product_id": self.managed.id,
                    "amount": 900.0,
                    "date_start": date(2026, 10, 1),
                    **vals,
                }
            )
        )

    def test_lines_with_only_the_order_get_its_plan(self):
        self.assertFalse(self.order.psa_billing_plan_id)
        fee = self._fee(self.order)
        plan = fee.plan_id
        self.assertTrue(plan)
        self.assertEqual(plan.order_id, self.order)
        self.assertEqual(self.order.psa_billing_plan_id, plan)
        self.assertEqual(plan.frequency, "monthly")
        self.assertFalse(plan.next_billing_date)
        # a second line, several at once: the same plan
        other_order, _project = self._engagement(self.client)
        second, third = (
            self.env["psa.billing.plan.line"]
            .with_user(self.user_billing)
            .create(
                [
                    {
                        "order_id": self.order.id,
                        "type": "time_materials",
                    },
                    {
                        "order_id": other_order.id,
                        "product_id": self.managed.id,
                        "date_start": date(2026, 10, 1),
                    },
                ]
            )
        )
        self.assertEqual(second.plan_id, plan)
        self.assertEqual(plan.line_ids, fee | second)
        self.assertTrue(plan.has_time_materials)
        self.assertFalse(plan.has_retainer)
        self.assertEqual(third.plan_id.order_id, other_order)
        # a line given its plan only gets the plan's order
        by_plan = self.env["psa.billing.plan.line"].create(
            {"plan_id": plan.id, "type": "milestone"}
        )
        self.assertEqual(by_plan.order_id, self.order)
        # never the plan of another engagement
        with self.assertRaises(ValidationError):
            self.env["psa.billing.plan.line"].create(
                {"plan_id": plan.id, "order_id": other_order.id, "type": "milestone"}
            )
        # a fee needs its product and start date
        with self.assertRaises(ValidationError):
            self.env["psa.billing.plan.line"].create(
                {"order_id": self.order.id, "type": "recurring"}
            )
        # one plan per engagement
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["psa.billing.plan"].create({"order_id": self.order.id})

    def test_order_form_sets_the_schedule(self):
        order, _project = self._engagement(self.client)
        with Form(order) as form:
            form.psa_billing_frequency = "quarterly"
            form.psa_next_billing_date = date(2027, 1, 1)
        plan = order.psa_billing_plan_id
        self.assertEqual(plan.frequency, "quarterly")
        self.assertEqual(plan.next_billing_date, date(2027, 1, 1))
        self.assertEqual(order.psa_next_billing_date, date(2027, 1, 1))
        # a copy of the engagement gets its own plan with copies of the lines
        fee = self._fee(order)
        copy = order.copy()
        self.assertEqual(len(copy.psa_billing_plan_line_ids), 1)
        self.assertNotEqual(copy.psa_billing_plan_line_ids.plan_id, fee.plan_id)
        self.assertEqual(copy.psa_billing_plan_line_ids.plan_id.order_id, copy)

    def test_schedule_honoured_by_the_runs(self):
        fee = self._fee(self.order)
        plan = fee.plan_id
        plan.write({"frequency": "quarterly", "next_billing_date": date(2026, 11, 1)})
        # a run of every engagement skips it: its next billing is after the cut-off
        run = self._run()
        run.order_ids = False
        run.action_preview()
        self.assertFalse(
            run.line_ids.filtered(lambda line: line.order_id == self.order)
        )
        # named, it is billed, ahead of its schedule: the schedule stays
        named = self._run()
        named.action_preview()
        self.assertTrue(named.line_ids.filtered(lambda line: line.line_kind == "time"))
        named.action_create_invoices()
        self.assertEqual(plan.next_billing_date, date(2026, 11, 1))

        # a due engagement is billed by a run of every engagement, and its
        # schedule moves on by whole quarters past the cut-off
        other_order, other_project = self._engagement(self.client)
        other_fee = self._fee(other_order)
        other_fee.plan_id.write(
            {"frequency": "quarterly", "next_billing_date": date(2026, 7, 1)}
        )
        self._timesheets(other_project, [(self.employee_paul, date(2026, 10, 2), 1.0)])
        run = self._run()
        run.order_ids = False
        run.action_preview()
        lines = run.line_ids.filtered(lambda line: line.order_id == other_order)
        # October's and November's fees (in advance, invoices of 11-02) and the
        # hour of Paul
        self.assertEqual(
            sorted(lines.mapped("line_kind")), ["recurring", "recurring", "time"]
        )
        run.action_create_invoices()
        # 2026-07-01 + 3 months = 2026-10-01, still before the cut-off 10-31
        self.assertEqual(other_fee.plan_id.next_billing_date, date(2027, 1, 1))
        self.assertFalse(
            run.line_ids.filtered(lambda line: line.order_id == self.order)
        )
