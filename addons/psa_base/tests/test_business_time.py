from datetime import datetime, timedelta
from unittest.mock import patch

from pytz import timezone, utc

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

BRUSSELS = timezone("Europe/Brussels")


def local(*args):
    """Naive UTC datetime of a Brussels wall-clock time."""
    return BRUSSELS.localize(datetime(*args)).astimezone(utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestBusinessTime(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        attendances = []
        for day in "01234":
            attendances += [
                Command.create(
                    {
                        "name": "Morning",
                        "dayofweek": day,
                        "hour_from": 9,
                        "hour_to": 12,
                        "day_period": "morning",
                    }
                ),
                Command.create(
                    {
                        "name": "Lunch",
                        "dayofweek": day,
                        "hour_from": 12,
                        "hour_to": 13,
                        "day_period": "lunch",
                    }
                ),
                Command.create(
                    {
                        "name": "Afternoon",
                        "dayofweek": day,
                        "hour_from": 13,
                        "hour_to": 17,
                        "day_period": "afternoon",
                    }
                ),
            ]
        Calendar = cls.env["resource.calendar"]
        cls.calendar = Calendar.create(
            {
                "name": "PSA Office Hours",
                "tz": "Europe/Brussels",
                "company_id": cls.env.company.id,
                "attendance_ids": attendances,
            }
        )
        cls.calendar_24_7 = Calendar.create(
            {
                "name": "PSA Around the Clock",
                "tz": "Europe/Brussels",
                "company_id": cls.env.company.id,
                "psa_is_24_7": True,
            }
        )
        cls.no_calendar = Calendar
        Leave = cls.env["resource.calendar.leaves"]
        # Easter Monday 2026-04-06: a company-wide public holiday
        Leave.create(
            {
                "name": "Easter Monday",
                "date_from": local(2026, 4, 6, 0, 0),
                "date_to": local(2026, 4, 6, 23, 59, 59),
            }
        )
        # Thursday 2026-05-14: a holiday of this calendar only
        Leave.create(
            {
                "name": "Ascension",
                "calendar_id": cls.calendar.id,
                "date_from": local(2026, 5, 14, 0, 0),
                "date_to": local(2026, 5, 14, 23, 59, 59),
            }
        )
        # Not holidays of the calendar: another company's, and one resource's leave
        other_company = cls.env["res.company"].create({"name": "PSA Other Company"})
        other_leave = Leave.with_company(other_company).create(
            {
                "name": "Other company holiday",
                "date_from": local(2026, 1, 19, 0, 0),
                "date_to": local(2026, 1, 19, 23, 59, 59),
            }
        )
        # company_id is computed from the current company: flush it in that one
        other_leave.env.flush_all()
        assert other_leave.company_id == other_company
        resource = cls.env["resource.resource"].create(
            {"name": "PSA Technician", "calendar_id": cls.calendar.id}
        )
        Leave.create(
            {
                "name": "Personal leave",
                "resource_id": resource.id,
                "calendar_id": cls.calendar.id,
                "date_from": local(2026, 1, 19, 0, 0),
                "date_to": local(2026, 1, 19, 23, 59, 59),
            }
        )
        # (start, hours, expected end), hand-computed, Brussels wall-clock times
        cls.cases = {
            # Friday 16:00 + 3 h: 1 h on Friday, 2 h on Monday morning
            "weekend": (local(2026, 1, 16, 16, 0), 3, local(2026, 1, 19, 11, 0)),
            # Friday 16:00 + 3 h: Easter Monday is off, so Tuesday 11:00
            "public_holiday": (local(2026, 4, 3, 16, 0), 3, local(2026, 4, 7, 11, 0)),
            # Wednesday 16:00 + 2 h: the calendar's own holiday on Thursday
            "calendar_holiday": (
                local(2026, 5, 13, 16, 0),
                2,
                local(2026, 5, 15, 10, 0),
            ),
            # 11:30 + 1 h: 30 min before lunch, 30 min after
            "lunch": (local(2026, 1, 14, 11, 30), 1, local(2026, 1, 14, 13, 30)),
            # Friday 16:00 CET + 2 h: Monday 10:00 CEST (clocks moved on 2026-03-29)
            "dst_spring": (local(2026, 3, 27, 16, 0), 2, local(2026, 3, 30, 10, 0)),
            # Friday 16:00 CEST + 2 h: Monday 10:00 CET (clocks moved on 2026-10-25)
            "dst_autumn": (local(2026, 10, 23, 16, 0), 2, local(2026, 10, 26, 10, 0)),
            # Saturday: counting starts on Monday 09:00
            "saturday": (local(2026, 1, 17, 10, 0), 2, local(2026, 1, 19, 11, 0)),
            # Wednesday 20:00: counting starts on Thursday 09:00
            "evening": (local(2026, 1, 14, 20, 0), 1, local(2026, 1, 15, 10, 0)),
            # early morning: counting starts at 09:00
            "early_morning": (local(2026, 1, 14, 7, 0), 0.5, local(2026, 1, 14, 9, 30)),
            # ends exactly at closing time: Friday 17:00, not Monday 09:00
            "closing_time": (local(2026, 1, 16, 16, 0), 1, local(2026, 1, 16, 17, 0)),
            # 2 weeks of 35 h, one holiday: 70 h from Monday 2026-03-30 09:00 is
            # Monday 2026-04-13 09:00 + 7 h = Monday 17:00
            "two_weeks": (local(2026, 3, 30, 9, 0), 70, local(2026, 4, 13, 17, 0)),
        }

    def test_add_working_hours(self):
        for name, (start, hours, expected) in self.cases.items():
            with self.subTest(case=name):
                self.assertEqual(
                    self.calendar.psa_add_working_hours(start, hours), expected
                )

    def test_dst_offsets(self):
        """The DST cases really straddle an UTC offset change."""
        start, hours, end = self.cases["dst_spring"]
        self.assertEqual((start.hour, end.hour), (15, 8))  # UTC+1, then UTC+2
        start, hours, end = self.cases["dst_autumn"]
        self.assertEqual((start.hour, end.hour), (14, 9))  # UTC+2, then UTC+1

    def test_working_hours_between(self):
        for name, (start, hours, end) in self.cases.items():
            with self.subTest(case=name):
                self.assertAlmostEqual(
                    self.calendar.psa_working_hours_between(start, end), hours, places=6
                )
        between = self.calendar.psa_working_hours_between
        # 11:30 to 13:30 spans the lunch break
        self.assertAlmostEqual(
            between(local(2026, 1, 14, 11, 30), local(2026, 1, 14, 13, 30)), 1.0
        )
        # a whole week with Easter Monday: 4 days of 7 h
        self.assertAlmostEqual(
            between(local(2026, 4, 4, 0, 0), local(2026, 4, 11, 0, 0)), 28.0
        )
        # nothing worked on a weekend, nor backwards
        self.assertEqual(
            between(local(2026, 1, 17, 8, 0), local(2026, 1, 18, 20, 0)), 0.0
        )
        self.assertEqual(
            between(local(2026, 1, 19, 11, 0), local(2026, 1, 16, 16, 0)), 0.0
        )

    def test_inverse_consistency(self):
        start = local(2026, 3, 25, 10, 17)
        for hours in (0.25, 1, 4.5, 7, 13.75, 40, 123.5):
            with self.subTest(hours=hours):
                end = self.calendar.psa_add_working_hours(start, hours)
                self.assertAlmostEqual(
                    self.calendar.psa_working_hours_between(start, end), hours, places=6
                )

    def test_zero_and_negative_hours(self):
        saturday = local(2026, 1, 17, 10, 0)
        self.assertEqual(self.calendar.psa_add_working_hours(saturday, 0), saturday)
        with self.assertRaises(UserError):
            self.calendar.psa_add_working_hours(saturday, -1)

    def test_aware_and_string_datetimes(self):
        start, hours, expected = self.cases["weekend"]
        aware = utc.localize(start).astimezone(BRUSSELS)
        self.assertEqual(self.calendar.psa_add_working_hours(aware, hours), expected)
        self.assertEqual(
            self.calendar.psa_add_working_hours("2026-01-16 15:00:00", hours), expected
        )

    def test_window_growth(self):
        """A wrong weekly estimate only costs window extensions, not accuracy."""
        # 700 h = 100 days of 7 h; 20 weeks from Monday 2026-01-05 hold 100
        # weekdays, 2 of them holidays: the last working day is Tuesday 2026-05-26
        start = local(2026, 1, 5, 9, 0)
        expected = local(2026, 5, 26, 17, 0)
        spy, calls = self._spy_work_intervals()
        with spy:
            self.assertEqual(self.calendar.psa_add_working_hours(start, 700), expected)
            self.assertEqual(len(calls), 1)
            self.calendar.hours_per_week = 1000.0  # the first window is far too short
            self.assertEqual(self.calendar.psa_add_working_hours(start, 700), expected)
            self.assertGreater(len(calls), 2)
        self.assertAlmostEqual(
            self.calendar.psa_working_hours_between(start, expected), 700, places=6
        )

    def test_calendar_without_working_time(self):
        empty = self.env["resource.calendar"].create(
            {"name": "PSA Nothing", "tz": "UTC", "attendance_ids": []}
        )
        with self.assertRaises(UserError):
            empty.psa_add_working_hours(local(2026, 1, 5, 9, 0), 1)
        self.assertEqual(
            empty.psa_working_hours_between(
                local(2026, 1, 5, 9, 0), local(2026, 2, 5, 9, 0)
            ),
            0.0,
        )

    def test_flexible_calendar(self):
        flexible = self.env["resource.calendar"].create(
            {"name": "PSA Flexible", "tz": "UTC", "flexible_hours": True}
        )
        with self.assertRaises(UserError):
            flexible.psa_add_working_hours(local(2026, 1, 5, 9, 0), 1)
        flexible.psa_is_24_7 = True
        self.assertEqual(
            flexible.psa_add_working_hours(local(2026, 1, 5, 9, 0), 1),
            local(2026, 1, 5, 10, 0),
        )

    def test_24_7_and_no_calendar(self):
        # Friday 16:00 + 3 h is Friday 19:00; Easter Monday is worked
        start = local(2026, 1, 16, 16, 0)
        easter_monday = local(2026, 4, 6, 9, 0)
        for calendar in (self.calendar_24_7, self.no_calendar):
            with self.subTest(calendar=calendar.name or "none"):
                self.assertEqual(
                    calendar.psa_add_working_hours(start, 3), local(2026, 1, 16, 19)
                )
                self.assertEqual(
                    calendar.psa_add_working_hours(easter_monday, 2.5),
                    easter_monday + timedelta(hours=2.5),
                )
                self.assertEqual(
                    calendar.psa_working_hours_between(
                        start, local(2026, 1, 19, 11, 0)
                    ),
                    67.0,
                )
                self.assertEqual(
                    calendar.psa_working_hours_between(easter_monday, start), 0.0
                )

    def test_batch_matches_single(self):
        items = [(start, hours) for start, hours, _end in self.cases.values()]
        self.assertEqual(
            self.calendar.psa_add_working_hours_batch(items),
            [end for _start, _hours, end in self.cases.values()],
        )
        pairs = [(start, end) for start, _hours, end in self.cases.values()]
        self.assertEqual(
            self.calendar.psa_working_hours_between_batch(pairs),
            [
                self.calendar.psa_working_hours_between(start, end)
                for start, end in pairs
            ],
        )
        self.assertEqual(self.calendar.psa_add_working_hours_batch([]), [])

    def test_dispatcher_mixed_calendars(self):
        Calendar = self.env["resource.calendar"]
        start = local(2026, 1, 16, 16, 0)
        items = [
            (self.calendar, start, 3),
            (False, start, 3),
            (self.calendar_24_7, start, 3),
            (self.calendar.id, local(2026, 1, 14, 11, 30), 1),
            (Calendar, start, 1),
        ]
        expected = [
            local(2026, 1, 19, 11, 0),
            local(2026, 1, 16, 19, 0),
            local(2026, 1, 16, 19, 0),
            local(2026, 1, 14, 13, 30),
            local(2026, 1, 16, 17, 0),
        ]
        self.assertEqual(Calendar._psa_add_working_hours_batch(items), expected)
        between = Calendar._psa_working_hours_between_batch(
            [
                (calendar, start_dt, end)
                for (calendar, start_dt, _hours), end in zip(
                    items, expected, strict=True
                )
            ]
        )
        self.assertEqual(between, [3.0, 3.0, 3.0, 1.0, 1.0])

    def _spy_work_intervals(self):
        """Patch _work_intervals_batch to record the calendar of each call."""
        Calendar = self.registry["resource.calendar"]
        original = Calendar._work_intervals_batch
        calls = []

        def spy(calendar, *args, **kwargs):
            calls.append(calendar.id)
            return original(calendar, *args, **kwargs)

        return patch.object(Calendar, "_work_intervals_batch", spy), calls

    def test_batch_one_interval_computation_per_calendar(self):
        start = local(2026, 1, 16, 16, 0)
        items = [
            (self.calendar, start + timedelta(hours=5 * i), 1 + i % 7)
            for i in range(40)
        ]
        items += [(False, start, 2), (self.calendar_24_7, start, 2)]
        Calendar = self.env["resource.calendar"]
        spy, calls = self._spy_work_intervals()
        with spy:
            ends = Calendar._psa_add_working_hours_batch(items)
            self.assertEqual(calls, [self.calendar.id])
            Calendar._psa_working_hours_between_batch(
                [
                    (calendar, item_start, end)
                    for (calendar, item_start, _hours), end in zip(
                        items, ends, strict=True
                    )
                ]
            )
            self.assertEqual(calls, [self.calendar.id] * 2)

    def test_batch_query_count(self):
        """Planning 50 tickets costs the same queries as planning 5."""
        # all spans include Easter Monday, so leaves are read in all of them
        start = local(2026, 4, 3, 8, 0)

        def plan(count):
            items = [(start + timedelta(hours=7 * i), 1 + i % 9) for i in range(count)]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            ends = self.calendar.psa_add_working_hours_batch(items)
            add_queries = self.env.cr.sql_log_count - before
            pairs = [
                (item_start, end)
                for (item_start, _hours), end in zip(items, ends, strict=True)
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            hours = self.calendar.psa_working_hours_between_batch(pairs)
            between_queries = self.env.cr.sql_log_count - before
            self.assertEqual(
                ends, [self.calendar.psa_add_working_hours(*item) for item in items]
            )
            for (_start, expected), computed in zip(items, hours, strict=True):
                self.assertAlmostEqual(computed, expected, places=6)
            return add_queries, between_queries

        few, many = plan(5), plan(50)
        self.assertEqual(few, many)
        # calendar, attendances (search + read), leaves (search + read)
        self.assertLessEqual(max(many), 5)
