from odoo import api, fields, models


class PsaResourceRequestSkill(models.Model):
    _name = "psa.resource.request.skill"
    _description = "Resource Request Skill Requirement"
    _order = "request_id, id"
    _rec_name = "skill_id"

    request_id = fields.Many2one(
        "psa.resource.request", required=True, index=True, ondelete="cascade"
    )
    skill_type_id = fields.Many2one("hr.skill.type", required=True, ondelete="restrict")
    skill_id = fields.Many2one(
        "hr.skill",
        required=True,
        ondelete="restrict",
        domain="[('skill_type_id', '=', skill_type_id)]",
    )
    level_id = fields.Many2one(
        "hr.skill.level",
        string="Minimum Level",
        compute="_compute_level_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        domain="[('skill_type_id', '=', skill_type_id)]",
    )
    level_progress = fields.Integer(
        string="Minimum Progress", related="level_id.level_progress"
    )

    _skill_uniq = models.Constraint(
        "UNIQUE(request_id, skill_id)", "A skill is required once per request."
    )

    @api.depends("skill_type_id")
    def _compute_level_id(self):
        for line in self:
            if line.level_id.skill_type_id == line.skill_type_id:
                line.level_id = line.level_id
            else:
                levels = line.skill_type_id.skill_level_ids
                line.level_id = (
                    levels.filtered("default_level")[:1] or levels[:1]
                    if levels
                    else False
                )
