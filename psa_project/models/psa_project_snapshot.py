from odoo import fields, models


class PsaProjectSnapshot(models.Model):
    _name = "psa.project.snapshot"
    _description = "Project Earned Value Snapshot"
    _order = "date desc, project_id"
    _rec_name = "project_id"

    project_id = fields.Many2one(
        "project.project", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", related="project_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one("res.currency", required=True)
    date = fields.Date(required=True, index=True)
    bac = fields.Monetary(string="Budget (BAC)", aggregator="sum")
    pv = fields.Monetary(string="Planned Value", aggregator="sum")
    ev = fields.Monetary(string="Earned Value", aggregator="sum")
    ac = fields.Monetary(string="Actual Cost", aggregator="sum")
    eac = fields.Monetary(string="Estimate at Completion", aggregator="sum")
    cpi = fields.Float(string="CPI", digits=(16, 2), aggregator="avg")
    spi = fields.Float(string="SPI", digits=(16, 2), aggregator="avg")
    progress = fields.Float(digits=(16, 4), aggregator="avg")
    health = fields.Selection(
        [("on_track", "On Track"), ("at_risk", "At Risk"), ("off_track", "Off Track")]
    )
    risk_score = fields.Integer(aggregator="avg")

    _project_date_uniq = models.Constraint(
        "UNIQUE(project_id, date)", "One snapshot per project and date."
    )
