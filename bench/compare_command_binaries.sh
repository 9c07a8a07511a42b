#!/usr/bin/env bash
# ABAB of two ordo-command binaries (e.g. built from one tree before and after a change, with
# `git stash` between) on AddItem over 1,000 seeded orders, all in the aggregate cache, with
# synchronous_commit off (CPU per call is what is compared, as in row 16), no projector.
# Each binary gets its own database; runs alternate A B, B A, ...; prints the rate and
# ordo-command's CPU per call.
#   bench/compare_command_binaries.sh "host=H port=P user=U" BINARY_A BINARY_B
#   env: RUNS (8) SECS (5) IN_FLIGHT (8)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ADMIN=$1
BINS=("$2" "$3")
RUNS=${RUNS:-8}; SECS=${SECS:-5}; IN_FLIGHT=${IN_FLIGHT:-8}
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
for i in 0 1; do
  db=ordo_bin_$i
  psql "$ADMIN dbname=postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
  psql "$ADMIN dbname=postgres" -qc "CREATE DATABASE $db"
  $ROOT/build/ordo-migrate --database_url="$ADMIN dbname=$db" --migrations_dir=$ROOT/migrations >/dev/null 2>&1
  psql "$ADMIN dbname=$db" -q -v orders=1000 -f $ROOT/bench/seed_orders.sql
  log=$(mktemp)
  PGOPTIONS="-c synchronous_commit=off" ${BINS[$i]} --database_url="$ADMIN dbname=$db" --listen=127.0.0.1:0 >$log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "(port" $log && break; sleep 0.1; done
  COMMAND[$i]=127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' $log)
done
hz=$(getconf CLK_TCK)
for run in $(seq 1 $RUNS); do
  order="0 1"; (( run % 2 == 0 )) && order="1 0"
  for i in $order; do
    c0=$(awk '{print $14+$15}' /proc/${pids[$i]}/stat)
    line=$($ROOT/build/ordo-bench-load --command_target="${COMMAND[$i]}" --mode=add_item --in_flight=$IN_FLIGHT \
      --duration=${SECS}s --existing_prefix=o- --orders=1000 2>&1 | tr '\n' ' ')
    c1=$(awk '{print $14+$15}' /proc/${pids[$i]}/stat)
    ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line"); rate=$(sed -n 's/.*calls\/s=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$([ $i = 0 ] && echo A || echo B) run=$run calls/s=$rate errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$line") command_us_per_call=$(awk -v t=$((c1-c0)) -v n=$ok -v hz=$hz 'BEGIN{printf "%.1f", t/hz*1e6/n}')"
  done
done
