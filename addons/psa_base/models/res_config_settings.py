from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_psa_timesheet = fields.Boolean(string="Timesheet Approval")
    module_psa_project = fields.Boolean(string="Project Budgets and Health")
    module_psa_billing = fields.Boolean(string="Rate Cards and Billing Runs")
    module_psa_helpdesk = fields.Boolean(string="Helpdesk SLAs")
    module_psa_resource = fields.Boolean(string="Resource Planning")
    module_psa_crm = fields.Boolean(string="Opportunity Estimates")
