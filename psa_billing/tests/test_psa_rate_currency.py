from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import PsaBillingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 10:00:00")
class TestPsaRateCurrency(PsaBillingCommon):
    """A GBP card (Developer 97.53 GBP) priced for a EUR engagement. Odoo's rates
    for the company: 1 EUR = 0.85 GBP from 2026-01-01, 0.86 GBP from 2026-03-01."""

    def test_invoice_date_policy(self):
        Line = self.env["account.analytic.line"]
        self.assertEqual(self.order.currency_id, self.eur)
        self.assertEqual(self.order.psa_fx_policy, "invoice_date")
        # 97.53 / 0.86 = 113.4069... -> 113.41
        self.assertEqual(
            Line._psa_price_in_currency(
                97.53, self.gbp, self.eur, date(2026, 3, 15), self.order
            ),
            113.41,
        )
        # 97.53 / 0.85 = 114.7411... -> 114.74
        self.assertEqual(
            Line._psa_price_in_currency(
                97.53, self.gbp, self.eur, date(2026, 2, 15), self.order
            ),
            114.74,
        )
        # same currency: no conversion, rounding only
        self.assertEqual(
            Line._psa_price_in_currency(
                95.004, self.eur, self.eur, date(2026, 3, 15), self.order
            ),
            95.0,
        )
        line = self._timesheet(self.project_engagement, self.employee_dana)
        line._psa_apply_rates(date=date(2026, 3, 15))
        self.assertEqual(line.psa_currency_id, self.eur)
        self.assertEqual(line.psa_bill_rate, 113.41)
        # default conversion date: today
        line._psa_apply_rates()
        self.assertEqual(line.psa_bill_rate, 113.41)

    def test_locked_policy(self):
        self.order.write({"psa_fx_policy": "locked", "psa_fx_rate": 1.1637})
        Line = self.env["account.analytic.line"]
        # 97.53 * 1.1637 = 113.495661 -> 113.50, whatever the date
        for day in (date(2026, 2, 15), date(2026, 3, 15)):
            self.assertEqual(
                Line._psa_price_in_currency(97.53, self.gbp, self.eur, day, self.order),
                113.50,
            )
        line = self._timesheet(self.project_engagement, self.employee_dana)
        line._psa_apply_rates(date=date(2026, 3, 15))
        self.assertEqual(line.psa_bill_rate, 113.50)
        self.assertEqual(line.psa_rate_line_id.price, 97.53)

    def test_locked_policy_needs_rate(self):
        with self.assertRaises(ValidationError) as error:
            self.order.write({"psa_fx_policy": "locked", "psa_fx_rate": 0.0})
        self.assertIn("locked exchange rate", str(error.exception))
