from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PsaBillingRunCommon


class PsaRetainerCommon(PsaBillingRunCommon):
    """An engagement ``engagement`` (EUR) of the account manager ``user_am``,
    with a monthly retainer from 2026-01-01: 20 h per month invoiced 2,000.00
    in advance (100.00 an hour), overage at 150.00 an hour, unused hours roll
    over for one period, alerts at 80 % and 100 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_am = new_test_user(
            cls.env,
            login="psa_ret_am",
            name="Ann Account Manager",
            email="ann@example.com",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.retainer_product = cls._fee_product("Support Retainer")
        cls.engagement, cls.engagement_project = cls._engagement(
            cls.client, user_id=cls.user_am.id
        )

    @classmethod
    def _retainer(cls, order, **vals):
        return cls.env["psa.billing.plan.line"].create(
            {
                "order_id": order.id,
                "type": "retainer",
                "product_id": cls.retainer_product.id,
                "amount": 2000.0,
                "frequency": "monthly",
                "date_start": date(2026, 1, 1),
                "retainer_hours": 20.0,
                "overage_rate": 150.0,
                "overage_policy": "bill",
                "rollover_policy": "rollover",
                "rollover_max_periods": 1,
                "alert_thresholds": "80,100",
                **vals,
            }
        )

    def _log(self, day, hours, employee=None, state="approved"):
        return self._timesheets(
            self.engagement_project,
            [(employee or self.employee_dana, day, hours)],
            state=state,
        )

    def _bill(self, cutoff, invoice_date, orders=None):
        run = self._run(
            orders=orders or self.engagement,
            cutoff_date=cutoff,
            invoice_date=invoice_date,
        )
        run.action_preview()
        return run

    def _period(self, retainer, start):
        return retainer.retainer_period_ids.filtered(
            lambda period: period.date_start == start
        )

    def _kind(self, run, kind):
        return run.line_ids.filtered(lambda line: line.line_kind == kind)


@tagged("post_install", "-at_install")
class TestPsaRetainer(PsaRetainerCommon):
    def test_three_months_rollover_expiry_and_overage(self):
        retainer = self._retainer(self.engagement)
        Period = self.env["psa.retainer.period"]
        # January's fee, in advance (cut-off 2025-12-31, invoices of 01-01)
        run = self._bill(date(2025, 12, 31), date(2026, 1, 1))
        (fee,) = run.line_ids
        self.assertEqual(fee.line_kind, "recurring")
        self.assertEqual(fee.amount, 2000.0)
        run.action_create_invoices()
        january = self._period(retainer, date(2026, 1, 1))
        self.assertEqual(january.date_end, date(2026, 1, 31))
        self.assertEqual(january.granted, 20.0)
        self.assertEqual(january.invoice_line_id, fee.invoice_line_id)

        # January: 8 h + 7 h = 15 h, 75 %: no alert yet
        jan_time = self._log(date(2026, 1, 5), 8.0) | self._log(date(2026, 1, 12), 7.0)
        self.assertEqual(january.consumed, 15.0)
        self.assertEqual(january.remaining, 5.0)
        self.assertFalse(january.alerted_thresholds)

        # period end: the 5 h left roll over into February
        Period._psa_close_periods(date(2026, 2, 1))
        february = self._period(retainer, date(2026, 2, 1))
        self.assertRecordValues(
            january,
            [{"state": "closed", "rolled_out": 5.0, "expired": 0.0, "remaining": 0.0}],
        )
        self.assertRecordValues(
            february,
            [{"state": "open", "granted": 20.0, "rolled_in": 5.0, "balance": 25.0}],
        )

        # February's fee and January's time, covered: billed at zero
        run = self._bill(date(2026, 1, 31), date(2026, 2, 1))
        self.assertEqual(len(run.line_ids), 2)
        covered = self._kind(run, "retainer_time")
        self.assertEqual(covered.hours, 15.0)
        self.assertEqual(covered.billed_amount, 0.0)
        self.assertEqual(covered.timesheet_ids, jan_time)
        run.action_create_invoices()
        invoice = run.invoice_ids
        self.assertEqual(invoice.amount_untaxed, 2000.0)
        self.assertEqual(covered.invoice_line_id.quantity, 15.0)
        self.assertEqual(covered.invoice_line_id.price_subtotal, 0.0)
        ledger = jan_time.with_user(self.user_billing)
        self.assertEqual(ledger.psa_invoice_line_id, covered.invoice_line_id)
        self.assertEqual(ledger.psa_billing_run_line_id, covered)
        self.assertEqual(ledger.mapped("psa_billed_amount"), [0.0, 0.0])
        self.assertEqual(february.invoice_line_id.move_id, invoice)

        # February: 2 h burn January's rolled hours first (3 left of them)
        self._log(date(2026, 2, 3), 2.0)
        self.assertEqual(february.consumed, 2.0)
        self.assertEqual(february.remaining, 23.0)
        # period end: January's 3 h are two periods old (cap: one): expired;
        # February's 20 h roll over
        Period._psa_close_periods(date(2026, 3, 1))
        march = self._period(retainer, date(2026, 3, 1))
        self.assertRecordValues(
            february,
            [
                {
                    "state": "closed",
                    "rolled_out": 20.0,
                    "expired": 3.0,
                    # 3 h at 2,000.00 / 20 h
                    "expired_amount": 300.0,
                }
            ],
        )
        self.assertEqual(march.rolled_in, 20.0)
        self.assertEqual(march.balance, 40.0)

        run = self._bill(date(2026, 2, 28), date(2026, 3, 1))
        run.action_create_invoices()
        self.assertEqual(run.invoice_ids.amount_untaxed, 2000.0)

        # March: 30 h + 15 h of 40: 40 h covered, 5 h overage
        march_time = self._log(date(2026, 3, 2), 30.0)
        over = self._log(date(2026, 3, 10), 15.0, employee=self.employee_paul)
        self.assertRecordValues(
            march, [{"consumed": 40.0, "overage": 5.0, "remaining": 0.0}]
        )
        self.assertRecordValues(
            over.with_user(self.user_billing),
            [{"psa_retainer_covered": 10.0, "psa_retainer_overage": 5.0}],
        )
        run = self._bill(date(2026, 3, 31), date(2026, 4, 1))
        covered = self._kind(run, "retainer_time")
        overage = self._kind(run, "overage")
        self.assertEqual(covered.timesheet_ids, march_time)
        self.assertEqual(covered.hours, 30.0)
        self.assertEqual(overage.timesheet_ids, over)
        self.assertRecordValues(
            overage,
            [
                {
                    "hours": 5.0,
                    "covered_hours": 10.0,
                    "rate": 150.0,
                    "billed_amount": 750.0,
                    "is_held": False,
                }
            ],
        )
        run.action_create_invoices()
        invoice = run.invoice_ids
        # April's fee 2,000.00 + 5 h x 150.00
        self.assertEqual(invoice.amount_untaxed, 2750.0)
        self.assertEqual(overage.invoice_line_id.price_subtotal, 750.0)
        self.assertEqual(overage.invoice_line_id.quantity, 5.0)
        # the order item of the time counts every hour invoiced (15 + 2 + 45)
        self.assertEqual(self.engagement.order_line.qty_invoiced, 62.0)
        self.assertEqual(self.engagement.order_line.qty_to_invoice, 0.0)
        self.assertEqual(over.with_user(self.user_billing).psa_billed_amount, 750.0)

        # billing again bills no period nor time twice
        again = self._bill(date(2026, 3, 31), date(2026, 4, 1))
        self.assertFalse(again.line_ids)
        # the same time in another run: none of it again
        self.assertEqual(
            self.env["psa.billing.run.line"].search_count(
                [("timesheet_ids", "in", over.ids)]
            ),
            1,
        )

    def test_amounts_to_the_cent_with_partial_period(self):
        # from the 11th of a 31-day month: 21/31 of the fee and of the hours
        retainer = self._retainer(
            self.engagement,
            date_start=date(2026, 1, 11),
            amount=1999.99,
            overage_rate=133.33,
        )
        run = self._bill(date(2025, 12, 31), date(2026, 1, 11))
        # 1,999.99 x 21 / 31 = 1,354.8323...
        self.assertEqual(run.line_ids.amount, 1354.83)
        run.action_create_invoices()
        period = retainer.retainer_period_ids
        # 20 h x 21 / 31 = 13.548... h
        self.assertEqual(period.granted, 13.55)
        self._log(date(2026, 1, 20), 14.3)
        self.assertAlmostEqual(period.overage, 0.75)
        run = self._bill(date(2026, 1, 31), date(2026, 1, 31))
        overage = self._kind(run, "overage")
        # 0.75 h x 133.33 = 99.9975
        self.assertEqual(overage.billed_amount, 100.0)
        run.action_create_invoices()
        self.assertEqual(overage.invoice_line_id.price_subtotal, 100.0)

    def test_expire_policy_and_reset_gives_hours_back(self):
        retainer = self._retainer(self.engagement, rollover_policy="expire")
        time = self._log(date(2026, 1, 5), 6.0)
        january = self._period(retainer, date(2026, 1, 1))
        self.assertEqual(january.consumed, 6.0)
        # a PSA manager resets the approved time: its hours come back
        time._psa_set_state("draft", {})
        self.assertEqual(january.consumed, 0.0)
        self.assertFalse(time.with_user(self.user_billing).psa_retainer_period_id)
        time._psa_set_state("approved", {})
        self.env["psa.retainer.period"]._cron_psa_retainers(date(2026, 2, 2))
        self.assertRecordValues(
            january,
            [{"state": "closed", "expired": 14.0, "rolled_out": 0.0}],
        )
        february = self._period(retainer, date(2026, 2, 1))
        self.assertEqual(february.rolled_in, 0.0)
        self.assertEqual(february.state, "open")
        # its periods started: its dates and frequency stay
        retainer.write({"date_start": date(2026, 1, 1), "amount": 2100.0})
        with self.assertRaises(UserError):
            retainer.date_start = date(2025, 12, 1)
        with self.assertRaises(UserError):
            retainer.frequency = "quarterly"

    def test_overage_hold_then_approved(self):
        retainer = self._retainer(
            self.engagement, retainer_hours=10.0, overage_policy="hold"
        )
        self._log(date(2026, 1, 5), 8.0)
        late = self._log(date(2026, 1, 6), 5.0, employee=self.employee_paul)
        run = self._bill(date(2026, 1, 31), date(2026, 2, 1))
        held = self._kind(run, "overage")
        self.assertTrue(held.is_held)
        self.assertIn("held for approval", held.held_reason)
        self.assertEqual(held.hours, 3.0)
        self.assertEqual(held.billed_amount, 0.0)
        january = self._period(retainer, date(2026, 1, 1))
        self.assertEqual(january.with_user(self.user_billing).held_overage, 3.0)
        # a consultant cannot approve it
        with self.assertRaises(AccessError):
            held.with_user(self.user_consultant).action_psa_approve_overage()
        run.action_create_invoices()
        # the fees (January, February) and the covered time, not the overage
        self.assertEqual(run.invoice_ids.amount_untaxed, 4000.0)
        self.assertFalse(held.invoice_line_id)
        self.assertFalse(late.with_user(self.user_billing).psa_invoice_line_id)

        rerun = self._bill(date(2026, 1, 31), date(2026, 2, 1))
        (held,) = rerun.line_ids
        self.assertTrue(held.is_held)
        held.with_user(self.user_billing).action_psa_approve_overage()
        self.assertFalse(held.is_held)
        self.assertEqual(held.billed_amount, 450.0)
        self.assertEqual(january.held_overage, 0.0)
        rerun.action_create_invoices()
        self.assertEqual(rerun.invoice_ids.amount_untaxed, 450.0)
        # 8 h covered, then 2 h covered and 3 h of overage
        self.assertEqual(self.engagement.order_line.qty_invoiced, 13.0)
        self.assertEqual(
            late.with_user(self.user_billing).psa_invoice_line_id,
            held.invoice_line_id,
        )
        # approved overage stays approved: a new preview bills nothing more
        last = self._bill(date(2026, 1, 31), date(2026, 2, 1))
        self.assertFalse(last.line_ids)

    def test_time_materials_component_bills_overage_at_rate_card(self):
        retainer = self._retainer(self.engagement, retainer_hours=10.0)
        self.env["psa.billing.plan.line"].create(
            {"order_id": self.engagement.id, "type": "time_materials"}
        )
        self.assertEqual(
            retainer.plan_id.line_ids.mapped("type"), ["retainer", "time_materials"]
        )
        # Dana, Developer on 2026-01-05: 100.00 GBP = 115.00 EUR an hour
        self._log(date(2026, 1, 5), 12.0)
        run = self._bill(date(2026, 1, 31), date(2026, 1, 31))
        overage = self._kind(run, "overage")
        self.assertEqual(overage.hours, 2.0)
        self.assertEqual(overage.rate, 115.0)
        self.assertEqual(overage.billed_amount, 230.0)

    def test_retainer_of_money(self):
        retainer = self._retainer(
            self.engagement,
            retainer_hours=0.0,
            retainer_amount=1000.0,
            amount=1000.0,
            overage_rate=0.0,
        )
        self.assertEqual(retainer.retainer_unit, "amount")
        # Dana, Developer: 115.00 EUR an hour; 10 h = 1,150.00 of 1,000.00
        time = self._log(date(2026, 1, 5), 10.0)
        january = self._period(retainer, date(2026, 1, 1))
        self.assertRecordValues(
            january,
            [{"granted": 1000.0, "consumed": 1000.0, "overage": 150.0}],
        )
        self.assertEqual(january.alerted_thresholds, "80,100")
        run = self._bill(date(2026, 1, 31), date(2026, 1, 31))
        overage = self._kind(run, "overage")
        self.assertEqual(overage.timesheet_ids, time)
        self.assertEqual(overage.rate, 115.0)
        # 150.00 / 115.00 = 1.304 h, billed as 1.30 h
        self.assertEqual(overage.hours, 1.3)

    def test_alerts_fire_once_per_threshold(self):
        retainer = self._retainer(self.engagement)
        Activity = self.env["mail.activity"]
        Mail = self.env["mail.mail"]
        activities = Activity.search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.engagement.id)]
        )
        alert_mails = [("model", "=", "psa.retainer.period")]
        mails_before = Mail.search_count(alert_mails)
        # approved through the approval action (submitted first)
        first = self._log(date(2026, 1, 5), 15.0, state="draft")
        first.action_psa_submit()
        first.action_psa_approve()
        january = self._period(retainer, date(2026, 1, 1))
        self.assertFalse(january.alerted_thresholds)
        # 16 h of 20: 80 %
        second = self._log(date(2026, 1, 6), 1.0, state="draft")
        second.action_psa_submit()
        second.action_psa_approve()
        self.assertEqual(january.alerted_thresholds, "80")
        new = (
            Activity.search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", self.engagement.id),
                ]
            )
            - activities
        )
        self.assertEqual(len(new), 1)
        self.assertEqual(new.user_id, self.user_am)
        self.assertIn("80%", new.summary)
        mails = Mail.search(alert_mails, order="id desc", limit=1)
        self.assertEqual(Mail.search_count(alert_mails), mails_before + 1)
        self.assertIn("80%", mails.subject)
        self.assertEqual(mails.recipient_ids, self.user_am.partner_id)
        # more time under 100 %: nothing new; the cron neither
        self._log(date(2026, 1, 7), 2.0)
        self.env["psa.retainer.period"]._cron_psa_retainers(date(2026, 1, 20))
        self.assertEqual(Mail.search_count(alert_mails), mails_before + 1)
        # over 100 %, two lines in one batch: one alert
        self._timesheets(
            self.engagement_project,
            [
                (self.employee_dana, date(2026, 1, 8), 2.0),
                (self.employee_paul, date(2026, 1, 8), 2.0),
            ],
        )
        self.assertEqual(january.alerted_thresholds, "80,100")
        self.assertEqual(Mail.search_count(alert_mails), mails_before + 2)
        self._log(date(2026, 1, 9), 1.0)
        self.assertEqual(Mail.search_count(alert_mails), mails_before + 2)
        self.assertEqual(
            Activity.search_count(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", self.engagement.id),
                ]
            )
            - len(activities),
            2,
        )

    def test_approval_burns_in_a_fixed_number_of_queries(self):
        retainer = self._retainer(self.engagement, retainer_hours=500.0)
        # the period exists (first approval)
        self._log(date(2026, 1, 2), 1.0)

        def approve(count):
            lines = self._timesheets(
                self.engagement_project,
                [(self.employee_dana, date(2026, 1, 5), 1.0)] * count,
                state="draft",
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            lines._psa_set_state("approved", {})
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        approve(1)  # caches warm
        few = approve(3)
        many = approve(30)
        self.assertEqual(many, few)
        self.assertEqual(retainer.retainer_period_ids.consumed, 35.0)

    def test_two_previews_bill_once(self):
        retainer = self._retainer(self.engagement)
        self._log(date(2026, 1, 5), 22.0)
        first = self._bill(date(2026, 1, 31), date(2026, 1, 31))
        second = self._bill(date(2026, 1, 31), date(2026, 1, 31))
        self.assertEqual(
            sorted(second.line_ids.mapped("line_kind")), ["overage", "recurring"]
        )
        first.action_create_invoices()
        self.assertEqual(first.invoice_ids.amount_untaxed, 2300.0)
        # 2 h at 150.00 and the 20 h covered at zero, on the order's item
        self.assertEqual(self.engagement.order_line.qty_invoiced, 22.0)
        with self.assertRaisesRegex(UserError, "since the preview"):
            second.action_create_invoices()
        self.assertEqual(len(self.engagement.invoice_ids), 1)
        # a cancelled invoice frees its period and time, billed once again
        first.invoice_ids.button_cancel()
        self.assertEqual(retainer.next_billing_date, date(2026, 1, 1))
        again = self._bill(date(2026, 1, 31), date(2026, 1, 31))
        again.action_create_invoices()
        self.assertEqual(again.invoice_ids.amount_untaxed, 2300.0)
        self.assertEqual(
            self._period(retainer, date(2026, 1, 1)).invoice_id, again.invoice_ids
        )

    def test_thresholds_validated(self):
        with self.assertRaises(ValidationError):
            self._retainer(self.engagement, alert_thresholds="80,abc")
        with self.assertRaises(ValidationError):
            self._retainer(self.engagement, alert_thresholds="0")
        with self.assertRaises(ValidationError):
            self._retainer(self.engagement, retainer_hours=0.0)
        line = self._retainer(self.engagement, alert_thresholds=" 100, 50 ,80")
        self.assertEqual(line._psa_thresholds(), [50, 80, 100])
