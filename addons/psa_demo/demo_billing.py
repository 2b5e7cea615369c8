"""Demo data of psa_billing: rate cards per client currency, engagements (confirmed
sale orders) selling the client projects, a posted monthly billing run and one in
preview. The European company's Umbrella audit is a fixed-price project, not billed on
time."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

from .demo_billing_plans import (
    generate_billing_plans_demo,
    reach_next_milestone,
    recognize_revenue,
)

# Hourly prices by role: (USD company default, EUR card of Globex, GBP card of
# Initech). Prices went up on the first day of the month four months ago.
DEMO_RATES = {
    "role_project_manager": (180.0, 165.0, 140.0),
    "role_architect": (210.0, 190.0, 165.0),
    "role_senior_developer": (165.0, 150.0, 130.0),
    "role_developer": (130.0, 120.0, 100.0),
    "role_consultant": (150.0, 140.0, 115.0),
    "role_support": (95.0, 88.0, 75.0),
}
PRICE_INCREASE = 1.05
# engagement: (project, client, pricelist, extra order values)
DEMO_ENGAGEMENTS = {
    "acme": ("project_acme_erp", "partner_acme", "pricelist_usd", {}),
    "globex": (
        "project_globex_data",
        "partner_globex",
        "pricelist_eur",
        {"psa_invoice_grouping": "employee", "psa_cap_amount": 50000.0},
    ),
    "initech": (
        "project_initech_managed",
        "partner_initech",
        "pricelist_gbp",
        {"psa_fx_policy": "locked", "psa_fx_rate": 0.79},
    ),
}


def generate_billing_demo(env):
    """Called by the post-init hook once the firm, its time and budgets exist."""
    today = fields.Date.context_today(env["res.users"])
    increase_day = today.replace(day=1) - relativedelta(months=4)
    _create_rate_cards(env, increase_day)
    orders = _create_engagements(env)
    fixed_fee, retainer = generate_billing_plans_demo(
        env, orders.order_line.product_id[:1]
    )
    # the month before last is billed and posted; last month waits in preview
    last_month_end = today.replace(day=1) - relativedelta(days=1)
    posted_cutoff = last_month_end.replace(day=1) - relativedelta(days=1)
    _create_credited_breach(env, posted_cutoff)
    Run = env["psa.billing.run"]
    posted = Run.create(
        {
            "cutoff_date": posted_cutoff,
            "invoice_date": posted_cutoff + relativedelta(days=1),
            "order_ids": [Command.set((orders | fixed_fee).ids)],
        }
    )
    posted.action_preview()
    goodwill = env.ref("psa_billing.psa_billing_reason_goodwill")
    acme_line = posted.line_ids.filtered(
        lambda line: line.order_id.partner_id == env.ref("psa_demo.partner_acme")
        and not line.is_held
    )[:1]
    if acme_line:
        acme_line.write(
            {
                "adjustment_amount": -acme_line.currency_id.round(
                    acme_line.amount * 0.1
                ),
                "reason_id": goodwill.id,
                "adjustment_note": "Goodwill after the delayed go-live",
            }
        )
    posted.action_create_invoices()
    posted.action_post()
    recognize_revenue(env, fixed_fee | retainer, posted_cutoff)
    reach_next_milestone(env, fixed_fee)
    preview = Run.create(
        {
            "cutoff_date": last_month_end,
            "invoice_date": min(today, last_month_end + relativedelta(days=3)),
        }
    )
    preview.action_preview()
    # what the daily cron does: value the unbilled time (WIP) at the rate cards
    env["account.analytic.line"]._psa_price_unbilled(limit=1000000)


def _create_credited_breach(env, day):
    """With psa_helpdesk_billing: an Acme ticket of the month billed by the posted
    run solved six hours late under the Gold policy (fixed credit): the run credits
    the breach on Acme's invoice."""
    if "sla_status_id" not in env["psa.billing.run.line"]._fields:
        return
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Warehouse scanners offline during the stock count",
            "description": "<p>No scanner of the warehouse connects to the ERP.</p>",
            "partner_id": env.ref("psa_demo.partner_acme_contact").id,
            "user_id": env.ref("psa_demo.user_alice").id,
            "project_id": env.ref("psa_demo.project_acme_erp").id,
        }
    )
    clocks = ticket.psa_sla_status_ids
    start = fields.Datetime.to_datetime(day - relativedelta(days=12)).replace(hour=9)
    clocks.write({"start": start})
    clocks._psa_plan(start)
    response = clocks.filtered(lambda clock: clock.target == "response")
    response._psa_reach(response.start + (response.deadline - response.start) / 2)
    resolution = clocks - response
    resolution._psa_reach(resolution.deadline + relativedelta(hours=6))
    ticket.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")


def _create_rate_cards(env, increase_day):
    Card = env["psa.rate.card"]
    cards = [
        ("Northwind Standard (USD)", "base.USD", 0, None, True),
        ("Globex (EUR)", "base.EUR", 1, "partner_globex", False),
        ("Initech (GBP)", "base.GBP", 2, "partner_initech", False),
    ]
    for name, currency_xmlid, column, partner_xmlid, is_default in cards:
        lines = []
        for role_xmlid, prices in DEMO_RATES.items():
            role = env.ref(f"psa_demo.{role_xmlid}")
            price = prices[column]
            lines += [
                Command.create(
                    {
                        "role_id": role.id,
                        "price": price,
                        "date_to": increase_day - relativedelta(days=1),
                    }
                ),
                Command.create(
                    {
                        "role_id": role.id,
                        "price": round(price * PRICE_INCREASE, 2),
                        "date_from": increase_day,
                    }
                ),
            ]
        card = Card.create(
            {
                "name": name,
                "currency_id": env.ref(currency_xmlid).id,
                "is_default": is_default,
                "line_ids": lines,
            }
        )
        if partner_xmlid:
            env.ref(f"psa_demo.{partner_xmlid}").psa_rate_card_id = card


def _create_engagements(env):
    product = env["product.product"].create(
        {
            "name": "Consulting Services (Time & Materials)",
            "type": "service",
            "invoice_policy": "delivery",
            "service_type": "timesheet",
            "uom_id": env.ref("uom.product_uom_hour").id,
            "list_price": 150.0,
        }
    )
    orders = env["sale.order"]
    for (
        project_xmlid,
        partner_xmlid,
        pricelist_xmlid,
        values,
    ) in DEMO_ENGAGEMENTS.values():
        project = env.ref(f"psa_demo.{project_xmlid}")
        order = env["sale.order"].create(
            {
                "partner_id": env.ref(f"psa_demo.{partner_xmlid}").id,
                "pricelist_id": env.ref(f"psa_demo.{pricelist_xmlid}").id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 0.0})
                ],
                **values,
            }
        )
        order.action_confirm()
        project.write({"allow_billable": True, "sale_line_id": order.order_line.id})
        orders |= order
    return orders
