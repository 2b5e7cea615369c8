from odoo import api, models
from odoo.tools import SQL


class PsaCapacityDemandReport(models.Model):
    _inherit = "psa.capacity.demand.report"

    @api.model
    def _psa_demand_sources(self):
        """Add the pipeline: the estimate of each open opportunity weighted by its
        probability, spread evenly over the weekdays between its expected start
        and end."""
        return [
            *super()._psa_demand_sources(),
            SQL(
                """
                SELECT E.role_id, E.company_id, W.day, 0.0 AS capacity,
                       0.0 AS confirmed, 0.0 AS tentative, 0.0 AS open_request,
                       E.hours * L.probability / 100.0
                           / COUNT(*) OVER (PARTITION BY E.id) AS pipeline
                FROM psa_opportunity_estimate E
                JOIN crm_lead L ON L.id = E.lead_id
                LEFT JOIN crm_stage ST ON ST.id = L.stage_id
                CROSS JOIN LATERAL (
                    SELECT G.day::date AS day
                    FROM generate_series(
                        L.psa_expected_start, L.psa_expected_end, INTERVAL '1 day'
                    ) AS G(day)
                    WHERE EXTRACT(ISODOW FROM G.day) < 6
                ) W
                WHERE L.active
                  AND L.type = 'opportunity'
                  AND NOT COALESCE(ST.is_won, FALSE)
                  AND L.psa_project_id IS NULL
                  AND L.probability > 0
                  AND E.hours > 0
                  AND L.psa_expected_start IS NOT NULL
                  AND L.psa_expected_end IS NOT NULL
                """
            ),
        ]
