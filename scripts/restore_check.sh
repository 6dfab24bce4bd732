#!/usr/bin/env bash
# Prove a backup restores: load a dump into a scratch database, check its schema is the
# code's (`flask db check`) and serve a few pages from it.
#   scripts/restore_check.sh [dump]   (no dump: dump DATABASE_URL now with deploy/backup.sh)
# SCRATCH_URL names the scratch database to (re)create, by default storefront_restore_check
# on DATABASE_URL's server. CI runs it on a small demo catalogue.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${DATABASE_URL:?DATABASE_URL is not set}"
FLASK=${FLASK:-.venv/bin/flask}
source_url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
scratch_url=${SCRATCH_URL:-${source_url%/*}/storefront_restore_check}
scratch_name=${scratch_url##*/}
server_url=${scratch_url%/*}/postgres
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

dump=${1:-}
if [ -z "$dump" ]; then
    dump=$(BACKUP_DIR="$workdir" BACKUP_KEEP_DAYS=1 deploy/backup.sh)
fi
echo "restoring $dump into $scratch_name"
psql -q -v ON_ERROR_STOP=1 "$server_url" \
    -c "DROP DATABASE IF EXISTS \"$scratch_name\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$scratch_name\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"

export DATABASE_URL=${scratch_url/postgresql:/postgresql+psycopg:}
export STOREFRONT_ENV=testing MEDIA_ROOT="$workdir/media"
unset REDIS_URL
"$FLASK" --app wsgi db check

# Smoke test: the pages a buyer sees first answer 200 from the restored data.
.venv/bin/python - <<'PY'
from storefront import create_app

app = create_app({"SERVER_NAME": None})
client = app.test_client()
for path in ("/readyz", "/", "/products", "/products?q=mat+ong"):
    status = client.get(path).status_code
    print(f"{status} {path}")
    assert status == 200, path
PY
psql -q "$server_url" -c "DROP DATABASE IF EXISTS \"$scratch_name\" WITH (FORCE)"
echo "restore check passed"
