#!/usr/bin/env bash
# ABAB of two builds' fulfilment throughput on one PostgreSQL server: each build runs its
# own ordo-command and ordo-saga (--carrier_delay=0ms) on its own database, and
# ordo-bench-orders places orders at saturation for SECONDS against each in turn; a run's
# result is orders fulfilled per second (confirm of the first -> end of the last), from SQL.
#   bench/compare_fulfilment.sh ADMIN_URL ROOT_A ROOT_B [RUNS] [SECONDS]
set -euo pipefail
ADMIN_URL=$1
ROOTS=("$(cd "$2" && pwd)" "$(cd "$3" && pwd)")
RUNS=${4:-3}
SECONDS_PER_RUN=${5:-10}
ORDERS=${ROOTS[1]}/build/ordo-bench-orders  # one load generator for both
BENCH_DIR=$(mktemp -d)
source "${ROOTS[1]}/bench/fulfilment.sh"  # fulfilment_summary
pids=()
cleanup() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  for i in 0 1; do psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS ordo_fcompare_$i WITH (FORCE)"; done
}
trap cleanup EXIT
declare -a COMMAND URL
for i in 0 1; do
  root=${ROOTS[$i]}; URL[$i]=${ADMIN_URL%/*}/ordo_fcompare_$i
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS ordo_fcompare_$i WITH (FORCE)" \
    -c "CREATE DATABASE ordo_fcompare_$i"
  "$root/build/ordo-migrate" --database_url="${URL[$i]}" --migrations_dir="$root/migrations" >/dev/null 2>&1
  log=$BENCH_DIR/command-$i.log
  "$root/build/ordo-command" --database_url="${URL[$i]}" --listen=127.0.0.1:0 >"$log" 2>&1 &
  pids+=($!)
  "$root/build/ordo-saga" --database_url="${URL[$i]}" --carrier_delay=0ms >"$BENCH_DIR/saga-$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "(port" "$log" && break; sleep 0.1; done
  # Active: its checkpoint is at the (empty) log's head, so every order placed is its.
  for _ in $(seq 1 100); do grep -q "subscriber fulfilment: active" "$BENCH_DIR/saga-$i.log" && break; sleep 0.1; done
  COMMAND[$i]=127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$log")
done
for run in $(seq 1 "$RUNS"); do
  for i in 0 1; do
    "$ORDERS" --command_target="${COMMAND[$i]}" --in_flight=32 --duration="${SECONDS_PER_RUN}s" \
      --prefix="run$run" >/dev/null
    printf '%s run=%s fulfilled/s=%s\n' "$([ $i = 0 ] && echo A || echo B)" "$run" \
      "$(fulfilment_summary "${URL[$i]}" "run$run" | cut -d' ' -f3)"
  done
done
