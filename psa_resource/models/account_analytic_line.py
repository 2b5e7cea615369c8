from odoo import models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    # The utilization report sums the logged work of each employee per day
    # (psa.utilization.report, _psa_logged_work_condition): this index holds
    # that work in the order of the sums, with the columns they read, so that
    # PostgreSQL reads it alone (an index-only scan, a sorted aggregate) instead
    # of the whole timesheets table (docs/BENCHMARKS.md, measurement 4).
    _psa_logged_work_idx = models.Index(
        "(employee_id, date) INCLUDE (unit_amount, billable_type, psa_state, task_id)"
        " WHERE project_id IS NOT NULL AND employee_id IS NOT NULL"
        " AND holiday_id IS NULL AND global_leave_id IS NULL"
    )
