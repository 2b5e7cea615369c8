from odoo import fields, models


class PsaTimesheetReasonWizard(models.TransientModel):
    _name = "psa.timesheet.reason.wizard"
    _description = "Reject or Reset Timesheets with a Reason"

    mode = fields.Selection(
        [("reject", "Reject"), ("reset", "Reset to Draft")],
        required=True,
        default="reject",
    )
    line_ids = fields.Many2many("account.analytic.line", string="Timesheets")
    line_count = fields.Integer(compute="_compute_line_count")
    reason = fields.Text(required=True)

    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "reject":
            self.line_ids.action_psa_reject(self.reason)
        else:
            self.line_ids.action_psa_reset_to_draft(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
