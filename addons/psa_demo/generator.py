"""Generator of a services firm at a chosen scale, for the benchmarks (issue #10).

At scale 1: about 100 employees, 300 clients in 3 currencies, 600 engagements (time
and materials, capped, retainer, recurring fee, fixed fee), 12 months of timesheets
(~250,000 lines, mostly approved) and 20,000 helpdesk tickets; scale 4 is four times
that, scale 0.05 a small firm for tests. The retainers are psa_billing's: a block of
hours a month since the engagement started, whose periods the approved time burns,
the past ones closed (rolled over or expired) as the daily job would have.

Deterministic: the same scale, seed and day give the same firm. Everything is created
through the ORM except the bulk of the timesheets: for each (employee, task, approval
state) the first line is created, submitted and approved through the ORM (the
*prototype*), and its other lines are copied from it in SQL, with their own date,
hours, description and cost. Stored fields that depend on what differs between the
copies are then recomputed by the ORM, and the fields of other models that depend on
the timesheets (delivered quantities, task hours, ...) are marked modified, so the
result is what ``create`` + ``action_psa_submit`` + ``action_psa_approve`` would have
produced (``tests/test_psa_bench_generator.py`` compares both paths). The approval
of the copies burns the retainers (``psa.retainer.period``) through the ORM's own
allocation, called once for all the retainer engagements.

Usage, e.g. from ``odoo shell``::

    from odoo.addons.psa_demo.generator import FirmGenerator
    FirmGenerator(env, scale=0.1, seed=42).generate()
"""

import logging
import random
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# sizes at scale 1
SIZES = {
    "employees": 100,
    "clients": 300,
    "engagements": 600,
    "tickets": 20000,
}
MONTHS = 12
# share of the engagements of each kind
ENGAGEMENT_KINDS = [
    ("tm", 0.40),
    ("capped", 0.15),
    # time and materials whose time burns a retainer (a psa.billing.plan.line of
    # type retainer) first: a monthly block of hours, the overage billed
    ("retainer", 0.10),
    ("recurring", 0.15),
    ("fixed", 0.20),
]
ROLES = [
    ("Bench Consultant", 150.0),
    ("Bench Senior Consultant", 180.0),
    ("Bench Developer", 130.0),
    ("Bench Project Manager", 190.0),
]
DESCRIPTIONS = [
    "Workshop with key users",
    "Configuration",
    "Data migration scripts",
    "Code review",
    "Status meeting",
    "Testing and fixes",
    "Documentation",
    "Support requests",
]
TICKET_TITLES = [
    "Login fails",
    "Report export is slow",
    "Printer offline",
    "Password reset",
    "Invoice layout broken",
    "VPN drops",
    "New user accounts",
    "Dashboard shows no data",
]
# retainers: hours a month, price of an hour of the block (the monthly amount is
# hours x price), overage rate, unused hours, alert thresholds (%)
RETAINER_HOURS = [20.0, 40.0, 80.0]
RETAINER_HOUR_PRICES = [130.0, 140.0]
RETAINER_OVERAGE_RATES = [165.0, 180.0, 195.0]
RETAINER_ROLLOVER = ["expire", "rollover"]
RETAINER_ALERTS = ["80,100", "75,100", "90"]
# the columns that differ between a prototype timesheet and its copies
VARYING_COLUMNS = ("date", "unit_amount", "name", "amount")
# the columns a copy does not take from its prototype (empty on a new line): its
# retainer allocation, made for all the lines once they are copied
RESET_COLUMNS = (
    "psa_retainer_period_id",
    "psa_retainer_covered",
    "psa_retainer_overage",
)
SQL_BATCH = 20000


def _scaled(name, scale, minimum):
    return max(minimum, round(SIZES[name] * scale))


class FirmGenerator:
    """Generate a firm of ``scale`` times the scale-1 sizes in ``env``'s company."""

    def __init__(self, env, scale=1.0, seed=42, today=None):
        self.env = env
        self.scale = scale
        self.seed = seed
        self.today = today or fields.Date.context_today(env["res.users"])
        self.company = env.company
        self.stats = {}
        self.retainer_lines = None
        self.retainer_alerts = {}

    def _rng(self, step):
        """A random generator per step: a step gives the same result whatever
        the steps run before it."""
        return random.Random(f"{self.seed}:{step}")

    # ------------------------------------------------------------
    # ENTRY POINT
    # ------------------------------------------------------------

    def generate(self):
        """Generate the whole firm; return the counts of what was created."""
        steps = [
            ("master data", self._generate_master_data),
            ("employees", self._generate_employees),
            ("clients", self._generate_clients),
            ("engagements", self._generate_engagements),
            ("timesheets", self._generate_timesheets),
            ("retainers", self._generate_retainer_history),
            ("tickets", self._generate_tickets),
        ]
        for label, step in steps:
            started = time.perf_counter()
            step()
            self.env.flush_all()
            _logger.info(
                "psa bench generator: %s in %.1f s",
                label,
                time.perf_counter() - started,
            )
        return self.stats

    # ------------------------------------------------------------
    # SMALL TABLES (ORM)
    # ------------------------------------------------------------

    def _generate_master_data(self):
        env = self.env
        company_currency = self.company.currency_id
        others = [
            env.ref(xmlid)
            for xmlid in ("base.USD", "base.EUR", "base.GBP")
            if env.ref(xmlid) != company_currency
        ][:2]
        others_rates = [0.92, 0.79]
        for currency, rate in zip(others, others_rates, strict=True):
            currency.active = True
            env["res.currency.rate"].create(
                {
                    "currency_id": currency.id,
                    "company_id": self.company.id,
                    "name": self.today - relativedelta(months=MONTHS + 1),
                    "rate": rate,
                }
            )
        self.currencies = [company_currency, *others]
        self.pricelists = env["product.pricelist"].create(
            [
                {"name": f"Bench {currency.name}", "currency_id": currency.id}
                for currency in self.currencies
            ]
        )
        self.roles = env["project.role"].create([{"name": name} for name, _p in ROLES])
        self._generate_rate_card(company_currency)
        hour = env.ref("uom.product_uom_hour")
        Product = env["product.product"]
        self.product_tm = Product.create(
            {
                "name": "Bench Consulting (Time & Materials)",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "uom_id": hour.id,
                "list_price": 150.0,
            }
        )
        self.product_fixed = Product.create(
            {
                "name": "Bench Fixed Fee Project",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "manual",
                "list_price": 25000.0,
            }
        )
        self.product_fee = Product.create(
            {
                "name": "Bench Monthly Fee",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "manual",
                "list_price": 2000.0,
            }
        )
        self.product_retainer = Product.create(
            {
                "name": "Bench Support Retainer",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "manual",
                "list_price": 5600.0,
            }
        )

    def _generate_rate_card(self, company_currency):
        """The company's default card prices the time (an existing one is kept).
        Without the suite (the native baseline of the benchmarks): no card."""
        env = self.env
        if "psa.rate.card" not in env:
            return
        has_default = env["psa.rate.card"].search_count(
            [("is_default", "=", True), ("company_id", "=", self.company.id)]
        )
        env["psa.rate.card"].create(
            {
                "name": f"Bench Standard ({company_currency.name})",
                "currency_id": company_currency.id,
                "is_default": not has_default,
                "line_ids": [
                    Command.create({"role_id": role.id, "price": price})
                    for role, (_name, price) in zip(self.roles, ROLES, strict=True)
                ]
                + [Command.create({"price": 140.0})],
            }
        )

    def _generate_employees(self):
        count = _scaled("employees", self.scale, 3)
        rng = self._rng("employees")
        calendar = self.company.resource_calendar_id
        Employee = self.env["hr.employee"]
        vals_list = [
            {
                "name": f"Bench Employee {index:05d}",
                "hourly_cost": rng.choice([45.0, 55.0, 62.5, 70.0, 85.0]),
                "default_role_id": rng.choice(self.roles).id,
                "resource_calendar_id": calendar.id,
                "company_id": self.company.id,
            }
            for index in range(count)
        ]
        if "default_role_id" not in Employee._fields:
            for vals in vals_list:
                del vals["default_role_id"]
        self.employees = Employee.create(vals_list)
        self.stats["employees"] = count

    def _generate_clients(self):
        count = _scaled("clients", self.scale, 3)
        self.clients = self.env["res.partner"].create(
            [
                {
                    "name": f"Bench Client {index:05d}",
                    "is_company": True,
                    "email": f"client{index:05d}@bench.example.com",
                }
                for index in range(count)
            ]
        )
        # the client's currency: its pricelist, index modulo 3
        self.client_pricelist = {
            client.id: self.pricelists[index % len(self.pricelists)]
            for index, client in enumerate(self.clients)
        }
        self.stats["clients"] = count

    def _generate_engagements(self):
        count = _scaled("engagements", self.scale, len(ENGAGEMENT_KINDS))
        rng = self._rng("engagements")
        kinds = []
        for kind, share in ENGAGEMENT_KINDS:
            kinds += [kind] * max(1, round(count * share))
        kinds = kinds[:count]
        rng.shuffle(kinds)
        start = self.today - relativedelta(months=MONTHS)
        clients = [rng.choice(self.clients) for _kind in kinds]
        projects = self.env["project.project"].create(
            [
                {
                    "name": f"Bench Engagement {index:05d} ({kind})",
                    "partner_id": client.id,
                    "allow_timesheets": True,
                    "allow_billable": kind != "fixed",
                    "date_start": start,
                    "company_id": self.company.id,
                }
                for index, (kind, client) in enumerate(zip(kinds, clients, strict=True))
            ]
        )
        order_vals = []
        for kind, client in zip(kinds, clients, strict=True):
            product = self.product_fixed if kind == "fixed" else self.product_tm
            values = {
                "partner_id": client.id,
                "pricelist_id": self.client_pricelist[client.id].id,
                "date_order": fields.Datetime.to_datetime(start),
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1.0 if kind == "fixed" else 0.0,
                        }
                    )
                ],
            }
            if kind == "capped" and "psa_cap_amount" in self.env["sale.order"]._fields:
                values["psa_cap_amount"] = float(rng.choice([20000, 50000, 80000]))
            order_vals.append(values)
        orders = self.env["sale.order"].create(order_vals)
        orders.action_confirm()
        plan_vals = []
        fee_start = self.today.replace(day=1) - relativedelta(months=1)
        retainer_order_ids = []
        for kind, order, project in zip(kinds, orders, projects, strict=True):
            if kind != "fixed":
                project.sale_line_id = order.order_line[:1]
            if kind == "retainer":
                retainer_order_ids.append(order.id)
            elif kind == "recurring":
                plan_vals.append(
                    {
                        "order_id": order.id,
                        "type": "recurring",
                        "product_id": self.product_fee.id,
                        "amount": float(rng.choice([1500, 2000, 4000])),
                        "frequency": "monthly",
                        "date_start": fee_start,
                    }
                )
        if "psa.billing.plan.line" in self.env:
            self.env["psa.billing.plan.line"].create(plan_vals)
            self._generate_retainers(orders.browse(retainer_order_ids), start)
        self.tasks = self.env["project.task"].create(
            [
                {"name": f"{name} {project.id}", "project_id": project.id}
                for project in projects
                for name in ("Delivery", "Management")
            ]
        )
        self.projects = projects
        self.orders = orders
        self.stats["engagements"] = count
        self.stats["engagement_kinds"] = {
            kind: kinds.count(kind) for kind, _share in ENGAGEMENT_KINDS
        }

    def _generate_retainers(self, orders, start):
        """A retainer on each of ``orders`` since ``start``: a monthly block of
        hours (prorated the first month), invoiced in advance, the overage billed
        at its rate, the unused hours expired or rolled over for one month. Its
        periods up to today are created, as the daily job would have done.

        The alert thresholds are set once the history is made (see
        ``_generate_retainer_history``): until then the retainers have none, so
        that the approval of a year of time sends no alert."""
        rng = self._rng("retainers")
        vals_list = []
        alerts = []
        for order in orders:
            hours = rng.choice(RETAINER_HOURS)
            vals_list.append(
                {
                    "order_id": order.id,
                    "type": "retainer",
                    "product_id": self.product_retainer.id,
                    "name": f"Support retainer: {hours:g} hours a month",
                    "amount": hours * rng.choice(RETAINER_HOUR_PRICES),
                    "frequency": "monthly",
                    "in_advance": True,
                    "date_start": start,
                    "retainer_hours": hours,
                    "overage_rate": rng.choice(RETAINER_OVERAGE_RATES),
                    "overage_policy": "bill",
                    "rollover_policy": rng.choice(RETAINER_ROLLOVER),
                    "rollover_max_periods": 1,
                    "alert_thresholds": False,
                }
            )
            alerts.append(rng.choice(RETAINER_ALERTS))
        lines = self.env["psa.billing.plan.line"].create(vals_list)
        lines._psa_ensure_periods(self.today)
        self.retainer_lines = lines
        self.retainer_alerts = dict(zip(lines.ids, alerts, strict=True))

    # ------------------------------------------------------------
    # TIMESHEETS (ORM prototypes + SQL copies)
    # ------------------------------------------------------------

    def _generate_timesheets(self):
        specs = self.timesheet_specs()
        self.create_timesheets(specs)
        self.stats["timesheets"] = len(specs)
        self.stats["timesheets_approved"] = sum(
            1 for spec in specs if spec["state"] == "approved"
        )

    def timesheet_specs(self, days=None):
        """What each employee logs: every working day of the last 12 months (or
        ``days``), split over ~10 lines on the tasks of three engagements. Approved
        up to two weeks ago, submitted last week, draft this week."""
        rng = self._rng("timesheets")
        tasks_by_project = {}
        for task in self.tasks:
            tasks_by_project.setdefault(task.project_id.id, []).append(task)
        projects = list(tasks_by_project)
        week_start = self.today - timedelta(days=self.today.weekday())
        first_day = self.today - (
            timedelta(days=days) if days else relativedelta(months=MONTHS)
        )
        specs = []
        for employee in self.employees:
            staffed = rng.sample(projects, min(3, len(projects)))
            tasks = [task for project in staffed for task in tasks_by_project[project]]
            day = first_day
            while day < self.today:
                if day.weekday() < 5 and rng.random() > 0.04:
                    quarters = rng.choice([28, 30, 32, 32, 32, 34])
                    pieces = rng.randint(8, 12)
                    cuts = sorted(rng.sample(range(1, quarters), pieces - 1))
                    bounds = [0, *cuts, quarters]
                    for piece in range(pieces):
                        task = rng.choice(tasks)
                        specs.append(
                            {
                                "employee_id": employee.id,
                                "project_id": task.project_id.id,
                                "task_id": task.id,
                                "date": day,
                                "unit_amount": (bounds[piece + 1] - bounds[piece]) / 4,
                                "name": rng.choice(DESCRIPTIONS),
                                "state": self._state_of(day, week_start),
                            }
                        )
                day += timedelta(days=1)
        return specs

    @staticmethod
    def _state_of(day, week_start):
        if day < week_start - timedelta(days=7):
            return "approved"
        if day < week_start:
            return "submitted"
        return "draft"

    def create_timesheets(self, specs, use_sql=True):
        """Create the timesheets of ``specs`` (dicts of employee_id, project_id,
        task_id, date, unit_amount, name and state: draft, submitted or approved);
        return them in the order of ``specs``.

        ``use_sql=False``: every line through the ORM, as a user would (the
        reference of the test). ``use_sql=True``: one ORM prototype per employee,
        task and state, the other lines copied from it in SQL, then the
        retainers burnt by the approved lines (see ``_burn_retainers``).

        Both ways create the prototypes first, then the other lines, in the order
        of ``specs``: the lines get their ids in the same order, and a retainer
        burnt by several lines of a day is burnt in the order of their ids."""
        Line = self.env["account.analytic.line"]
        prototypes = {}
        for index, spec in enumerate(specs):
            key = (spec["employee_id"], spec["task_id"], spec["state"])
            prototypes.setdefault(key, index)
        proto_indexes = sorted(prototypes.values())
        if not use_sql:
            is_proto = set(proto_indexes)
            order = proto_indexes + [i for i in range(len(specs)) if i not in is_proto]
            lines = Line.create([self._orm_values(specs[i]) for i in order])
            self._set_states(lines, [specs[i]["state"] for i in order])
            line_of_index = dict(zip(order, lines.ids, strict=True))
            return Line.browse([line_of_index[index] for index in range(len(specs))])
        proto_lines = Line.create([self._orm_values(specs[i]) for i in proto_indexes])
        self._set_states(proto_lines, [specs[i]["state"] for i in proto_indexes])
        self.env.flush_all()
        line_of_index = dict(zip(proto_indexes, proto_lines.ids, strict=True))
        proto_id_by_key = {
            key: line_of_index[index] for key, index in prototypes.items()
        }
        copies = [
            (index, spec)
            for index, spec in enumerate(specs)
            if index not in line_of_index
        ]
        copied_ids = self._copy_timesheets(copies, proto_id_by_key)
        line_of_index.update(copied_ids)
        new_lines = Line.browse(copied_ids.values())
        self._recompute_copies(new_lines)
        lines = Line.browse([line_of_index[index] for index in range(len(specs))])
        self._burn_retainers(lines)
        return lines

    @staticmethod
    def _orm_values(spec):
        """The values a user enters (the state is reached by the actions)."""
        return {key: value for key, value in spec.items() if key != "state"}

    def _set_states(self, lines, states):
        to_submit = lines.browse(
            [
                line.id
                for line, state in zip(lines, states, strict=True)
                if state != "draft"
            ]
        )
        to_approve = lines.browse(
            [
                line.id
                for line, state in zip(lines, states, strict=True)
                if state == "approved"
            ]
        )
        approver = self.env.ref("base.user_admin")
        if to_submit:
            to_submit.with_user(approver).action_psa_submit()
        if to_approve:
            to_approve.with_user(approver).action_psa_approve()

    def _copy_columns(self):
        cr = self.env.cr
        cr.execute(
            """
            SELECT column_name, data_type, udt_name
            FROM information_schema.columns
            WHERE table_name = 'account_analytic_line'
              AND table_schema = current_schema()
            ORDER BY ordinal_position
            """
        )
        return [(name, udt) for name, _type, udt in cr.fetchall() if name != "id"]

    def _copy_timesheets(self, copies, proto_id_by_key):
        """INSERT ... SELECT from the prototypes with the varying columns of each
        copy, the ``RESET_COLUMNS`` empty; return {spec index: new line id}."""
        if not copies:
            return {}
        columns = self._copy_columns()
        types = dict(columns)
        employees = self.env["hr.employee"].browse(
            {spec["employee_id"] for _i, spec in copies}
        )
        cost = {employee.id: employee.hourly_cost for employee in employees}
        currency = self.company.currency_id
        select = SQL(", ").join(
            SQL("v.%s", SQL.identifier(name))
            if name in VARYING_COLUMNS
            else SQL("NULL")
            if name in RESET_COLUMNS
            else SQL("p.%s", SQL.identifier(name))
            for name, _udt in columns
        )
        result = {}
        for start in range(0, len(copies), SQL_BATCH):
            batch = copies[start : start + SQL_BATCH]
            protos, dates, hours, names, amounts = [], [], [], [], []
            for _index, spec in batch:
                key = (spec["employee_id"], spec["task_id"], spec["state"])
                protos.append(proto_id_by_key[key])
                dates.append(spec["date"])
                hours.append(spec["unit_amount"])
                names.append(spec["name"])
                # hr_timesheet's _timesheet_postprocess_values: -hours x cost,
                # rounded in the currency (employee and line of the company's)
                amounts.append(
                    currency.round(-spec["unit_amount"] * cost[spec["employee_id"]])
                )
            query = SQL(
                """
                INSERT INTO account_analytic_line (%(columns)s)
                SELECT %(select)s
                FROM unnest(%(protos)s::int4[], %(dates)s::date[],
                            %(hours)s::%(hours_type)s[], %(names)s::%(name_type)s[],
                            %(amounts)s::%(amount_type)s[])
                     WITH ORDINALITY
                     AS v(proto, date, unit_amount, name, amount, seq)
                JOIN account_analytic_line p ON p.id = v.proto
                ORDER BY v.seq
                RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name, _u in columns),
                select=select,
                protos=protos,
                dates=dates,
                hours=hours,
                hours_type=SQL(types["unit_amount"]),
                names=names,
                name_type=SQL(types["name"]),
                amounts=amounts,
                amount_type=SQL(types["amount"]),
            )
            self.env.cr.execute(query)
            ids = [row[0] for row in self.env.cr.fetchall()]
            # RETURNING follows the insertion order of INSERT ... SELECT ORDER BY
            result.update(
                zip([index for index, _spec in batch], sorted(ids), strict=True)
            )
        return result

    def _recompute_copies(self, lines):
        """Recompute, through the ORM, the stored fields of the copies that depend
        on a varying column, and mark the copies modified for the stored fields of
        other models that depend on timesheets."""
        if not lines:
            return
        Line = self.env["account.analytic.line"]
        registry = self.env.registry
        to_recompute = [
            field
            for field in Line._fields.values()
            if field.store
            and field.compute
            and any(
                dep.split(".")[0] in VARYING_COLUMNS
                for dep in registry.field_depends[field]
            )
        ]
        stored = [
            name for name, field in Line._fields.items() if field.store and name != "id"
        ]
        for start in range(0, len(lines), SQL_BATCH):
            batch = lines[start : start + SQL_BATCH]
            for field in to_recompute:
                self.env.add_to_compute(field, batch)
            batch.modified(stored, create=True)
            self.env.flush_all()
            self.env.invalidate_all()

    def _burn_retainers(self, lines):
        """Burn the retainers with the approved ``lines`` as their approval does,
        through the ORM's own ``account.analytic.line._psa_burn_retainers``
        (periods created if missing, then one ``_psa_reallocate`` of all the
        periods covering the engagement and date of a line). The prototypes
        burnt them when they were approved, before the copies existed: the
        allocation is made again with all the lines, as the approval of all of
        them would have."""
        if "psa.retainer.period" not in self.env or not lines:
            return
        self.env.flush_all()
        lines.filtered(lambda line: line.psa_state == "approved")._psa_burn_retainers()

    # ------------------------------------------------------------
    # RETAINERS
    # ------------------------------------------------------------

    def _generate_retainer_history(self):
        """Close the retainer periods ended, then set the alert thresholds."""
        if not self.retainer_lines:
            return
        self.close_retainer_periods()
        self._record_retainer_alerts()
        periods = self.env["psa.retainer.period"].search(
            [("plan_line_id", "in", self.retainer_lines.ids)]
        )
        self.stats["retainers"] = len(self.retainer_lines)
        self.stats["retainer_periods"] = len(periods)
        self.stats["retainer_periods_closed"] = len(
            periods.filtered(lambda period: period.state == "closed")
        )
        for stat, fname in (
            ("retainer_hours_granted", "granted"),
            ("retainer_hours_covered", "consumed"),
            ("retainer_hours_overage", "overage"),
            ("retainer_hours_rolled_over", "rolled_out"),
            ("retainer_hours_expired", "expired"),
        ):
            self.stats[stat] = round(sum(periods.mapped(fname)), 2)
        self.stats["retainer_alerts_recorded"] = len(
            periods.filtered("alerted_thresholds")
        )

    def close_retainer_periods(self):
        """Close the retainer periods ended before today as the daily job
        (``psa.retainer.period._cron_psa_retainers``) would have: month after
        month, on the first day of the next month, with
        ``psa.retainer.period._psa_close_periods``. The unused balance of a
        period rolls over into the next one (which its time then burns again:
        less overage) or expires.

        The time of the whole year was approved first (``create_timesheets``),
        and the periods closed afterwards, in date order: this is what the daily
        job gives when a month's time is approved by the end of the month, which
        is the generator's simplification (the time of the last two weeks, not
        approved yet, is not in the balance of a month closed: approved later,
        it will be overage, as the module wants). Closing all the months at once
        instead would be wrong: a period is burnt before it is closed, so the
        hours rolled into a closed period would never be used."""
        Period = self.env["psa.retainer.period"]
        first = min(self.retainer_lines.mapped("date_start"))
        day = first.replace(day=1) + relativedelta(months=1)
        while day <= self.today:
            Period._psa_close_periods(day)
            day += relativedelta(months=1)

    def _record_retainer_alerts(self):
        """Give the retainers their alert thresholds, and record on each period
        the thresholds its use has crossed, as if the alerts had been sent when
        the time was approved (``psa.retainer.period._psa_crossed_thresholds``,
        the rule of the alerts, on the final balance: the
        rollover comes at the start of a period, before its time). Thus no
        activity or email is sent for a year of history (thousands at scale 4),
        and the approvals and billing runs of the benchmarks send the alerts of
        the thresholds crossed from now on."""
        lines = self.retainer_lines
        by_thresholds = {}
        for line in lines:
            by_thresholds.setdefault(self.retainer_alerts[line.id], []).append(line.id)
        for thresholds, line_ids in by_thresholds.items():
            lines.browse(line_ids).write({"alert_thresholds": thresholds})
        periods = self.env["psa.retainer.period"].search(
            [("plan_line_id", "in", lines.ids)]
        )
        by_alerted = {}
        for period in periods:
            _done, crossed = period._psa_crossed_thresholds()
            if crossed:
                alerted = ",".join(str(threshold) for threshold in crossed)
                by_alerted.setdefault(alerted, []).append(period.id)
        for alerted, period_ids in by_alerted.items():
            periods.browse(period_ids).write({"alerted_thresholds": alerted})

    # ------------------------------------------------------------
    # TICKETS
    # ------------------------------------------------------------

    def _generate_tickets(self):
        count = _scaled("tickets", self.scale, 10)
        env = self.env
        rng = self._rng("tickets")
        team = env["helpdesk.ticket.team"].create({"name": "Bench Service Desk"})
        env["psa.sla.policy"].create(
            {
                "name": "Bench Standard (business hours)",
                "sequence": 90,
                "team_ids": [Command.set(team.ids)],
                "calendar_id": self.company.resource_calendar_id.id,
                "response_hours": 4.0,
                "resolution_hours": 40.0,
            }
        )
        stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        Ticket = env["helpdesk.ticket"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        batch = 1000
        for start in range(0, count, batch):
            vals_list = [
                {
                    "name": rng.choice(TICKET_TITLES),
                    "description": "<p>Generated ticket.</p>",
                    "team_id": team.id,
                    "partner_id": rng.choice(self.clients).id,
                    "priority": rng.choice(["0", "1", "1", "2", "3"]),
                    "stage_id": stage.id,
                }
                for _i in range(start, min(count, start + batch))
            ]
            tickets = Ticket.create(vals_list)
            # the tickets came in over the last 30 days: their clocks started then
            now = fields.Datetime.now()
            for ticket in tickets:
                ticket.psa_sla_status_ids.start = now - timedelta(
                    hours=rng.randint(0, 30 * 24)
                )
            tickets.psa_sla_status_ids._psa_plan(now)
            env.flush_all()
            env.invalidate_all()
        self.stats["tickets"] = count
