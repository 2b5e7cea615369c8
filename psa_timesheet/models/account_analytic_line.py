from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, date_utils

PSA_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]

BILLABLE_TYPES = [("billable", "Billable"), ("non_billable", "Non-billable")]

NON_BILLABLE_REASONS = [
    ("internal", "Internal"),
    ("pre_sales", "Pre-sales"),
    ("warranty", "Warranty"),
    ("rework", "Rework"),
    ("training", "Training"),
]

MAX_HOURS_PER_DAY = 24.0
# how many offending records an error message lists before "..."
ERROR_LIST_LIMIT = 10


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    # not required: a NOT NULL column on this core table would break the inserts of
    # modules loaded before this one (e.g. their at_install tests); empty = draft
    psa_state = fields.Selection(
        PSA_STATES,
        string="Approval Status",
        default="draft",
        copy=False,
        index=True,
        readonly=True,
        help="Timesheet approval workflow. Submitted and approved lines can no "
        "longer be changed by their employee.",
    )
    psa_submitted_date = fields.Datetime(
        string="Submitted On", copy=False, readonly=True
    )
    psa_approved_by_id = fields.Many2one(
        "res.users",
        string="Approved By",
        copy=False,
        readonly=True,
        ondelete="set null",
    )
    psa_approved_date = fields.Datetime(string="Approved On", copy=False, readonly=True)
    psa_rejection_reason = fields.Text(
        string="Rejection Reason", copy=False, readonly=True
    )
    role_id = fields.Many2one(
        "project.role",
        compute="_compute_role_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        index="btree_not_null",
    )
    # not "Billable Type": sale_timesheet's timesheet_invoice_type has that label
    billable_type = fields.Selection(
        BILLABLE_TYPES,
        string="Billability",
        compute="_compute_billable_type",
        store=True,
        readonly=False,
    )
    non_billable_reason = fields.Selection(
        NON_BILLABLE_REASONS,
        compute="_compute_non_billable_reason",
        store=True,
        readonly=False,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("employee_id")
    def _compute_role_id(self):
        for line in self:
            line.role_id = (
                line.employee_id.default_role_id if line.project_id else False
            )

    # Odoo recomputes the project of timesheets at each change of their
    # invoice: the stored values that do not change are not assigned again
    # (cheaper, and no write of the same value at the flush)
    @api.depends("project_id")
    def _compute_billable_type(self):
        self.filtered("id").fetch(["billable_type"])
        for line in self:
            if not line.project_id:
                billable_type = False
            elif line.project_id.psa_is_non_billable:
                billable_type = "non_billable"
            else:
                billable_type = "billable"
            if not line.id or billable_type != line.billable_type:
                line.billable_type = billable_type

    @api.depends("billable_type", "project_id")
    def _compute_non_billable_reason(self):
        self.filtered("id").fetch(["non_billable_reason"])
        for line in self:
            if line.billable_type != "non_billable":
                reason = False
            else:
                reason = line.non_billable_reason or (
                    line.project_id.psa_non_billable_reason or "internal"
                )
            if not line.id or reason != line.non_billable_reason:
                line.non_billable_reason = reason

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("billable_type", "non_billable_reason")
    def _check_non_billable_reason(self):
        missing = self.filtered(
            lambda line: line.billable_type == "non_billable"
            and not line.non_billable_reason
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "A non-billable timesheet needs a reason (internal, pre-sales, "
                    "warranty, rework or training): %(lines)s",
                    lines=missing._psa_format_list(),
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.context.get("psa_timesheet_state_change"):
            if any(vals.get("psa_state", "draft") != "draft" for vals in vals_list):
                raise UserError(
                    self.env._(
                        "New timesheets start as drafts; use Submit and Approve to "
                        "change their status."
                    )
                )
        # the lines' lock date is checked below, once for the batch: not again
        # for each cost Odoo writes on them while they are created
        lines = (
            super(AccountAnalyticLine, self.with_context(psa_timesheet_creating=True))
            .create(vals_list)
            .with_env(self.env)
        )
        timesheets = lines.filtered("project_id")
        if timesheets:
            timesheets._psa_check_lock_date()
            if self._psa_enforce_entry_rules():
                timesheets._psa_check_entry_rules()
        return lines

    def write(self, vals):
        timesheets = self.filtered("project_id")
        if "project_id" in vals and vals["project_id"]:
            # a plain analytic line turned into a timesheet
            timesheets = self
        if timesheets:
            timesheets._psa_check_write(vals)
        result = super().write(vals)
        if (
            timesheets
            and self._psa_enforce_entry_rules()
            and set(vals) & self._psa_entry_rule_fields()
        ):
            timesheets._psa_check_entry_rules()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_psa_locked(self):
        timesheets = self.filtered("project_id")
        if not timesheets:
            return
        timesheets._psa_check_lock_date()
        if self.env.su:
            return
        locked = timesheets.filtered(
            lambda line: line.psa_state in ("submitted", "approved")
        )
        if locked:
            raise UserError(
                self.env._(
                    "You cannot delete submitted or approved timesheets: %(lines)s",
                    lines=locked._psa_format_list(),
                )
            )
        billed = timesheets._psa_get_billing_locked()
        if billed:
            raise UserError(
                self.env._(
                    "You cannot delete invoiced timesheets: %(lines)s",
                    lines=billed._psa_format_list(),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_psa_submit(self):
        """Submit draft or rejected timesheet lines for approval."""
        lines = self._psa_prepare_action()
        lines = lines.filtered(
            lambda line: line.psa_state in ("draft", "rejected", False)
        )
        if not lines:
            raise UserError(
                self.env._("There is no draft or rejected timesheet to submit.")
            )
        not_mine = lines.filtered(lambda line: line.user_id != self.env.user)
        if not_mine:
            not_mine._psa_check_can_approve(action=self.env._("submit"))
        lines._psa_check_hours_positive()
        if not self.env.su:
            lines._psa_check_entry_rules(at_submission=True)
        lines._psa_set_state(
            "submitted",
            {
                "psa_submitted_date": fields.Datetime.now(),
                "psa_rejection_reason": False,
            },
        )
        return True

    def action_psa_approve(self):
        """Approve submitted timesheet lines (bounded number of queries)."""
        lines = self._psa_prepare_action()
        lines._psa_check_states(("submitted",), self.env._("approve"))
        lines._psa_check_can_approve(action=self.env._("approve"))
        lines._psa_check_hours_positive()
        lines._psa_set_state(
            "approved",
            {
                "psa_approved_by_id": self.env.uid,
                "psa_approved_date": fields.Datetime.now(),
                "psa_rejection_reason": False,
            },
        )
        lines._psa_log_state_change(self.env._("Timesheets approved"))
        return True

    def action_psa_reject(self, reason):
        """Reject submitted timesheet lines with a reason; the employee corrects them
        and submits them again."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Please give a reason for the rejection."))
        lines = self._psa_prepare_action()
        lines._psa_check_states(("submitted",), self.env._("reject"))
        lines._psa_check_can_approve(action=self.env._("reject"))
        lines._psa_set_state(
            "rejected",
            {
                "psa_rejection_reason": reason,
                "psa_approved_by_id": False,
                "psa_approved_date": False,
            },
        )
        lines._psa_log_state_change(self.env._("Timesheets rejected"), reason=reason)
        return True

    def action_psa_reset_to_draft(self, reason=None):
        """Put lines back to draft.

        Submitted or rejected lines: by their employee (recall) or an approver.
        Approved lines: only by a PSA manager, with a reason logged in the chatter.
        """
        lines = self._psa_prepare_action()
        lines = lines.filtered(lambda line: line.psa_state not in ("draft", False))
        if not lines:
            return True
        approved = lines.filtered(lambda line: line.psa_state == "approved")
        reason = (reason or "").strip()
        billed = approved._psa_get_billing_locked()
        if billed:
            raise UserError(
                self.env._(
                    "Invoiced timesheets cannot be reset (correct them with a credit "
                    "note and a new line): %(lines)s",
                    lines=billed._psa_format_list(),
                )
            )
        if approved:
            if not self.env.user.has_group("psa_base.group_psa_manager"):
                raise AccessError(
                    self.env._(
                        "Only a PSA manager can reset approved timesheets: %(lines)s",
                        lines=approved._psa_format_list(),
                    )
                )
            if not reason:
                raise UserError(
                    self.env._("Please give a reason to reset approved timesheets.")
                )
        others = (lines - approved).filtered(lambda line: line.user_id != self.env.user)
        if others:
            others._psa_check_can_approve(action=self.env._("reset"))
        lines._psa_set_state(
            "draft",
            {
                "psa_approved_by_id": False,
                "psa_approved_date": False,
                "psa_submitted_date": False,
            },
        )
        if approved:
            approved._psa_log_state_change(
                self.env._("Approved timesheets reset to draft"), reason=reason
            )
        return True

    def action_psa_open_submit_week_wizard(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "psa_timesheet.psa_timesheet_submit_week_wizard_action"
        )

    def action_psa_open_reject_wizard(self):
        return self._psa_open_reason_wizard("reject")

    def action_psa_open_reset_wizard(self):
        if all(line.psa_state != "approved" for line in self):
            return self.action_psa_reset_to_draft()
        return self._psa_open_reason_wizard("reset")

    def _psa_open_reason_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Timesheets")
            if mode == "reject"
            else self.env._("Reset Timesheets"),
            "res_model": "psa.timesheet.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_mode": mode,
                "default_line_ids": self.ids,
            },
        }

    # ------------------------------------------------------------
    # EXTENSION POINTS
    # ------------------------------------------------------------

    @api.model
    def _psa_protected_fields(self):
        """Fields that may not change on submitted or approved timesheets."""
        return {
            "unit_amount",
            "date",
            "project_id",
            "task_id",
            "employee_id",
            "user_id",
            "role_id",
            "billable_type",
            "non_billable_reason",
            "name",
            "account_id",
            "company_id",
        }

    @api.model
    def _psa_lock_free_fields(self):
        """Fields that may still be written on lines dated on or before the company
        lock date (e.g. links written by billing). Extended by other modules."""
        if self.env.context.get("psa_timesheet_creating"):
            # the cost hr_timesheet writes line by line on the lines being created
            # (their lock date is checked by create, for the whole batch)
            return {"amount"}
        if self.env.context.get("psa_timesheet_state_change"):
            # workflow writes: the lock date was checked by the action itself
            return {
                "psa_state",
                "psa_submitted_date",
                "psa_approved_by_id",
                "psa_approved_date",
                "psa_rejection_reason",
            }
        return set()

    @api.model
    def _psa_enforce_entry_rules(self):
        """Whether the entry rules apply as lines are created or changed.

        They do for time entered in the Services screens (context key
        ``psa_timesheet_entry``, set by their actions). Lines written anywhere else
        (Odoo's own Timesheets app, imports, other modules' flows such as negative
        correction lines) stay drafts until they comply: the same rules are checked
        again, for every line, at submission; submitted lines are read-only until
        approved, so no approved (billable) line breaks them. Code running as
        superuser is trusted.
        """
        return not self.env.su and bool(self.env.context.get("psa_timesheet_entry"))

    @api.model
    def _psa_entry_rule_fields(self):
        """Fields whose change triggers the entry rules (hours, day total, date ahead,
        open project)."""
        return {"unit_amount", "date", "project_id", "task_id", "employee_id"}

    def _psa_get_billing_locked(self):
        """Return the lines of ``self`` that are locked because they were invoiced.

        Invoiced lines are read-only for everyone (correction = credit note + new
        line). Nothing is invoiced by this module: billing modules (psa_billing)
        extend this method; it must stay batch-safe (no query per line).
        """
        return self.browse()

    def _is_readonly(self):
        return (
            super()._is_readonly()
            or bool(self.project_id and self.psa_state in ("submitted", "approved"))
            or bool(self._psa_get_billing_locked())
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_format_list(self, limit=ERROR_LIST_LIMIT):
        names = [
            "%s %s (%s, %.2fh)"
            % (
                line.date,
                line.employee_id.name or "",
                line.project_id.name or "",
                line.unit_amount,
            )
            for line in self[:limit]
        ]
        if len(self) > limit:
            names.append("...")
        return "\n" + "\n".join(names)

    def _psa_prepare_action(self):
        """Return the timesheet lines of ``self``, after checking the current user
        may read them all (multi-company and record rules)."""
        lines = self.filtered("project_id")
        if not lines:
            raise UserError(
                self.env._("There is no timesheet (line with a project) to process.")
            )
        lines.check_access("read")
        return lines

    def _psa_check_states(self, states, action):
        wrong = self.filtered(lambda line: line.psa_state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "You can only %(action)s submitted timesheets. These lines are "
                    "not submitted: %(lines)s",
                    action=action,
                    lines=wrong._psa_format_list(),
                )
            )

    def _psa_check_hours_positive(self):
        wrong = self.filtered(lambda line: line.unit_amount <= 0)
        if wrong:
            raise ValidationError(
                self.env._(
                    "The time spent must be greater than zero: %(lines)s",
                    lines=wrong._psa_format_list(),
                )
            )

    def _psa_check_can_approve(self, action):
        """Raise an AccessError naming the employees whose lines the current user may
        not approve. Batch-safe: one grouped query whatever the number of lines."""
        user = self.env.user
        if self.env.su:
            return
        is_manager = user.has_group("psa_base.group_psa_manager")
        if is_manager:
            return
        groups = self.sudo()._read_group(
            Domain("id", "in", self.ids),
            ["employee_id", "project_id"],
            ["__count"],
        )
        employees = (
            self.env["hr.employee"].sudo().browse({emp.id for emp, _p, _c in groups})
        )
        employees.fetch(["user_id", "psa_timesheet_approver_id"])
        denied = defaultdict(int)
        for employee, project, count in groups:
            project = project.sudo()
            if employee.user_id == user:
                denied[employee] += count
            elif project.user_id != user and employee.psa_timesheet_approver_id != user:
                denied[employee] += count
        if denied:
            raise AccessError(
                self.env._(
                    "You are not allowed to %(action)s the timesheets of: "
                    "%(employees)s. Only their timesheet approver, the project manager "
                    "or a PSA manager can; nobody but a PSA manager approves their "
                    "own time.",
                    action=action,
                    employees=", ".join(
                        "%s (%s)" % (employee.name, count)
                        for employee, count in denied.items()
                    ),
                )
            )

    def _psa_set_state(self, state, extra_vals):
        """Write the new state of the whole batch in one UPDATE.

        Access was checked by the caller (approvers may not write the lines of
        other employees through the ORM). The ORM would issue one UPDATE per 100
        rows; a single statement keeps approving 10,000 lines at a constant number
        of queries. Modules reacting to state changes override this method (not
        ``write``), and the cache and dependent stored fields are updated through
        ``invalidate_recordset`` / ``modified``.
        """
        if not self:
            return
        self._psa_check_lock_date()
        vals = dict(extra_vals, psa_state=state)
        self.flush_recordset()
        assignments = [
            SQL("%s = %s", SQL.identifier(fname), vals[fname] or None)
            for fname in sorted(vals)
        ]
        assignments += [
            SQL("write_uid = %s", self.env.uid),
            SQL("write_date = %s", self.env.cr.now()),
        ]
        self.env.execute_query(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                SQL.identifier(self._table),
                SQL(", ").join(assignments),
                self.ids,
            )
        )
        self.invalidate_recordset([*vals, "write_uid", "write_date"])
        self.modified(list(vals))

    def _psa_log_state_change(self, title, reason=None):
        """Log one chatter note per project (not per line) with the employees and
        hours concerned."""
        groups = self.sudo()._read_group(
            Domain("id", "in", self.ids),
            ["project_id", "employee_id"],
            ["unit_amount:sum", "__count"],
        )
        by_project = defaultdict(list)
        for project, employee, hours, count in groups:
            by_project[project.id].append((employee.name or "", hours, count))
        bodies = {}
        for project_id, rows in by_project.items():
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(employee)s: %(hours)s h (%(count)s lines)",
                    employee=name,
                    hours=round(hours, 2),
                    count=count,
                )
                for name, hours, count in sorted(rows)
            )
            body = Markup("<p><b>%s</b></p><ul>%s</ul>") % (title, items)
            if reason:
                body += Markup("<p>%s</p>") % self.env._(
                    "Reason: %(reason)s", reason=reason
                )
            bodies[project_id] = body
        if bodies:
            self.env["project.project"].browse(list(bodies))._message_log_batch(
                bodies, author_id=self.env.user.partner_id.id
            )

    def _psa_check_lock_date(self):
        """No timesheet on or before its company's lock date (one grouped query)."""
        if not self:
            return
        groups = self.sudo()._read_group(
            Domain("id", "in", self.ids),
            ["company_id"],
            ["date:min"],
        )
        for company, min_date in groups:
            lock_date = company.psa_timesheet_lock_date
            if lock_date and min_date and min_date <= lock_date:
                raise UserError(
                    self.env._(
                        "Timesheets of %(company)s are locked up to %(date)s included: "
                        "they cannot be created, changed or deleted.",
                        company=company.name,
                        date=lock_date,
                    )
                )

    def _psa_check_write(self, vals):
        """Checks before a write on timesheet lines (batch-safe)."""
        if "psa_state" in vals and not self.env.context.get(
            "psa_timesheet_state_change"
        ):
            if not self.env.su:
                raise UserError(
                    self.env._(
                        "Use the Submit, Approve, Reject and Reset buttons to change "
                        "the approval status of timesheets."
                    )
                )
        fields_written = set(vals)
        if not fields_written <= self._psa_lock_free_fields():
            self._psa_check_lock_date()
            if vals.get("date"):
                self._psa_check_new_date_lock(vals["date"])
        if self.env.su:
            return
        protected = fields_written & self._psa_protected_fields()
        if not protected:
            return
        locked = self.filtered(lambda line: line.psa_state in ("submitted", "approved"))
        if locked:
            raise UserError(
                self.env._(
                    "Submitted and approved timesheets are read-only; ask your "
                    "approver to reject them or a PSA manager to reset them first: "
                    "%(lines)s",
                    lines=locked._psa_format_list(),
                )
            )
        billed = self._psa_get_billing_locked()
        if billed:
            raise UserError(
                self.env._(
                    "Invoiced timesheets are read-only (correct them with a credit "
                    "note and a new line): %(lines)s",
                    lines=billed._psa_format_list(),
                )
            )

    def _psa_check_new_date_lock(self, new_date):
        new_date = fields.Date.to_date(new_date)
        for company in self.company_id:
            lock_date = company.psa_timesheet_lock_date
            if lock_date and new_date <= lock_date:
                raise UserError(
                    self.env._(
                        "Timesheets of %(company)s are locked up to %(date)s included: "
                        "they cannot be created, changed or deleted.",
                        company=company.name,
                        date=lock_date,
                    )
                )

    def _psa_check_entry_rules(self, at_submission=False):
        """Rules on what users enter: no negative hours, no date too far ahead, no
        time on template, archived or closed projects, at most 24 h per employee
        and day. Zero hours are allowed on drafts (timers, placeholders) and
        refused at submission. At submission, time logged before its project was
        archived or closed may still be submitted (templates never)."""
        negative = self.filtered(lambda line: line.unit_amount < 0)
        if negative:
            raise ValidationError(
                self.env._(
                    "The time spent cannot be negative: %(lines)s",
                    lines=negative._psa_format_list(),
                )
            )
        not_draft_zero = self.filtered(
            lambda line: line.unit_amount <= 0
            and line.psa_state not in ("draft", False)
        )
        if not_draft_zero:
            not_draft_zero._psa_check_hours_positive()
        today = fields.Date.context_today(self)
        for company, lines in self.grouped("company_id").items():
            limit = today + timedelta(days=company.psa_timesheet_days_ahead)
            too_late = lines.filtered(lambda line, limit=limit: line.date > limit)
            if too_late:
                raise ValidationError(
                    self.env._(
                        "You cannot log time more than %(days)s days ahead (after "
                        "%(limit)s): %(lines)s",
                        days=company.psa_timesheet_days_ahead,
                        limit=limit,
                        lines=too_late._psa_format_list(),
                    )
                )
        projects = self.project_id.sudo().with_context(active_test=False)
        closed = projects.filtered(
            lambda project: project.is_template
            or (not at_submission and (not project.active or project.stage_id.fold))
        )
        if closed:
            raise ValidationError(
                self.env._(
                    "You cannot log time on template, archived or closed projects: "
                    "%(projects)s",
                    projects=", ".join(closed.mapped("name")),
                )
            )
        self._psa_check_daily_total()

    def _psa_check_daily_total(self):
        employees = self.employee_id
        dates = set(self.mapped("date"))
        if not employees or not dates:
            return
        pairs = {(line.employee_id.id, line.date) for line in self}
        groups = self.sudo()._read_group(
            Domain("project_id", "!=", False)
            & Domain("employee_id", "in", employees.ids)
            & Domain("date", "in", list(dates)),
            ["employee_id", "date:day"],
            ["unit_amount:sum"],
            having=[("unit_amount:sum", ">", MAX_HOURS_PER_DAY)],
        )
        over = [
            (employee, day, hours)
            for employee, day, hours in groups
            if (employee.id, fields.Date.to_date(day)) in pairs
        ]
        if over:
            raise ValidationError(
                self.env._(
                    "An employee cannot log more than %(max)s hours per day: %(days)s",
                    max=int(MAX_HOURS_PER_DAY),
                    days=", ".join(
                        "%s %s (%.2fh)"
                        % (employee.name, fields.Date.to_date(day), hours)
                        for employee, day, hours in over
                    ),
                )
            )

    @api.model
    def _psa_week_bounds(self, day):
        """Monday and Sunday of the (ISO) week of ``day``."""
        day = fields.Date.to_date(day)
        return date_utils.start_of(day, "week"), date_utils.end_of(day, "week")
