from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _psa_link_project(self, project):
        """Link the engagement's project to the order. A quotation is linked
        through ``reinvoiced_sale_order_id`` (linking its line would confirm it,
        see sale_project); a confirmed order through its first line."""
        self.ensure_one()
        order = self.sudo()
        project = project.sudo()
        values = {"reinvoiced_sale_order_id": order.id}
        if order.state == "sale" and order.order_line and not project.sale_line_id:
            values["sale_line_id"] = order.order_line[:1].id
        project.write(values)
        if not order.project_id:
            order.project_id = project
        order.order_line.filtered(lambda sol: not sol.project_id).write(
            {"project_id": project.id}
        )

    def _action_confirm(self):
        result = super()._action_confirm()
        # only orders of opportunities may be engagements of won deals
        orders = self.filtered("opportunity_id")
        if not orders:
            return result
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search(
                [("psa_order_id", "in", orders.ids), ("psa_project_id", "!=", False)]
            )
        )
        for lead in leads:
            lead.psa_order_id._psa_link_project(lead.psa_project_id)
        return result
