from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

HEALTH_SELECTION = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
]
HEALTH_COLORS = {"on_track": 10, "at_risk": 2, "off_track": 1}
TREND_WEEKS = 4


def _working_days(start, end, weekdays):
    """Number of days in [start, end] (inclusive) whose weekday is in ``weekdays``."""
    if not start or not end or end < start:
        return 0
    total_days = (end - start).days + 1
    full_weeks, remainder = divmod(total_days, 7)
    count = full_weeks * len(weekdays)
    first = start.weekday()
    count += sum(1 for i in range(remainder) if (first + i) % 7 in weekdays)
    return count


class ProjectProject(models.Model):
    _inherit = "project.project"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    psa_budget_line_ids = fields.One2many(
        "psa.project.budget.line",
        "project_id",
        string="Budget Lines",
        copy=True,
    )
    psa_budget_hours = fields.Float(
        string="Budgeted Hours",
        compute="_compute_psa_budget_totals",
        store=True,
    )
    psa_budget_amount = fields.Monetary(
        string="Budgeted Revenue",
        compute="_compute_psa_budget_totals",
        store=True,
        currency_field="currency_id",
    )
    psa_budget_cost = fields.Monetary(
        string="Budgeted Cost",
        compute="_compute_psa_budget_totals",
        store=True,
        currency_field="currency_id",
    )
    psa_budget_report_ids = fields.One2many(
        "psa.project.budget.report",
        "project_id",
        string="Budget vs Actual",
        readonly=True,
    )
    # Health and risk are stored so that lists and kanbans can be coloured, searched
    # and grouped; they are refreshed in batch by the weekly cron and on demand.
    psa_health = fields.Selection(
        HEALTH_SELECTION,
        string="Health",
        copy=False,
        readonly=True,
        index=True,
    )
    psa_risk_score = fields.Integer(
        string="Risk Score",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="0 (no risk) to 100 (overrun almost certain).",
    )
    psa_risk_reasons = fields.Text(
        string="Risk Reasons",
        copy=False,
        readonly=True,
    )
    psa_health_date = fields.Date(
        string="Health Computed On",
        copy=False,
        readonly=True,
    )
    psa_health_color = fields.Integer(compute="_compute_psa_health_color")
    psa_can_edit_budget = fields.Boolean(compute="_compute_psa_can_edit_budget")
    # Live earned value figures (as of today), computed in batch
    psa_progress = fields.Float(
        string="Progress (EVM)", compute="_compute_psa_evm", digits=(16, 4)
    )
    psa_evm_bac = fields.Monetary(
        string="Budget at Completion (BAC)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_pv = fields.Monetary(
        string="Planned Value (PV)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_ev = fields.Monetary(
        string="Earned Value (EV)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_ac = fields.Monetary(
        string="Actual Cost (AC)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_eac = fields.Monetary(
        string="Estimate at Completion (EAC)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_etc = fields.Monetary(
        string="Estimate to Complete (ETC)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_vac = fields.Monetary(
        string="Variance at Completion (VAC)",
        compute="_compute_psa_evm",
        currency_field="currency_id",
    )
    psa_evm_cpi = fields.Float(
        string="Cost Performance Index (CPI)",
        compute="_compute_psa_evm",
        digits=(16, 2),
    )
    psa_evm_spi = fields.Float(
        string="Schedule Performance Index (SPI)",
        compute="_compute_psa_evm",
        digits=(16, 2),
    )
    psa_actual_hours = fields.Float(string="Actual Hours", compute="_compute_psa_evm")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "psa_budget_line_ids.hours",
        "psa_budget_line_ids.amount",
        "psa_budget_line_ids.cost",
    )
    def _compute_psa_budget_totals(self):
        for project in self:
            lines = project.psa_budget_line_ids
            project.psa_budget_hours = sum(lines.mapped("hours"))
            project.psa_budget_amount = sum(lines.mapped("amount"))
            project.psa_budget_cost = sum(lines.mapped("cost"))

    @api.depends_context("uid")
    def _compute_psa_can_edit_budget(self):
        can_edit = self.env["psa.project.budget.line"].has_access("write")
        for project in self:
            project.psa_can_edit_budget = can_edit

    @api.depends("psa_health")
    def _compute_psa_health_color(self):
        for project in self:
            project.psa_health_color = HEALTH_COLORS.get(project.psa_health, 0)

    @api.depends_context("company")
    def _compute_psa_evm(self):
        real_projects = self.filtered(lambda p: isinstance(p.id, int))
        evm = real_projects._psa_compute_evm_batch(fields.Date.context_today(self))
        for project in self:
            values = evm.get(project.id) or {}
            project.psa_progress = values.get("progress", 0.0)
            project.psa_evm_bac = values.get("bac", 0.0)
            project.psa_evm_pv = values.get("pv", 0.0)
            project.psa_evm_ev = values.get("ev", 0.0)
            project.psa_evm_ac = values.get("ac", 0.0)
            project.psa_evm_eac = values.get("eac", 0.0)
            project.psa_evm_etc = values.get("etc", 0.0)
            project.psa_evm_vac = values.get("vac", 0.0)
            project.psa_evm_cpi = values.get("cpi") or 0.0
            project.psa_evm_spi = values.get("spi") or 0.0
            project.psa_actual_hours = values.get("hours", 0.0)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def copy(self, default=None):
        if len(self) > 1:
            new_projects = self.browse()
            for project in self:
                new_projects |= project.copy(default)
            return new_projects
        default = dict(default or {})
        shift = None
        if (
            self.env.context.get("copy_from_template")
            or self.is_template
            or default.get("is_template")
        ):
            new_start = default.get("date_start")
            if new_start and self.date_start:
                shift = (fields.Date.to_date(new_start) - self.date_start).days
            else:
                shift = 0
        if shift is None:
            return super().copy(default)
        new_projects = super(
            ProjectProject, self.with_context(psa_date_shift=shift)
        ).copy(default)
        # do not leak the shift to what the caller does next with the copies
        return new_projects.with_env(self.env)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_psa_refresh_health(self):
        self.check_access("read")
        self._psa_refresh_health(fields.Date.context_today(self))
        return True

    def action_psa_rebuild_snapshots(self):
        """Recompute one snapshot per week since the start of each project."""
        today = fields.Date.context_today(self)
        projects = self.filtered(lambda p: not p.is_template)
        starts = [p.date_start for p in projects if p.date_start]
        if not starts:
            projects._psa_write_snapshots(today)
            return True
        day = min(starts)
        # align on the weekday of today so that the last snapshot is today's
        day += timedelta(days=(today - day).days % 7)
        while day <= today:
            projects.filtered(
                lambda p, d=day: not p.date_start or p.date_start <= d
            )._psa_write_snapshots(day)
            day += timedelta(days=7)
        return True

    def action_psa_open_burnup(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_project.psa_project_snapshot_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action

    # ------------------------------------------------------------
    # EARNED VALUE
    # ------------------------------------------------------------

    @api.model
    def _psa_actual_timesheet_domain(self):
        """Timesheet lines counted as actual time and cost.

        Override to restrict (e.g. to approved lines once timesheet approval is
        installed)."""
        return Domain("project_id", "!=", False)

    @api.model
    def _psa_expense_domain(self):
        """Analytic lines counted as expenses on the project's analytic account."""
        return Domain("project_id", "=", False) & Domain("amount", "<", 0)

    def _psa_working_weekdays(self):
        calendar = self.resource_calendar_id
        weekdays = {int(day) for day in calendar.attendance_ids.mapped("dayofweek")}
        return weekdays or {0, 1, 2, 3, 4}

    def psa_get_evm(self, date=None):
        """Earned value figures of this project as of ``date`` (today by default).

        :return: dict with bac, pv, ev, ac, cpi, spi, eac, etc, vac, progress (0-1)
        """
        self.ensure_one()
        self.check_access("read")
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        return self._psa_compute_evm_batch(date)[self.id]

    def _psa_compute_evm_batch(self, date):
        """Earned value of all projects in ``self`` as of ``date``, with a constant
        number of queries.

        :return: {project_id: {bac, pv, ev, ac, cpi, spi, eac, etc, vac, progress,
                  hours, budget_hours, remaining_hours}}
        """
        date = fields.Date.to_date(date)
        if not self:
            return {}
        # aggregates over lines the current user may not read one by one (other
        # people's timesheets): the figures are project-level totals
        Line = self.env["account.analytic.line"].sudo()
        budget = {
            project.id: (hours, cost)
            for project, hours, cost in self.env["psa.project.budget.line"]
            .sudo()
            ._read_group(
                [("project_id", "in", self.ids)],
                ["project_id"],
                ["hours:sum", "cost:sum"],
            )
        }
        hours_by_project = defaultdict(float)
        cost_by_project = defaultdict(float)
        hours_by_task = defaultdict(float)
        for project, task, hours, amount in Line._read_group(
            self._psa_actual_timesheet_domain()
            & Domain("project_id", "in", self.ids)
            & Domain("date", "<=", date),
            ["project_id", "task_id"],
            ["unit_amount:sum", "amount:sum"],
        ):
            hours_by_project[project.id] += hours
            cost_by_project[project.id] -= amount
            if task:
                hours_by_task[task.id] += hours
        projects_by_account = defaultdict(list)
        for project in self:
            if project.account_id:
                projects_by_account[project.account_id.id].append(project.id)
        if projects_by_account:
            for account, amount in Line._read_group(
                self._psa_expense_domain()
                & Domain("account_id", "in", list(projects_by_account))
                & Domain("date", "<=", date),
                ["account_id"],
                ["amount:sum"],
            ):
                for project_id in projects_by_account[account.id]:
                    cost_by_project[project_id] -= amount
        remaining_by_project = defaultdict(float)
        estimated_projects = set()
        for task in (
            self.env["project.task"]
            .sudo()
            .search_fetch(
                [("project_id", "in", self.ids), ("allocated_hours", ">", 0)],
                ["project_id", "allocated_hours"],
            )
        ):
            estimated_projects.add(task.project_id.id)
            remaining_by_project[task.project_id.id] += max(
                task.allocated_hours - hours_by_task.get(task.id, 0.0), 0.0
            )
        milestones_by_project = defaultdict(list)
        for milestone in (
            self.env["project.milestone"]
            .sudo()
            .search_fetch(
                [
                    ("project_id", "in", self.ids),
                    ("psa_weight", ">", 0),
                    ("deadline", "!=", False),
                ],
                ["project_id", "psa_weight", "deadline"],
                order="deadline, id",
            )
        ):
            milestones_by_project[milestone.project_id.id].append(
                (milestone.deadline, milestone.psa_weight)
            )

        result = {}
        for project in self:
            currency = project.currency_id
            budget_hours, bac = budget.get(project.id, (0.0, 0.0))
            hours = hours_by_project[project.id]
            ac = currency.round(cost_by_project[project.id])
            remaining = remaining_by_project[project.id]
            if project.id in estimated_projects:
                total = hours + remaining
                progress = hours / total if total else 0.0
            else:
                progress = min(hours / budget_hours, 1.0) if budget_hours else 0.0
            ev_raw = progress * bac
            pv_raw = bac * project._psa_planned_fraction(
                date, milestones_by_project[project.id]
            )
            cpi = ev_raw / ac if ac else None
            spi = ev_raw / pv_raw if pv_raw else None
            if not ac:
                eac_raw = bac
            elif ev_raw:
                eac_raw = bac * ac / ev_raw
            else:  # money spent, nothing earned yet: the whole budget remains
                eac_raw = ac + bac
            eac = currency.round(eac_raw)
            result[project.id] = {
                "bac": currency.round(bac),
                "pv": currency.round(pv_raw),
                "ev": currency.round(ev_raw),
                "ac": ac,
                "cpi": cpi,
                "spi": spi,
                "eac": eac,
                "etc": currency.round(eac - ac),
                "vac": currency.round(bac - eac),
                "progress": progress,
                "hours": hours,
                "budget_hours": budget_hours,
                "remaining_hours": remaining,
                "has_estimates": project.id in estimated_projects,
            }
        return result

    def _psa_planned_fraction(self, date, milestones):
        """Share (0-1) of the budget planned to be earned by ``date``.

        Linear over the working days between the project's start and end dates, or
        piecewise linear between the deadlines of weighted milestones."""
        self.ensure_one()
        weekdays = self._psa_working_weekdays()
        start, end = self.date_start, self.date
        points = []  # (first day of segment, last day of segment, cumulated share)
        if milestones:
            total = sum(weight for _deadline, weight in milestones)
            cumulated = 0.0
            segment_start = start
            for deadline, weight in milestones:
                cumulated += weight
                points.append((segment_start, deadline, cumulated))
                segment_start = deadline + timedelta(days=1)
            if total < 100.0 and end and end > milestones[-1][0]:
                points.append((segment_start, end, 100.0))
                total = 100.0
            points = [(a, b, share / total) for a, b, share in points]
        elif start and end:
            points = [(start, end, 1.0)]
        else:
            return 0.0
        previous = 0.0
        for segment_start, segment_end, share in points:
            if date >= segment_end:
                previous = share
                continue
            if not segment_start or date < segment_start:
                return previous
            days = _working_days(segment_start, segment_end, weekdays)
            if not days:
                return previous
            elapsed = _working_days(segment_start, date, weekdays)
            return previous + (share - previous) * elapsed / days
        return previous

    # ------------------------------------------------------------
    # HEALTH AND RISK
    # ------------------------------------------------------------

    @api.model
    def _psa_risk_weights(self):
        """Weight of each risk reason in the 0-100 score (capped at 100)."""
        return {
            "cpi_off_track": 30,
            "cpi_at_risk": 15,
            "spi_off_track": 20,
            "spi_at_risk": 10,
            "cpi_trend": 10,
            "spi_trend": 5,
            "burn_off_track": 15,
            "burn_at_risk": 10,
            "projected_cost": 15,
            "projected_finish": 15,
            "estimate_drift": 10,
            "time_entry_lag": 10,
            "scope_change": 10,
        }

    def _psa_compute_health_batch(self, date):
        """Health, risk score and reasons of all projects in ``self`` as of ``date``.

        :return: {project_id: {"health", "risk_score", "reasons": [(code, weight,
                  message)], "evm", "burn_rate", "projected_cost",
                  "projected_finish"}}
        """
        date = fields.Date.to_date(date)
        if not self:
            return {}
        evm_now = self._psa_compute_evm_batch(date)
        evm_before = self._psa_compute_evm_batch(date - timedelta(weeks=TREND_WEEKS))
        # weekly actual cost over the last weeks, for the burn rate
        window_start = date - timedelta(weeks=TREND_WEEKS) + timedelta(days=1)
        Line = self.env["account.analytic.line"].sudo()
        weekly_cost = defaultdict(lambda: [0.0] * TREND_WEEKS)

        def add_cost(project_id, day, amount):
            week = min((date - day).days // 7, TREND_WEEKS - 1)
            weekly_cost[project_id][week] -= amount

        for project, day, amount in Line._read_group(
            self._psa_actual_timesheet_domain()
            & Domain("project_id", "in", self.ids)
            & Domain("date", ">=", window_start)
            & Domain("date", "<=", date),
            ["project_id", "date:day"],
            ["amount:sum"],
        ):
            add_cost(project.id, fields.Date.to_date(day), amount)
        projects_by_account = defaultdict(list)
        for project in self:
            if project.account_id:
                projects_by_account[project.account_id.id].append(project.id)
        if projects_by_account:
            for account, day, amount in Line._read_group(
                self._psa_expense_domain()
                & Domain("account_id", "in", list(projects_by_account))
                & Domain("date", ">=", window_start)
                & Domain("date", "<=", date),
                ["account_id", "date:day"],
                ["amount:sum"],
            ):
                for project_id in projects_by_account[account.id]:
                    add_cost(project_id, fields.Date.to_date(day), amount)
        last_entry = {
            project.id: last_date
            for project, last_date in Line._read_group(
                self._psa_actual_timesheet_domain()
                & Domain("project_id", "in", self.ids)
                & Domain("date", "<=", date),
                ["project_id"],
                ["date:max"],
            )
        }
        # budget reported by the snapshot taken about 4 weeks ago, for scope changes
        reported_bac = {}
        for snapshot in (
            self.env["psa.project.snapshot"]
            .sudo()
            .search_fetch(
                [
                    ("project_id", "in", self.ids),
                    ("date", "<=", date - timedelta(weeks=TREND_WEEKS)),
                    ("date", ">", date - timedelta(weeks=TREND_WEEKS + 1)),
                ],
                ["project_id", "bac"],
                order="date desc",
            )
        ):
            reported_bac.setdefault(snapshot.project_id.id, snapshot.bac)
        weights = self._psa_risk_weights()
        result = {}
        for project in self:
            evm = evm_now[project.id]
            result[project.id] = project._psa_evaluate_health(
                date,
                evm,
                evm_before[project.id],
                weekly_cost[project.id],
                last_entry.get(project.id),
                weights,
            )
            project._psa_check_scope(
                evm, reported_bac.get(project.id), result[project.id], weights
            )
        return result

    def _psa_check_scope(self, evm, reported_bac, values, weights):
        """Scope change: the budget moved since the snapshot of 4 weeks ago."""
        if not reported_bac or abs(evm["bac"] - reported_bac) < reported_bac / 100:
            return
        currency = self.currency_id
        weight = weights.get("scope_change", 0)
        values["reasons"].append(
            (
                "scope_change",
                weight,
                self.env._(
                    "Scope change: the budget went from %(before)s to %(now)s over "
                    "the last %(weeks)s weeks.",
                    before=format_amount(self.env, reported_bac, currency),
                    now=format_amount(self.env, evm["bac"], currency),
                    weeks=TREND_WEEKS,
                ),
            )
        )
        values["risk_score"] = min(values["risk_score"] + weight, 100)

    def _psa_evaluate_health(
        self, date, evm, evm_before, weekly_cost, last_entry, weights
    ):
        """Health and risk of one project from its earned value figures.

        :return: dict with health, risk_score, reasons [(code, weight, message)],
                 evm, burn_rate, projected_cost, projected_finish
        """
        self.ensure_one()
        reasons = []

        def add(code, message):
            reasons.append((code, weights.get(code, 0), message))

        health = self._psa_check_indices(evm, add)
        self._psa_check_trends(evm, evm_before, add)
        forecast = self._psa_check_forecast(date, evm, weekly_cost, add)
        self._psa_check_estimates(evm, add)
        self._psa_check_time_entry_lag(date, evm, last_entry, add)
        score = min(sum(weight for _code, weight, _msg in reasons), 100)
        return {
            "health": health,
            "risk_score": score,
            "reasons": reasons,
            "evm": evm,
            **forecast,
        }

    def _psa_check_indices(self, evm, add):
        """Health from the CPI, SPI and budget burn thresholds of the company."""
        company = self.company_id or self.env.company
        currency = self.currency_id
        amounts = {
            key: format_amount(self.env, evm[key], currency)
            for key in ("bac", "pv", "ev", "ac")
        }
        finished = evm["progress"] >= 1.0
        levels = []
        cpi, spi = evm["cpi"], evm["spi"]
        if cpi is not None and cpi < company.psa_cpi_off_track:
            levels.append("off_track")
            add(
                "cpi_off_track",
                self.env._(
                    "Cost performance index %(cpi)s is below the off-track threshold "
                    "%(threshold)s: earned value %(ev)s for an actual cost of %(ac)s.",
                    cpi=f"{cpi:.2f}",
                    threshold=f"{company.psa_cpi_off_track:.2f}",
                    ev=amounts["ev"],
                    ac=amounts["ac"],
                ),
            )
        elif cpi is not None and cpi < company.psa_cpi_at_risk:
            levels.append("at_risk")
            add(
                "cpi_at_risk",
                self.env._(
                    "Cost performance index %(cpi)s is below the at-risk threshold "
                    "%(threshold)s: earned value %(ev)s for an actual cost of %(ac)s.",
                    cpi=f"{cpi:.2f}",
                    threshold=f"{company.psa_cpi_at_risk:.2f}",
                    ev=amounts["ev"],
                    ac=amounts["ac"],
                ),
            )
        if spi is not None and not finished and spi < company.psa_spi_off_track:
            levels.append("off_track")
            add(
                "spi_off_track",
                self.env._(
                    "Schedule performance index %(spi)s is below the off-track "
                    "threshold %(threshold)s: earned value %(ev)s for a planned value "
                    "of %(pv)s.",
                    spi=f"{spi:.2f}",
                    threshold=f"{company.psa_spi_off_track:.2f}",
                    ev=amounts["ev"],
                    pv=amounts["pv"],
                ),
            )
        elif spi is not None and not finished and spi < company.psa_spi_at_risk:
            levels.append("at_risk")
            add(
                "spi_at_risk",
                self.env._(
                    "Schedule performance index %(spi)s is below the at-risk "
                    "threshold %(threshold)s: earned value %(ev)s for a planned value "
                    "of %(pv)s.",
                    spi=f"{spi:.2f}",
                    threshold=f"{company.psa_spi_at_risk:.2f}",
                    ev=amounts["ev"],
                    pv=amounts["pv"],
                ),
            )
        if evm["bac"] and not finished:
            burn = evm["ac"] / evm["bac"] * 100.0
            level = (
                "off_track"
                if burn >= company.psa_burn_off_track
                else "at_risk"
                if burn >= company.psa_burn_at_risk
                else None
            )
            if level:
                levels.append(level)
                add(
                    f"burn_{level}",
                    self.env._(
                        "%(burn)s%% of the budgeted cost is spent (%(ac)s of %(bac)s) "
                        "while the work is %(progress)s%% done.",
                        burn=f"{burn:.0f}",
                        ac=amounts["ac"],
                        bac=amounts["bac"],
                        progress=f"{evm['progress'] * 100:.0f}",
                    ),
                )
        if "off_track" in levels:
            return "off_track"
        return "at_risk" if levels else "on_track"

    def _psa_check_trends(self, evm, evm_before, add):
        for index, code in (("cpi", "cpi_trend"), ("spi", "spi_trend")):
            now, before = evm[index], evm_before[index]
            if index == "spi" and evm["progress"] >= 1.0:
                continue
            if now is not None and before is not None and now < before - 0.05:
                add(
                    code,
                    self.env._(
                        "%(index)s is degrading: it went from %(before)s to %(now)s "
                        "over the last %(weeks)s weeks.",
                        index=index.upper(),
                        before=f"{before:.2f}",
                        now=f"{now:.2f}",
                        weeks=TREND_WEEKS,
                    ),
                )

    def _psa_check_forecast(self, date, evm, weekly_cost, add):
        """Projected cost and finish date from the recent burn rate."""
        currency = self.currency_id
        bac = evm["bac"]
        # weighted average of the last weeks (the most recent counts most), only
        # the weeks ending after the project started count
        weeks = [
            (TREND_WEEKS - week, cost)
            for week, cost in enumerate(weekly_cost)
            if not self.date_start or date - timedelta(weeks=week) >= self.date_start
        ]
        total_weight = sum(weight for weight, _cost in weeks)
        burn_rate = (
            sum(weight * cost for weight, cost in weeks) / total_weight
            if total_weight
            else 0.0
        )
        projected_cost = projected_finish = None
        if bac and evm["progress"] < 1.0 and burn_rate > 0:
            etc = evm["etc"]
            projected_finish = date + timedelta(days=round(etc / burn_rate * 7))
            if self.date and date < self.date:
                weekdays = self._psa_working_weekdays()
                remaining_weeks = _working_days(
                    date + timedelta(days=1), self.date, weekdays
                ) / len(weekdays)
                projected_cost = currency.round(evm["ac"] + burn_rate * remaining_weeks)
                if currency.compare_amounts(projected_cost, bac) > 0:
                    add(
                        "projected_cost",
                        self.env._(
                            "At the recent burn rate of %(rate)s per week, the "
                            "project will have cost %(cost)s by its planned end date, "
                            "over its budget of %(bac)s.",
                            rate=format_amount(self.env, burn_rate, currency),
                            cost=format_amount(self.env, projected_cost, currency),
                            bac=format_amount(self.env, bac, currency),
                        ),
                    )
            if self.date and projected_finish > self.date:
                add(
                    "projected_finish",
                    self.env._(
                        "At the recent burn rate the remaining work (%(etc)s) ends on "
                        "%(finish)s, after the planned end date %(end)s.",
                        etc=format_amount(self.env, etc, currency),
                        finish=format_date(self.env, projected_finish),
                        end=format_date(self.env, self.date),
                    ),
                )
        return {
            "burn_rate": burn_rate,
            "projected_cost": projected_cost,
            "projected_finish": projected_finish,
        }

    def _psa_check_estimates(self, evm, add):
        """Estimate drift: task estimates against the budgeted hours."""
        company = self.company_id or self.env.company
        budget_hours = evm["budget_hours"]
        if not (evm["has_estimates"] and budget_hours):
            return
        estimated = evm["hours"] + evm["remaining_hours"]
        if estimated > budget_hours * (1 + company.psa_estimate_drift_percent / 100):
            add(
                "estimate_drift",
                self.env._(
                    "Estimates drift: logged plus remaining hours (%(estimated)s h) "
                    "exceed the budgeted %(budget)s h by %(drift)s%%.",
                    estimated=f"{estimated:.1f}",
                    budget=f"{budget_hours:.1f}",
                    drift=f"{(estimated / budget_hours - 1) * 100:.0f}",
                ),
            )

    def _psa_check_time_entry_lag(self, date, evm, last_entry, add):
        """No time logged recently on a running project."""
        company = self.company_id or self.env.company
        lag_days = company.psa_time_entry_lag_days
        running = (not self.date_start or self.date_start <= date) and (
            not self.date or date <= self.date
        )
        if not (lag_days and running and evm["bac"] and evm["progress"] < 1.0):
            return
        reference = last_entry or self.date_start
        if reference and (date - reference).days > lag_days:
            add(
                "time_entry_lag",
                self.env._(
                    "No time logged for %(days)s days (since %(since)s): the actual "
                    "figures may be late.",
                    days=(date - reference).days,
                    since=format_date(self.env, reference),
                ),
            )

    @api.model
    def _psa_format_reasons(self, reasons):
        return "\n".join(
            self.env._("%(message)s (+%(weight)s)", message=message, weight=weight)
            for _code, weight, message in reasons
        )

    def _psa_refresh_health(self, date):
        """Store health, risk score and reasons of the projects as of ``date``."""
        projects = self.filtered(lambda p: not p.is_template)
        health = projects._psa_compute_health_batch(date)
        by_values = defaultdict(list)
        for project in projects:
            values = health[project.id]
            key = (
                values["health"],
                values["risk_score"],
                self._psa_format_reasons(values["reasons"]),
            )
            by_values[key].append(project.id)
        for (status, score, reasons), project_ids in by_values.items():
            # computed indicators, not user data: consultants who refresh them may
            # not have write access on the project itself
            self.browse(project_ids).sudo().write(
                {
                    "psa_health": status,
                    "psa_risk_score": score,
                    "psa_risk_reasons": reasons or False,
                    "psa_health_date": date,
                }
            )
        return health

    def _psa_write_snapshots(self, date, health=None):
        projects = self.filtered(lambda p: not p.is_template)
        if not projects:
            return self.env["psa.project.snapshot"]
        health = health or projects._psa_compute_health_batch(date)
        Snapshot = self.env["psa.project.snapshot"].sudo()
        Snapshot.search(
            [("project_id", "in", projects.ids), ("date", "=", date)]
        ).unlink()
        vals_list = []
        for project in projects:
            values = health[project.id]
            evm = values["evm"]
            vals_list.append(
                {
                    "project_id": project.id,
                    "currency_id": project.currency_id.id,
                    "date": date,
                    "bac": evm["bac"],
                    "pv": evm["pv"],
                    "ev": evm["ev"],
                    "ac": evm["ac"],
                    "eac": evm["eac"],
                    "cpi": evm["cpi"] or 0.0,
                    "spi": evm["spi"] or 0.0,
                    "progress": evm["progress"],
                    "health": values["health"],
                    "risk_score": values["risk_score"],
                }
            )
        return Snapshot.create(vals_list)

    def _psa_update_description(self, values):
        self.ensure_one()
        evm = values["evm"]
        currency = self.currency_id

        def ratio(value):
            return f"{value:.2f}" if value is not None else "-"

        rows = [
            (self.env._("Progress"), f"{evm['progress'] * 100:.1f} %"),
            (self.env._("Budget at completion (BAC)"), evm["bac"]),
            (self.env._("Planned value (PV)"), evm["pv"]),
            (self.env._("Earned value (EV)"), evm["ev"]),
            (self.env._("Actual cost (AC)"), evm["ac"]),
            (self.env._("Estimate at completion (EAC)"), evm["eac"]),
            (self.env._("Variance at completion (VAC)"), evm["vac"]),
            (self.env._("CPI"), ratio(evm["cpi"])),
            (self.env._("SPI"), ratio(evm["spi"])),
            (self.env._("Risk score"), f"{values['risk_score']} / 100"),
        ]
        body = Markup("<h3>%s</h3><table class='table table-sm'>") % self.env._(
            "Earned value"
        )
        for label, value in rows:
            if isinstance(value, float):
                value = format_amount(self.env, value, currency)
            body += Markup("<tr><td>%s</td><td>%s</td></tr>") % (label, value)
        body += Markup("</table>")
        if values["reasons"]:
            body += Markup("<h3>%s</h3><ul>") % self.env._("Risk reasons")
            for _code, weight, message in values["reasons"]:
                body += Markup("<li>%s (+%s)</li>") % (message, weight)
            body += Markup("</ul>")
        return body

    def _psa_post_updates(self, date):
        """Write one project update per project with its figures and risk reasons."""
        projects = self.filtered(lambda p: not p.is_template)
        health = projects._psa_refresh_health(date)
        projects._psa_write_snapshots(date, health=health)
        vals_list = [
            {
                "project_id": project.id,
                "name": self.env._(
                    "Weekly health %(date)s", date=format_date(self.env, date)
                ),
                "status": health[project.id]["health"],
                "progress": round(health[project.id]["evm"]["progress"] * 100),
                "date": date,
                "user_id": self.env.user.id,
                "description": project._psa_update_description(health[project.id]),
            }
            for project in projects
        ]
        return self.env["project.update"].create(vals_list)

    @api.model
    def _cron_psa_weekly_update(self):
        today = fields.Date.context_today(self)
        projects = self.search(
            [
                ("is_template", "=", False),
                ("psa_budget_line_ids", "!=", False),
                ("last_update_status", "!=", "done"),
                "|",
                ("date_start", "=", False),
                ("date_start", "<=", today),
            ]
        )
        for company, company_projects in projects.grouped("company_id").items():
            company_projects.with_company(
                company or self.env.company
            )._psa_post_updates(today)
