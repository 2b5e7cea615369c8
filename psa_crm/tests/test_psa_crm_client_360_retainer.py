from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.psa_billing.tests.test_psa_retainer import PsaRetainerCommon


@tagged("post_install", "-at_install")
class TestPsaCrmClient360Retainer(PsaRetainerCommon):
    """The Client 360 shows the current periods of the client's hour retainers:
    a 20-hour monthly retainer of this month with 13.5 h approved (and 2 h in
    draft, not burnt) leaves 6.5 h; last month's period does not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.month_start = today.replace(day=1)
        cls.retainer = cls._retainer(
            cls.engagement, date_start=cls.month_start - relativedelta(months=1)
        )
        cls.user_am.group_ids |= cls.env.ref("psa_base.group_psa_user")

    def test_retainer_balance(self):
        last_month = self.month_start - relativedelta(months=1)
        self._log(last_month, 3.0)
        self._log(self.month_start, 8.0)
        self._log(self.month_start, 5.5, employee=self.employee_paul)
        self._log(self.month_start, 2.0, state="draft")
        client = self.client.with_user(self.user_am)
        self.assertEqual(client.psa_retainer_count, 1)
        self.assertEqual(client.psa_retainer_hours_balance, 20.0)
        self.assertEqual(client.psa_retainer_hours_remaining, 6.5)
        self.assertEqual(client.psa_retainer_overage_hours, 0.0)
        self._log(self.month_start, 10.0)
        client.invalidate_recordset()
        self.assertEqual(client.psa_retainer_hours_remaining, 0.0)
        self.assertEqual(client.psa_retainer_overage_hours, 3.5)
        action = client.action_psa_open_client_retainers()
        periods = self.env["psa.retainer.period"].search(action["domain"])
        self.assertEqual(periods, self.retainer.retainer_period_ids)
        self.assertEqual(len(periods), 2)

    def test_other_client_sees_nothing(self):
        self._log(self.month_start, 8.0)
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self.assertEqual(other.psa_retainer_count, 0)
        self.assertEqual(self.client.psa_retainer_hours_remaining, 12.0)
