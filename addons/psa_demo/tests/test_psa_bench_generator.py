from odoo.tests import freeze_time, tagged

from odoo.addons.base.tests.common import BaseCommon

from ..generator import FirmGenerator

# columns that differ between two creations of the same line by construction
IGNORED_COLUMNS = {"id", "create_date", "write_date"}


@freeze_time("2026-03-18 10:00:00")
@tagged("post_install", "-at_install")
class TestPsaBenchGenerator(BaseCommon):
    """The bulk (SQL) path of the benchmark generator produces the timesheets the
    ORM produces: the same specs are created both ways in the same database and
    every stored column is compared, with the stored fields of other models that
    depend on the timesheets."""

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
        # the ORM reference, then rolled back: both paths start from the same data
        with self.assertRaises(InterruptedError), self.env.cr.savepoint():
            orm_lines = self.generator.create_timesheets(self.specs, use_sql=False)
            orm_rows = self._rows(orm_lines)
            orm_dependents = self._dependents(orm_lines)
            raise InterruptedError
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        sql_lines = self.generator.create_timesheets(self.specs, use_sql=True)
        return orm_rows, orm_dependents, sql_lines

    def test_sql_path_equals_orm(self):
        self.assertGreater(len(self.specs), 100)
        states = {spec["state"] for spec in self.specs}
        self.assertEqual(states, {"draft", "submitted", "approved"})
        orm_rows, orm_dependents, sql_lines = self._create_both_ways()
        sql_rows = self._rows(sql_lines)
        self.assertEqual(len(sql_rows), len(self.specs))
        # a row is the ORM's in every stored column, the cost amount included
        self.assertEqual(self._diff(orm_rows, sql_rows), [])
        self.assertTrue(any(row["amount"] for row in sql_rows))
        self.assertTrue(any(row["so_line"] for row in sql_rows))
        self.assertEqual(self._dependents(sql_lines), orm_dependents)

    def test_comparison_detects_a_difference(self):
        """The comparison is able to fail: a copy with one wrong column is found."""
        orm_rows, _dependents, sql_lines = self._create_both_ways()
        self.env.cr.execute(
            "UPDATE account_analytic_line SET amount = amount - 1 WHERE id = %s",
            [sql_lines[-1].id],
        )
        diffs = self._diff(orm_rows, self._rows(sql_lines))
        self.assertEqual([(d[0], d[1]) for d in diffs], [(len(orm_rows) - 1, "amount")])

    def test_deterministic(self):
        again = FirmGenerator(self.env, scale=0.01, seed=7)
        again.employees = self.generator.employees
        again.tasks = self.generator.tasks
        self.assertEqual(again.timesheet_specs(days=24), self.specs)
