from datetime import date

from psycopg2.errors import SerializationFailure

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.psa_billing.models import psa_billing_run

from .common import PsaBillingRunCommon

# errors as a test raises them (never shown to a user)
JOURNAL_REFUSAL = "The journal refuses this invoice."
CONCURRENT_UPDATE = "could not serialize access due to concurrent update"


@tagged("post_install", "-at_install")
class TestPsaBillingRun(PsaBillingRunCommon):
    def _record_calls(self, method_name):
        """Patch the timesheets' ``method_name`` to record the records of each
        call in the list returned."""
        Line = type(self.env["account.analytic.line"])
        calls = []
        method = getattr(Line, method_name)

        def spy(lines_self):
            calls.append(lines_self)
            return method(lines_self)

        self.patch(Line, method_name, spy)
        return calls

    def _preview_lines(self, run):
        lines = run.line_ids
        by_name = {}
        for line in lines:
            if line.is_held:
                by_name["held"] = line
            else:
                by_name[(line.role_id.name, line.rate)] = line
        return by_name

    def test_preview_rates_dates_cap_and_held_time(self):
        run = self._run()
        run.action_preview()
        self.assertEqual(run.state, "previewed")
        lines = self._preview_lines(run)
        self.assertEqual(len(run.line_ids), 4)
        dev_old = lines[("Developer", 115.0)]
        pm = lines[("Project Manager", 172.5)]
        dev_new = lines[("Developer", 138.0)]
        held = lines["held"]
        # GBP 100 / 150 / 120 at 1.15 EUR per GBP, the rate valid on each day
        self.assertEqual(dev_old.hours, 12.0)
        self.assertEqual(dev_old.amount, 1380.0)
        self.assertEqual(dev_old.timesheet_ids, self.ts_dana_1 | self.ts_dana_2)
        self.assertEqual(pm.amount, 345.0)
        self.assertEqual(dev_new.amount, 828.0)
        self.assertEqual(dev_new.timesheet_ids, self.ts_dana_3)
        # the cap (2,000.00) is reached on the last line: 2,000 - 1,380 - 345
        self.assertEqual(dev_old.held_amount, 0.0)
        self.assertEqual(pm.held_amount, 0.0)
        self.assertEqual(dev_new.held_amount, 553.0)
        self.assertEqual(dev_new.billed_amount, 275.0)
        self.assertIn("cap", dev_new.held_reason)
        # no rate: held back with the reason, never billed at zero
        self.assertEqual(held.timesheet_ids, self.ts_nora)
        self.assertEqual(held.hours, 3.0)
        self.assertIn("Nora Noroles", held.held_reason)
        self.assertEqual(held.billed_amount, 0.0)
        # drafts, non-billable time and time after the cut-off are not there
        self.assertFalse(
            run.line_ids.timesheet_ids
            & (self.ts_draft | self.ts_internal | self.ts_november)
        )

    def test_invoice_in_client_currency_to_the_cent(self):
        run = self._run()
        run.action_preview()
        lines = self._preview_lines(run)
        pm = lines[("Project Manager", 172.5)]
        reason = self.env.ref("psa_billing.psa_billing_reason_rework")
        pm.with_user(self.user_billing).write(
            {"adjustment_hours": -0.5, "reason_id": reason.id}
        )
        self.assertEqual(pm.billed_amount, 258.75)
        run.with_user(self.user_billing).action_create_invoices()
        self.assertEqual(run.state, "invoiced")
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.currency_id, self.eur)
        self.assertEqual(invoice.partner_id, self.client)
        self.assertEqual(invoice.invoice_date, self.invoice_date)
        self.assertEqual(invoice.state, "draft")
        # 1,380.00 + 258.75 + 828.00 - 553.00 (cap)
        self.assertEqual(invoice.amount_untaxed, 1913.75)
        self.assertEqual(invoice.amount_total, 1913.75)
        self.assertAlmostEqual(
            sum(invoice.invoice_line_ids.mapped("price_subtotal")), 1913.75, places=2
        )
        # company currency at the invoice date: 1,913.75 / 0.92
        self.assertAlmostEqual(invoice.amount_total_signed, 2080.16, places=2)
        # created through the sale order: Odoo's invoiced quantity follows
        self.assertIn(invoice, self.order.invoice_ids)
        self.assertEqual(self.order.order_line.qty_invoiced, 19.5)
        main_lines = invoice.invoice_line_ids.filtered("sale_line_ids")
        self.assertEqual(
            sorted(main_lines.mapped("quantity")), [1.5, 6.0, 12.0], "billed hours"
        )
        self.assertIn("12.00 h", lines[("Developer", 115.0)].invoice_line_id.name)
        # each timesheet links to the invoice line that billed it
        self.assertEqual(
            self.ts_dana_1.sudo().psa_invoice_line_id,
            lines[("Developer", 115.0)].invoice_line_id,
        )
        self.assertEqual(self.ts_dana_1.sudo().timesheet_invoice_id, invoice)
        # and records the rate card line that priced it (before the rate change)
        self.assertEqual(self.ts_dana_1.sudo().psa_rate_line_id.price, 100.0)
        self.assertEqual(self.ts_dana_3.sudo().psa_rate_line_id.price, 120.0)
        self.assertFalse(self.ts_nora.sudo().psa_invoice_line_id)

        # realization ledger, per entry, in EUR
        ledger = {
            ts: (
                ts.sudo().psa_standard_amount,
                ts.sudo().psa_billable_amount,
                ts.sudo().psa_billed_amount,
            )
            for ts in self.timesheets - self.ts_nora
        }
        self.assertEqual(ledger[self.ts_dana_1], (920.0, 920.0, 920.0))
        self.assertEqual(ledger[self.ts_dana_2], (460.0, 460.0, 460.0))
        self.assertEqual(ledger[self.ts_paul], (345.0, 345.0, 258.75))
        self.assertEqual(ledger[self.ts_dana_3], (828.0, 828.0, 275.0))

        run.with_user(self.user_billing).action_post()
        self.assertEqual(run.state, "posted")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self.ts_paul.sudo().psa_collected_amount, 0.0)

        # the same run repeated bills nothing more
        again = self._run()
        again.action_preview()
        self.assertEqual(again.line_ids.timesheet_ids, self.ts_nora)
        with self.assertRaisesRegex(UserError, "nothing to invoice"):
            again.action_create_invoices()
        self.assertEqual(self.order.invoice_ids, invoice)

    def test_collected_amount_follows_payment(self):
        run = self._run(orders=self.order)
        run.action_preview()
        run.action_create_invoices()
        run.action_post()
        invoice = run.invoice_ids
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": invoice.amount_total / 2}).action_create_payments()
        self.assertEqual(invoice.payment_state, "partial")
        # half of 920.00
        self.assertEqual(self.ts_dana_1.sudo().psa_collected_amount, 460.0)

    def test_invoiced_time_is_read_only(self):
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        manager = new_test_user(
            self.env, login="psa_run_manager", groups="psa_base.group_psa_manager"
        )
        with self.assertRaisesRegex(UserError, "Invoiced timesheets"):
            self.ts_dana_1.with_user(manager).action_psa_reset_to_draft(
                reason="correction"
            )
        self.assertTrue(self.ts_dana_1._psa_get_billing_locked())

    def test_credit_note_frees_time_for_billing(self):
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        run.action_post()
        invoice = run.invoice_ids
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "wrong rate"})
        )
        reversal.refund_moves()
        credit_note = self.order.invoice_ids.filtered(
            lambda move: move.move_type == "out_refund"
        )
        self.assertTrue(credit_note)
        credit_note.action_post()
        self.assertFalse(self.timesheets.sudo().psa_invoice_line_id)
        self.assertEqual(sum(self.timesheets.sudo().mapped("psa_billed_amount")), 0.0)
        self.assertEqual(self.order._psa_billed_time_amount(), 0.0)
        # billed again, once, by the next run (the cap counts from zero again)
        rebill = self._run()
        rebill.action_preview()
        rebill.action_create_invoices()
        self.assertEqual(rebill.invoice_ids.amount_total, 2000.0)
        self.assertEqual(
            self.ts_dana_1.sudo().psa_invoice_line_id.move_id, rebill.invoice_ids
        )

    def test_cancel_or_delete_draft_invoice_frees_time(self):
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        run.invoice_ids.button_cancel()
        self.assertFalse(self.timesheets.sudo().psa_invoice_line_id)
        run2 = self._run()
        run2.action_preview()
        run2.action_create_invoices()
        self.assertTrue(self.ts_dana_1.sudo().psa_invoice_line_id)
        run2.invoice_ids.unlink()
        self.assertFalse(self.timesheets.sudo().psa_invoice_line_id)
        self.assertEqual(sum(self.timesheets.sudo().mapped("psa_billed_amount")), 0.0)

    def test_locked_exchange_rate_and_grouping_by_person(self):
        order, project = self._engagement(
            self.client,
            psa_fx_policy="locked",
            psa_fx_rate=1.2,
            psa_invoice_grouping="employee",
        )
        self._timesheets(
            project,
            [
                (self.employee_dana, date(2026, 10, 1), 1.5),
                (self.employee_dana, date(2026, 10, 2), 1.0),
                (self.employee_paul, date(2026, 10, 2), 1.0),
            ],
        )
        run = self._run(orders=order)
        run.action_preview()
        self.assertEqual(
            sorted(
                (line.employee_id.name, line.rate, line.amount) for line in run.line_ids
            ),
            [("Dana Developer", 120.0, 300.0), ("Paul Planner", 180.0, 180.0)],
        )
        run.action_create_invoices()
        self.assertEqual(run.invoice_ids.amount_total, 480.0)

    def test_all_due_engagements_of_the_company(self):
        run = (
            self.env["psa.billing.run"]
            .with_user(self.user_billing)
            .create({"cutoff_date": self.cutoff, "invoice_date": self.invoice_date})
        )
        run.action_preview()
        self.assertEqual(run.line_ids.order_id, self.order)

    def test_write_down_needs_a_reason_and_cannot_exceed(self):
        run = self._run()
        run.action_preview()
        line = self._preview_lines(run)[("Developer", 115.0)]
        with self.assertRaisesRegex(ValidationError, "reason code"):
            line.write({"adjustment_amount": -100.0})
        with self.assertRaisesRegex(ValidationError, "does not apply"):
            line.write(
                {
                    "adjustment_amount": 100.0,
                    "reason_id": self.env.ref(
                        "psa_billing.psa_billing_reason_goodwill"
                    ).id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot exceed"):
            line.write(
                {
                    "adjustment_amount": -5000.0,
                    "reason_id": self.env.ref(
                        "psa_billing.psa_billing_reason_goodwill"
                    ).id,
                }
            )
        held = self._preview_lines(run)["held"]
        with self.assertRaisesRegex(ValidationError, "Held-back"):
            held.write(
                {
                    "adjustment_hours": 1.0,
                    "reason_id": self.env.ref(
                        "psa_billing.psa_billing_reason_scope"
                    ).id,
                }
            )

    def test_write_up_over_the_cap_is_refused(self):
        run = self._run()
        run.action_preview()
        line = self._preview_lines(run)[("Developer", 115.0)]
        line.write(
            {
                "adjustment_amount": 50.0,
                "reason_id": self.env.ref("psa_billing.psa_billing_reason_scope").id,
            }
        )
        with self.assertRaisesRegex(UserError, "not-to-exceed cap"):
            run.action_create_invoices()
        self.assertFalse(self.order.invoice_ids)
        self.assertFalse(self.timesheets.sudo().psa_invoice_line_id)

    def test_amount_write_down_shares_add_up(self):
        order, project = self._engagement(self.client)
        entries = [
            (self.employee_dana, date(2026, 10, 1 + day), 1.0) for day in range(3)
        ]
        timesheets = self._timesheets(project, entries)
        run = self._run(orders=order)
        run.action_preview()
        # 3 x 115.00 = 345.00, minus 100.00: shares of 81.67, 81.67, 81.66
        run.line_ids.write(
            {
                "adjustment_amount": -100.0,
                "reason_id": self.env.ref("psa_billing.psa_billing_reason_goodwill").id,
            }
        )
        run.action_create_invoices()
        self.assertEqual(run.invoice_ids.amount_total, 245.0)
        shares = timesheets.sudo().mapped("psa_billed_amount")
        self.assertEqual(sorted(shares), [81.66, 81.67, 81.67])
        self.assertAlmostEqual(sum(shares), 245.0, places=2)

    def test_stale_preview_is_refused(self):
        run = self._run()
        run.action_preview()
        other = self._run()
        other.action_preview()
        other.action_create_invoices()
        with self.assertRaisesRegex(UserError, "invoiced since the preview"):
            run.action_create_invoices()
        self.assertEqual(len(self.order.invoice_ids), 1)

    def test_time_deleted_since_the_preview_is_refused(self):
        run = self._run()
        run.action_preview()
        line = run.line_ids.filtered(lambda rl: self.ts_dana_3 in rl.timesheet_ids)
        self.assertEqual(line.timesheet_count, 1)
        # the preview's time can be searched by timesheet
        self.assertEqual(
            self.env["psa.billing.run.line"].search(
                [("timesheet_ids", "in", self.ts_dana_3.ids)]
            ),
            line,
        )
        self.ts_dana_3.sudo().unlink()
        line.invalidate_recordset()
        self.assertFalse(line.timesheet_ids)
        with self.assertRaisesRegex(UserError, "deleted since the preview"):
            run.action_create_invoices()
        self.assertFalse(self.order.invoice_ids)

    def test_failure_half_way_leaves_nothing_billed(self):
        order2, project2 = self._engagement(self.client)
        self._timesheets(project2, [(self.employee_dana, date(2026, 10, 2), 1.0)])
        run = self._run(orders=self.order | order2)
        run.action_preview()
        Run = type(self.env["psa.billing.run"])
        original = Run._psa_prepare_engagement_invoice
        calls = []

        def crash_on_second(run_self, order, lines):
            calls.append(order)
            if len(calls) == 2:
                raise RuntimeError("server killed")
            return original(run_self, order, lines)

        with self.assertRaises(RuntimeError):
            with self.env.cr.savepoint():
                self.patch(Run, "_psa_prepare_engagement_invoice", crash_on_second)
                run.action_create_invoices()
        self.assertFalse((self.order | order2).invoice_ids)
        self.assertFalse(
            self.env["account.analytic.line"]
            .sudo()
            .search_count(
                [
                    ("order_id", "in", (self.order | order2).ids),
                    ("psa_invoice_line_id", "!=", False),
                ]
            )
        )

    def test_one_invoice_failing_in_a_batch_leaves_the_others(self):
        order2, project2 = self._engagement(self.client)
        ts2 = self._timesheets(project2, [(self.employee_dana, date(2026, 10, 2), 2.0)])
        order3, project3 = self._engagement(self.client)
        ts3 = self._timesheets(project3, [(self.employee_dana, date(2026, 10, 3), 3.0)])
        run = self._run(orders=self.order | order2 | order3)
        run.action_preview()
        Run = type(self.env["psa.billing.run"])
        original = Run._psa_create_engagement_invoices
        batches = []
        refused = [order2]

        def refuse_order2(run_self, invoice_vals_by_order, lines_by_order):
            batches.append(len(invoice_vals_by_order))
            if set(refused) & set(invoice_vals_by_order):
                raise ValidationError(JOURNAL_REFUSAL)
            return original(run_self, invoice_vals_by_order, lines_by_order)

        self.patch(Run, "_psa_create_engagement_invoices", refuse_order2)
        run.action_create_invoices()
        # the batch of three failed, then each was invoiced on its own
        self.assertEqual(batches, [3, 1, 1, 1])
        self.assertEqual(run.state, "invoiced")
        self.assertEqual(len(self.order.invoice_ids), 1)
        self.assertEqual(len(order3.invoice_ids), 1)
        self.assertFalse(order2.invoice_ids)
        self.assertFalse(ts2.sudo().psa_invoice_line_id)
        self.assertEqual(ts3.sudo().psa_invoice_line_id.move_id, order3.invoice_ids)
        failed = run.line_ids.filtered("error")
        self.assertEqual(failed.order_id, order2)
        self.assertIn("journal refuses", failed[:1].error)
        # a later run bills what was left
        refused.clear()
        catch_up = self._run(orders=order2)
        catch_up.action_preview()
        catch_up.action_create_invoices()
        self.assertEqual(ts2.sudo().psa_invoice_line_id.move_id, order2.invoice_ids)

    def test_concurrent_update_in_a_batch_skips_that_engagement_only(self):
        order2, project2 = self._engagement(self.client)
        ts2 = self._timesheets(project2, [(self.employee_dana, date(2026, 10, 2), 2.0)])
        run = self._run(orders=self.order | order2)
        run.action_preview()
        Run = type(self.env["psa.billing.run"])
        original = Run._psa_create_engagement_invoices

        def conflict_on_order2(run_self, invoice_vals_by_order, lines_by_order):
            # e.g. time of order2 approved and committed meanwhile
            if order2 in invoice_vals_by_order:
                raise SerializationFailure(CONCURRENT_UPDATE)
            return original(run_self, invoice_vals_by_order, lines_by_order)

        self.patch(Run, "_psa_create_engagement_invoices", conflict_on_order2)
        run.action_create_invoices()
        self.assertEqual(run.state, "invoiced")
        self.assertEqual(len(self.order.invoice_ids), 1)
        self.assertFalse(order2.invoice_ids)
        self.assertFalse(ts2.sudo().psa_invoice_line_id)
        failed = run.line_ids.filtered("error")
        self.assertEqual(failed.order_id, order2)
        self.assertIn("at the same moment", failed[:1].error)

    def test_batches_of_engagements_bill_each_once(self):
        self.patch(psa_billing_run, "INVOICE_BATCH", 2)
        orders = self.order
        timesheets = self.timesheets
        for day in range(4):
            order, project = self._engagement(self.client)
            orders |= order
            timesheets |= self._timesheets(
                project, [(self.employee_dana, date(2026, 10, 5 + day), 1.5)]
            )
        run = self._run(orders=orders)
        run.action_preview()
        self.assertEqual(run.line_ids.order_id, orders)
        run.action_create_invoices()
        self.assertEqual(len(run.invoice_ids), len(orders))
        for order in orders:
            self.assertEqual(len(order.invoice_ids), 1)
        billable = timesheets.sudo().filtered(
            lambda ts: ts.date <= self.cutoff and ts.psa_state == "approved"
        )
        for timesheet in billable.filtered("psa_rate_line_id"):
            self.assertEqual(
                timesheet.psa_invoice_line_id.move_id,
                timesheet.order_id.invoice_ids,
            )

    def test_ledger_written_by_the_run_is_what_the_orm_computes(self):
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        run.action_post()
        billed = self.timesheets.sudo().filtered("psa_invoice_line_id")
        self.assertTrue(billed)
        written = {
            ts.id: (ts.psa_standard_amount, ts.psa_billable_amount) for ts in billed
        }
        self.env.add_to_compute(billed._fields["psa_standard_amount"], billed)
        billed._recompute_recordset(["psa_standard_amount"])
        self.env.add_to_compute(billed._fields["psa_billable_amount"], billed)
        billed._recompute_recordset(["psa_billable_amount"])
        for timesheet in billed:
            self.assertTrue(timesheet.psa_standard_amount)
            self.assertEqual(
                written[timesheet.id],
                (timesheet.psa_standard_amount, timesheet.psa_billable_amount),
            )
        # the fields the run did not mark to recompute (they depend on the
        # invoice only through the project, kept on billed time) are right:
        # recomputing every stored computed field of the billed time changes
        # nothing
        fields_ = [
            field
            for field in billed._fields.values()
            if field.store and field.compute and field.name in billed._fields
        ]
        stored = {
            (field.name, ts.id): ts[field.name] for field in fields_ for ts in billed
        }
        for field in fields_:
            self.env.add_to_compute(field, billed)
        billed._recompute_recordset()
        for field in fields_:
            for timesheet in billed:
                self.assertEqual(
                    timesheet[field.name],
                    stored[field.name, timesheet.id],
                    f"{field.name} of {timesheet.name}",
                )
        # an invoice's timesheets (the one2many of the other side) are up to date
        self.assertEqual(
            run.invoice_ids.timesheet_ids.sudo().filtered("psa_invoice_line_id"),
            billed,
        )

    def test_new_run_from_the_form_previews(self):
        run_form = Form(self.env["psa.billing.run"].with_user(self.user_billing))
        run_form.cutoff_date = self.cutoff
        run_form.invoice_date = self.invoice_date
        run_form.order_ids.add(self.order)
        run = run_form.save()
        run.action_preview()
        self.assertEqual(run.engagement_count, 1)
        self.assertEqual(run.held_line_count, 1)

    def test_unbilled_time_is_priced_for_wip(self):
        Line = self.env["account.analytic.line"]
        last_id = Line._psa_price_unbilled(limit=100000)
        self.assertTrue(last_id)
        self.assertEqual(self.ts_dana_1.sudo().psa_bill_rate, 115.0)
        self.assertEqual(self.ts_dana_1.sudo().psa_standard_amount, 920.0)
        self.assertEqual(self.ts_paul.sudo().psa_bill_rate, 172.5)
        self.assertEqual(self.ts_dana_3.sudo().psa_rate_line_id.price, 120.0)
        # no rate: stays unpriced, with its reason; drafts are not WIP
        self.assertFalse(self.ts_nora.sudo().psa_rate_line_id)
        self.assertTrue(self.ts_nora.sudo().psa_unpriced_reason)
        self.assertFalse(self.ts_draft.sudo().psa_rate_line_id)
        # the next batch starts after the last line priced
        self.assertEqual(Line._psa_price_unbilled(after_id=last_id), 0)

    def test_rate_line_of_the_preview_is_the_one_recorded(self):
        # Dana's own line until 10 October, at the Developer price: her time of
        # the 5th and of the 14th share a preview line priced by two card lines
        dana_line = self.env["psa.rate.card.line"].create(
            {
                "rate_card_id": self.card_uk.id,
                "employee_id": self.employee_dana.id,
                "price": 100.0,
                "date_to": date(2026, 10, 10),
            }
        )
        role_line = self.card_uk.line_ids.filtered(
            lambda line: line.role_id == self.role_dev and line.price == 100.0
        )
        run = self._run()
        run.action_preview()
        lines = self._preview_lines(run)
        dev_old = lines[("Developer", 115.0)]
        pm = lines[("Project Manager", 172.5)]
        self.assertEqual(dev_old.timesheet_ids, self.ts_dana_1 | self.ts_dana_2)
        self.assertFalse(dev_old.rate_line_id, "priced by two card lines")
        self.assertEqual(pm.rate_line_id.price, 150.0)
        self.assertFalse(lines["held"].rate_line_id)
        resolved = self._record_calls("_psa_resolve_rates")
        run.action_create_invoices()
        # the invoicing finds again only the rates of the line priced by two
        self.assertEqual(
            self.env["account.analytic.line"].union(*resolved),
            self.ts_dana_1 | self.ts_dana_2,
        )
        self.assertEqual(self.ts_dana_1.sudo().psa_rate_line_id, dana_line)
        self.assertEqual(self.ts_dana_2.sudo().psa_rate_line_id, role_line)
        self.assertEqual(self.ts_paul.sudo().psa_rate_line_id, pm.rate_line_id)

    def test_posting_does_not_recompute_billed_time(self):
        # Odoo recomputes the project of timesheets (and all that depends on
        # it) when their invoice's state changes; billed time keeps them
        order2, project2 = self._engagement(self.client)
        native_time = self._timesheets(
            project2, [(self.employee_dana, date(2026, 10, 6), 2.0)]
        )
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        native_invoice = order2._create_invoices()
        self.assertEqual(native_time.sudo().timesheet_invoice_id, native_invoice)
        billed = self.timesheets.sudo().filtered("psa_invoice_line_id") | native_time
        before = {
            ts: (ts.project_id, ts.task_id, ts.so_line, ts.billable_type)
            for ts in billed
        }
        self.env.flush_all()
        computed = self._record_calls("_compute_so_line")
        run.action_post()
        native_invoice.action_post()
        self.env.flush_all()
        self.assertEqual(run.invoice_ids.mapped("state"), ["posted"])
        self.assertEqual(native_invoice.state, "posted")
        self.assertFalse(
            self.env["account.analytic.line"].union(*computed) & billed,
            "billed time is not recomputed when its invoice is posted",
        )
        for timesheet in billed:
            self.assertEqual(
                (
                    timesheet.project_id,
                    timesheet.task_id,
                    timesheet.so_line,
                    timesheet.billable_type,
                ),
                before[timesheet],
            )
        # cancelling the invoice frees the time: Odoo recomputes it again
        native_invoice.button_draft()
        native_invoice.button_cancel()
        self.env.flush_all()
        self.assertIn(native_time, self.env["account.analytic.line"].union(*computed))
