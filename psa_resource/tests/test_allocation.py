from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import PsaResourceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestAllocation(PsaResourceCommon):
    """Week of Mon 2 - Fri 6 March 2026, 8 h of capacity a day."""

    def test_allocated_hours(self):
        allocation = self._allocate(
            self.emp_consultant,
            self.project,
            date(2026, 3, 2),
            date(2026, 3, 8),
            hours_per_day=6.0,
        )
        # five working days, the weekend carries nothing
        self.assertAlmostEqual(allocation.allocated_hours, 30.0)
        self.assertEqual(allocation.role_id, self.role_dev)
        self.assertFalse(allocation.is_overallocated)

    def test_overallocation_across_projects(self):
        """6 h/day on one project Mon-Fri and 4 h/day on another Wed-Tue: 10 h on
        Wed, Thu and Fri against 8 h of capacity."""
        first = self._allocate(
            self.emp_consultant,
            self.project,
            date(2026, 3, 2),
            date(2026, 3, 6),
            hours_per_day=6.0,
        )
        self.assertFalse(first.is_overallocated)
        second = self._allocate(
            self.emp_consultant,
            self.project2,
            date(2026, 3, 4),
            date(2026, 3, 10),
            hours_per_day=4.0,
        )
        later = self._allocate(
            self.emp_consultant,
            self.project2,
            date(2026, 3, 11),
            date(2026, 3, 13),
            hours_per_day=4.0,
        )
        self.assertTrue(first.is_overallocated)
        self.assertTrue(second.is_overallocated)
        self.assertFalse(later.is_overallocated)
        self.assertTrue(self.emp_consultant.psa_is_overallocated)
        # the team list (public profiles) shows it too
        self.env.flush_all()
        public = self.env["hr.employee.public"].browse(self.emp_consultant.id)
        self.assertTrue(public.with_user(self.user_manager).psa_is_overallocated)
        # fewer hours: back under capacity
        second.hours_per_day = 2.0
        self.assertFalse(first.is_overallocated)
        self.assertFalse(second.is_overallocated)
        self.assertFalse(self.emp_consultant.psa_is_overallocated)
        second.hours_per_day = 4.0
        self.assertTrue(first.is_overallocated)
        second.unlink()
        self.assertFalse(first.is_overallocated)

    def test_leave_counts_in_overallocation(self):
        """A full-time allocation during validated time off is not an overload:
        leave days carry no allocated hours."""
        self._approved_leave(self.emp_consultant, date(2026, 3, 4), date(2026, 3, 4))
        allocation = self._allocate(
            self.emp_consultant,
            self.project,
            date(2026, 3, 2),
            date(2026, 3, 6),
            hours_per_day=8.0,
        )
        self.assertAlmostEqual(allocation.allocated_hours, 32.0)
        self.assertFalse(allocation.is_overallocated)

    def test_confirm_overallocation_needs_manager(self):
        self._allocate(
            self.emp_consultant,
            self.project2,
            date(2026, 3, 2),
            date(2026, 3, 6),
            hours_per_day=8.0,
        )
        # the project owner (a consultant) plans their own project
        allocation = (
            self.env["psa.allocation"]
            .with_user(self.user_owner)
            .create(
                {
                    "employee_id": self.emp_consultant.id,
                    "project_id": self.project.id,
                    "date_from": date(2026, 3, 2),
                    "date_to": date(2026, 3, 3),
                    "hours_per_day": 2.0,
                }
            )
        )
        self.assertTrue(allocation.is_overallocated)
        with self.assertRaisesRegex(UserError, "only a PSA project manager"):
            allocation.action_confirm()
        self.assertEqual(allocation.state, "tentative")
        with self.assertRaises(UserError):
            allocation.write({"state": "confirmed"})
        allocation.with_user(self.user_manager).action_confirm()
        self.assertEqual(allocation.state, "confirmed")

    def test_confirm_within_capacity(self):
        allocation = (
            self.env["psa.allocation"]
            .with_user(self.user_owner)
            .create(
                {
                    "employee_id": self.emp_consultant.id,
                    "project_id": self.project.id,
                    "date_from": date(2026, 3, 2),
                    "date_to": date(2026, 3, 6),
                    "hours_per_day": 8.0,
                }
            )
        )
        allocation.action_confirm()
        self.assertEqual(allocation.state, "confirmed")

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._allocate(
                self.emp_consultant,
                self.project,
                date(2026, 3, 2),
                date(2026, 3, 6),
                hours_per_day=0.0,
            )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._allocate(
                self.emp_consultant,
                self.project,
                date(2026, 3, 6),
                date(2026, 3, 2),
            )
