#!/usr/bin/env bash
# Zero-downtime deploys: the previous release's code must still work on the schema this
# release migrates to (expand/contract, README "Running in production").
#   scripts/schema_compat.sh [commit]     (default: deploy/PREVIOUS_RELEASE)
# Checks the previous release out into a temporary worktree, migrates a scratch
# PostgreSQL database to THIS checkout's head, then runs the OLD code on it: it adds a
# producer and a product with its own services, and a buyer goes through the old pages
# (home, listing, product, add to cart, checkout placing a cash-on-delivery order).
# SCRATCH_URL names the scratch database (default ocop_schema_compat on 127.0.0.1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
here=$PWD
PYTHON=${PYTHON:-$here/.venv/bin/python}
FLASK=${FLASK:-$here/.venv/bin/flask}
previous=${1:-$(grep -v '^#' deploy/PREVIOUS_RELEASE | grep -m1 -o '[0-9a-f]\{7,40\}' || true)}
if [ -z "$previous" ]; then
    echo "schema_compat: no previous release named in deploy/PREVIOUS_RELEASE" >&2
    exit 2
fi
if ! git cat-file -e "${previous}^{commit}" 2>/dev/null; then
    echo "schema_compat: the previous release $previous is not in this clone's history." >&2
    echo "  Fetch it (git fetch --unshallow, or git fetch origin main) or fix deploy/PREVIOUS_RELEASE." >&2
    exit 2
fi
scratch_url=${SCRATCH_URL:-postgresql://postgres@127.0.0.1/ocop_schema_compat}
scratch_name=${scratch_url##*/}
server_url=${scratch_url%/*}/postgres
workdir=$(mktemp -d)
old="$workdir/previous"
cleanup() {
    cd "$here"
    git worktree remove --force "$old" >/dev/null 2>&1 || rm -rf "$old"
    git worktree prune
    psql -q "$server_url" -c "DROP DATABASE IF EXISTS \"$scratch_name\" WITH (FORCE)" || true
    rm -rf "$workdir"
}
trap cleanup EXIT

echo "previous release: $(git log -1 --format='%h %s' "$previous")"
git worktree add --quiet --detach "$old" "$previous"
new_migrations=$(git diff --name-only --diff-filter=AMR "$previous" HEAD -- migrations/versions | wc -l)
echo "migrations added or changed since: $new_migrations"

psql -q -v ON_ERROR_STOP=1 "$server_url" \
    -c "DROP DATABASE IF EXISTS \"$scratch_name\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$scratch_name\""
export DATABASE_URL=${scratch_url/postgresql:/postgresql+psycopg:}
export STOREFRONT_ENV=testing MEDIA_ROOT="$workdir/media" RATELIMIT_ENABLED=0
unset REDIS_URL
"$FLASK" --app wsgi db upgrade 2>"$workdir/upgrade.log" || { cat "$workdir/upgrade.log"; exit 1; }
echo "scratch database at this release's head: $("$FLASK" --app wsgi db current 2>/dev/null | tail -1)"

# The old code, from its own folder (first on sys.path), on the new schema.
cd "$old"
PYTHONPATH="$old" "$PYTHON" - "$old" <<'PY'
import re
import sys

import storefront

old = sys.argv[1]
assert storefront.__file__.startswith(old), f"not the previous release's code: {storefront.__file__}"

from storefront import create_app
from storefront.extensions import db
from tests.factories import make_producer, make_product

app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_SSL_STRICT": False})
with app.app_context():
    product = make_product(db.session, make_producer(db.session), "Mật ong hoa Ban", stock=5)
    db.session.commit()
    slug = product.slug
    variant_id = db.session.execute(
        db.text("SELECT id FROM variant WHERE product_id = :p"), {"p": product.id}
    ).scalar_one()

csrf = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
token = re.compile(r'name="checkout_token"[^>]*value="([^"]+)"')
client = app.test_client()


def page(path):
    response = client.get(path)
    print(f"{response.status_code} GET {path}")
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


page("/")
page("/products")
page("/products?q=mat+ong")
product_page = page(f"/products/{slug}")
added = client.post(
    "/cart/add",
    data={"variant_id": variant_id, "quantity": 2, "csrf_token": csrf.search(product_page)[1]},
)
print(f"{added.status_code} POST /cart/add")
assert added.status_code == 302, added.status_code
page("/cart")
form = page("/checkout")
placed = client.post(
    "/checkout",
    data={
        "csrf_token": csrf.search(form)[1],
        "checkout_token": token.search(form)[1],
        "contact_name": "Người mua thử",
        "phone": "0912345678",
        "email": "compat@example.vn",
        "province_code": 1,
        "ward_code": 9877,
        "street": "1 Tràng Tiền",
        "payment_method": "cod",
        "place": "1",
    },
)
location = placed.headers.get("Location", "")
print(f"{placed.status_code} POST /checkout -> {location}")
assert placed.status_code == 303 and re.search(r"/orders/OC-[^/]+/placed$", location), location
page(location)
with app.app_context():
    orders = db.session.execute(db.text("SELECT count(*) FROM customer_order")).scalar_one()
    stock = db.session.execute(
        db.text("SELECT stock FROM variant WHERE id = :v"), {"v": variant_id}
    ).scalar_one()
assert (orders, stock) == (1, 3), (orders, stock)
print("the previous release placed an order on the new schema: 1 order, stock 5 -> 3")
PY
cd "$here"
echo "schema compatibility check passed"
