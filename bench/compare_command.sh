#!/usr/bin/env bash
# ABAB of two ordo-command builds on AddItem over ORDERS orders seeded with
# bench/seed_orders.sql and picked at random, no projector. A side is a source tree (its
# build/ordo-command and migrations/) or an ordo-command binary (this tree's migrations).
# Each side gets its own database; runs alternate A B, B A, ...; each prints the rate, the
# machine's busy CPU per call and ordo-command's own. With ORDERS at most the aggregate cache
# (10,000) the commands hit the cache; at 100,000 most read their stream. With
# SYNCHRONOUS_COMMIT=off, CPU per call is steadier than the rate, which follows the disk.
#   bench/compare_command.sh "host=H port=P user=U" A B
#   env: ORDERS (1000) IN_FLIGHT (8) RUNS (8) SECS (5) SYNCHRONOUS_COMMIT (on)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ADMIN=$1
ORDERS=${ORDERS:-1000}; IN_FLIGHT=${IN_FLIGHT:-8}; RUNS=${RUNS:-8}; SECS=${SECS:-5}
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
hz=$(getconf CLK_TCK)
cpu_busy() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
per_call() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }'; }
for i in 0 1; do
  side=${2}; [ "$i" = 1 ] && side=$3
  if [ -d "$side" ]; then binary=$side/build/ordo-command; migrations=$side/migrations
  else binary=$side; migrations=$ROOT/migrations; fi
  db=ordo_compare_command_$i
  psql "$ADMIN dbname=postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
  psql "$ADMIN dbname=postgres" -qc "CREATE DATABASE $db"
  "$ROOT/build/ordo-migrate" --database_url="$ADMIN dbname=$db" --migrations_dir="$migrations" >/dev/null 2>&1
  psql "$ADMIN dbname=$db" -q -v orders="$ORDERS" -f "$ROOT/bench/seed_orders.sql"
  psql "$ADMIN dbname=$db" -qc "VACUUM ANALYZE events"
  log=$(mktemp)
  PGOPTIONS="-c synchronous_commit=${SYNCHRONOUS_COMMIT:-on}" "$binary" \
    --database_url="$ADMIN dbname=$db" --listen=127.0.0.1:0 >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "(port" "$log" && break; sleep 0.1; done
  COMMAND[$i]=127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$log")
done
for run in $(seq 1 "$RUNS"); do
  order="0 1"; (( run % 2 == 0 )) && order="1 0"
  for i in $order; do
    busy=$(cpu_busy); own=$(cpu_of "${pids[$i]}")
    line=$("$ROOT/build/ordo-bench-load" --command_target="${COMMAND[$i]}" --mode=add_item \
      --in_flight="$IN_FLIGHT" --duration="${SECS}s" --existing_prefix=o- --orders="$ORDERS" 2>/dev/null)
    ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$([ "$i" = 0 ] && echo A || echo B) run=$run $line" \
      "busy_us_per_call=$(per_call $(( $(cpu_busy) - busy )) "$ok")" \
      "command_us_per_call=$(per_call $(( $(cpu_of "${pids[$i]}") - own )) "$ok")"
  done
done
