from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import UserError

# Business-time search window. The first window is sized from the calendar's
# weekly hours; when the requested hours do not fit, the window is extended
# step by step (each step at most PSA_MAX_STEP long). The search gives up when
# no working time at all was met for PSA_MAX_IDLE, or past PSA_MAX_SPAN.
PSA_MIN_WINDOW = timedelta(days=14)
PSA_MAX_STEP = timedelta(days=366)
PSA_MAX_IDLE = timedelta(days=2 * 366)
PSA_MAX_SPAN = timedelta(days=100 * 366)
PSA_DEFAULT_HOURS_PER_WEEK = 40.0


class _PsaWorkTimeline:
    """Sorted, non-overlapping work intervals (naive UTC) of one calendar from
    ``origin`` to ``end``, with the worked time accumulated before each interval,
    so that both "worked time at a moment" and "moment at a worked time" are a
    bisection away."""

    __slots__ = ("cumul", "end", "origin", "starts", "stops")

    def __init__(self, origin):
        self.origin = origin
        self.end = origin
        self.starts = []
        self.stops = []
        # cumul[i]: worked time before interval i; cumul[-1]: total worked time.
        self.cumul = [timedelta(0)]

    @property
    def total(self):
        return self.cumul[-1]

    @property
    def last_work_end(self):
        return self.stops[-1] if self.stops else self.origin

    def extend(self, intervals, end):
        """Append ``intervals`` (sorted, all after the current end) and move the
        end of the covered span to ``end``."""
        for start, stop in intervals:
            if self.stops and start <= self.stops[-1]:
                # contiguous (window boundary) or overlapping: merge
                if stop > self.stops[-1]:
                    self.cumul[-1] += stop - self.stops[-1]
                    self.stops[-1] = stop
                continue
            self.starts.append(start)
            self.stops.append(stop)
            self.cumul.append(self.cumul[-1] + (stop - start))
        self.end = end

    def worked_until(self, moment):
        """Worked time between the origin and ``moment`` (within the span)."""
        index = bisect_right(self.starts, moment) - 1
        if index < 0:
            return timedelta(0)
        return self.cumul[index] + min(moment, self.stops[index]) - self.starts[index]

    def moment_at(self, worked):
        """Earliest moment at which ``worked`` (0 < worked <= total) is reached."""
        index = bisect_left(self.cumul, worked, lo=1) - 1
        return self.starts[index] + (worked - self.cumul[index])


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    psa_is_24_7 = fields.Boolean(
        string="Around the Clock (24/7)",
        help="Business-time computations (SLA deadlines, capacity) treat every hour of "
        "every day as working time, ignoring attendances and public holidays.",
    )

    # ------------------------------------------------------------
    # BUSINESS TIME: PUBLIC HELPERS (not RPC-callable)
    # ------------------------------------------------------------
    #
    # Conventions shared by all helpers below:
    # - datetimes in and out are naive UTC, like fields.Datetime values (aware
    #   datetimes are converted to UTC, strings are parsed);
    # - an empty recordset, or a calendar flagged psa_is_24_7, means plain
    #   elapsed time (no attendances, no holidays);
    # - working time = the calendar's attendances (lunch periods excluded) in its
    #   time zone, minus the global leaves (no resource) of type "Time Off" that
    #   belong to this calendar or, without calendar, to its company;
    # - flexible-hours calendars have no business hours: they raise a UserError
    #   unless flagged 24/7.

    @api.private
    def psa_add_working_hours(self, start_dt, hours):
        """Return the moment (naive UTC) when ``hours`` working hours have
        elapsed since ``start_dt``.

        When ``start_dt`` is outside working time, counting starts at the next
        working moment. ``hours == 0`` returns ``start_dt`` unchanged (an SLA of
        0 h is due at once), and a result that ends exactly at the close of a
        working period is that closing time, not the next opening.
        Negative hours raise a UserError. The result is not rounded (timedelta
        precision); fields.Datetime drops the microseconds when it is stored.

        An empty recordset or a 24/7 calendar adds plain elapsed time. A
        flexible-hours calendar (``flexible_hours``, not 24/7) has no business
        hours and raises a UserError rather than guessing a schedule.
        """
        return self.psa_add_working_hours_batch([(start_dt, hours)])[0]

    @api.private
    def psa_working_hours_between(self, start_dt, end_dt):
        """Return the working hours (float) between two naive-UTC datetimes,
        0.0 when ``end_dt <= start_dt``."""
        return self.psa_working_hours_between_batch([(start_dt, end_dt)])[0]

    @api.private
    def psa_add_working_hours_batch(self, items):
        """Batch form of :meth:`psa_add_working_hours` for one calendar.

        :param items: iterable of ``(start_dt, hours)``
        :return: list of naive-UTC datetimes, in the order of ``items``

        The work intervals are computed once for the span covering all items
        (one ``_work_intervals_batch`` call, plus one per window extension when
        the first estimate is too short), whatever the number of items.
        """
        self._psa_check_business_calendar()
        items = [
            (self._psa_to_utc(start), self._psa_check_hours(hours))
            for start, hours in items
        ]
        if not items:
            return []
        if self._psa_is_elapsed_time():
            return [start + timedelta(hours=hours) for start, hours in items]

        origin = min(start for start, _hours in items)
        end = max(start + self._psa_estimate_span(hours) for start, hours in items)
        timeline = self._psa_timeline(origin, end)
        targets = [
            timeline.worked_until(start) + timedelta(hours=hours)
            for start, hours in items
        ]
        needed = max(targets)
        while needed > timeline.total:
            missing_hours = (needed - timeline.total).total_seconds() / 3600
            self._psa_extend_timeline(timeline, self._psa_estimate_span(missing_hours))
        return [
            start if not hours else timeline.moment_at(target)
            for (start, hours), target in zip(items, targets, strict=True)
        ]

    @api.private
    def psa_working_hours_between_batch(self, pairs):
        """Batch form of :meth:`psa_working_hours_between` for one calendar.

        :param pairs: iterable of ``(start_dt, end_dt)``
        :return: list of float hours, in the order of ``pairs``

        The work intervals are computed once for the span covering all pairs.
        """
        self._psa_check_business_calendar()
        pairs = [
            (self._psa_to_utc(start), self._psa_to_utc(end)) for start, end in pairs
        ]
        if not pairs:
            return []
        if self._psa_is_elapsed_time():
            return [
                max((end - start).total_seconds(), 0.0) / 3600 for start, end in pairs
            ]

        spans = [(start, end) for start, end in pairs if end > start]
        if not spans:
            return [0.0] * len(pairs)
        timeline = self._psa_timeline(
            min(start for start, _end in spans), max(end for _start, end in spans)
        )
        return [
            (timeline.worked_until(end) - timeline.worked_until(start)).total_seconds()
            / 3600
            if end > start
            else 0.0
            for start, end in pairs
        ]

    # ------------------------------------------------------------
    # BUSINESS TIME: MODEL-LEVEL DISPATCHERS (many calendars)
    # ------------------------------------------------------------

    @api.model
    def _psa_add_working_hours_batch(self, items):
        """Add working hours for items of possibly different calendars.

        :param items: iterable of ``(calendar, start_dt, hours)`` where
            ``calendar`` is a resource.calendar record, an id, or a falsy value
            (no calendar = 24/7)
        :return: list of naive-UTC datetimes, in the order of ``items``

        Items are grouped by calendar: one interval computation per calendar.
        """
        return self._psa_dispatch(items, "psa_add_working_hours_batch")

    @api.model
    def _psa_working_hours_between_batch(self, items):
        """Working hours between datetimes for items of possibly different
        calendars.

        :param items: iterable of ``(calendar, start_dt, end_dt)`` (``calendar``
            as in :meth:`_psa_add_working_hours_batch`)
        :return: list of float hours, in the order of ``items``
        """
        return self._psa_dispatch(items, "psa_working_hours_between_batch")

    @api.model
    def _psa_dispatch(self, items, method_name):
        groups = defaultdict(list)
        for index, (calendar, *args) in enumerate(items):
            calendar_id = (
                calendar.id if isinstance(calendar, models.BaseModel) else calendar
            )
            groups[calendar_id or False].append((index, tuple(args)))
        results = [None] * sum(len(group) for group in groups.values())
        for calendar_id, group in groups.items():
            calendar = self.browse(calendar_id or [])
            values = getattr(calendar, method_name)([args for _index, args in group])
            for (index, _args), value in zip(group, values, strict=True):
                results[index] = value
        return results

    # ------------------------------------------------------------
    # BUSINESS TIME: INTERNALS
    # ------------------------------------------------------------

    def _psa_is_elapsed_time(self):
        return not self or self.psa_is_24_7

    def _psa_check_business_calendar(self):
        if len(self) > 1:
            raise UserError(
                self.env._(
                    "Business-time helpers work on a single working schedule, "
                    "got %(names)s.",
                    names=", ".join(self.mapped("display_name")),
                )
            )
        if self and not self.psa_is_24_7 and self.flexible_hours:
            raise UserError(
                self.env._(
                    "The working schedule %(name)s has flexible hours, so it has no "
                    "business hours to count SLA or planning time on. Use a schedule "
                    "with fixed hours, or mark it as around the clock (24/7).",
                    name=self.display_name,
                )
            )

    def _psa_check_hours(self, hours):
        if hours < 0:
            raise UserError(
                self.env._(
                    "Working hours to add must be positive or zero, got %(hours)s.",
                    hours=hours,
                )
            )
        return hours

    @api.model
    def _psa_to_utc(self, value):
        """Return ``value`` as a naive UTC datetime."""
        if not value:
            raise ValueError(
                "A start and an end datetime are required, got %r." % (value,)
            )
        if isinstance(value, datetime):
            return value.astimezone(utc).replace(tzinfo=None) if value.tzinfo else value
        if isinstance(value, str | date):
            return fields.Datetime.to_datetime(value)
        raise ValueError("Expected a datetime, got %r." % (value,))

    def _psa_estimate_span(self, hours):
        """Calendar span likely to hold ``hours`` working hours (a guess: the
        window is extended if it is too short)."""
        hours_per_week = self.hours_per_week or PSA_DEFAULT_HOURS_PER_WEEK
        return timedelta(days=hours / hours_per_week * 7 * 1.25) + PSA_MIN_WINDOW

    def _psa_timeline(self, start, end):
        timeline = _PsaWorkTimeline(start)
        timeline.extend(self._psa_work_intervals(start, end), end)
        return timeline

    def _psa_extend_timeline(self, timeline, step):
        step = min(
            max(step, timeline.end - timeline.origin, PSA_MIN_WINDOW), PSA_MAX_STEP
        )
        end = timeline.end + step
        timeline.extend(self._psa_work_intervals(timeline.end, end), end)
        if (
            end - timeline.last_work_end > PSA_MAX_IDLE
            or end - timeline.origin > PSA_MAX_SPAN
        ):
            raise UserError(
                self.env._(
                    "The working schedule %(name)s has no working time from %(date)s "
                    "on: business time cannot be counted on it.",
                    name=self.display_name,
                    date=fields.Date.to_string(timeline.last_work_end.date()),
                )
            )

    def _psa_work_intervals(self, start, end):
        """Work intervals of this calendar between two naive-UTC datetimes, as
        a sorted list of ``(start, stop)`` naive-UTC datetimes."""
        self.ensure_one()
        # Working hours and public holidays are not confidential, and deadlines
        # are also computed for users without access to them (portal tickets).
        calendar = self.sudo()
        company = calendar.company_id or self.env.company
        leave_domain = [
            ("time_type", "=", "leave"),
            "|",
            ("calendar_id", "=", calendar.id),
            ("company_id", "in", [company.id, False]),
        ]
        intervals = calendar._work_intervals_batch(
            utc.localize(start),
            utc.localize(end),
            domain=leave_domain,
            tz=timezone(calendar.tz or "UTC"),
        )[False]
        result = [
            (
                interval_start.astimezone(utc).replace(tzinfo=None),
                interval_stop.astimezone(utc).replace(tzinfo=None),
            )
            for interval_start, interval_stop, _meta in intervals
            if interval_stop > interval_start
        ]
        result.sort()
        return result
