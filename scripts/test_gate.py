"""Self-test of the gate: it must fail on a pylint-odoo mandatory error and on a WARNING
line in an Odoo log, and must read Odoo's test summary. Run by scripts/run_tests.py."""

import shutil
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lint  # noqa: E402
import run_tests  # noqa: E402
from psa_modules import ROOT, Module, read_manifest  # noqa: E402

PROBE = ROOT / ".psa" / "gate_selftest" / "psa_gate_probe"
MANIFEST = """{
    "name": "Gate probe",
    "summary": "A module the gate must reject",
    "version": "19.0.1.0.0",
    "category": "Services",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["base"],
    "development_status": "Beta",
    "maintainers": [],
}
"""
MODEL_OK = """from odoo import fields, models


class GateProbe(models.Model):
    _name = "gate.probe"
    _description = "Gate probe"

    name = fields.Char()
"""


class TestGate(unittest.TestCase):
    def setUp(self):
        shutil.rmtree(PROBE, ignore_errors=True)
        (PROBE / "models").mkdir(parents=True)
        (PROBE / "__init__.py").write_text("from . import models\n")
        (PROBE / "__manifest__.py").write_text(MANIFEST)
        (PROBE / "README.rst").write_text("Gate probe\n==========\n")
        (PROBE / "models" / "__init__.py").write_text("from . import gate_probe\n")
        self.addCleanup(shutil.rmtree, PROBE.parent, True)

    def _pylint(self, model_source):
        (PROBE / "models" / "gate_probe.py").write_text(model_source)
        module = Module(PROBE.name, PROBE, read_manifest(PROBE))
        return lint.check_pylint([module])

    def test_pylint_accepts_clean_module(self):
        rc, output = self._pylint(MODEL_OK)
        self.assertEqual(rc, 0, output)

    def test_pylint_rejects_mandatory_errors(self):
        cases = {
            "print-used": MODEL_OK + '\n\nprint("debug")\n',
            "prefer-env-translation": MODEL_OK.replace(
                "from odoo import fields, models", "from odoo import _, fields, models"
            )
            + "\n    def action(self):\n        return _('Done')\n",
            "no-search-all": MODEL_OK
            + "\n    def action(self):\n        return self.search([])\n",
        }
        for symbol, source in cases.items():
            with self.subTest(symbol=symbol):
                rc, output = self._pylint(source)
                self.assertNotEqual(rc, 0, f"{symbol} not caught:\n{output}")
                self.assertIn(symbol, output)

    def test_log_check_flags_warning_and_error_lines(self):
        log = PROBE / "odoo.log"
        log.write_text(
            "2026-11-22 04:00:00,000 1 INFO db odoo.modules.loading: loading base\n"
            "2026-11-22 04:00:01,000 1 WARNING db odoo.models: unknown parameter\n"
            "2026-11-22 04:00:02,000 1 ERROR db odoo.sql_db: bad query\n"
            "2026-11-22 04:00:03,000 1 INFO db odoo.tests.result: "
            "1 failed, 2 error(s) of 40 tests when loading database 'db'\n"
        )
        bad, summaries = run_tests.scan_log(log)
        self.assertEqual(len(bad), 2)
        self.assertIn("WARNING", bad[0])
        self.assertEqual(summaries, [(1, 2, 40)])

    def test_clean_log(self):
        log = PROBE / "odoo.log"
        log.write_text(
            "2026-11-22 04:00:00,000 1 INFO db odoo.modules.loading: loading base\n"
            "2026-11-22 04:00:03,000 1 INFO db odoo.tests.result: "
            "0 failed, 0 error(s) of 12 tests when loading database 'db'\n"
        )
        self.assertEqual(run_tests.scan_log(log), ([], [(0, 0, 12)]))


if __name__ == "__main__":
    unittest.main()
