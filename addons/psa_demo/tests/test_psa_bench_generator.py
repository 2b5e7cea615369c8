from odoo.tests import freeze_time, tagged

from odoo.addons.base.tests.common import BaseCommon

from ..generator import FirmGenerator

# columns that differ between two creations of the same line by construction
IGNORED_COLUMNS = {"id", "create_date", "write_date"}
# hours granted by each period of the test's retainer: the time of the three weeks
# overflows it (some covered, some overage)
RETAINER_GRANTED = 6.0


@freeze_time("2026-03-18 10:00:00")
@tagged("post_install", "-at_install")
class TestPsaBenchGenerator(BaseCommon):
    """The bulk (SQL) path of the benchmark generator produces the timesheets the
    ORM produces: the same specs are created both ways in the same database and
    every stored column is compared, with the stored fields of other models that
    depend on the timesheets, and the retainer periods the approved time burns
    (then closed as the daily job does, both ways)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = FirmGenerator(cls.env, scale=0.01, seed=7)
        cls.generator._generate_master_data()
        cls.generator._generate_employees()
        cls.generator._generate_clients()
        cls.generator._generate_engagements()
        # three weeks: approved, submitted and draft lines, several per key
        cls.specs = cls.generator.timesheet_specs(days=24)
        # the retainer engagement: a small balance that rolls over, so that its
        # time is covered, then overage, and a closed period rolls hours over
        cls.retainer = cls.generator.retainer_lines
        cls.retainer.rollover_policy = "rollover"
        cls.retainer.retainer_period_ids.write({"granted": RETAINER_GRANTED})

    def _rows(self, lines):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT * FROM account_analytic_line WHERE id = ANY(%s) ORDER BY id",
            [lines.ids],
        )
        columns = [desc.name for desc in self.env.cr.description]
        by_id = {
            row[0]: {
                column: value
                for column, value in zip(columns, row, strict=True)
                if column not in IGNORED_COLUMNS
            }
            for row in self.env.cr.fetchall()
        }
        return [by_id[line_id] for line_id in lines.ids]

    def _periods(self):
        """The retainer periods of the test's retainer (all stored columns)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT * FROM psa_retainer_period WHERE plan_line_id = ANY(%s) "
            "ORDER BY date_start",
            [self.retainer.ids],
        )
        columns = [desc.name for desc in self.env.cr.description]
        ignored = {"create_date", "create_uid", "write_date", "write_uid"}
        return [
            {
                column: value
                for column, value in zip(columns, row, strict=True)
                if column not in ignored
            }
            for row in self.env.cr.fetchall()
        ]

    def _dependents(self, lines):
        """Stored fields of other models computed from the timesheets."""
        self.env.flush_all()
        self.env.invalidate_all()
        tasks = lines.task_id
        sale_lines = lines.so_line
        return {
            "task_effective_hours": {t.id: t.effective_hours for t in tasks},
            "task_total_hours": {t.id: t.total_hours_spent for t in tasks},
            "so_line_qty_delivered": {s.id: s.qty_delivered for s in sale_lines},
        }

    def _diff(self, expected, actual):
        """Differences between two lists of rows: [(index, column, exp, act)]."""
        diffs = []
        for index, (row_a, row_b) in enumerate(zip(expected, actual, strict=True)):
            for column in row_a:
                if row_a[column] != row_b[column]:
                    diffs.append((index, column, row_a[column], row_b[column]))
        return diffs

    def _create_both_ways(self):
        """The ORM reference (the rows, dependents and retainer periods, once
        created, then once the periods ended are closed), rolled back so that
        both paths start from the same data; then the SQL path's lines."""
        with self.assertRaises(InterruptedError), self.env.cr.savepoint():
            orm_lines = self.generator.create_timesheets(self.specs, use_sql=False)
            orm = {
                "rows": self._rows(orm_lines),
                "dependents": self._dependents(orm_lines),
                "periods": self._periods(),
            }
            self.generator.close_retainer_periods()
            orm["closed_rows"] = self._rows(orm_lines)
            orm["closed_periods"] = self._periods()
            raise InterruptedError
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        sql_lines = self.generator.create_timesheets(self.specs, use_sql=True)
        return orm, sql_lines

    def test_sql_path_equals_orm(self):
        self.assertGreater(len(self.specs), 100)
        states = {spec["state"] for spec in self.specs}
        self.assertEqual(states, {"draft", "submitted", "approved"})
        orm, sql_lines = self._create_both_ways()
        sql_rows = self._rows(sql_lines)
        self.assertEqual(len(sql_rows), len(self.specs))
        # a row is the ORM's in every stored column, the cost amount and the
        # retainer allocation included
        self.assertEqual(self._diff(orm["rows"], sql_rows), [])
        self.assertTrue(any(row["amount"] for row in sql_rows))
        self.assertTrue(any(row["so_line"] for row in sql_rows))
        self.assertEqual(self._dependents(sql_lines), orm["dependents"])
        # the retainer's time: covered, then overage once its balance is used
        # (within a day of several lines: the order of the lines counts)
        retained = [row for row in sql_rows if row["psa_retainer_period_id"]]
        self.assertTrue(any(row["psa_retainer_covered"] for row in retained))
        self.assertTrue(any(row["psa_retainer_overage"] for row in retained))
        self.assertEqual(
            len({row["psa_retainer_period_id"] for row in retained}), 2, retained
        )
        periods = self._periods()
        self.assertEqual(periods, orm["periods"])
        self.assertTrue(all(period["state"] == "open" for period in periods))
        self.assertEqual(
            sum(period["consumed"] or 0.0 for period in periods), 2 * RETAINER_GRANTED
        )
        # the periods ended closed (the hours of January roll over into
        # February, which burns them, less overage): both ways again
        self.generator.close_retainer_periods()
        self.assertEqual(self._diff(orm["closed_rows"], self._rows(sql_lines)), [])
        closed = self._periods()
        self.assertEqual(closed, orm["closed_periods"])
        self.assertEqual(
            [period["state"] for period in closed], ["closed"] * 12 + ["open"]
        )
        self.assertTrue(any(period["expired"] for period in closed))
        february = closed[-2]
        self.assertEqual(february["rolled_in"], RETAINER_GRANTED)
        self.assertGreater(february["consumed"], periods[-2]["consumed"])
        self.assertLess(february["overage"], periods[-2]["overage"])

    def test_comparison_detects_a_difference(self):
        """The comparison is able to fail: a copy with one wrong column is found."""
        orm, sql_lines = self._create_both_ways()
        orm_rows = orm["rows"]
        self.env.cr.execute(
            "UPDATE account_analytic_line SET amount = amount - 1 WHERE id = %s",
            [sql_lines[-1].id],
        )
        diffs = self._diff(orm_rows, self._rows(sql_lines))
        self.assertEqual([(d[0], d[1]) for d in diffs], [(len(orm_rows) - 1, "amount")])
        # a retainer allocation moved between two lines of the retainer is found
        # too, though the period's totals do not change
        covered = [
            index
            for index, row in enumerate(orm_rows)
            if row["psa_retainer_covered"] and row["psa_retainer_covered"] >= 0.25
        ][:2]
        self.assertEqual(len(covered), 2)
        for index, delta in zip(covered, (-0.25, 0.25), strict=True):
            self.env.cr.execute(
                "UPDATE account_analytic_line "
                "SET psa_retainer_covered = psa_retainer_covered + %s WHERE id = %s",
                [delta, sql_lines[index].id],
            )
        diffs = self._diff(orm_rows, self._rows(sql_lines))
        self.assertEqual(
            [(d[0], d[1]) for d in diffs],
            [
                (covered[0], "psa_retainer_covered"),
                (covered[1], "psa_retainer_covered"),
                (len(orm_rows) - 1, "amount"),
            ],
        )
        self.assertEqual(self._periods(), orm["periods"])

    def test_deterministic(self):
        again = FirmGenerator(self.env, scale=0.01, seed=7)
        again.employees = self.generator.employees
        again.tasks = self.generator.tasks
        self.assertEqual(again.timesheet_specs(days=24), self.specs)
