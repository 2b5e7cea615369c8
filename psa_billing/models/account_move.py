from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    psa_billing_run_ids = fields.Many2many(
        "psa.billing.run",
        string="Billing Runs",
        compute="_compute_psa_billing_run_ids",
        groups="psa_base.group_psa_billing",
    )
    psa_timesheet_appendix = fields.Boolean(
        string="Timesheet Appendix",
        compute="_compute_psa_timesheet_appendix",
        store=True,
        readonly=False,
        help="Print the time billed by this invoice (date, person, role, task, "
        "hours, description) after the invoice lines.",
    )

    @api.depends("invoice_line_ids.psa_billing_run_line_id")
    def _compute_psa_billing_run_ids(self):
        for move in self:
            move.psa_billing_run_ids = (
                move.invoice_line_ids.psa_billing_run_line_id.run_id
            )

    @api.depends("line_ids.sale_line_ids.order_id.psa_timesheet_appendix")
    def _compute_psa_timesheet_appendix(self):
        for move in self:
            move.psa_timesheet_appendix = any(
                move.line_ids.sale_line_ids.order_id.mapped("psa_timesheet_appendix")
            )

    def _post(self, soft=True):
        # the time these invoices bill is billed as drafts and stays billed once
        # posted: its fields that only a change of billing can change are not
        # recomputed (Odoo would, on every timesheet of the invoices)
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        timesheets = self.env["account.analytic.line"].sudo()
        if invoices:
            # with the links posting makes Odoo read on them, in the same query
            timesheets = timesheets.search_fetch(
                [("timesheet_invoice_id", "in", invoices.ids)],
                timesheets._psa_invoice_trigger_links(),
            )
        with timesheets._psa_keeping_billed_time():
            posted = super()._post(soft=soft)
        # a credit note frees the time of the invoice it reverses
        credit_notes = posted.filtered(
            lambda move: move.move_type == "out_refund" and move.reversed_entry_id
        )
        if credit_notes:
            self.env["account.analytic.line"].sudo().search(
                [
                    (
                        "psa_invoice_line_id",
                        "in",
                        credit_notes.reversed_entry_id.invoice_line_ids.ids,
                    )
                ]
            )._psa_unbill()
            credit_notes.reversed_entry_id._psa_release_fees()
        return posted

    def button_cancel(self):
        not_cancelled = self.filtered(lambda move: move.state != "cancel")
        result = super().button_cancel()
        self._psa_timesheets_billed()._psa_unbill()
        not_cancelled._psa_release_fees()
        return result

    def _psa_release_fees(self):
        """The periods of recurring fees billed by these invoices are due
        again."""
        self.invoice_line_ids._psa_release_fees()

    def _psa_timesheets_billed(self):
        """Timesheets billed by these invoices (by a billing run)."""
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search([("psa_invoice_line_id", "in", self.invoice_line_ids.ids)])
        )

    def _psa_appendix_timesheets(self):
        """Timesheets printed in the invoice's appendix, by date."""
        self.ensure_one()
        return self._psa_timesheets_billed().sorted(
            lambda line: (line.date, line.employee_id.name or "", line.id)
        )

    def _psa_appendix_groups(self):
        """The appendix's timesheets grouped as their engagement groups its invoice
        lines (role, person, task, or order item): a list of (label,
        timesheets), by label."""
        self.ensure_one()
        timesheets = self._psa_appendix_timesheets()
        keys = {}
        for timesheet in timesheets:
            order = timesheet.order_id or timesheet.project_id.sale_order_id
            if order.psa_invoice_grouping == "rate":
                key = ("sale.order.line", timesheet.so_line.id)
            elif order:
                role_id, employee_id, task_id = order._psa_invoice_grouping_key(
                    timesheet
                )
                key = (
                    ("hr.employee", employee_id)
                    if employee_id
                    else ("project.task", task_id)
                    if task_id
                    else ("project.role", role_id)
                )
            else:
                role = timesheet.role_id or timesheet.employee_id.default_role_id
                key = ("project.role", role.id)
            keys.setdefault(key, []).append(timesheet.id)
        groups = []
        for (model, res_id), ids in keys.items():
            record = self.env[model].sudo().browse(res_id)
            if model == "sale.order.line":
                record = record.product_id
            label = record.name
            groups.append((label or self.env._("Other"), timesheets.browse(ids)))
        return sorted(groups, key=lambda group: group[0])
