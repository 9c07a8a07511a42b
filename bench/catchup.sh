#!/usr/bin/env bash
# Projection catch-up rate: seeds ORDERS orders x 5 events (one OrderCreated, four
# OrderItemAdded) into a fresh database, then times ordo-projector from an empty read
# model until its checkpoint reaches the last event. Needs a running PostgreSQL.
#   bench/catchup.sh ADMIN_URL [ORDERS]     e.g. bench/catchup.sh postgresql://postgres@127.0.0.1:54329/postgres 40000
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ADMIN_URL=$1
ORDERS=${2:-40000}
DB=ordo_catchup_$$
URL=${ADMIN_URL%/*}/$DB
psql -q "$ADMIN_URL" -c "CREATE DATABASE $DB"
trap 'kill $PROJECTOR 2>/dev/null || true; wait 2>/dev/null || true; psql -q "$ADMIN_URL" -c "DROP DATABASE $DB WITH (FORCE)"' EXIT
"$ROOT/build/ordo-migrate" --database_url="$URL" --migrations_dir="$ROOT/migrations" 2>/dev/null
psql -q "$URL" -v orders="$ORDERS" -f "$ROOT/bench/seed_orders.sql"
EVENTS=$(psql -tAq "$URL" -c "SELECT count(*) FROM events")
LAST=$(psql -tAq "$URL" -f "$ROOT/bench/log_head.sql")
START=$(date +%s.%N)
"$ROOT/build/ordo-projector" --database_url="$URL" ${PROJECTOR_FLAGS:-} >/dev/null 2>&1 &
PROJECTOR=$!
psql -q "$URL" -v position="$LAST" -f "$ROOT/bench/wait_checkpoint.sql"
END=$(date +%s.%N)
awk -v e="$EVENTS" -v s="$START" -v t="$END" 'BEGIN { printf "caught up %d events in %.2f s: %.0f events/s\n", e, t - s, e / (t - s) }'
