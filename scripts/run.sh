#!/usr/bin/env bash
# The README's run command (`make run`): Odoo with the whole PSA Suite and the demo firm.
#
#   PSA_DB=psa_demo     database to create or reuse (default psa_demo)
#   REBUILD=1           drop the database and build it again
#   PSA_HTTP_PORT=8069  port of the web server
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DB=${PSA_DB:-psa_demo}
PORT=${PSA_HTTP_PORT:-8069}
ODOO="$ROOT/scripts/odoo"

db_exists() {
    [ "$(psql -X -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = "1" ]
}
suite_installed() {
    [ "$(psql -X -tA -d "$DB" -c "SELECT count(*) FROM ir_module_module
        WHERE name IN ('psa', 'psa_demo') AND state = 'installed'" 2>/dev/null)" = "2" ]
}

if [ "${REBUILD:-0}" = "1" ] && db_exists; then
    echo "psa run: REBUILD=1, dropping database $DB"
    dropdb --force "$DB"
    rm -rf "$ROOT/.psa/data/filestore/$DB"
fi
if db_exists && ! suite_installed; then
    echo "psa run: database $DB exists but the suite is not fully installed in it;" \
        "run 'make run REBUILD=1' to build it again" >&2
    exit 1
fi
if ! db_exists; then
    echo "psa run: creating database $DB with the PSA Suite and the demo firm (a few minutes)"
    "$ODOO" -d "$DB" -i psa,psa_demo --stop-after-init --log-level=warn \
        || { echo "psa run: installation failed, see the messages above" >&2; exit 1; }
fi
cat <<EOF

  PSA Suite running on http://localhost:$PORT  (database $DB)
  Log in as admin / admin (or alice, bob, carol, eva: password = login).
  Stop with Ctrl+C.

EOF
exec "$ODOO" -d "$DB" --db-filter="^$DB\$" --http-port "$PORT"
