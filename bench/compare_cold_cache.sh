#!/usr/bin/env bash
# ABAB of two builds on AddItem over ORDERS seeded orders picked at random (a working set
# larger than the aggregate cache, so most commands read their stream), no projector. Each
# build gets its own database seeded with bench/seed_orders.sql; the runs alternate
# A B, B A, ... and print the rate, the machine's busy CPU per call and ordo-command's.
#   bench/compare_cold_cache.sh "host=H port=P user=U" ROOT_A ROOT_B
#   env: ORDERS (100000) IN_FLIGHT (8) RUNS (4) SECS (10) RESEED (1; 0 keeps the databases)
set -euo pipefail
ADMIN=$1
ROOTS=("$(cd "$2" && pwd)" "$(cd "$3" && pwd)")
ORDERS=${ORDERS:-100000}; IN_FLIGHT=${IN_FLIGHT:-8}; RUNS=${RUNS:-4}; SECS=${SECS:-10}
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
for i in 0 1; do
  db=ordo_abab_$i
  if [ "${RESEED:-1}" = 1 ]; then
    psql "$ADMIN dbname=postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
    psql "$ADMIN dbname=postgres" -qc "CREATE DATABASE $db"
    "${ROOTS[$i]}/build/ordo-migrate" --database_url="$ADMIN dbname=$db" --migrations_dir="${ROOTS[$i]}/migrations" >/dev/null 2>&1
    psql "$ADMIN dbname=$db" -q -v orders=$ORDERS -f "${ROOTS[1]}/bench/seed_orders.sql"
    psql "$ADMIN dbname=$db" -qc "VACUUM ANALYZE events"
  fi
  log=$(mktemp)
  "${ROOTS[$i]}/build/ordo-command" --database_url="$ADMIN dbname=$db" --listen=127.0.0.1:0 --metrics_listen=127.0.0.1:0 >$log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "(port" $log && break; sleep 0.1; done
  COMMAND[$i]=127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' $log)
  METRICS[$i]=$(sed -n 's/.*(metrics port \([0-9]*\)).*/\1/p' $log)
done
for run in $(seq 1 $RUNS); do
  order="0 1"; (( run % 2 == 0 )) && order="1 0"
  for i in $order; do
    printf '%s run=%s  ' "$([ $i = 0 ] && echo A || echo B)" "$run"
    b0=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat); c0=$(awk '{print $14+$15}' /proc/${pids[$i]}/stat)
    line=$("${ROOTS[1]}/build/ordo-bench-load" --command_target="${COMMAND[$i]}" --mode=add_item --in_flight=$IN_FLIGHT \
      --duration=${SECS}s --existing_prefix=o- --orders=$ORDERS 2>&1 | tr '\n' ' ')
    b1=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat); c1=$(awk '{print $14+$15}' /proc/${pids[$i]}/stat)
    ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$line busy_us_per_call=$(awk -v t=$((b1-b0)) -v n=$ok -v hz=$(getconf CLK_TCK) 'BEGIN{printf "%.0f", t/hz*1e6/n}') command_us_per_call=$(awk -v t=$((c1-c0)) -v n=$ok -v hz=$(getconf CLK_TCK) 'BEGIN{printf "%.0f", t/hz*1e6/n}')"
  done
done
for i in 0 1; do
  echo "metrics $i: $(curl -s 127.0.0.1:${METRICS[$i]}/metrics | grep -E '^ordo_aggregate_cache_lookups_total.*order' | tr '\n' ' ')"
done
