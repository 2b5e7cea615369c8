"""Demo data of psa_billing's billing plans: one engagement of each plan type with
a few months of history, next to the time and materials engagements of
demo_billing.py (Acme, and Globex with its not-to-exceed cap):

- Stark Industries: a managed support retainer of 20 hours a month since four
  months, unused hours rolled over for one month (then expired), overage billed;
  billed month by month in advance, the current month past its 80 % alert;
- Initech: a monthly managed hosting fee started mid-month three months ago
  (prorated first month), on its time and materials engagement;
- Acme: a fixed-fee warehouse rollout billed on three milestones, recognized
  as its milestones are reached.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

# Stark's approved support hours, month by month (0 = the current month) and
# the day of the month they were logged: (months ago, [(day, hours)])
STARK_HOURS = {
    # 14 h of 20: 6 h roll over into the next month
    4: [(3, 4.0), (10, 3.0), (17, 4.0), (24, 3.0)],
    # a quiet month: 3 h of the 6 rolled over are used, the other 3 expire, the
    # month's 20 h roll over
    3: [(8, 2.0), (22, 1.0)],
    # a go-live: 45 h of 40, 5 h of overage
    2: [(4, 12.0), (11, 11.0), (18, 11.0), (25, 11.0)],
    # 24 h of 20: 4 h of overage
    1: [(3, 7.0), (10, 6.0), (17, 5.0), (24, 6.0)],
    # the current month, past its 80 % alert
    0: [(1, 9.0), (2, 8.0)],
}


def generate_billing_plans_demo(env, time_product):
    """Called by generate_billing_demo before its runs; returns the fixed-fee
    engagement (billed by its posted run) and the retainer engagement (billed
    month by month here). The Initech fee rides on Initech's own engagement."""
    today = fields.Date.context_today(env["res.users"])
    this_month = today.replace(day=1)
    _add_hosting_fee(env, this_month)
    retainer = _create_retainer_engagement(env, time_product, this_month, today)
    return _create_fixed_fee_engagement(env, this_month), retainer


def reach_next_milestone(env, order):
    """After the posted run: the second milestone of the fixed-fee engagement is
    reached last month (the billing run in preview shows it)."""
    milestones = env["project.milestone"].search(
        [("sale_line_id.order_id", "=", order.id), ("is_reached", "=", False)],
        order="deadline",
        limit=1,
    )
    last_month = fields.Date.context_today(env["res.users"]).replace(
        day=1
    ) - relativedelta(months=1)
    milestones.write({"is_reached": True})
    milestones.write({"reached_date": last_month + timedelta(days=14)})


def recognize_revenue(env, orders, period_end):
    """The accountant's period end: revenue of the fixed fee by milestones, of
    the retainer straight line, posted to accrued or deferred revenue."""
    company = orders.company_id
    if not (
        company.psa_accrued_revenue_account_id
        and company.psa_deferred_revenue_account_id
        and company.psa_revenue_journal_id
    ):
        return
    env["psa.revenue.recognition.wizard"].create(
        {
            "company_id": company.id,
            "date_to": period_end,
            "order_ids": [Command.set(orders.ids)],
        }
    ).action_recognize()


def _add_hosting_fee(env, this_month):
    initech_order = env["sale.order"].search(
        [
            ("partner_id", "=", env.ref("psa_demo.partner_initech").id),
            ("state", "=", "sale"),
        ],
        limit=1,
    )
    hosting = env["product.product"].create(
        {
            "name": "Managed Hosting",
            "type": "service",
            "invoice_policy": "order",
            "list_price": 1200.0,
        }
    )
    env["psa.billing.plan.line"].create(
        {
            "order_id": initech_order.id,
            "type": "recurring",
            "product_id": hosting.id,
            "name": "Managed hosting of the Initech portal",
            "amount": 1200.0,
            "frequency": "monthly",
            "in_advance": True,
            "proration": True,
            "date_start": this_month - relativedelta(months=3) + timedelta(days=14),
        }
    )


def _create_retainer_engagement(env, time_product, this_month, today):
    stark = env.ref("psa_demo.partner_stark")
    bob = env.ref("psa_demo.user_bob")
    start = this_month - relativedelta(months=4)
    order = env["sale.order"].create(
        {
            "partner_id": stark.id,
            "user_id": bob.id,
            "pricelist_id": env.ref("psa_demo.pricelist_usd").id,
            "psa_revenue_method": "straight_line",
            "order_line": [
                Command.create({"product_id": time_product.id, "product_uom_qty": 0.0})
            ],
        }
    )
    order.action_confirm()
    project = env["project.project"].create(
        {
            "name": "Stark Managed Support",
            "partner_id": stark.id,
            "user_id": bob.id,
            "allow_timesheets": True,
            "allow_billable": True,
            "sale_line_id": order.order_line.id,
            "date_start": start,
        }
    )
    retainer_product = env["product.product"].create(
        {
            "name": "Managed Support Retainer",
            "type": "service",
            "invoice_policy": "order",
            "list_price": 3000.0,
        }
    )
    env["psa.billing.plan.line"].create(
        {
            "order_id": order.id,
            "type": "retainer",
            "product_id": retainer_product.id,
            "name": "Managed support: 20 hours a month",
            "amount": 3000.0,
            "frequency": "monthly",
            "date_start": start,
            "retainer_hours": 20.0,
            "overage_rate": 180.0,
            "overage_policy": "bill",
            "rollover_policy": "rollover",
            "rollover_max_periods": 1,
            "alert_thresholds": "80,100",
        }
    )
    employees = env.ref("psa_demo.employee_ivan") | env.ref("psa_demo.employee_alice")
    Period = env["psa.retainer.period"]
    Run = env["psa.billing.run"]
    for months_ago in range(4, -1, -1):
        month = this_month - relativedelta(months=months_ago)
        if months_ago >= 2:
            # billed in advance on the 1st: the month's fee and the time of the
            # month before (its overage)
            run = Run.create(
                {
                    "cutoff_date": month - timedelta(days=1),
                    "invoice_date": month,
                    "order_ids": [Command.set(order.ids)],
                }
            )
            run.action_preview()
            run.action_create_invoices()
            run.action_post()
        lines = env["account.analytic.line"].create(
            [
                {
                    "name": "Service desk and monitoring",
                    "project_id": project.id,
                    "employee_id": employees[index % 2].id,
                    "date": min(month + timedelta(days=day - 1), today),
                    "unit_amount": hours,
                }
                for index, (day, hours) in enumerate(STARK_HOURS[months_ago])
            ]
        )
        lines._psa_set_state("approved", {})
        if months_ago:
            # the daily job at the first of the next month closes the period
            Period._psa_close_periods(month + relativedelta(months=1))
    return order


def _create_fixed_fee_engagement(env, this_month):
    acme = env.ref("psa_demo.partner_acme")
    product = env["product.product"].create(
        {
            "name": "Warehouse Rollout (Fixed Fee)",
            "type": "service",
            "invoice_policy": "delivery",
            "service_type": "milestones",
            "list_price": 30000.0,
        }
    )
    order = env["sale.order"].create(
        {
            "partner_id": acme.id,
            "user_id": env.ref("psa_demo.user_bob").id,
            "pricelist_id": env.ref("psa_demo.pricelist_usd").id,
            "psa_revenue_method": "milestone",
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1.0})
            ],
        }
    )
    order.action_confirm()
    project = env["project.project"].create(
        {
            "name": "Acme Warehouse Rollout",
            "partner_id": acme.id,
            "allow_timesheets": True,
            "allow_billable": True,
            "allow_milestones": True,
            "sale_line_id": order.order_line.id,
            "date_start": this_month - relativedelta(months=3),
            "date": this_month + relativedelta(months=3),
        }
    )
    sale_line = order.order_line
    milestones = env["project.milestone"].create(
        [
            {
                "name": name,
                "project_id": project.id,
                "sale_line_id": sale_line.id,
                "quantity_percentage": share,
                "deadline": this_month + relativedelta(months=offset),
            }
            for name, share, offset in (
                ("Design signed off", 0.3, -2),
                ("Pilot warehouse live", 0.4, -1),
                ("All warehouses live", 0.3, 2),
            )
        ]
    )
    # the design was signed off two months ago (billed by the posted run)
    milestones[0].write({"is_reached": True})
    milestones[0].write(
        {"reached_date": this_month - relativedelta(months=2) + timedelta(days=9)}
    )
    return order
