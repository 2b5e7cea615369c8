from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

REQUEST_STATES = [("open", "Open"), ("staffed", "Staffed"), ("cancelled", "Cancelled")]
# past time on the client considered for continuity
PSA_CONTINUITY_DAYS = 365


class PsaResourceRequest(models.Model):
    _name = "psa.resource.request"
    _description = "Resource Request"
    _inherit = ["mail.thread"]
    _order = "date_from, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        ondelete="restrict",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="project_id.partner_id", string="Customer")
    role_id = fields.Many2one("project.role", ondelete="restrict", index=True)
    skill_ids = fields.One2many(
        "psa.resource.request.skill", "request_id", string="Required Skills"
    )
    hours = fields.Float(required=True, tracking=True, help="Hours of work to staff.")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    bill_rate = fields.Monetary(
        currency_field="currency_id",
        help="Hourly rate billed to the customer for this work: staffing suggestions "
        "compare it with each candidate's hourly cost.",
    )
    requested_by_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        ondelete="set null",
    )
    allocation_ids = fields.One2many("psa.allocation", "request_id")
    staffed_hours = fields.Float(compute="_compute_staffed_hours", store=True)
    remaining_hours = fields.Float(
        string="Hours to Staff", compute="_compute_staffed_hours", store=True
    )
    state = fields.Selection(
        REQUEST_STATES,
        compute="_compute_state",
        store=True,
        readonly=True,
        default="open",
        copy=False,
        index=True,
        tracking=True,
    )
    note = fields.Text()

    _dates_check = models.Constraint(
        "CHECK(date_to >= date_from)", "A resource request cannot end before it starts."
    )
    _hours_check = models.Constraint(
        "CHECK(hours > 0)", "A resource request needs hours to staff."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("project_id", "role_id")
    def _compute_name(self):
        for request in self:
            if request.name:
                request.name = request.name
            elif request.role_id and request.project_id:
                request.name = self.env._(
                    "%(role)s for %(project)s",
                    role=request.role_id.name,
                    project=request.project_id.name,
                )
            else:
                request.name = request.project_id.name or False

    @api.depends("project_id")
    def _compute_company_id(self):
        for request in self:
            request.company_id = (
                request.project_id.company_id or request.company_id or self.env.company
            )

    @api.depends("allocation_ids.allocated_hours", "hours")
    def _compute_staffed_hours(self):
        for request in self:
            request.staffed_hours = sum(
                request.allocation_ids.mapped("allocated_hours")
            )
            request.remaining_hours = max(request.hours - request.staffed_hours, 0.0)

    @api.depends("remaining_hours")
    def _compute_state(self):
        for request in self:
            if request.state == "cancelled":
                request.state = "cancelled"
            elif request.allocation_ids and request.remaining_hours <= 0.01:
                request.state = "staffed"
            else:
                request.state = "open"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        self.state = "cancelled"
        return True

    def action_reopen(self):
        self.state = "open"
        self.env.add_to_compute(self._fields["state"], self)
        return True

    def action_psa_find_candidates(self):
        """Open the ranked staffing suggestions of this request."""
        self.ensure_one()
        if self.state == "cancelled":
            raise UserError(self.env._("This resource request is cancelled."))
        wizard = self.env["psa.resource.suggestion.wizard"].create(
            {"request_id": self.id}
        )
        wizard._psa_fill()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Candidates for %(name)s", name=self.name),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psa_resource.psa_allocation_action"
        )
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

    # ------------------------------------------------------------
    # BEST-FIT STAFFING
    # ------------------------------------------------------------

    def psa_suggest(self, limit=5):
        """Rank the employees of the request's company for this request.

        Each candidate gets a score (0-100): the weighted mean (weights in the
        Services settings) of five components, each between 0 and 1:

        - ``skill``: mean over the required skills of the employee's level
          progress divided by the minimum level's (capped at 1); employees with
          none of the required skills are not candidates;
        - ``availability``: free hours in the window (capacity minus all their
          allocations) divided by the hours still to staff (capped at 1);
        - ``margin``: (bill rate - hourly cost) / bill rate; without bill rate,
          the cheapest candidate's cost divided by the employee's;
        - ``target_gap``: how far below their utilization target the employee's
          forecast utilization in the window is, relative to the target;
        - ``continuity``: hours logged for the same customer (commercial partner)
          over the last year, relative to the candidate with the most.

        Bounded queries: one per data source whatever the number of employees.

        :return: list of dicts, best first: ``employee_id``, ``name``, ``score``,
            ``breakdown`` (the five components, 0-100), ``details`` (figures) and
            ``reasons`` (a readable explanation)
        """
        self.ensure_one()
        company = self.company_id
        Employee = self.env["hr.employee"].with_company(company)
        employees = Employee.sudo().search(
            [("company_id", "=", company.id), ("resource_calendar_id", "!=", False)]
        )
        skill_scores, skill_notes = self._psa_skill_scores(employees)
        if self.skill_ids:
            employees = employees.filtered(lambda e: skill_scores[e.id] > 0)
        if not employees:
            return []
        capacity = employees._psa_compute_capacity_by_day(self.date_from, self.date_to)
        allocations = self.env["psa.allocation"]._psa_active_allocations(
            employees, self.date_from, self.date_to
        )
        loads = allocations._psa_hours_by_day(capacity)
        allocated = defaultdict(float)
        for allocation in allocations:
            allocated[allocation.employee_id.id] += sum(
                hours
                for day, hours in loads.get(allocation.id, {}).items()
                if self.date_from <= day <= self.date_to
            )
        targets = self._psa_targets(employees)
        client_hours = self._psa_client_hours(employees)
        max_client_hours = max(client_hours.values(), default=0.0)
        costs = {e.id: e.hourly_cost for e in employees}
        positive_costs = [cost for cost in costs.values() if cost > 0]
        min_cost = min(positive_costs, default=0.0)
        weights = {
            "skill": company.psa_weight_skill,
            "availability": company.psa_weight_availability,
            "margin": company.psa_weight_margin,
            "target_gap": company.psa_weight_target,
            "continuity": company.psa_weight_continuity,
        }
        total_weight = sum(weights.values()) or 1
        needed = self.remaining_hours or self.hours
        customer = self.project_id.partner_id.commercial_partner_id
        candidates = []
        for employee in employees:
            employee_capacity = sum(capacity[employee.id].values())
            free = max(employee_capacity - allocated[employee.id], 0.0)
            availability = min(free / needed, 1.0) if needed > 0 else 1.0
            cost = costs[employee.id]
            if self.bill_rate > 0:
                margin_ratio = (self.bill_rate - cost) / self.bill_rate
            else:
                margin_ratio = (min_cost / cost) if cost > 0 else 1.0
            margin = min(max(margin_ratio, 0.0), 1.0)
            target = targets[employee.id]
            forecast = (
                allocated[employee.id] / employee_capacity * 100
                if employee_capacity
                else 100.0
            )
            target_gap = (
                min(max((target - forecast) / target, 0.0), 1.0) if target > 0 else 0.0
            )
            continuity = (
                client_hours[employee.id] / max_client_hours
                if max_client_hours
                else 0.0
            )
            components = {
                "skill": skill_scores[employee.id] if self.skill_ids else 1.0,
                "availability": availability,
                "margin": margin,
                "target_gap": target_gap,
                "continuity": continuity,
            }
            score = (
                sum(weights[key] * value for key, value in components.items())
                / total_weight
                * 100
            )
            details = {
                "capacity_hours": round(employee_capacity, 2),
                "free_hours": round(free, 2),
                "needed_hours": round(needed, 2),
                "hourly_cost": cost,
                "margin_percent": round(margin_ratio * 100, 1)
                if self.bill_rate > 0
                else None,
                "forecast_utilization": round(forecast, 1),
                "target": target,
                "client_hours": round(client_hours[employee.id], 2),
            }
            candidates.append(
                {
                    "employee_id": employee.id,
                    "name": employee.name,
                    "score": round(score, 1),
                    "breakdown": {
                        key: round(value * 100, 1) for key, value in components.items()
                    },
                    "details": details,
                    "reasons": self._psa_reasons(
                        skill_notes[employee.id], details, customer
                    ),
                }
            )
        candidates.sort(key=lambda c: (-c["score"], c["name"]))
        return candidates[:limit] if limit else candidates

    def _psa_skill_scores(self, employees):
        """Skill component per employee, and a note per employee listing each
        required skill with the employee's level."""
        scores = defaultdict(float)
        notes = defaultdict(list)
        if not self.skill_ids:
            return scores, notes
        today = fields.Date.context_today(self)
        # skill levels are part of the public profile; read them as superuser for
        # managers without HR rights
        employee_skills = (
            self.env["hr.employee.skill"]
            .sudo()
            .search(
                Domain("employee_id", "in", employees.ids)
                & Domain("skill_id", "in", self.skill_ids.skill_id.ids)
                & (Domain("valid_to", "=", False) | Domain("valid_to", ">=", today))
            )
        )
        progress = defaultdict(int)
        level_names = {}
        for employee_skill in employee_skills:
            key = (employee_skill.employee_id.id, employee_skill.skill_id.id)
            if employee_skill.level_progress >= progress.get(key, -1):
                progress[key] = employee_skill.level_progress
                level_names[key] = employee_skill.skill_level_id.name
        requirements = self.skill_ids
        for employee in employees:
            total = 0.0
            for requirement in requirements:
                key = (employee.id, requirement.skill_id.id)
                minimum = requirement.level_progress
                if key not in level_names:
                    value = 0.0
                    notes[employee.id].append(
                        self.env._("%(skill)s missing", skill=requirement.skill_id.name)
                    )
                else:
                    value = min(progress[key] / minimum, 1.0) if minimum else 1.0
                    notes[employee.id].append(
                        self.env._(
                            "%(skill)s %(level)s (%(verdict)s %(minimum)s)",
                            skill=requirement.skill_id.name,
                            level=level_names[key],
                            verdict="≥" if value >= 1.0 else "<",
                            minimum=requirement.level_id.name,
                        )
                    )
                total += value
            scores[employee.id] = total / len(requirements)
        return scores, notes

    def _psa_targets(self, employees):
        """Utilization target of each employee at the start of the request: the
        dated history, else the employee's target (one query)."""
        targets = {e.id: e.psa_utilization_target for e in employees}
        history = (
            self.env["psa.utilization.target"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("date_from", "<=", self.date_from),
                ],
                order="date_from asc",
            )
        )
        for line in history:
            # ascending: the latest line before the start wins
            targets[line.employee_id.id] = line.target
        return targets

    def _psa_client_hours(self, employees):
        """Hours each employee logged for the request's customer over the last
        year (one grouped query)."""
        result = defaultdict(float)
        customer = self.project_id.partner_id.commercial_partner_id
        if not customer:
            return result
        today = fields.Date.context_today(self)
        # aggregated figures only; the PSA manager may not read every timesheet
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("project_id.partner_id.commercial_partner_id", "=", customer.id),
                    ("date", ">=", today - timedelta(days=PSA_CONTINUITY_DAYS)),
                    ("date", "<=", today),
                ],
                ["employee_id"],
                ["unit_amount:sum"],
            )
        )
        for employee, hours in groups:
            result[employee.id] = hours
        return result

    def _psa_reasons(self, skill_notes, details, customer):
        reasons = []
        if skill_notes:
            reasons.append(
                self.env._("Skills: %(skills)s", skills=", ".join(skill_notes))
            )
        reasons.append(
            self.env._(
                "%(free)s h free of %(needed)s h needed",
                free=round(details["free_hours"], 1),
                needed=round(details["needed_hours"], 1),
            )
        )
        if details["margin_percent"] is not None:
            reasons.append(
                self.env._(
                    "margin %(margin)s %% at %(cost)s/h",
                    margin=details["margin_percent"],
                    cost=details["hourly_cost"],
                )
            )
        else:
            reasons.append(self.env._("cost %(cost)s/h", cost=details["hourly_cost"]))
        reasons.append(
            self.env._(
                "forecast %(forecast)s %% vs target %(target)s %%",
                forecast=details["forecast_utilization"],
                target=details["target"],
            )
        )
        if customer:
            reasons.append(
                self.env._(
                    "%(hours)s h for %(customer)s last year",
                    hours=round(details["client_hours"], 1),
                    customer=customer.name,
                )
            )
        return "; ".join(reasons)
