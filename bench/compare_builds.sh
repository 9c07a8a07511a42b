#!/usr/bin/env bash
# ABAB of two builds of Ordo on one PostgreSQL server: each build runs its own stack
# (ordo-command, ordo-projector, ordo-query) on its own database migrated with its own
# migrations, and ordo-bench-load drives them in turn (A, B, A, B, ...) so that drift hits
# both alike. Prints one line per run; compare the medians.
#   bench/compare_builds.sh ADMIN_URL ROOT_A ROOT_B [RUNS] [SECONDS] [MODE] [IN_FLIGHT]
#   e.g. bench/compare_builds.sh postgresql://postgres@127.0.0.1:54329/postgres /tmp/ordo-parent . 3 10 add_item 8
set -euo pipefail
ADMIN_URL=$1
ROOTS=("$(cd "$2" && pwd)" "$(cd "$3" && pwd)")
RUNS=${4:-3}
SECONDS_PER_RUN=${5:-10}
MODE=${6:-add_item}
IN_FLIGHT=${7:-8}
LOAD=${ROOTS[1]}/build/ordo-bench-load  # one load generator for both
pids=()
cleanup() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  for i in 0 1; do psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS ordo_compare_$i WITH (FORCE)"; done
}
trap cleanup EXIT
declare -a COMMAND
for i in 0 1; do
  root=${ROOTS[$i]}; url=${ADMIN_URL%/*}/ordo_compare_$i
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS ordo_compare_$i WITH (FORCE)" -c "CREATE DATABASE ordo_compare_$i"
  "$root/build/ordo-migrate" --database_url="$url" --migrations_dir="$root/migrations" >/dev/null 2>&1
  log=$(mktemp)
  "$root/build/ordo-command" --database_url="$url" --listen=127.0.0.1:0 >"$log" 2>&1 &
  pids+=($!)
  "$root/build/ordo-projector" --database_url="$url" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "(port" "$log" && break; sleep 0.1; done
  COMMAND[$i]=127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$log")
done
for run in $(seq 1 "$RUNS"); do
  for i in 0 1; do
    printf '%s run=%s  ' "$([ $i = 0 ] && echo A || echo B)" "$run"
    "$LOAD" --command_target="${COMMAND[$i]}" --mode="$MODE" --in_flight="$IN_FLIGHT" \
      --duration="${SECONDS_PER_RUN}s" 2>/dev/null
  done
done
