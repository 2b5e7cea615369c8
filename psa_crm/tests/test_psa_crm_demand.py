from datetime import date

from odoo.tests import tagged

from .common import PsaCrmCommon


@tagged("post_install", "-at_install")
class TestPsaCrmDemand(PsaCrmCommon):
    def test_pipeline_weighted_demand(self):
        """A: 100 h at 30 % over two weeks (Mon 7 Jan 2030 - Fri 18 Jan) gives
        15 h a week; B: 50 h at 70 % over the first week gives 35 h.
        Week of 7 Jan: 15 + 35 = 50 h; week of 14 Jan: 15 h."""
        lead_a = self._create_opportunity(
            "Deal A",
            [(self.role_dev, 100.0)],
            psa_expected_start=date(2030, 1, 7),
            psa_expected_end=date(2030, 1, 18),
        )
        lead_b = self._create_opportunity(
            "Deal B",
            [(self.role_dev, 50.0)],
            psa_expected_start=date(2030, 1, 5),  # a Saturday: no work
            psa_expected_end=date(2030, 1, 11),
        )
        lead_a.probability = 30.0
        lead_b.probability = 70.0
        self.env.flush_all()
        forecast = self.env["psa.demand.forecast"].search(
            [("role_id", "=", self.role_dev.id)]
        )
        self.assertEqual(
            [(row.week, round(row.pipeline_hours, 6)) for row in forecast],
            [(date(2030, 1, 7), 50.0), (date(2030, 1, 14), 15.0)],
        )
        report = self.env["psa.capacity.demand.report"].search(
            [("role_id", "=", self.role_dev.id)]
        )
        self.assertEqual(
            [(row.week, round(row.pipeline_hours, 6)) for row in report],
            [(date(2030, 1, 7), 50.0), (date(2030, 1, 14), 15.0)],
        )
        # a won opportunity leaves the pipeline
        lead_b.write({"stage_id": self.stage_won.id})
        self.env.flush_all()
        self.env.invalidate_all()
        forecast = self.env["psa.demand.forecast"].search(
            [("role_id", "=", self.role_dev.id)]
        )
        self.assertEqual(
            [(row.week, round(row.pipeline_hours, 6)) for row in forecast],
            [(date(2030, 1, 7), 15.0), (date(2030, 1, 14), 15.0)],
        )

    def test_forecast_with_allocations_and_capacity(self):
        """One developer (40 h a week) allocated 4 h a day confirmed and 2 h a day
        tentative in the week of 7 Jan 2030, and a deal of 100 h at 50 % over
        that week: capacity 40, confirmed 20, tentative 10, pipeline 50, left
        40 - 80 = -40."""
        calendar = self.env["resource.calendar"].create(
            {"name": "CRM 40h UTC", "tz": "UTC", "company_id": self.company.id}
        )
        employee = self.env["hr.employee"].create(
            {
                "name": "CRM Dev",
                "resource_calendar_id": calendar.id,
                "default_role_id": self.role_dev.id,
            }
        )
        project = self.env["project.project"].create({"name": "CRM Running"})
        week = (date(2030, 1, 7), date(2030, 1, 11))
        employee._psa_refresh_capacity(*week)
        self.env["psa.allocation"].create(
            [
                {
                    "employee_id": employee.id,
                    "project_id": project.id,
                    "date_from": week[0],
                    "date_to": week[1],
                    "allocation_type": "hours",
                    "hours_per_day": hours,
                    "state": state,
                }
                for hours, state in ((4.0, "confirmed"), (2.0, "tentative"))
            ]
        )
        lead = self._create_opportunity(
            "Deal C",
            [(self.role_dev, 100.0)],
            psa_expected_start=week[0],
            psa_expected_end=week[1],
        )
        lead.probability = 50.0
        self.env.flush_all()
        row = self.env["psa.demand.forecast"].search(
            [("role_id", "=", self.role_dev.id), ("week", "=", week[0])]
        )
        self.assertRecordValues(
            row,
            [
                {
                    "capacity_hours": 40.0,
                    "confirmed_hours": 20.0,
                    "tentative_hours": 10.0,
                    "pipeline_hours": 50.0,
                    "gap_hours": -40.0,
                }
            ],
        )
