from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import PsaBillingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 10:00:00")
class TestPsaRateResolution(PsaBillingCommon):
    def _rate(self, line):
        result = self._resolve(line)[line.id]
        return result["rate_line"], result["price"], result["reason"]

    def test_card_order_engagement_client_company(self):
        on_engagement = self._timesheet(self.project_engagement, self.employee_dana)
        on_client = self._timesheet(self.project_client, self.employee_dana)
        on_other = self._timesheet(self.project_other, self.employee_dana)
        result = self._resolve(on_engagement | on_client | on_other)
        self.assertEqual(
            result[on_engagement.id]["rate_line"].rate_card_id, self.card_engagement
        )
        self.assertEqual(result[on_engagement.id]["price"], 97.53)
        self.assertEqual(result[on_engagement.id]["currency"], self.gbp)
        # the client's card comes from the commercial partner of the contact
        self.assertEqual(
            result[on_client.id]["rate_line"].rate_card_id, self.card_client
        )
        self.assertEqual(result[on_client.id]["price"], 95.0)
        self.assertEqual(
            result[on_other.id]["rate_line"].rate_card_id, self.card_default
        )
        self.assertEqual(result[on_other.id]["price"], 80.0)
        self.assertEqual(result[on_other.id]["currency"], self.eur)
        self.assertFalse(any(values["reason"] for values in result.values()))

    def test_engagement_from_sale_order_item_first(self):
        """The sale order item of the line wins over the project's sale order."""
        order2 = self.order.copy({"psa_rate_card_id": self.card_default.id})
        line = self._timesheet(
            self.project_engagement, self.employee_dana, so_line=order2.order_line.id
        )
        self.assertEqual(line.so_line.order_id, order2)
        rate_line, price, _reason = self._rate(line)
        self.assertEqual(rate_line.rate_card_id, self.card_default)
        self.assertEqual(price, 80.0)

    def test_engagement_without_card_uses_client_card(self):
        self.order.psa_rate_card_id = False
        line = self._timesheet(self.project_engagement, self.employee_dana)
        rate_line, price, _reason = self._rate(line)
        self.assertEqual(rate_line.rate_card_id, self.card_client)
        self.assertEqual(price, 95.0)

    def test_line_order_employee_role_default(self):
        carl = self._timesheet(self.project_client, self.employee_carl)
        dana = self._timesheet(self.project_client, self.employee_dana)
        self.assertEqual(self._rate(carl)[1], 120.0)  # employee line
        self.assertEqual(self._rate(dana)[1], 95.0)  # role line
        # default line of the card: no role line for project managers
        paul = self._timesheet(self.project_other, self.employee_paul)
        self.assertEqual(self._rate(paul)[1], 50.0)
        # the role of the line wins over the employee's default role
        dana_pm = self._timesheet(
            self.project_other, self.employee_dana, role_id=self.role_pm.id
        )
        self.assertEqual(self._rate(dana_pm)[1], 50.0)
        nora = self._timesheet(self.project_other, self.employee_nora)
        self.assertFalse(nora.role_id)
        self.assertEqual(self._rate(nora)[1], 50.0)

    def test_employee_line_for_a_role(self):
        """A line for an employee and a role wins over the employee's line."""
        self.card_client.line_ids = [
            (
                0,
                0,
                {
                    "employee_id": self.employee_carl.id,
                    "role_id": self.role_pm.id,
                    "price": 150.0,
                },
            )
        ]
        as_pm = self._timesheet(
            self.project_client, self.employee_carl, role_id=self.role_pm.id
        )
        as_dev = self._timesheet(self.project_client, self.employee_carl)
        self.assertEqual(self._rate(as_pm)[1], 150.0)
        self.assertEqual(self._rate(as_dev)[1], 120.0)

    def test_validity_dates(self):
        before = self._timesheet(
            self.project_client, self.employee_dana, day=self.day_before_change
        )
        after = self._timesheet(self.project_client, self.employee_dana)
        result = self._resolve(before | after)
        self.assertEqual(result[before.id]["price"], 90.0)
        self.assertEqual(result[after.id]["price"], 95.0)
        self.assertNotEqual(
            result[before.id]["rate_line"], result[after.id]["rate_line"]
        )

    def test_no_rate_reason(self):
        paul = self._timesheet(self.project_client, self.employee_paul)
        nora = self._timesheet(self.project_client, self.employee_nora)
        result = self._resolve(paul | nora)
        self.assertFalse(result[paul.id]["rate_line"])
        self.assertEqual(result[paul.id]["price"], 0.0)
        self.assertEqual(
            result[paul.id]["reason"],
            "No rate for role Project Manager on 2026-03-02 in card Client Card",
        )
        self.assertEqual(
            result[nora.id]["reason"],
            "No rate for Nora Noroles (no role) on 2026-03-02 in card Client Card",
        )
        # no card at all: the company has no default card any more
        self.card_default.action_archive()
        other = self._timesheet(self.project_other, self.employee_dana)
        reason = self._resolve(other)[other.id]["reason"]
        self.assertIn("No rate card", reason)
        # the reason is shown to billing administrators
        paul.invalidate_recordset()
        self.assertIn(
            "No rate for role Project Manager",
            paul.with_user(self.user_billing).psa_unpriced_reason,
        )

    def test_apply_rates_in_batch(self):
        lines = (
            self._timesheet(self.project_client, self.employee_carl)
            | self._timesheet(self.project_client, self.employee_dana)
            | self._timesheet(self.project_client, self.employee_dana, unit_amount=3)
            | self._timesheet(self.project_client, self.employee_paul)
        )
        lines.with_user(self.user_billing).action_psa_price()
        self.assertEqual(lines.mapped("psa_bill_rate"), [120.0, 95.0, 95.0, 0.0])
        self.assertEqual(
            [line.psa_rate_line_id.price for line in lines[:3]], [120.0, 95.0, 95.0]
        )
        self.assertFalse(lines[3].psa_rate_line_id)
        self.assertEqual(lines[0].psa_currency_id, self.eur)
        # a rate change is applied when pricing again
        lines[1].psa_rate_line_id.price = 99.0
        lines._psa_apply_rates()
        self.assertEqual(lines[1].psa_bill_rate, 99.0)

    def test_unpriced_time_screen(self):
        action = self.env.ref("psa_billing.account_analytic_line_action_psa_unpriced")
        Line = self.env["account.analytic.line"].with_user(self.user_billing)
        priced = self._timesheet(
            self.project_client, self.employee_dana, psa_state="approved"
        )
        no_rate = self._timesheet(
            self.project_client, self.employee_paul, psa_state="approved"
        )
        draft = self._timesheet(self.project_client, self.employee_paul)
        lines = Line.search(safe_eval(action.domain))
        self.assertIn(priced, lines)
        self.assertIn(no_rate, lines)
        self.assertNotIn(draft, lines)
        (priced | no_rate).with_user(self.user_billing).action_psa_price()
        lines = Line.search(safe_eval(action.domain))
        self.assertNotIn(priced, lines)
        self.assertIn(no_rate, lines)
        self.assertEqual(
            lines.filtered(lambda line: line == no_rate).psa_unpriced_reason,
            "No rate for role Project Manager on 2026-03-02 in card Client Card",
        )
