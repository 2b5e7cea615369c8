import logging
import re
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.constants import PREFETCH_MAX

from odoo.addons.psa_billing.models.psa_billing_run import INVOICE_BATCH

from .common import PsaBillingRunCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPsaBillingRunPerformance(PsaBillingRunCommon):
    """A billing run costs a fixed number of queries for its preview per batch
    of engagements, and a fixed number per invoice created: nothing grows with
    the number of timesheet lines."""

    def _engagements(self, count, timesheets_per_engagement):
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.client.id,
                    "pricelist_id": self.pricelist_eur.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.service.id, "product_uom_qty": 10.0}
                        )
                    ],
                }
                for _index in range(count)
            ]
        )
        orders.action_confirm()
        projects = self.env["project.project"].create(
            [
                {
                    "name": f"Perf {order.name}",
                    "allow_timesheets": True,
                    "allow_billable": True,
                    "partner_id": self.client.id,
                    "sale_line_id": order.order_line.id,
                }
                for order in orders
            ]
        )
        employees = [self.employee_dana, self.employee_paul]
        vals_list = [
            {
                "name": "Work",
                "project_id": project.id,
                "employee_id": employees[index % 2].id,
                "date": date(2026, 10, 1) + timedelta(days=index % 28),
                "unit_amount": 1.0 + (index % 4) * 0.25,
            }
            for project in projects
            for index in range(timesheets_per_engagement)
        ]
        self.env["account.analytic.line"].create(vals_list)._psa_set_state(
            "approved", {}
        )
        return orders

    def _count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _measure(self, engagements, timesheets_per_engagement):
        orders = self._engagements(engagements, timesheets_per_engagement)
        run = self._run(orders=orders)
        preview = self._count_queries(run.action_preview)
        # two roles with one rate each: two preview lines per engagement
        self.assertEqual(len(run.line_ids), 2 * engagements)
        invoicing = self._count_queries(run.action_create_invoices)
        self.assertEqual(len(run.invoice_ids), engagements)
        self.assertFalse(run.line_ids.filtered("error"))
        # leave the next measure a clean slate
        run.invoice_ids.button_cancel()
        return preview, invoicing

    def test_queries_grow_with_invoices_not_timesheets(self):
        # warm-up: sequences, rates and caches filled by a first run
        self._measure(2, 2)
        preview_50, invoicing_50 = self._measure(50, 4)
        preview_200, invoicing_200 = self._measure(200, 4)
        preview_50_dense, invoicing_50_dense = self._measure(50, 16)
        _logger.info(
            "billing run queries: preview %s/%s/%s, invoicing %s/%s/%s "
            "(50, 200, 50 dense engagements)",
            preview_50,
            preview_200,
            preview_50_dense,
            invoicing_50,
            invoicing_200,
            invoicing_50_dense,
        )
        # timesheets cost nothing: 4 times more per engagement, same queries
        self.assertEqual(preview_50, preview_50_dense)
        self.assertEqual(invoicing_50, invoicing_50_dense)
        # engagements: a fixed number of queries per batch of INVOICE_BATCH
        # engagements for the preview (4 batches of 50 instead of 1), a fixed
        # number per invoice for the invoicing (the ORM inserts and updates
        # rows 100 at a time: a few queries of tolerance)
        batches = -(-200 // INVOICE_BATCH) / -(-50 // INVOICE_BATCH)
        self.assertLessEqual(preview_200, batches * preview_50 + 2 * 3)
        self.assertLessEqual(invoicing_200 / 200, invoicing_50 / 50 + 1)

    def test_billed_time_links_read_with_the_time(self):
        # billing and posting time make Odoo find what to recompute through the
        # time's order item, task and project (delivered hours, task hours...):
        # those are read with the rest of the time, not one query per field
        # once the rows were rewritten (a look-up per row that grew with the
        # firm: 40 s at scale 4 in the benchmark). Odoo reads a missing field
        # alone on more than PREFETCH_MAX records: time enough for that.
        run = self._run(orders=self._engagements(2, PREFETCH_MAX // 2 + 10))
        run.action_preview()
        self.env.flush_all()
        self.env.invalidate_all()
        statements = []
        execute = Cursor.execute

        def recording(cr, query, params=None, log_exceptions=True):
            statements.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", recording):
            run.action_create_invoices()
            # posting is another request: nothing of the time left in the cache
            self.env.flush_all()
            self.env.invalidate_all()
            run.action_post()
            self.env.flush_all()
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"posted"})
        links = self.env["account.analytic.line"]._psa_invoice_trigger_links()
        self.assertTrue({"so_line", "task_id", "project_id"} <= set(links))
        read_alone = re.compile(
            r'SELECT "account_analytic_line"\."id", '
            r'"account_analytic_line"\."(\w+)" FROM "account_analytic_line" '
            r'WHERE "account_analytic_line"\."id" IN'
        )
        alone = [
            match[1]
            for match in map(read_alone.match, statements)
            if match and match[1] in links
        ]
        self.assertFalse(alone, "links of the billed time read one by one")

    def test_batches_planned_for_the_tables_as_they_grow(self):
        # PostgreSQL plans the check of a foreign key once per connection and
        # keeps the plan: planned while the referenced table was small (the
        # invoices of a firm's first run, after its first batch), it is a
        # sequential scan, which reads the whole table for each row checked
        # once the table has grown, a cost growing as the square of the run
        # (the timesheets linked to their invoices, batch after batch). Between
        # batches the run has its statements planned for the tables as they are.
        cr = self.env.cr
        cr.execute(
            """
            CREATE TEMPORARY TABLE psa_test_invoice (id serial PRIMARY KEY, ref text);
            CREATE TEMPORARY TABLE psa_test_time (
                id serial PRIMARY KEY,
                invoice_id int REFERENCES psa_test_invoice (id)
            );
            INSERT INTO psa_test_invoice (ref)
                SELECT repeat('x', 200) FROM generate_series(1, 20);
            ANALYZE psa_test_invoice;
            -- a first batch, its foreign key checked on the small table
            INSERT INTO psa_test_time (invoice_id)
                SELECT 1 + n % 20 FROM generate_series(1, 20) n;
            -- the table grows before the next batch
            INSERT INTO psa_test_invoice (ref)
                SELECT repeat('x', 200) FROM generate_series(1, 20000);
            """
        )

        def invoice_scans():
            cr.execute(
                "SELECT seq_scan, idx_scan FROM pg_stat_xact_all_tables "
                "WHERE relid = 'psa_test_invoice'::regclass"
            )
            return cr.fetchone()

        self.assertGreaterEqual(invoice_scans()[0], 20, "the first batch's plan")
        self.env["psa.billing.run"]._psa_free_batch_cache()
        seq_before, index_before = invoice_scans()
        cr.execute(
            "INSERT INTO psa_test_time (invoice_id) "
            "SELECT 1 + n % 20000 FROM generate_series(1, 200) n"
        )
        seq_after, index_after = invoice_scans()
        self.assertEqual(
            seq_after - seq_before,
            0,
            "the next batch checked its foreign key with a sequential scan "
            "planned when the table was small",
        )
        self.assertEqual(index_after - index_before, 200)
