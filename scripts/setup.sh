#!/usr/bin/env bash
# Set-up shared by `make run` and `make test`: idempotent, and it stops with a clear error
# before doing anything half-way.
#
#   ODOO_SRC     Odoo 19.0 Community source tree (default /opt/odoo)
#   PSA_VENV     virtual environment to use (default <repo>/.venv)
#   PYTHON       interpreter for the virtual environment (default python3, 3.10-3.13)
#   PSA_FETCH_ODOO=1  with internet access and no ODOO_SRC: clone Odoo 19.0 from its official
#                repository into ODOO_SRC first.
#   PSA_NO_APT=1 never install Debian packages (chromium, wkhtmltopdf); only report them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
VENV=${PSA_VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
STATE_DIR="$ROOT/.psa"

die() {
    echo "psa setup: ERROR: $*" >&2
    exit 1
}
info() { echo "psa setup: $*"; }

# --- 1. Odoo source --------------------------------------------------------------------------
if [ ! -e "$ODOO_SRC/odoo/release.py" ] && [ "${PSA_FETCH_ODOO:-0}" = "1" ]; then
    info "ODOO_SRC=$ODOO_SRC is empty: cloning Odoo 19.0 Community (PSA_FETCH_ODOO=1)"
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
        || die "could not clone Odoo 19.0 into $ODOO_SRC"
fi
if [ ! -e "$ODOO_SRC/odoo/release.py" ]; then
    die "Odoo 19.0 source is missing: ODOO_SRC=$ODOO_SRC has no odoo/release.py.
    Provide Odoo 19.0 Community there (the official images and OCA's CI use /opt/odoo), e.g.
        git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git /opt/odoo
    or point ODOO_SRC at an existing checkout, or run with PSA_FETCH_ODOO=1 to clone it."
fi
for part in odoo/tools odoo/orm odoo/addons/base addons/web addons/project addons/hr_timesheet \
    addons/sale_timesheet odoo-bin setup.py; do
    [ -e "$ODOO_SRC/$part" ] || die "ODOO_SRC=$ODOO_SRC is incomplete: $part is missing."
done
odoo_version=$(sed -n 's/^version_info = (\([0-9]*\), *\([0-9]*\),.*/\1.\2/p' "$ODOO_SRC/odoo/release.py")
[ "$odoo_version" = "19.0" ] \
    || die "ODOO_SRC=$ODOO_SRC holds Odoo ${odoo_version:-of unknown version}; the PSA Suite needs Odoo 19.0."

# --- 2. Python and the virtual environment ----------------------------------------------------
command -v "$PYTHON" >/dev/null || die "no Python interpreter '$PYTHON' (set PYTHON=python3.x)"
"$PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' \
    || die "$("$PYTHON" --version) is not supported by Odoo 19.0: use Python 3.10 to 3.13 (PYTHON=...)."
if [ ! -x "$VENV/bin/python" ]; then
    info "creating the virtual environment $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV (Debian: apt-get install python3-venv)"
fi
mkdir -p "$STATE_DIR"
stamp_file="$STATE_DIR/setup.stamp"
stamp=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -c1-16)
stamp="$stamp $(cd "$ODOO_SRC" && pwd -P) $("$VENV/bin/python" --version 2>&1)"
if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$stamp_file"
    info "installing Odoo 19.0 from $ODOO_SRC (editable distribution 'odoo' on a .pth path, no pinned deps)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        --config-settings editable_mode=compat -e "$ODOO_SRC" \
        || die "could not install Odoo from $ODOO_SRC in $VENV"
    info "installing Python dependencies (requirements.txt, requirements-dev.txt)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" \
        || die "could not install the Python dependencies in $VENV (see pip's message above)"
    echo "$stamp" >"$stamp_file"
else
    info "Python environment up to date ($VENV)"
fi
"$VENV/bin/python" - "$ODOO_SRC" <<'PYEOF' || die "the Odoo installed in $VENV does not come from ODOO_SRC=$ODOO_SRC; remove $VENV and run again."
import os, sys
import odoo.release
path = os.path.realpath(os.path.dirname(odoo.release.__file__))
assert odoo.release.version_info[:2] == (19, 0), odoo.release.version
assert path == os.path.realpath(os.path.join(sys.argv[1], "odoo")), path
PYEOF

# --- 3. PostgreSQL -----------------------------------------------------------------------------
command -v psql >/dev/null || die "psql not found: install PostgreSQL (Debian: apt-get install postgresql)."
psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1 \
    || die "PostgreSQL is unreachable as user '$(id -un)' (PGHOST=${PGHOST:-<socket>}, PGPORT=${PGPORT:-5432}).
    Start it (Debian: pg_ctlcluster 15 main start) and create a role for this user:
        sudo -u postgres createuser --createdb $(id -un)"

# --- 4. Browser for the tours, wkhtmltopdf for PDF reports --------------------------------------
find_chrome() {
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$bin" >/dev/null && { echo "$bin"; return 0; }
    done
    return 1
}
missing_debs=()
find_chrome >/dev/null || missing_debs+=(chromium)
command -v wkhtmltopdf >/dev/null || missing_debs+=(wkhtmltopdf)
if [ ${#missing_debs[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null && [ "${PSA_NO_APT:-0}" != "1" ]; then
        info "installing Debian packages: ${missing_debs[*]}"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debs[@]}"; } \
            >"$STATE_DIR/apt.log" 2>&1 || die "apt-get install ${missing_debs[*]} failed, see $STATE_DIR/apt.log"
    else
        die "missing: ${missing_debs[*]}. Browser tours need Chromium and PDF reports need wkhtmltopdf:
        sudo apt-get install ${missing_debs[*]}"
    fi
fi
find_chrome >/dev/null || die "Chromium is still missing after installation (Debian package 'chromium')."
info "ready: Odoo $odoo_version from $ODOO_SRC, $("$VENV/bin/python" --version), $(find_chrome), PostgreSQL OK"
