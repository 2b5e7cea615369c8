from odoo import fields, models


class PsaRevenueRecognitionWizard(models.TransientModel):
    _name = "psa.revenue.recognition.wizard"
    _description = "Revenue Recognition Period End"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
