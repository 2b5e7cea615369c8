#!/usr/bin/env python3
"""One step of the benchmark suite in its own process (run by scripts/bench.py).

    bench_worker.py generate <db> <scale> <seed>
    bench_worker.py measure <db> <measurement> <side> <scale>

``measure`` prints one JSON line ``BENCH_RESULT {...}`` with the seconds, SQL queries
and peak memory of the timed block only (set-up excluded), and the number of units
(invoices, lines, tickets, ...) it handled.
"""

import cProfile
import json
import logging
import os
import pstats
import resource
import sys
import time
import traceback
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))
sys.path.insert(0, str(ODOO_SRC))

_logger = logging.getLogger("psa.bench")


def _env_of(db):
    import odoo  # noqa: F401, PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            "-c",
            str(ROOT / "odoo.conf"),
            f"--addons-path={ROOT},{ROOT / 'addons'},{ODOO_SRC / 'addons'}",
            "--log-level=warn",
            "-d",
            db,
        ]
    )
    return Registry(db)


def _count_sql(cr):
    """Count and time the statements run on ``cr`` by their text (parameters
    aside): ``{text: [count, seconds]}``."""
    counter = defaultdict(lambda: [0, 0.0])
    execute = cr.execute
    # PSA_BENCH_SQL_STACK=<text>: where the statements containing <text> come from
    traced = os.environ.get("PSA_BENCH_SQL_STACK")

    def counting_execute(query, params=None, log_exceptions=True):
        text = query.code if hasattr(query, "code") else str(query)
        if traced and traced in text:
            frames = [
                f"{frame.filename.split('/')[-3:]}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_stack()[-14:-1]
            ]
            print("SQL STACK", text[:100], *frames, sep="\n  ", file=sys.stderr)
        started = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            entry = counter[" ".join(text.split())[:160]]
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    cr.execute = counting_execute
    return counter


def _rss_mb():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


class Meter:
    """Time, SQL queries and peak memory of a block."""

    def __init__(self, cr):
        self.cr = cr
        self.result = {}

    @contextmanager
    def measure(self):
        """Time the block. Diagnostics (off by default, they slow it down):
        PSA_BENCH_PROFILE=1 prints the top functions (cProfile) on stderr (=<file>:
        also saves them there),
        PSA_BENCH_SQL=1 the SQL statements that took longest (count, seconds)."""
        profiler = sql_counter = None
        if os.environ.get("PSA_BENCH_PROFILE"):
            profiler = cProfile.Profile()
        if os.environ.get("PSA_BENCH_SQL"):
            sql_counter = _count_sql(self.cr)
        rss_before = _rss_mb()
        queries = self.cr.sql_log_count
        started = time.perf_counter()
        cpu_started = time.process_time()
        if profiler:
            profiler.enable()
        yield self
        if profiler:
            profiler.disable()
            if os.environ["PSA_BENCH_PROFILE"] != "1":
                profiler.dump_stats(os.environ["PSA_BENCH_PROFILE"])
            pstats.Stats(profiler, stream=sys.stderr).sort_stats(
                "cumulative"
            ).print_stats(40)
        if sql_counter is not None:
            total = sum(seconds for _count, seconds in sql_counter.values())
            print(f"SQL: {total:.1f} s in all; the longest:", file=sys.stderr)
            longest = sorted(sql_counter.items(), key=lambda item: -item[1][1])
            for text, (count, seconds) in longest[:15]:
                print(f"{count:7d} {seconds:8.2f} s  {text}", file=sys.stderr)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.result.update(
            seconds=seconds,
            cpu_seconds=round(cpu_seconds, 3),
            queries=self.cr.sql_log_count - queries,
            peak_rss_mb=round(peak, 1),
            rss_growth_mb=round(max(0.0, peak - rss_before), 1),
        )


# ------------------------------------------------------------
# GENERATION
# ------------------------------------------------------------


def generate(db, scale, seed):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    registry = _env_of(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "psa.billing.run" in env:
            from odoo.addons.psa_demo.generator import FirmGenerator  # noqa: PLC0415

            stats = FirmGenerator(env, scale=scale, seed=seed).generate()
        else:
            stats = _native_firm(env, scale, seed).stats
        cr.commit()
    print("BENCH_RESULT " + json.dumps(stats), flush=True)


def _native_firm(env, scale, seed):
    """The firm without the suite (plain sale_timesheet + helpdesk_mgmt): master
    data, employees, clients and engagements of the generator, no timesheets."""
    from odoo.addons.psa_demo.generator import FirmGenerator  # noqa: PLC0415

    generator = FirmGenerator(env, scale=scale, seed=seed)
    generator._generate_master_data()
    generator._generate_employees()
    generator._generate_clients()
    generator._generate_engagements()
    env.flush_all()
    return generator


# ------------------------------------------------------------
# MEASUREMENTS
# ------------------------------------------------------------


def _last_month_end(env):
    from odoo import fields  # noqa: PLC0415

    today = fields.Date.context_today(env["res.users"])
    return today, today.replace(day=1) - timedelta(days=1)


def _billing_ours_result(env, run):
    invoices = run.invoice_ids
    return {
        "units": len(invoices),
        "unit": "invoice",
        "posted": len(invoices.filtered(lambda m: m.state == "posted")),
        "timesheets_billed": env["account.analytic.line"].search_count(
            [("psa_invoice_line_id", "!=", False)]
        ),
    }


def billing_ours(env, meter, scale, orders=None):
    """Row 1: the billing run (preview, invoices, posting) of all the due
    engagements, or of ``orders``."""
    from odoo import Command  # noqa: PLC0415

    today, cutoff = _last_month_end(env)
    run = env["psa.billing.run"].create(
        {
            "cutoff_date": cutoff,
            "invoice_date": today,
            "order_ids": [Command.set(orders.ids)] if orders is not None else False,
        }
    )
    env.flush_all()
    with meter.measure():
        run.action_preview()
        run.action_create_invoices()
        run.action_post()
        env.flush_all()
    return _billing_ours_result(env, run)


def billing_ours_committed(env, meter, scale):
    """The month end as firms run it: the scheduled run's preview and invoicing,
    committed batch by batch (``psa_commit_progress``, as ``_cron_psa_billing_runs``
    does), then the posting of its invoices (the Post button: one transaction)."""
    today, cutoff = _last_month_end(env)
    run = env["psa.billing.run"].create({"cutoff_date": cutoff, "invoice_date": today})
    env.cr.commit()
    with meter.measure():
        run.action_preview()
        env.cr.commit()
        run.with_context(psa_commit_progress=True)._psa_create_invoices()
        env.cr.commit()
        run.action_post()
        env.flush_all()
        env.cr.commit()
    return _billing_ours_result(env, run)


def _tm_orders(env):
    """The time and materials engagements: confirmed orders with a line of a
    product invoiced on timesheets (the retainers' included: Odoo alone has no
    retainer, it bills all their time as time and materials)."""
    return env["sale.order"].search(
        [
            ("state", "=", "sale"),
            ("order_line.product_id.service_type", "=", "timesheet"),
        ],
        order="id",
    )


def _time_only_orders(env):
    """The engagements billed on their time alone (time and materials, capped):
    the time and materials orders without a fee or a retainer (no billing plan
    component), which both sides bill alike, time only."""
    orders = _tm_orders(env)
    with_fees = (
        env["psa.billing.plan.line"].search([("order_id", "in", orders.ids)]).order_id
    )
    return orders - with_fees


def billing_ours_time_only(env, meter, scale):
    """Row 1d: the billing run of the engagements billed on time alone."""
    return billing_ours(env, meter, scale, orders=_time_only_orders(env))


def _native_billing(env, meter, batched, orders=None):
    today, cutoff = _last_month_end(env)
    orders = (_tm_orders(env) if orders is None else orders).with_context(
        timesheet_end_date=cutoff, mail_notrack=True
    )
    env.flush_all()
    invoices = env["account.move"]
    with meter.measure():
        if batched:
            invoices = orders._create_invoices(grouped=True)
            invoices.write({"invoice_date": today})
            invoices.action_post()
        else:
            for order in orders:
                if not order.invoice_status == "to invoice":
                    continue
                invoice = order._create_invoices()
                invoice.invoice_date = today
                invoice.action_post()
                invoices |= invoice
        env.flush_all()
    return {
        "units": len(invoices),
        "unit": "invoice",
        "posted": len(invoices.filtered(lambda m: m.state == "posted")),
        "timesheets_billed": env["account.analytic.line"].search_count(
            [("timesheet_invoice_id", "in", invoices.ids)]
        ),
    }


def billing_native_batched(env, meter, scale):
    return _native_billing(env, meter, batched=True)


def billing_native_by_order(env, meter, scale):
    return _native_billing(env, meter, batched=False)


def billing_native_batched_time_only(env, meter, scale):
    """Row 1d: Odoo's batched invoicing of the same engagements as
    ``billing_ours_time_only``."""
    return _native_billing(env, meter, batched=True, orders=_time_only_orders(env))


TIME_CAPTURE_LINES = 10000
TIME_CAPTURE_BATCH = 100


def _time_capture_vals(env):
    """10,000 lines of the last weeks (on weekdays, an hour each): ten employees
    log on the tasks of their engagements."""
    from odoo import fields  # noqa: PLC0415

    today = fields.Date.context_today(env["res.users"])
    employees = env["hr.employee"].search(
        [("name", "=like", "Bench Employee %")], order="id"
    )
    tasks = env["project.task"].search(
        [("project_id.name", "=like", "Bench Engagement %")], order="id"
    )
    vals_list = []
    index = 0
    day_offset = 0
    # at most 8 lines of an hour per employee and day (the 24 h rule allows it)
    while len(vals_list) < TIME_CAPTURE_LINES:
        day = today - timedelta(days=day_offset + 1)
        day_offset += 1
        if day.weekday() >= 5:
            continue
        for employee in employees:
            for slot in range(8):
                task = tasks[(index + slot) % len(tasks)]
                vals_list.append(
                    {
                        "employee_id": employee.id,
                        "project_id": task.project_id.id,
                        "task_id": task.id,
                        "date": day,
                        "unit_amount": 0.25,
                        "name": f"Bench capture {index}",
                    }
                )
                index += 1
    return vals_list[:TIME_CAPTURE_LINES]


def capture(env, meter, scale):
    vals_list = _time_capture_vals(env)
    Line = env["account.analytic.line"]
    with meter.measure():
        for start in range(0, len(vals_list), TIME_CAPTURE_BATCH):
            Line.create(vals_list[start : start + TIME_CAPTURE_BATCH])
        env.flush_all()
    return {"units": len(vals_list), "unit": "line"}


def approve(env, meter, scale):
    vals_list = _time_capture_vals(env)
    lines = env["account.analytic.line"].create(vals_list)
    approver = env.ref("base.user_admin")
    lines = lines.with_user(approver)
    lines.action_psa_submit()
    env.flush_all()
    env.invalidate_all()
    with meter.measure():
        lines.action_psa_approve()
        env.flush_all()
    return {"units": len(lines), "unit": "line"}


def _utilization_domain(env):
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415

    today = fields.Date.context_today(env["res.users"])
    first = (today - relativedelta(months=12)).replace(day=1)
    return first, today


def utilization_ours(env, meter, scale):
    first, today = _utilization_domain(env)
    Report = env["psa.utilization.report"]
    with meter.measure():
        groups = Report._read_group(
            [("period", ">=", first), ("period", "<=", today)],
            ["employee_id", "period:month"],
            [
                "capacity_hours:sum",
                "logged_hours:sum",
                "billable_hours:sum",
                "billable_utilization:avg",
                "total_utilization:avg",
            ],
        )
    return {"units": len(groups), "unit": "employee-month"}


def utilization_native(env, meter, scale):
    first, today = _utilization_domain(env)
    Line = env["account.analytic.line"]
    with meter.measure():
        groups = Line._read_group(
            [
                ("project_id", "!=", False),
                ("date", ">=", first),
                ("date", "<=", today),
            ],
            ["employee_id", "date:month"],
            ["unit_amount:sum"],
        )
    return {"units": len(groups), "unit": "employee-month"}


TICKETS = 1000
TICKET_BATCH = 100


def tickets(env, meter, scale):
    team = env["helpdesk.ticket.team"].search([("name", "=", "Bench Service Desk")])
    if not team:
        team = env["helpdesk.ticket.team"].create({"name": "Bench Service Desk"})
    partners = env["res.partner"].search(
        [("name", "=like", "Bench Client %")], order="id"
    )
    vals_list = [
        {
            "name": f"Bench ticket {index}",
            "description": "<p>Measured ticket.</p>",
            "team_id": team.id,
            "partner_id": partners[index % len(partners)].id,
            "priority": "1",
        }
        for index in range(TICKETS)
    ]
    Ticket = env["helpdesk.ticket"]
    env.flush_all()
    with meter.measure():
        for start in range(0, TICKETS, TICKET_BATCH):
            Ticket.create(vals_list[start : start + TICKET_BATCH])
        env.flush_all()
    return {"units": TICKETS, "unit": "ticket"}


def sla_cron(env, meter, scale):
    Status = env["psa.sla.status"]
    open_clocks = Status.search_count([("reached_at", "=", False)])
    with meter.measure():
        Status._cron_psa_sla_check()
        env.flush_all()
    return {"units": open_clocks, "unit": "open clock"}


CONCURRENT_WORKERS = 4
WORKER_ROUNDS = 15
WORKER_LINES = 10
MAX_RETRIES = 5


def _time_worker(registry, employee_id, tasks, cutoff, seed, stop, report):
    """Log time before the cut-off on the engagements being billed, submit and
    approve it at once, commit; over and over, while the billing run executes."""
    import random  # noqa: PLC0415

    from psycopg2 import errors as pg_errors  # noqa: PLC0415

    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    rng = random.Random(seed)
    for _round in range(WORKER_ROUNDS):
        vals_list = []
        for _i in range(WORKER_LINES):
            task = rng.choice(tasks)
            vals_list.append(
                {
                    "employee_id": employee_id,
                    "project_id": task[1],
                    "task_id": task[0],
                    "date": cutoff - timedelta(days=rng.randint(0, 60)),
                    "unit_amount": 0.25,
                    "name": "Concurrent entry",
                }
            )
        # as Odoo's server does for a request: retry on a concurrency error
        for _attempt in range(MAX_RETRIES):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    lines = env["account.analytic.line"].create(vals_list)
                    lines = lines.with_user(env.ref("base.user_admin"))
                    lines.action_psa_submit()
                    lines.action_psa_approve()
                    cr.commit()
                    report["lines"] += len(lines)
                    break
                except pg_errors.DeadlockDetected:
                    cr.rollback()
                    report["deadlocks"] += 1
                except pg_errors.SerializationFailure:
                    cr.rollback()
                    report["retries"] += 1
                except Exception as error:  # noqa: BLE001 - counted and reported
                    cr.rollback()
                    report["errors"].append(f"{type(error).__name__}: {error}"[:300])
                    break
        else:
            report["errors"].append(f"gave up after {MAX_RETRIES} attempts")
        if stop.is_set():
            break


def concurrency(env, meter, scale):
    """A billing run while four workers log, submit and approve time on the same
    engagements. Pass: no deadlock, the run succeeds, every line billed once
    (each invoiced preview line's timesheets are those it previewed, of its
    hours, on its invoice line), none left unbilled after a catch-up run."""
    import threading  # noqa: PLC0415

    from psycopg2 import errors as pg_errors  # noqa: PLC0415

    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    registry = env.registry
    today, cutoff = _last_month_end(env)
    employees = env["hr.employee"].search(
        [("name", "=like", "Bench Employee %")], order="id", limit=CONCURRENT_WORKERS
    )
    lines = env["account.analytic.line"].search(
        [("employee_id", "in", employees.ids), ("order_id", "!=", False)]
    )
    tasks_by_employee = {
        employee.id: sorted(
            {
                (line.task_id.id, line.project_id.id)
                for line in lines
                if line.employee_id == employee
            }
        )
        for employee in employees
    }
    env.cr.commit()
    stop = threading.Event()
    reports = [
        {"lines": 0, "deadlocks": 0, "retries": 0, "errors": []} for _e in employees
    ]
    threads = [
        threading.Thread(
            target=_time_worker,
            args=(
                registry,
                employee.id,
                tasks_by_employee[employee.id],
                cutoff,
                index,
                stop,
                report,
            ),
        )
        for index, (employee, report) in enumerate(zip(employees, reports, strict=True))
    ]
    billing = {"deadlocks": 0, "errors": []}
    with meter.measure():
        for thread in threads:
            thread.start()
        with registry.cursor() as cr:
            run_env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                run = run_env["psa.billing.run"].create(
                    {"cutoff_date": cutoff, "invoice_date": today}
                )
                run.action_preview()
                run.action_create_invoices()
                run.action_post()
                cr.commit()
                run_id = run.id
                billing["invoices"] = run.invoice_count
                billing["engagements_failed"] = len(
                    run.line_ids.filtered("error").order_id
                )
                billing["engagements"] = len(run.line_ids.order_id)
            except pg_errors.DeadlockDetected:
                billing["deadlocks"] += 1
                run_id = None
            except Exception as error:  # noqa: BLE001 - counted and reported
                billing["errors"].append(f"{type(error).__name__}: {error}"[:300])
                run_id = None
        stop.set()
        for thread in threads:
            thread.join()
    env.invalidate_all()
    # a catch-up run once the workers are done bills what the first one skipped:
    # then every approved billable line up to the cut-off must be billed
    catch_up = env["psa.billing.run"].create(
        {"cutoff_date": cutoff, "invoice_date": today}
    )
    catch_up.action_preview()
    catch_up.action_create_invoices()
    catch_up.action_post()
    env.flush_all()
    catch_up_failed = len(catch_up.line_ids.filtered("error"))
    not_billed = env["account.analytic.line"].search_count(
        catch_up._psa_billable_domain()
    )
    # every preview line invoiced bills its time once: the timesheets linked to it
    # are those it previewed, all on its invoice line, and their hours are its
    # hours (an overage line's also count the part its retainer covered, invoiced
    # at zero on a second line), its invoice line's quantity its billed hours. A
    # line billed twice by two runs would leave one of them short of its time.
    env.cr.execute(
        """
        SELECT RL.id
        FROM psa_billing_run_line RL
        JOIN account_move_line AML ON AML.id = RL.invoice_line_id
        LEFT JOIN LATERAL (
            SELECT COUNT(*) AS n, COALESCE(SUM(AAL.unit_amount), 0) AS hours,
                   COUNT(*) FILTER (
                       WHERE AAL.psa_invoice_line_id != RL.invoice_line_id
                   ) AS elsewhere
            FROM account_analytic_line AAL
            WHERE AAL.psa_billing_run_line_id = RL.id
        ) L ON TRUE
        WHERE RL.line_kind IN ('time', 'retainer_time', 'overage')
          AND (
              L.n != jsonb_array_length(RL.timesheet_id_list::jsonb)
              OR L.elsewhere > 0
              OR ROUND(L.hours::numeric, 2) != ROUND(
                  (RL.hours + CASE WHEN RL.line_kind = 'overage'
                                   THEN COALESCE(RL.covered_hours, 0)
                                   ELSE 0 END)::numeric, 2)
              OR ROUND(AML.quantity::numeric, 2)
                 != ROUND(RL.billed_hours::numeric, 2)
          )
        """
    )
    mismatched = env.cr.fetchall()
    env.cr.execute(
        """
        SELECT COUNT(*) FROM account_analytic_line
        WHERE psa_invoice_line_id IS NOT NULL AND timesheet_invoice_id IS NOT NULL
          AND timesheet_invoice_id != (SELECT move_id FROM account_move_line
                                       WHERE id = psa_invoice_line_id)
        """
    )
    billed_twice = env.cr.fetchone()[0]
    deadlocks = billing["deadlocks"] + sum(r["deadlocks"] for r in reports)
    errors = billing["errors"] + [e for r in reports for e in r["errors"]]
    billed = env["account.analytic.line"].search_count(
        [("psa_invoice_line_id", "!=", False)]
    )
    return {
        "units": sum(r["lines"] for r in reports),
        "unit": "concurrent line",
        "run_succeeded": bool(run_id),
        "run_invoices": billing.get("invoices", 0),
        "run_engagements": billing.get("engagements", 0),
        "run_engagements_skipped": billing.get("engagements_failed", 0),
        "serialization_retries": sum(r["retries"] for r in reports),
        "deadlocks": deadlocks,
        "errors": errors[:10],
        "error_count": len(errors),
        "timesheets_billed": billed,
        "run_lines_mismatched": len(mismatched),
        "timesheets_billed_twice": billed_twice,
        "catch_up_invoices": catch_up.invoice_count,
        "catch_up_failed_lines": catch_up_failed,
        "eligible_not_billed": not_billed,
        "passed": bool(run_id)
        and not deadlocks
        and not mismatched
        and not billed_twice
        and not not_billed,
    }


MEASUREMENTS = {
    "billing_ours": billing_ours,
    "billing_ours_committed": billing_ours_committed,
    "billing_native_batched": billing_native_batched,
    "billing_native_by_order": billing_native_by_order,
    "billing_ours_time_only": billing_ours_time_only,
    "billing_native_batched_time_only": billing_native_batched_time_only,
    "capture_ours": capture,
    "capture_native": capture,
    "approve_ours": approve,
    "utilization_ours": utilization_ours,
    "utilization_native": utilization_native,
    "tickets_ours": tickets,
    "tickets_native": tickets,
    "sla_cron_ours": sla_cron,
    "concurrency_ours": concurrency,
}


def measure(db, name, scale):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    registry = _env_of(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # warm the caches the first request of a worker would warm
        env["res.partner"].search([], limit=1)
        meter = Meter(cr)
        info = MEASUREMENTS[name](env, meter, scale)
        cr.rollback()
    print("BENCH_RESULT " + json.dumps({**meter.result, **info}), flush=True)


def main(argv):
    command = argv[0]
    if command == "generate":
        generate(argv[1], float(argv[2]), int(argv[3]))
    elif command == "measure":
        measure(argv[1], argv[2], float(argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
