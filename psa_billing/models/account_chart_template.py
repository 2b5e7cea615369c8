from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo, force_create=True):
        result = super()._load(
            template_code, company, install_demo, force_create=force_create
        )
        # the revenue recognition settings of a company given a chart now
        company = company or self.env.company
        company.sudo()._psa_set_revenue_recognition_defaults()
        return result
