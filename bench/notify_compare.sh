#!/usr/bin/env bash
# NOTIFY inside the append transaction vs after commit (coalesced): one ordo-command per
# mode against DATABASE_URL, driven in turn (ABAB..., so drift hits both alike) by
# ordo-bench-load (AddItem) at 8 and 32 in flight, RUNS times each. Prints one line per run.
#   [CLIENTS="8 32"] bench/notify_compare.sh DATABASE_URL [RUNS] [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
URL=$1
RUNS=${2:-5}
SECONDS_PER_RUN=${3:-8}
declare -A PORT=([in_transaction]=50071 [after_commit]=50072)
pids=()
for mode in "${!PORT[@]}"; do
  "$ROOT/build/ordo-command" --database_url="$URL" --listen=127.0.0.1:${PORT[$mode]} \
    --notify=$mode --pool_size=32 >/dev/null 2>&1 &
  pids+=($!)
done
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' EXIT
sleep 1
for clients in ${CLIENTS:-8 32}; do
  for run in $(seq 1 "$RUNS"); do
    for mode in in_transaction after_commit; do
      printf '%-15s clients=%-3s run=%s  ' "$mode" "$clients" "$run"
      "$ROOT/build/ordo-bench-load" --command_target=127.0.0.1:${PORT[$mode]} --mode=add_item \
        --in_flight=$clients --duration=${SECONDS_PER_RUN}s 2>/dev/null || true
      echo
    done
  done
done
