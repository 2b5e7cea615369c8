from datetime import date

from lxml import html

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import PsaBillingRunCommon


@tagged("post_install", "-at_install")
class TestPsaInvoiceAppendix(PsaBillingRunCommon):
    """The time billed by an invoice printed after its lines: Dana (Developer)
    8 + 4 + 6 h, Paul (Project Manager) 2 h; Nora's time has no rate and is not
    billed."""

    def _invoice(self, grouping="role"):
        self.order.psa_invoice_grouping = grouping
        run = self._run()
        run.action_preview()
        run.action_create_invoices()
        return run.invoice_ids

    def _render(self, invoice, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        content, _report_type = Report._render_qweb_html(
            "account.report_invoice", invoice.ids
        )
        return html.fromstring(content)

    def _appendix(self, invoice, user=None):
        return self._render(invoice, user=user).xpath(
            "//div[@id='psa_timesheet_appendix']"
        )

    def _texts(self, node, css_class):
        return [
            " ".join(row.text_content().split())
            for row in node.xpath(f".//tr[contains(@class, '{css_class}')]")
        ]

    def test_appendix_by_role(self):
        invoice = self._invoice()
        self.assertTrue(invoice.psa_timesheet_appendix, "the engagement's default")
        [appendix] = self._appendix(invoice)
        self.assertIn("Timesheet appendix", appendix.text_content())
        self.assertEqual(
            self._texts(appendix, "psa_appendix_group"),
            ["Developer 18.00", "Project Manager 2.00"],
        )
        lines = self._texts(appendix, "psa_appendix_line")
        self.assertEqual(len(lines), 4)
        self.assertIn("Dana Developer Developer 8.00 Work of Dana Developer", lines[0])
        self.assertIn("Paul Planner Project Manager 2.00", lines[3])
        self.assertNotIn("Nora", appendix.text_content())
        [total] = appendix.xpath(".//span[@id='psa_appendix_total_hours']")
        self.assertEqual(total.text_content().strip(), "20.00")
        # an accountant who may not read timesheets prints it too
        invoicing_user = new_test_user(
            self.env,
            login="psa_appendix_invoicing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        [appendix] = self._appendix(invoice, user=invoicing_user)
        self.assertEqual(len(self._texts(appendix, "psa_appendix_line")), 4)

    def test_appendix_by_employee_and_task(self):
        task = self.env["project.task"].create(
            {"name": "Design", "project_id": self.project.id}
        )
        self._timesheets(
            self.project,
            [(self.employee_paul, date(2026, 10, 2), 1.0)],
            task_id=task.id,
        )
        invoice = self._invoice("employee")
        [appendix] = self._appendix(invoice)
        self.assertEqual(
            self._texts(appendix, "psa_appendix_group"),
            ["Dana Developer 18.00", "Paul Planner 3.00"],
        )
        lines = self._texts(appendix, "psa_appendix_line")
        self.assertIn("10/02/2026 Paul Planner Project Manager Design 1.00", lines[3])
        # the same invoice printed by task
        self.order.psa_invoice_grouping = "task"
        [appendix] = self._appendix(invoice)
        self.assertEqual(
            self._texts(appendix, "psa_appendix_group"),
            ["Design 1.00", "Other 20.00"],
        )

    def test_grouping_by_order_item_and_rate(self):
        invoice = self._invoice(grouping="rate")
        run_lines = invoice.invoice_line_ids.psa_billing_run_line_id
        # one line per rate of the order item, named after its product
        self.assertEqual(sorted(run_lines.mapped("rate")), [115.0, 138.0, 172.5])
        self.assertFalse(run_lines.role_id)
        self.assertFalse(run_lines.employee_id)
        self.assertFalse(run_lines.task_id)
        for line in run_lines:
            self.assertTrue(line.invoice_line_id.name.startswith("Consulting Hours: "))
        [appendix] = self._appendix(invoice)
        self.assertEqual(
            self._texts(appendix, "psa_appendix_group"), ["Consulting Hours 20.00"]
        )

    def test_no_appendix(self):
        invoice = self._invoice()
        invoice.psa_timesheet_appendix = False
        self.assertFalse(self._appendix(invoice))
        self.assertNotIn("Timesheet appendix", self._render(invoice).text_content())
        # an invoice that bills no time has none either
        other = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.client.id,
                "invoice_line_ids": [
                    Command.create({"name": "Fee", "quantity": 1, "price_unit": 10.0})
                ],
            }
        )
        other.psa_timesheet_appendix = True
        self.assertFalse(self._appendix(other))
