#!/usr/bin/env bash
# Where the CPU of one command goes, by process: MODE (add_item) at IN_FLIGHT for SECS s on a
# fresh database of an existing cluster, with ordo-command, ordo-projector and ordo-query,
# and with SUBSCRIBERS=1 also ordo-saga, ordo-relay and ordo-notify (a private broker).
# Prints the load line, CPU µs per successful call of each process (PostgreSQL's backends
# together, the broker as one), context switches per call of each Ordo process, then the
# busiest backends named by their client.
#   bench/cpu_by_process.sh "host=H port=P user=U"
#   env: BIN (build/), SUBSCRIBERS (1), MODE (add_item or create_order), IN_FLIGHT (8),
#        SECS (10), AMQP_PORT (26000), PROJECTOR_FLAGS (more flags for ordo-projector, e.g.
#        --min_batch_interval=0)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ADMIN=$1
BIN=${BIN:-$ROOT/build}; SUBSCRIBERS=${SUBSCRIBERS:-1}; IN_FLIGHT=${IN_FLIGHT:-8}
SECS=${SECS:-10}; AMQP_PORT=${AMQP_PORT:-26000}; MODE=${MODE:-add_item}
DB=ordo_cpu_by_process URL="$ADMIN dbname=ordo_cpu_by_process"
LOGS=$(mktemp -d /tmp/ordo-cpu.XXXXXX)
pids=()
cleanup() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$SUBSCRIBERS" = 1 ]; then "$ROOT/tests/support/rabbitmq_broker.sh" stop "$LOGS/broker" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

psql "$ADMIN dbname=postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null
psql "$ADMIN dbname=postgres" -qc "CREATE DATABASE $DB"
"$ROOT/build/ordo-migrate" --database_url="$URL" --migrations_dir="$ROOT/migrations" >/dev/null 2>&1
start() { local name=$1; shift; "$BIN/$name" "$@" >"$LOGS/$name.log" 2>&1 & pids+=($!); }
port_of() {
  for _ in $(seq 1 100); do
    sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$LOGS/$1.log" | head -1 | grep . && return 0
    sleep 0.1
  done
  return 1
}
start ordo-command --database_url="$URL" --listen=127.0.0.1:0
start ordo-projector --database_url="$URL" --poll_interval=100ms ${PROJECTOR_FLAGS:-}
start ordo-query --database_url="$URL" --listen=127.0.0.1:0
if [ "$SUBSCRIBERS" = 1 ]; then
  "$ROOT/tests/support/rabbitmq_broker.sh" start "$LOGS/broker" "$AMQP_PORT" >/dev/null
  amqp=amqp://guest:guest@127.0.0.1:$AMQP_PORT
  start ordo-saga --database_url="$URL" --payment_timeout=2s --carrier_delay=0ms
  start ordo-notify --database_url="$URL" --amqp_url="$amqp"
  for _ in $(seq 1 100); do grep -q "consuming ordo.notify" "$LOGS/ordo-notify.log" && break; sleep 0.1; done
  start ordo-relay --database_url="$URL" --amqp_url="$amqp"
fi
command=127.0.0.1:$(port_of ordo-command); query=127.0.0.1:$(port_of ordo-query)
load() {
  "$ROOT/build/ordo-bench-load" --command_target="$command" --query_target="$query" \
    --mode="$2" --in_flight="$IN_FLIGHT" --duration="$1" --orders=1000 2>/dev/null
}
load 3s add_item >/dev/null  # creates the orders and warms the caches

# ticks PID...: "pid ticks" of user + system time.
ticks() { for p in "$@"; do echo "$p $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; done; }
# This cluster's processes (not another cluster's on the box), and this broker.
watched=$(psql "$URL" -tA -c "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()" | tr '\n' ' ')
if [ "$SUBSCRIBERS" = 1 ]; then watched+=" $(cat "$LOGS/broker/rabbit.pid")"; fi
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# switches PID...: "pid count" of context switches (voluntary + involuntary), all threads.
switches() {
  for p in "$@"; do
    echo "$p $(cat /proc/"$p"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }')"
  done
}
busy_before=$(busy); before=$(ticks "${pids[@]}" $watched); switched_before=$(switches "${pids[@]}")
line=$(load "${SECS}s" "$MODE")
after=$(ticks "${pids[@]}" $watched); busy_after=$(busy); switched_after=$(switches "${pids[@]}")
# Each backend's client process, by the backend's client port.
psql "$URL" -tAF' ' -c "SELECT pid, client_port FROM pg_stat_activity WHERE client_port IS NOT NULL" >"$LOGS/ports"
ss -tnpH >"$LOGS/sockets"
echo "$line"
ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line")
hz=$(getconf CLK_TCK)
name_of() {
  local port
  port=$(awk -v p="$1" '$1 == p { print $2 }' "$LOGS/ports")
  if [ -n "$port" ]; then
    # The client's end of the connection: its local address is the backend's client port.
    awk -v a="127.0.0.1:$port" '$4 == a' "$LOGS/sockets" | grep -o 'users:(("[^"]*"' | head -1 |
      cut -d'"' -f2
    return
  fi
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | awk '{ n = split($1, a, "/"); print a[n] }'
}
join <(sort <<<"$before") <(sort <<<"$after") | while read -r pid t0 t1; do
  echo "$pid $(( t1 - t0 )) $(name_of "$pid")"
done >"$LOGS/deltas"
awk -v ok="$ok" -v hz="$hz" -v pids=" $(echo "${pids[@]}") " '
  { kind = index(pids, " " $1 " ") ? $3 : (($3 ~ /beam/) ? "broker" : "postgresql (all backends)")
    sum[kind] += $2 }
  END { for (k in sum) printf "%-28s %6.0f us/call\n", k, sum[k] / hz * 1e6 / ok }' \
  "$LOGS/deltas" | sort -k2 -n -r
echo "context switches per call:"
join <(sort <<<"$switched_before") <(sort <<<"$switched_after") | while read -r pid n0 n1; do
  awk -v n=$(( n1 - n0 )) -v ok="$ok" -v name="$(name_of "$pid")" \
    'BEGIN { printf "  %-26s %6.2f\n", name, n / ok }'
done
awk -v t=$(( busy_after - busy_before )) -v ok="$ok" -v hz="$hz" \
  'BEGIN { printf "%-28s %6.0f us/call (the load generator and the rest of the box included)\n", "whole machine, busy", t / hz * 1e6 / ok }'
echo "busiest backends (client: CPU us/call):"
awk -v ok="$ok" -v hz="$hz" -v pids=" $(echo "${pids[@]}") " '
  !index(pids, " " $1 " ") && $3 !~ /beam/ { printf "  %-20s %6.0f\n", ($3 == "" ? "(server)" : $3), $2 / hz * 1e6 / ok }' \
  "$LOGS/deltas" | sort -k2 -n -r | head -8
