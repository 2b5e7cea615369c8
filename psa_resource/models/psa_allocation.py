from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

ALLOCATION_TYPES = [("hours", "Hours per Day"), ("percent", "% of Capacity")]
ALLOCATION_STATES = [("tentative", "Tentative"), ("confirmed", "Confirmed")]
# hours above capacity tolerated before a day counts as over-allocated
OVERALLOCATION_TOLERANCE = 0.01


class PsaAllocation(models.Model):
    _name = "psa.allocation"
    _description = "Staffing Allocation"
    _order = "date_from desc, employee_id, id"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        related="employee_id.user_id", string="User", store=True, index=True
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(related="project_id.partner_id", string="Customer")
    role_id = fields.Many2one(
        "project.role",
        compute="_compute_role_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
        index="btree_not_null",
    )
    request_id = fields.Many2one(
        "psa.resource.request",
        string="Resource Request",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    allocation_type = fields.Selection(
        ALLOCATION_TYPES, string="Allocated As", required=True, default="hours"
    )
    hours_per_day = fields.Float(
        default=8.0, help="Hours on each working day of the employee in the period."
    )
    percent = fields.Float(
        string="% of Capacity",
        default=100.0,
        help="Share of the employee's capacity (working hours net of leave and "
        "public holidays) on each day of the period.",
    )
    state = fields.Selection(
        ALLOCATION_STATES, required=True, default="tentative", copy=False, index=True
    )
    allocated_hours = fields.Float(
        compute="_compute_allocated_hours",
        store=True,
        help="Hours of the allocation on the working days of the employee in the "
        "period, net of leave and public holidays.",
    )
    is_overallocated = fields.Boolean(
        string="Over-allocated",
        compute="_compute_is_overallocated",
        store=True,
        help="On at least one day of this allocation, the employee's allocations "
        "(tentative and confirmed) exceed their capacity.",
    )
    note = fields.Text()

    _dates_check = models.Constraint(
        "CHECK(date_to >= date_from)",
        "An allocation cannot end before it starts.",
    )
    _hours_per_day_check = models.Constraint(
        "CHECK(hours_per_day >= 0 AND hours_per_day <= 24)",
        "Hours per day must be between 0 and 24.",
    )
    _percent_check = models.Constraint(
        "CHECK(percent >= 0 AND percent <= 100)",
        "The share of capacity must be between 0 and 100 %.",
    )
    _employee_dates_idx = models.Index("(employee_id, date_from, date_to)")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("employee_id", "project_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = " - ".join(
                name
                for name in (
                    allocation.employee_id.name,
                    allocation.project_id.display_name,
                )
                if name
            )

    @api.depends("employee_id")
    def _compute_role_id(self):
        for allocation in self:
            allocation.role_id = (
                allocation.role_id or allocation.employee_id.default_role_id
            )

    @api.depends(
        "employee_id",
        "date_from",
        "date_to",
        "allocation_type",
        "hours_per_day",
        "percent",
    )
    def _compute_allocated_hours(self):
        hours_by_day = self._psa_hours_by_day()
        for allocation in self:
            allocation.allocated_hours = round(
                sum(hours_by_day.get(allocation.id, {}).values()), 4
            )

    @api.depends(
        "employee_id",
        "date_from",
        "date_to",
        "allocation_type",
        "hours_per_day",
        "percent",
        "state",
    )
    def _compute_is_overallocated(self):
        dated = self.filtered(
            lambda a: a.employee_id and a.date_from and a.date_to and a.id
        )
        (self - dated).is_overallocated = False
        if not dated:
            return
        date_from = min(dated.mapped("date_from"))
        date_to = max(dated.mapped("date_to"))
        siblings = self._psa_active_allocations(dated.employee_id, date_from, date_to)
        everything = siblings | dated
        capacity = dated.employee_id._psa_compute_capacity_by_day(date_from, date_to)
        hours_by_day = everything._psa_hours_by_day(capacity)
        load = defaultdict(float)
        for allocation in everything:
            for day, hours in hours_by_day.get(allocation.id, {}).items():
                load[allocation.employee_id.id, day] += hours
        for allocation in dated:
            employee_capacity = capacity[allocation.employee_id.id]
            allocation.is_overallocated = any(
                load[allocation.employee_id.id, day]
                > employee_capacity.get(day, 0.0) + OVERALLOCATION_TOLERANCE
                for day in hours_by_day.get(allocation.id, {})
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("allocation_type", "hours_per_day", "percent")
    def _check_quantity(self):
        for allocation in self:
            quantity = (
                allocation.hours_per_day
                if allocation.allocation_type == "hours"
                else allocation.percent
            )
            if quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The allocation of %(employee)s on %(project)s needs hours "
                        "per day or a share of capacity above zero.",
                        employee=allocation.employee_id.name,
                        project=allocation.project_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "confirmed":
                # confirmation goes through action_confirm and its checks
                vals["state"] = "tentative"
                vals["_psa_confirm"] = True
        to_confirm = [vals.pop("_psa_confirm", False) for vals in vals_list]
        allocations = super().create(vals_list)
        allocations._psa_touch_siblings()
        confirm = allocations.browse(
            [
                allocation.id
                for allocation, flag in zip(allocations, to_confirm, strict=True)
                if flag
            ]
        )
        if confirm:
            confirm.action_confirm()
        return allocations

    def write(self, vals):
        if vals.get("state") == "confirmed":
            vals = dict(vals)
            del vals["state"]
            res = super().write(vals) if vals else True
            self._psa_touch_siblings()
            self.action_confirm()
            return res
        siblings = self._psa_siblings()
        res = super().write(vals)
        if {"employee_id", "date_from", "date_to", "state"} & set(vals):
            siblings |= self._psa_siblings()
        if siblings:
            self.env.add_to_compute(self._fields["is_overallocated"], siblings)
        return res

    def unlink(self):
        siblings = self._psa_siblings() - self
        res = super().unlink()
        if siblings:
            self.env.add_to_compute(self._fields["is_overallocated"], siblings)
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        """Confirm the allocations. An over-allocating one (the employee's
        allocations exceed their capacity on some day) needs a PSA manager."""
        self.flush_recordset()
        overallocated = self.filtered("is_overallocated")
        if overallocated and not self.env.user.has_group("psa_base.group_psa_manager"):
            raise UserError(
                self.env._(
                    "Confirming %(allocations)s would over-allocate the employee "
                    "beyond their capacity: only a PSA project manager can confirm "
                    "it. Reduce the hours or the period, or leave it tentative.",
                    allocations=", ".join(overallocated.mapped("display_name")),
                )
            )
        super().write({"state": "confirmed"})
        return True

    def action_set_tentative(self):
        self.write({"state": "tentative"})
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _psa_active_allocations(self, employees, date_from, date_to):
        """Allocations counted against capacity of ``employees`` that overlap the
        period (as superuser: an employee's load includes allocations on projects
        the current user cannot see)."""
        return (
            self.sudo()
            .search(
                Domain("employee_id", "in", employees.ids)
                & Domain("state", "in", [state for state, _label in ALLOCATION_STATES])
                & Domain("date_from", "<=", date_to)
                & Domain("date_to", ">=", date_from)
            )
            .with_env(self.env)
        )

    def _psa_siblings(self):
        """Allocations sharing an employee and some days with these ones."""
        dated = self.filtered(lambda a: a.employee_id and a.date_from and a.date_to)
        if not dated:
            return self.browse()
        return self._psa_active_allocations(
            dated.employee_id,
            min(dated.mapped("date_from")),
            max(dated.mapped("date_to")),
        )

    def _psa_touch_siblings(self):
        siblings = self._psa_siblings() - self
        if siblings:
            self.env.add_to_compute(self._fields["is_overallocated"], siblings)

    @api.model
    def _psa_recompute_for(self, employees, date_from, date_to):
        """Capacity of ``employees`` changed between two dates: recompute the hours
        and flags of their allocations in that period."""
        allocations = self._psa_active_allocations(employees, date_from, date_to)
        if allocations:
            self.env.add_to_compute(self._fields["allocated_hours"], allocations)
            self.env.add_to_compute(self._fields["is_overallocated"], allocations)

    def _psa_hours_by_day(self, capacity=None):
        """Hours of each allocation per working day of its employee.

        Hours per day apply to every day with capacity; a share of capacity is
        taken from that day's capacity. Days without capacity (weekends, leave,
        public holidays) carry no allocated hours.

        :param capacity: ``{employee_id: {date: hours}}`` covering the allocations,
            computed when not given
        :return: ``{allocation_id: {date: hours}}``
        """
        dated = self.filtered(lambda a: a.employee_id and a.date_from and a.date_to)
        if not dated:
            return {}
        if capacity is None:
            capacity = dated.employee_id._psa_compute_capacity_by_day(
                min(dated.mapped("date_from")), max(dated.mapped("date_to"))
            )
        Employee = self.env["hr.employee"]
        result = {}
        for allocation in dated:
            employee_capacity = capacity.get(allocation.employee_id.id, {})
            hours_by_day = {}
            for day in Employee._psa_daterange(
                allocation.date_from, allocation.date_to
            ):
                day_capacity = employee_capacity.get(day, 0.0)
                if day_capacity <= 0:
                    continue
                if allocation.allocation_type == "percent":
                    hours_by_day[day] = day_capacity * allocation.percent / 100
                else:
                    hours_by_day[day] = allocation.hours_per_day
            result[allocation.id] = hours_by_day
        return result
