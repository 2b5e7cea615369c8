"""The modules of this repository, as the set-up, lint and test scripts see them.

Capability modules sit at the repository root, suite plumbing in ``addons/``; every
folder with a ``__manifest__.py`` whose name starts with ``psa`` is one of ours.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_DIRS = (ROOT, ROOT / "addons")


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    manifest: dict

    @property
    def is_bridge(self):
        """An auto_install module joining two capabilities (psa_<a>_<b>)."""
        return bool(self.manifest.get("auto_install"))

    @property
    def depends(self):
        return self.manifest.get("depends", [])


def read_manifest(path):
    return ast.literal_eval((path / "__manifest__.py").read_text(encoding="utf-8"))


def psa_modules():
    """All installable psa modules, sorted by name."""
    found = []
    for base in MODULE_DIRS:
        for manifest in sorted(base.glob("psa*/__manifest__.py")):
            path = manifest.parent
            data = read_manifest(path)
            if data.get("installable", True):
                found.append(Module(path.name, path, data))
    return sorted(found, key=lambda m: m.name)
