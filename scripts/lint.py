#!/usr/bin/env python3
"""The lint gate: ruff, ruff-format, pylint-odoo mandatory checks, OCA module, XML and
PO checks, and the module checklist (readme fragments, generated README, i18n template).

Usage: .venv/bin/python scripts/lint.py [--fix]

Every check prints one line ``lint: <name> ... ok|FAILED`` followed by what failed; the
exit code is the number of failed checks. ``scripts/run_tests.py`` runs the same checks.
"""

import io
import subprocess
import sys
from pathlib import Path

import docutils.core

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_readme  # noqa: E402
from psa_modules import ROOT, psa_modules  # noqa: E402

BIN = Path(sys.executable).parent


def _run(cmd):
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, check=False, env=None
    )
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def check_ruff(modules, fix=False):
    paths = [str(m.path.relative_to(ROOT)) for m in modules] + ["scripts"]
    cmd = [str(BIN / "ruff"), "check", "--output-format=concise"]
    cmd += ["--fix"] if fix else ["--no-fix"]
    cmd += paths
    return _run(cmd)


def check_ruff_format(modules, fix=False):
    paths = [str(m.path.relative_to(ROOT)) for m in modules] + ["scripts"]
    cmd = [str(BIN / "ruff"), "format", *([] if fix else ["--check"]), *paths]
    return _run(cmd)


def check_pylint(modules, fix=False):
    paths = [str(m.path.relative_to(ROOT)) for m in modules]
    cmd = [str(BIN / "pylint"), "--rcfile=.pylintrc-mandatory", *paths]
    return _run(cmd)


def check_oca_module(modules, fix=False):
    paths = [str(m.path.relative_to(ROOT)) for m in modules]
    cmd = [str(BIN / "oca-checks-odoo-module"), *(["--fix"] if fix else []), *paths]
    return _run(cmd)


def check_oca_po(modules, fix=False):
    files = sorted(
        str(p.relative_to(ROOT)) for m in modules for p in m.path.glob("i18n/*.po*")
    )
    if not files:
        return 0, ""
    return _run([str(BIN / "oca-checks-po"), *(["--fix"] if fix else []), *files])


def check_module_files(modules, fix=False):
    """Every module has readme fragments, a generated README.rst, an i18n template."""
    problems = []
    for module in modules:
        for fragment in ("DESCRIPTION.md", "USAGE.md"):
            if not (module.path / "readme" / fragment).is_file():
                problems.append(f"{module.name}: readme/{fragment} is missing")
        if not (module.path / "i18n" / f"{module.name}.pot").is_file():
            problems.append(f"{module.name}: i18n/{module.name}.pot is missing")
        if (module.path / "i18n" / "en.po").exists():
            problems.append(f"{module.name}: i18n/en.po must not be committed")
        for key in (
            "name",
            "summary",
            "version",
            "category",
            "author",
            "website",
            "license",
        ):
            if not module.manifest.get(key):
                problems.append(f"{module.name}: manifest key '{key}' is missing")
        readme = gen_readme.render(module)
        if fix:
            gen_readme.write_readme(module)
        elif readme != gen_readme.current(module):
            problems.append(
                f"{module.name}: README.rst is not generated from readme/ "
                "(run .venv/bin/python scripts/gen_readme.py)"
            )
        problems.extend(
            f"{module.name}: README.rst: {problem}" for problem in _rst_problems(readme)
        )
    return (1 if problems else 0), "\n".join(problems)


def _rst_problems(text):
    """docutils' warnings and errors on ``text``: Odoo renders each module's
    README.rst as its description, and reports them in the server log."""
    stream = io.StringIO()
    docutils.core.publish_string(
        text,
        writer_name="null",
        settings_overrides={"warning_stream": stream, "report_level": 2},
    )
    return [line for line in stream.getvalue().splitlines() if line.strip()]


CHECKS = [
    ("ruff", check_ruff),
    ("ruff-format", check_ruff_format),
    ("pylint-odoo (mandatory)", check_pylint),
    ("oca-checks-odoo-module (manifest, XML, CSV)", check_oca_module),
    ("oca-checks-po", check_oca_po),
    ("module files (readme, README.rst, i18n)", check_module_files),
]


def run_checks(fix=False, out=sys.stdout, modules=None):
    """Run every check; return a list of (name, ok)."""
    modules = psa_modules() if modules is None else modules
    results = []
    for name, check in CHECKS:
        rc, output = check(modules, fix=fix)
        ok = rc == 0
        results.append((name, ok))
        print(f"lint: {name} ... {'ok' if ok else 'FAILED'}", file=out)
        if not ok and output:
            print("    " + output.replace("\n", "\n    "), file=out)
    out.flush()
    return results


def main():
    results = run_checks(fix="--fix" in sys.argv[1:])
    return sum(1 for _name, ok in results if not ok)


if __name__ == "__main__":
    sys.exit(main())
