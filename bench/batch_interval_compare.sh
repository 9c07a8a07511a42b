#!/usr/bin/env bash
# ordo-projector's --min_batch_interval, two values in turn (A, B, A, B, ...) on one stack:
# ordo-command and ordo-query stay up, the projector is restarted with each value. Each run
# is ordo-bench-load for 10 s (the projector's batches and events counted from its metrics
# around it), then row 5's probe (command → visible through GetOrder) beside AddItem at
# 750/s. Prints one line per run; compare the medians.
#   [MODE=add_item] [IN_FLIGHT=8] bench/batch_interval_compare.sh ADMIN_URL A B [ROUNDS]
#   e.g. bench/batch_interval_compare.sh postgresql://postgres@127.0.0.1:55432/postgres 0ms 5ms 3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build
ADMIN_URL=$1
VALUES=("$2" "$3")
ROUNDS=${4:-3}
URL=${ADMIN_URL%/*}/ordo_batch_interval
LOGS=$(mktemp -d)
pids=()
cleanup() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS ordo_batch_interval WITH (FORCE)"
}
trap cleanup EXIT
psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS ordo_batch_interval WITH (FORCE)" \
  -c "CREATE DATABASE ordo_batch_interval"
"$BIN/ordo-migrate" --database_url="$URL" --migrations_dir="$ROOT/migrations" >/dev/null 2>&1
"$BIN/ordo-command" --database_url="$URL" --listen=127.0.0.1:0 >"$LOGS/command.log" 2>&1 &
pids+=($!)
"$BIN/ordo-query" --database_url="$URL" --listen=127.0.0.1:0 >"$LOGS/query.log" 2>&1 &
pids+=($!)
# port LOG [KIND]: the port a service printed as "(KIND N)" (KIND "port" unless given).
port() { local kind=${2:-port}
  for _ in $(seq 1 100); do grep -q "($kind " "$1" && break; sleep 0.1; done
  sed -n "s/.*($kind \([0-9]*\)).*/\1/p" "$1" | head -1; }
COMMAND=127.0.0.1:$(port "$LOGS/command.log")
QUERY=127.0.0.1:$(port "$LOGS/query.log")

# batches_and_events PORT: the projector's committed batches and handled events, one scrape.
batches_and_events() {
  "$ROOT/bench/scrape_metrics.sh" "$1" |
    awk '/^ordo_subscriber_batch_seconds_count/ { b += $NF }
         /^ordo_subscriber_events_handled_total/ { e += $NF } END { printf "%d %d", b, e }'
}
load() {
  "$BIN/ordo-bench-load" --command_target="$COMMAND" --orders=1000 --duration=10s "$@" 2>/dev/null
}

load --mode=add_item --in_flight=8 >/dev/null  # the orders, projected before the first run
for round in $(seq 1 "$ROUNDS"); do
  for value in "${VALUES[@]}"; do
    "$BIN/ordo-projector" --database_url="$URL" --min_batch_interval="$value" \
      --metrics_listen=127.0.0.1:0 >"$LOGS/projector.log" 2>&1 &
    projector=$!
    metrics=$(port "$LOGS/projector.log" "metrics port")
    read -r b0 e0 <<<"$(batches_and_events "$metrics")"
    line=$(load --mode="${MODE:-add_item}" --in_flight="${IN_FLIGHT:-8}")
    read -r b1 e1 <<<"$(batches_and_events "$metrics")"
    load --mode=add_item --in_flight=8 --rate=750 >/dev/null &
    loader=$!
    visible=$("$BIN/ordo-visibility-probe" --command_target="$COMMAND" --query_target="$QUERY" \
      --clients=2 --interval=20ms --duration=10s 2>/dev/null)
    wait "$loader"
    echo "round=$round min_batch_interval=$value $(grep -o 'calls/s=[0-9.]*' <<<"$line")" \
      "events/batch=$(awk -v b=$((b1 - b0)) -v e=$((e1 - e0)) 'BEGIN { printf "%.1f", b ? e / b : 0 }')" \
      "| ${visible#*errors=0 }"
    kill -TERM "$projector"; wait "$projector" 2>/dev/null || true
  done
done
