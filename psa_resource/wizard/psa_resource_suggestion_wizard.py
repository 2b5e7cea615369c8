from odoo import fields, models

PSA_SUGGESTION_LIMIT = 5


class PsaResourceSuggestionWizard(models.TransientModel):
    _name = "psa.resource.suggestion.wizard"
    _description = "Staffing Suggestions"

    request_id = fields.Many2one(
        "psa.resource.request", required=True, ondelete="cascade"
    )
    line_ids = fields.One2many(
        "psa.resource.suggestion", "wizard_id", string="Candidates"
    )

    def _psa_fill(self):
        """Fill the candidates of the request, best first."""
        for wizard in self:
            candidates = wizard.request_id.psa_suggest(limit=PSA_SUGGESTION_LIMIT)
            wizard.line_ids = [
                fields.Command.create(
                    {
                        "rank": rank,
                        "employee_id": candidate["employee_id"],
                        "score": candidate["score"],
                        "skill_score": candidate["breakdown"]["skill"],
                        "availability_score": candidate["breakdown"]["availability"],
                        "margin_score": candidate["breakdown"]["margin"],
                        "target_score": candidate["breakdown"]["target_gap"],
                        "continuity_score": candidate["breakdown"]["continuity"],
                        "free_hours": candidate["details"]["free_hours"],
                        "reasons": candidate["reasons"],
                    }
                )
                for rank, candidate in enumerate(candidates, start=1)
            ]
