from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class PsaTimesheetSubmitWeekWizard(models.TransientModel):
    _name = "psa.timesheet.submit.week.wizard"
    _description = "Submit a Week of Timesheets"

    def _default_employee_id(self):
        return self.env.user.employee_id

    week_date = fields.Date(
        string="Week of",
        required=True,
        default=fields.Date.context_today,
        help="Any day of the week to submit (weeks run from Monday to Sunday).",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        default=lambda self: self._default_employee_id(),
        domain="[('company_id', 'in', allowed_company_ids)]",
    )
    date_from = fields.Date(compute="_compute_week")
    date_to = fields.Date(compute="_compute_week")
    line_ids = fields.Many2many(
        "account.analytic.line", string="Timesheets to Submit", compute="_compute_week"
    )
    hours_to_submit = fields.Float(compute="_compute_week")
    logged_hours = fields.Float(compute="_compute_week")
    expected_hours = fields.Float(compute="_compute_week")
    warning = fields.Text(compute="_compute_week")

    @api.depends("week_date", "employee_id")
    def _compute_week(self):
        Line = self.env["account.analytic.line"]
        for wizard in self:
            if not wizard.week_date or not wizard.employee_id:
                wizard.update(
                    {
                        "date_from": False,
                        "date_to": False,
                        "line_ids": False,
                        "hours_to_submit": 0.0,
                        "logged_hours": 0.0,
                        "expected_hours": 0.0,
                        "warning": False,
                    }
                )
                continue
            date_from, date_to = Line._psa_week_bounds(wizard.week_date)
            employee = wizard.employee_id
            lines = Line.search(wizard._get_lines_domain(date_from, date_to))
            expected = employee.sudo()._psa_get_expected_hours_by_day(
                date_from, date_to
            )[employee.id]
            logged = employee.sudo()._psa_get_logged_hours_by_day(date_from, date_to)[
                employee.id
            ]
            short_days = []
            day = date_from
            while day <= date_to:
                if round(logged.get(day, 0.0), 2) < round(expected.get(day, 0.0), 2):
                    short_days.append(
                        self.env._(
                            "%(day)s: %(logged)s h logged of %(expected)s h expected",
                            day=day,
                            logged=round(logged.get(day, 0.0), 2),
                            expected=round(expected.get(day, 0.0), 2),
                        )
                    )
                day += timedelta(days=1)
            wizard.update(
                {
                    "date_from": date_from,
                    "date_to": date_to,
                    "line_ids": lines,
                    "hours_to_submit": sum(lines.mapped("unit_amount")),
                    "logged_hours": sum(logged.values()),
                    "expected_hours": sum(expected.values()),
                    "warning": "\n".join(short_days) or False,
                }
            )

    def _get_lines_domain(self, date_from, date_to):
        self.ensure_one()
        return Domain(self.env["hr.employee"]._psa_logged_work_domain()) & Domain(
            [
                ("employee_id", "=", self.employee_id.id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("psa_state", "in", ("draft", "rejected", False)),
            ]
        )

    def action_submit(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "There is no draft or rejected timesheet of %(employee)s to submit "
                    "between %(date_from)s and %(date_to)s.",
                    employee=self.employee_id.name,
                    date_from=self.date_from,
                    date_to=self.date_to,
                )
            )
        self.line_ids.action_psa_submit()
        return {"type": "ir.actions.act_window_close"}
