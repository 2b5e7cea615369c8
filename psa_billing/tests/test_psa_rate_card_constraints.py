from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PsaBillingCommon


@tagged("post_install", "-at_install")
class TestPsaRateCardConstraints(PsaBillingCommon):
    def test_overlap_same_key_refused(self):
        Line = self.env["psa.rate.card.line"]
        count = len(self.card_client.line_ids)
        with self.assertRaises(ValidationError) as error:
            Line.create(
                {
                    "rate_card_id": self.card_client.id,
                    "role_id": self.role_dev.id,
                    "price": 100.0,
                    "date_from": date(2026, 6, 1),
                }
            )
        self.assertIn("cannot overlap", str(error.exception))
        # open-ended line for an employee who already has one
        with self.assertRaises(ValidationError):
            self.card_client.write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "employee_id": self.employee_carl.id,
                                "price": 130.0,
                                "date_to": date(2025, 12, 31),
                            }
                        )
                    ]
                }
            )
        # moving a line over another one
        with self.assertRaises(ValidationError):
            self.card_client.line_ids.filtered("date_to").date_to = date(2026, 3, 1)
        self.card_client.invalidate_recordset()
        self.assertEqual(len(self.card_client.line_ids), count)

    def test_overlap_within_one_batch_refused(self):
        card = self.env["psa.rate.card"].create({"name": "New Card"})
        with self.assertRaises(ValidationError):
            self.env["psa.rate.card.line"].create(
                [
                    {
                        "rate_card_id": card.id,
                        "role_id": self.role_pm.id,
                        "price": price,
                        "date_from": date(2026, 1, 1),
                    }
                    for price in (100.0, 110.0)
                ]
            )
        self.assertFalse(card.line_ids)

    def test_different_keys_or_periods_allowed(self):
        lines = self.env["psa.rate.card.line"].create(
            [
                # same role, next period
                {
                    "rate_card_id": self.card_default.id,
                    "role_id": self.role_pm.id,
                    "price": 100.0,
                    "date_to": date(2026, 3, 31),
                },
                {
                    "rate_card_id": self.card_default.id,
                    "role_id": self.role_pm.id,
                    "price": 110.0,
                    "date_from": date(2026, 4, 1),
                },
                # same period, other keys: an employee, an employee in a role
                {
                    "rate_card_id": self.card_default.id,
                    "employee_id": self.employee_dana.id,
                    "price": 85.0,
                },
                {
                    "rate_card_id": self.card_default.id,
                    "employee_id": self.employee_dana.id,
                    "role_id": self.role_pm.id,
                    "price": 105.0,
                },
                # the same key in another card
                {
                    "rate_card_id": self.card_client.id,
                    "employee_id": self.employee_dana.id,
                    "price": 88.0,
                },
            ]
        )
        self.assertEqual(len(lines), 5)

    def test_one_default_card_per_company(self):
        Card = self.env["psa.rate.card"]
        with self.assertRaises(ValidationError) as error:
            Card.create({"name": "Second Default", "is_default": True})
        self.assertIn("at most one default", str(error.exception))
        # archived defaults do not count, other companies have their own
        self.card_default.action_archive()
        Card.create({"name": "New Default", "is_default": True})
        Card.create(
            {
                "name": "Company 2 Default",
                "is_default": True,
                "company_id": self.company2.id,
                "currency_id": self.company2.currency_id.id,
            }
        )

    def test_copy_card(self):
        copy = self.card_client.copy()
        self.assertEqual(copy.name, "Client Card (copy)")
        self.assertEqual(len(copy.line_ids), 3)
        self.assertFalse(self.card_default.copy().is_default)
