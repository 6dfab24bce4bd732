#!/usr/bin/env bash
# Dump the shop's database (custom format: compressed, restorable table by table) into
# BACKUP_DIR, keeping BACKUP_KEEP_DAYS days of dumps. Run nightly by
# storefront-backup.timer; copy BACKUP_DIR off the host (rsync, restic) as well.
# Restore: see README, "Running in production" (scripts/restore_check.sh tries one).
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set (source /etc/storefront/storefront.env)}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/storefront}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
# pg_dump wants libpq's URL, without SQLAlchemy's driver name.
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}

mkdir -p "$BACKUP_DIR"
target="$BACKUP_DIR/storefront-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$target.partial" "$url"
mv "$target.partial" "$target"  # only complete dumps carry the .dump name
find "$BACKUP_DIR" -name 'storefront-*.dump' -mtime +"$BACKUP_KEEP_DAYS" -delete
echo "$target"
