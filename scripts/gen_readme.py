#!/usr/bin/env python3
"""Render each module's README.rst from its ``readme/*.md`` fragments (OCA layout).

Usage: .venv/bin/python scripts/gen_readme.py [module ...]

The fragments use the small Markdown subset of OCA fragments (paragraphs, ``#``
headings, ``-``/``1.`` lists, inline code, bold, links, fenced code); this turns them
into reStructuredText in the order of OCA's ``oca-gen-addon-readme``. README.rst is
generated: edit the fragments, never README.rst. The lint gate checks it is current.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from psa_modules import psa_modules  # noqa: E402

# (fragment, section title) in the order of OCA maintainer-tools gen_addon_readme
FRAGMENTS = [
    ("DESCRIPTION", None),
    ("CONTEXT", "Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
    ("CONTRIBUTORS", "Contributors"),
    ("CREDITS", "Other credits"),
]
HEADING_CHARS = "=-~^"


def _inline(text):
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", text)
    text = re.sub(r"(?<![`\w])`([^`]+)`(?![`\w])", r"``\1``", text)
    return text


def md_to_rst(markdown, level=1):
    """Convert a fragment; ``#`` headings start at ``level`` below the section title."""
    out = []
    in_code = False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            if not in_code:
                if out and out[-1] != "":
                    out.append("")
                out.extend(["::", ""])
            else:
                out.append("")
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
            continue
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = _inline(heading.group(2).strip())
            char = HEADING_CHARS[
                min(level + len(heading.group(1)) - 1, len(HEADING_CHARS) - 1)
            ]
            if out and out[-1] != "":
                out.append("")
            out.extend([title, char * len(title), ""])
            continue
        out.append(_inline(line.rstrip()))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def render(module):
    name = module.manifest.get("name", module.name)
    lines = ["=" * len(name), name, "=" * len(name), ""]
    summary = module.manifest.get("summary")
    if summary:
        lines += [f"*{summary.strip()}*", ""]
    lines += [
        f"| Technical name: ``{module.name}``",
        f"| Version: {module.manifest.get('version', '')}"
        f" | License: {module.manifest.get('license', '')}"
        f" | Maturity: {module.manifest.get('development_status', 'Beta')}",
        "",
        ".. contents::",
        "   :local:",
        "",
    ]
    readme = module.path / "readme"
    for fragment, title in FRAGMENTS:
        parts = sorted(readme.glob(f"{fragment}*.md"))
        if not parts:
            continue
        if title:
            lines += [title, "=" * len(title), ""]
        for part in parts:
            lines += [md_to_rst(part.read_text(encoding="utf-8"), level=1), ""]
    lines += [
        "Bug Tracker",
        "===========",
        "",
        "Bugs are tracked in the PSA Suite issue tracker. This file is generated",
        "from the module's ``readme/`` fragments by ``scripts/gen_readme.py``.",
        "",
    ]
    return "\n".join(lines)


def current(module):
    path = module.path / "README.rst"
    return path.read_text(encoding="utf-8") if path.exists() else None


def write_readme(module):
    content = render(module)
    if content != current(module):
        (module.path / "README.rst").write_text(content, encoding="utf-8")
        return True
    return False


def main(names):
    for module in psa_modules():
        if names and module.name not in names:
            continue
        if write_readme(module):
            print(f"{module.name}/README.rst written")


if __name__ == "__main__":
    main(sys.argv[1:])
