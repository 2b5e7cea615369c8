from odoo import models

from ..demo_billing import generate_billing_demo
from ..demo_crm import generate_crm_demo


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _register_hook(self):
        # Odoo loads the chart of accounts of the new localization in this same hook
        # (account's override, called by super()), after every module is installed:
        # the demo invoices wait for it.
        super()._register_hook()
        if getattr(self.env.registry, "_psa_demo_billing_pending", False):
            del self.env.registry._psa_demo_billing_pending
            generate_billing_demo(self.env)
            # the pipeline prices its estimates with the clients' rate cards
            generate_crm_demo(self.env)
