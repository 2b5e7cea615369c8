from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    psa_estimate_line_ids = fields.One2many(
        "psa.opportunity.estimate",
        "lead_id",
        string="Estimate",
        copy=True,
    )
    psa_estimate_hours = fields.Float(
        string="Estimated Hours",
        compute="_compute_psa_estimate_totals",
        store=True,
    )
    psa_estimate_amount = fields.Monetary(
        string="Estimated Amount",
        currency_field="company_currency",
        compute="_compute_psa_estimate_totals",
        store=True,
    )
    psa_project_template_id = fields.Many2one(
        "project.project",
        string="Project Template",
        domain="[('is_template', '=', True)]",
        ondelete="set null",
        help="Template copied into the engagement's project when the deal is won.",
    )
    psa_expected_start = fields.Date(
        string="Expected Start", help="Expected start of the work if the deal is won."
    )
    psa_expected_end = fields.Date(
        string="Expected End", help="Expected end of the work if the deal is won."
    )
    psa_order_id = fields.Many2one(
        "sale.order",
        string="Engagement Order",
        copy=False,
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    psa_project_id = fields.Many2one(
        "project.project",
        string="Engagement Project",
        copy=False,
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    psa_resource_request_count = fields.Integer(
        compute="_compute_psa_resource_request_count"
    )

    _psa_expected_dates_check = models.Constraint(
        "CHECK(psa_expected_end IS NULL OR psa_expected_start IS NULL "
        "OR psa_expected_end >= psa_expected_start)",
        "The expected end of an opportunity cannot be before its expected start.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("psa_estimate_line_ids.hours", "psa_estimate_line_ids.amount")
    def _compute_psa_estimate_totals(self):
        for lead in self:
            lead.psa_estimate_hours = sum(lead.psa_estimate_line_ids.mapped("hours"))
            lead.psa_estimate_amount = sum(lead.psa_estimate_line_ids.mapped("amount"))

    @api.depends("psa_project_id")
    def _compute_psa_resource_request_count(self):
        projects = self.psa_project_id
        counts = {}
        if projects:
            counts = dict(
                self.env["psa.resource.request"]
                .sudo()
                ._read_group(
                    [("project_id", "in", projects.ids)],
                    ["project_id"],
                    ["__count"],
                )
            )
        for lead in self:
            lead.psa_resource_request_count = counts.get(lead.psa_project_id, 0)

    @api.onchange("psa_estimate_line_ids")
    def _onchange_psa_estimate_line_ids(self):
        if self.psa_estimate_line_ids:
            self.expected_revenue = sum(self.psa_estimate_line_ids.mapped("amount"))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if vals.get("stage_id"):
            # won (button or moved to a won stage): create the engagement
            won = self.filtered(
                lambda lead: lead.stage_id.is_won
                and lead.psa_estimate_line_ids
                and not (lead.psa_order_id and lead.psa_project_id)
            )
            if won:
                won.action_psa_create_engagement()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_set_won_rainbowman(self):
        result = super().action_set_won_rainbowman()
        if (
            len(self) == 1
            and self.psa_project_id
            and self.psa_project_id.has_access("read")
        ):
            # land on the new engagement
            return self.action_psa_open_project()
        return result

    def action_psa_create_engagement(self):
        """Create the engagement of won (or winning) opportunities: the quotation
        (or confirmed order, by company setting) with one service line per role of
        the estimate, the project copied from the template with the estimate as
        budget, and one resource request per role. Idempotent: what exists (linked
        on the opportunity) is not created again."""
        self.check_access("write")
        for lead in self:
            lead._psa_check_engagement()
            if not lead.psa_order_id:
                lead.psa_order_id = lead._psa_create_order()
            if not lead.psa_project_id:
                lead.psa_project_id = lead._psa_create_project()
            lead._psa_create_resource_requests()
        if len(self) == 1:
            # land on the project, or on the order for salespeople without
            # access to projects
            if self.psa_project_id and self.psa_project_id.has_access("read"):
                return self.action_psa_open_project()
            return self.action_psa_open_order()
        return True

    def action_psa_open_project(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "project.project",
            "res_id": self.psa_project_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_psa_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.psa_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_psa_open_resource_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resource Requests"),
            "res_model": "psa.resource.request",
            "view_mode": "list,form",
            "domain": [("project_id", "=", self.psa_project_id.id)],
            "context": {"default_project_id": self.psa_project_id.id},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _psa_sync_expected_revenue(self):
        """Expected revenue follows the estimate when there is one."""
        for lead in self.filtered("psa_estimate_line_ids"):
            total = lead.company_currency.round(
                sum(lead.psa_estimate_line_ids.mapped("amount"))
            )
            if lead.expected_revenue != total:
                lead.expected_revenue = total

    def _psa_check_engagement(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Set the client of opportunity %(lead)s before creating its "
                    "engagement.",
                    lead=self.name,
                )
            )
        if not self.psa_estimate_line_ids:
            raise UserError(
                self.env._(
                    "Opportunity %(lead)s has no estimate by role.", lead=self.name
                )
            )
        if not (self.psa_expected_start and self.psa_expected_end):
            raise UserError(
                self.env._(
                    "Set the expected start and end of opportunity %(lead)s: its "
                    "resource requests cover them.",
                    lead=self.name,
                )
            )

    def _psa_company(self):
        return self.company_id or self.env.company

    def _psa_create_order(self):
        self.ensure_one()
        company = self._psa_company()
        product = company.psa_crm_product_id or self.env.ref(
            "psa_crm.product_psa_service", raise_if_not_found=False
        )
        if not product:
            raise UserError(
                self.env._("Set the service product of estimates in the settings.")
            )
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "opportunity_id": self.id,
                    "team_id": self.team_id.id,
                    "user_id": self.user_id.id or self.env.user.id,
                    "company_id": company.id,
                    "origin": self.name,
                }
            )
        )
        today = fields.Date.context_today(self)
        order.write(
            {
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": line.name
                            or self.env._(
                                "%(product)s - %(role)s",
                                product=product.name,
                                role=line.role_id.name,
                            ),
                            "product_uom_qty": line.hours,
                            "price_unit": line.currency_id._convert(
                                line.rate, order.currency_id, company, today
                            ),
                        }
                    )
                    for line in self.psa_estimate_line_ids
                ]
            }
        )
        if company.psa_crm_confirm_order:
            order.action_confirm()
        return order

    def _psa_create_project(self):
        self.ensure_one()
        company = self._psa_company()
        values = {
            "name": self.name,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "date_start": self.psa_expected_start,
            "date": self.psa_expected_end,
            "company_id": company.id,
        }
        Project = self.env["project.project"].sudo().with_company(company)
        if self.psa_project_template_id:
            project = (
                self.psa_project_template_id.sudo()
                .with_company(company)
                .action_create_from_template(values)
            )
        else:
            project = Project.create(values)
        project.write({"allow_billable": True})
        if self.psa_order_id:
            self.psa_order_id._psa_link_project(project)
        # the estimate is the budget of the engagement
        today = fields.Date.context_today(self)
        project.psa_budget_line_ids.unlink()
        project.write(
            {
                "psa_budget_line_ids": [
                    Command.create(
                        {
                            "role_id": line.role_id.id,
                            "name": line.name,
                            "hours": line.hours,
                            "bill_rate": line.currency_id._convert(
                                line.rate, project.currency_id, company, today
                            ),
                        }
                    )
                    for line in self.psa_estimate_line_ids
                ]
            }
        )
        return project.with_env(self.env)

    def _psa_create_resource_requests(self):
        self.ensure_one()
        project = self.psa_project_id.sudo()
        if not project:
            return self.env["psa.resource.request"]
        Request = self.env["psa.resource.request"].sudo()
        existing = Request.with_context(active_test=False).search(
            [("project_id", "=", project.id)]
        )
        staffed_roles = existing.role_id
        hours_by_role = {}
        rate_by_role = {}
        today = fields.Date.context_today(self)
        for line in self.psa_estimate_line_ids:
            if line.role_id in staffed_roles or line.hours <= 0:
                continue
            hours_by_role[line.role_id] = hours_by_role.get(line.role_id, 0.0) + (
                line.hours
            )
            rate_by_role.setdefault(
                line.role_id,
                line.currency_id._convert(
                    line.rate,
                    project.company_id.currency_id,
                    project.company_id,
                    today,
                ),
            )
        return Request.create(
            [
                {
                    "project_id": project.id,
                    "role_id": role.id,
                    "hours": hours,
                    "date_from": self.psa_expected_start,
                    "date_to": self.psa_expected_end,
                    "bill_rate": rate_by_role[role],
                    "requested_by_id": self.env.user.id,
                    "note": self.env._("From opportunity %(lead)s", lead=self.name),
                }
                for role, hours in hours_by_role.items()
            ]
        )
