# Ordo beside the raw-PostgreSQL limit, in one run: sourced by `./dev bench [--quick]`,
# which provides the helpers (pg_start, free_port, migrate, start_stack, log, die, ...).
# Prints a table and writes it into docs/benchmarks.md between the bench markers.

BENCH_RUNS=3

# median VALUES...: the middle value (the lower middle for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%s–%s", lo, hi}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

BENCH_ROWS=()
row() { BENCH_ROWS+=("| $(IFS='|'; echo "$*" | sed 's/|/ | /g') |"); }

# pgbench_tps DATABASE SCRIPT CLIENTS: one run's transactions per second.
pgbench_tps() {
  "$PGBIN/pgbench" -n -M prepared -f "$2" -c "$3" -j "$(( $3 < 2 ? 1 : 2 ))" -T "$BENCH_SECONDS" \
    -h 127.0.0.1 -p "$BENCH_PORT" -U postgres "$1" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | cut -d. -f1
}

# load MODE IN_FLIGHT [FLAGS...]: one ordo-bench-load run, its output line.
load() {
  local mode=$1 in_flight=$2; shift 2
  "$BUILD_DIR/ordo-bench-load" --command_target="$COMMAND_ADDRESS" \
    --query_target="$QUERY_ADDRESS" --mode="$mode" --in_flight="$in_flight" \
    --duration="${BENCH_SECONDS}s" "$@" 2>/dev/null
}

rss_mb() { awk -v k="$2" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# cache_lookups PORT: ordo-command's ordo_aggregate_cache_lookups_total for orders, as
# "HITS MISSES", from one scrape.
cache_lookups() {
  "$ROOT/bench/scrape_metrics.sh" "$1" |
    awk '/^ordo_aggregate_cache_lookups_total\{/ && /stream_type="order"/ {
           if (/result="hit"/) h = $NF; if (/result="miss"/) m = $NF }
         END { printf "%.0f %.0f", h, m }'
}

# Row 2 over a working set ten times the aggregate cache (DATABASE, ORDERS: row 4's
# database, already projected): AddItem on ORDERS/2 orders picked at random, through an
# ordo-command of its own (a cold cache) whose metrics give the cache's hit rate.
cold_cache_rows() {
  local url=$1 orders=$(( $2 / 2 )) logs=$BENCH_DIR/logs-cold
  mkdir -p "$logs"
  "$BUILD_DIR/ordo-command" --database_url="$url" --listen=127.0.0.1:0 \
    --metrics_listen=127.0.0.1:0 >"$logs/command.log" 2>&1 &
  local pid=$!
  STACK_PIDS+=("$pid")
  local saved_address=$COMMAND_ADDRESS metrics_port
  COMMAND_ADDRESS=127.0.0.1:$(wait_for_port "$logs/command.log")
  metrics_port=$(sed -n 's/.*(metrics port \([0-9]*\)).*/\1/p' "$logs/command.log" | head -1)
  local in_flight line before after
  for in_flight in 8 32; do
    local a=() ap50=() ap99=() failed=() hit_rate=()
    for _ in $(seq 1 $BENCH_RUNS); do
      before=$(cache_lookups "$metrics_port")
      line=$(load add_item $in_flight --existing_prefix=o- --orders="$orders")
      after=$(cache_lookups "$metrics_port")
      a+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); ap50+=("$(field p50_ms "$line")")
      ap99+=("$(field p99_ms "$line")"); failed+=("$(field errors "$line")")
      hit_rate+=("$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
        h = y[1] - x[1]; m = y[2] - x[2]; printf "%.2f", (h + m) ? h / (h + m) : 0 }')")
    done
    row "2. Ordo AddItem over $orders existing orders at random (cache 10000)" "$in_flight" \
      "$(median "${a[@]}") cmd/s" "$(spread "${a[@]}")" "$(median "${ap50[@]}") / $(median "${ap99[@]}") ms" \
      "cache hit rate $(median "${hit_rate[@]}"); failed calls $(median "${failed[@]}"); target ≥ 0.8x" \
      "$(ratio "$(median "${a[@]}")" "${limit_append[$in_flight]:-0}")"
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  COMMAND_ADDRESS=$saved_address
}

# add_create_rows ADD_LABEL CREATE_LABEL IN_FLIGHT: row 2's AddItem and CreateOrder at
# IN_FLIGHT, BENCH_RUNS interleaved runs of each, beside row 1's limits (limit_append,
# limit_new); leaves the AddItem median in ADD_MEDIAN.
add_create_rows() {
  local add_label=$1 create_label=$2 in_flight=$3 line mode
  local -A rate=() p50=() p99=() p999=() failed=()
  for _ in $(seq 1 $BENCH_RUNS); do
    for mode in add_item create_order; do
      if [ "$mode" = add_item ]; then
        line=$(load add_item "$in_flight" --orders=1000)
      else
        line=$(load create_order "$in_flight")
      fi
      rate[$mode]+=" $(field 'calls\/s' "$line" | cut -d. -f1)"
      p50[$mode]+=" $(field p50_ms "$line")"; p99[$mode]+=" $(field p99_ms "$line")"
      p999[$mode]+=" $(field p999_ms "$line")"; failed[$mode]+=" $(field errors "$line")"
    done
  done
  local label limit median_rate
  for mode in add_item create_order; do
    if [ "$mode" = add_item ]; then
      label=$add_label limit=${limit_append[$in_flight]:-0}
    else
      label=$create_label limit=${limit_new[$in_flight]:-0}
    fi
    # Unquoted below: each holds space-separated numbers, one per run.
    median_rate=$(median ${rate[$mode]})
    row "$label" "$in_flight" "$median_rate cmd/s" "$(spread ${rate[$mode]})" \
      "$(median ${p50[$mode]}) / $(median ${p99[$mode]}) / $(median ${p999[$mode]}) ms" \
      "failed calls $(median ${failed[$mode]})" "$(ratio "$median_rate" "$limit")"
  done
  ADD_MEDIAN=$(median ${rate[add_item]})
}

# Row 2 again with every subscriber running (URL: row 2's database, its stack up): ordo-saga,
# ordo-relay and ordo-notify (a private broker between them) beside the projector, so the
# rows show what the subscribers cost the writers. After the runs, how long the relay took
# to reach the head of the log says whether it kept up.
subscribers_rows() {
  local url=$1 logs=$BENCH_DIR/logs-subscribers port
  mkdir -p "$logs"
  port=$(free_base_port)
  "$BROKER" start "$BENCH_DIR/broker-subscribers" "$port" >"$logs/broker.log" 2>&1 ||
    die "RabbitMQ did not start"
  local pids_before=${#STACK_PIDS[@]}
  start_saga "$url" "$logs" --carrier_delay=0ms
  start_bus "$url" "amqp://guest:guest@127.0.0.1:$port" "$logs"
  local in_flight
  for in_flight in 8 32; do
    add_create_rows "2. Ordo AddItem, saga + relay + notify running" \
      "2. Ordo CreateOrder, saga + relay + notify running" "$in_flight"
  done
  local last t0 t1 behind="over 300 s"
  last=$(psql -tAq "$url" -f "$ROOT/bench/log_head.sql")
  t0=$(date +%s.%N)
  if PGOPTIONS="-c statement_timeout=300s" psql -q "$url" -v position="$last" -v name=relay \
    -f "$ROOT/bench/wait_checkpoint.sql" 2>/dev/null; then
    t1=$(date +%s.%N)
    behind="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
  fi
  row "2. the relay behind those rows" "" "$behind" "" "" \
    "from the last run's end until its checkpoint was at the head" ""
  local added=("${STACK_PIDS[@]:$pids_before}")
  kill -TERM "${added[@]}"; wait "${added[@]}" 2>/dev/null || true
  STACK_PIDS=("${STACK_PIDS[@]:0:$pids_before}")
  "$BROKER" stop "$BENCH_DIR/broker-subscribers"
}

bench_main() {
  local quick=false only_fulfilment=false only_event_bus=false only_metrics=false
  local only_subscribers=false
  [ "${1:-}" = "--quick" ] && quick=true
  [ "${1:-}" = "--fulfilment" ] && only_fulfilment=true
  [ "${1:-}" = "--event-bus" ] && only_event_bus=true
  [ "${1:-}" = "--metrics" ] && only_metrics=true
  [ "${1:-}" = "--subscribers" ] && only_subscribers=true
  BENCH_SECONDS=10; local catchup_orders=200000
  if $quick; then BENCH_SECONDS=2; catchup_orders=20000; fi
  local started; started=$(date +%s)
  # The commit of the binaries measured (./dev bench built them just before): read now,
  # not when the report is written, since the tree may move on during the run.
  local commit
  commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo "+uncommitted")
  for p in nghttp2-client; do dpkg -s "$p" >/dev/null 2>&1 || as_root apt-get install -y -q "$p" >/dev/null; done

  BENCH_DIR=$(mktemp -d /tmp/ordo-bench.XXXXXX)
  TEST_DIR=$BENCH_DIR
  trap cleanup_test EXIT
  BENCH_PORT=$(free_port)
  TEST_PORT=$BENCH_PORT
  log "benchmark PostgreSQL in $BENCH_DIR on port $BENCH_PORT (fsync and synchronous_commit on)"
  pg_start "$BENCH_DIR/pg" "$BENCH_DIR" "$BENCH_PORT" -c max_connections=300 -c fsync=on \
    -c synchronous_commit=on
  local admin="postgresql://postgres@127.0.0.1:$BENCH_PORT"
  for db in ordo_bench ordo_limit ordo_catchup; do
    psql -q "$admin/postgres" -c "CREATE DATABASE $db"
    migrate "$admin/$db" >/dev/null 2>&1
  done
  local settings
  settings=$(psql -tA "$admin/postgres" -c "SELECT string_agg(name || '=' ||
    current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync',
    'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_level', 'full_page_writes',
    'max_wal_size', 'checkpoint_timeout', 'work_mem')")

  source "$ROOT/bench/fulfilment.sh"
  source "$ROOT/bench/event_bus.sh"
  source "$ROOT/bench/metrics_cost.sh"
  if $only_metrics; then
    # Row 16 alone, printed (docs/benchmarks.md is left as it is).
    metrics_rows "$admin"
    printf '%s\n' "| row | in flight | result (median) | spread | latency p50 / p99 | notes | ratio |" \
      "|---|---|---|---|---|---|---|" "${BENCH_ROWS[@]}"
    return 0
  fi
  if $only_event_bus; then
    # Rows 14 and 15 alone, printed (docs/benchmarks.md is left as it is).
    event_bus_rows "$admin"
    printf '%s\n' "| row | in flight | result (median) | spread | latency p50 / p99 | notes | ratio |" \
      "|---|---|---|---|---|---|---|" "${BENCH_ROWS[@]}"
    return 0
  fi
  if $only_subscribers; then
    # Row 2 with every subscriber running, alone and printed, without its limits.
    start_stack "$admin/ordo_bench" "$BENCH_DIR/logs"
    subscribers_rows "$admin/ordo_bench"
    stop_stack
    printf '%s\n' "| row | in flight | result (median) | spread | latency p50 / p99 | notes | ratio |" \
      "|---|---|---|---|---|---|---|" "${BENCH_ROWS[@]}"
    return 0
  fi
  if $only_fulfilment; then
    # Rows 12 and 13 alone, printed (docs/benchmarks.md is left as it is).
    fulfilment_rows "$admin"
    printf '%s\n' "| row | in flight | result (median) | spread | latency p50 / p99 | notes | ratio |" \
      "|---|---|---|---|---|---|---|" "${BENCH_ROWS[@]}"
    return 0
  fi

  # Row 1 setup: 32 clients x 500 streams x 5 events for pgbench's read + append.
  psql -q "$admin/ordo_limit" -c "
    INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version, payload, metadata)
    SELECT 'pgb-' || c || '-' || n, 'order', v, gen_random_uuid(),
           CASE WHEN v = 1 THEN 'OrderCreated' ELSE 'OrderItemAdded' END, 1,
           jsonb_build_object('order_id', 'pgb-' || c || '-' || n, 'sku', 'sku-' || v, 'quantity', 1,
                              'unit_price_cents', '1000'),
           jsonb_build_object('request_id', gen_random_uuid()::text, 'command', 'AddItem')
      FROM generate_series(0, 31) c, generate_series(1, 500) n, generate_series(1, 5) v
     ORDER BY c, n, v"

  # Rows 1 and 2: writes.
  local in_flight tps_append tps_new ordo_add ordo_create
  declare -A limit_append limit_new
  for in_flight in 1 8 32; do
    local a=() b=() c=() d=() p50=() p99=() p999=() cp50=() cp99=() cp999=()
    for _ in $(seq 1 $BENCH_RUNS); do
      a+=("$(pgbench_tps ordo_limit "$ROOT/bench/pgbench/read_append.sql" $in_flight)")
      b+=("$(pgbench_tps ordo_limit "$ROOT/bench/pgbench/append_new.sql" $in_flight)")
    done
    limit_append[$in_flight]=$(median "${a[@]}")
    limit_new[$in_flight]=$(median "${b[@]}")
    row "1. limit: pgbench read 5-event stream + append" "$in_flight" \
      "${limit_append[$in_flight]} tx/s" "$(spread "${a[@]}")" "" "" "1.00"
    row "1. limit: pgbench append to a new stream" "$in_flight" \
      "${limit_new[$in_flight]} tx/s" "$(spread "${b[@]}")" "" "" "1.00"
  done

  local command_pid query_pid projector_pid
  start_stack "$admin/ordo_bench" "$BENCH_DIR/logs"
  command_pid=${STACK_PIDS[0]}; projector_pid=${STACK_PIDS[1]}; query_pid=${STACK_PIDS[2]}
  local idle_rss="command $(rss_mb "$command_pid" VmRSS) MB, projector $(rss_mb "$projector_pid" VmRSS) MB, query $(rss_mb "$query_pid" VmRSS) MB"
  local add_at_8=0
  for in_flight in 1 8 32; do
    add_create_rows "2. Ordo AddItem (existing order)" "2. Ordo CreateOrder" "$in_flight"
    [ "$in_flight" = 8 ] && add_at_8=$ADD_MEDIAN
  done

  # Row 3: contention.
  local h=() share=() line
  for _ in $(seq 1 $BENCH_RUNS); do
    line=$(load add_item_hot 32 --hot_orders=8)
    h+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); share+=("$(field aborted_share "$line")")
  done
  row "3. Ordo AddItem on 8 hot orders" 32 "$(median "${h[@]}") cmd/s" "$(spread "${h[@]}")" "" \
    "ABORTED after retries: $(median "${share[@]}")" ""

  # Row 9: reservations, 32 in flight, on one hot SKU (its commands take turns) and spread
  # over 1,000 SKUs; each call reserves 1 unit for a new order.
  local hot_add; hot_add=$(median "${h[@]}")
  for skus in 1 1000; do
    local rs=() rp99=() rshare=() rerr=()
    for _ in $(seq 1 $BENCH_RUNS); do
      line=$(load reserve_stock 32 --skus=$skus)
      rs+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); rp99+=("$(field p99_ms "$line")")
      rshare+=("$(field aborted_share "$line")"); rerr+=("$(field errors "$line")")
    done
    row "9. Ordo ReserveStock on $skus SKU(s)" 32 "$(median "${rs[@]}") reservations/s" \
      "$(spread "${rs[@]}")" "p99 $(median "${rp99[@]}") ms" \
      "ABORTED $(median "${rshare[@]}"), failed calls $(median "${rerr[@]}"); vs row 3: $(ratio "$(median "${rs[@]}")" "$hot_add")" ""
  done

  # Row 8: an independent client, h2load, posting a prebuilt CreateOrder frame.
  local frame=$BENCH_DIR/create_order.grpc
  # gRPC frame: uncompressed, length 13; CreateOrderRequest{customer_id: "h2load", currency: "EUR"}
  printf '\x00\x00\x00\x00\x0d\x1a\x06h2load\x22\x03EUR' >"$frame"
  local h2=()
  for _ in $(seq 1 $BENCH_RUNS); do
    h2+=("$(h2load -c 1 -m 32 -D "$BENCH_SECONDS" -d "$frame" -H 'content-type: application/grpc' \
      -H 'te: trailers' "http://$COMMAND_ADDRESS/ordo.v1.OrderCommandService/CreateOrder" 2>/dev/null |
      sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' | cut -d. -f1)")
  done
  local h2_events
  h2_events=$(psql -tA "$admin/ordo_bench" -c "SELECT count(*) FROM events WHERE payload->>'customer_id' = 'h2load'")
  row "8. h2load CreateOrder, 32 streams on 1 connection" 32 "$(median "${h2[@]}") req/s" \
    "$(spread "${h2[@]}")" "" "$h2_events orders appended (each reply checked by count)" \
    "$(ratio "$(median "${h2[@]}")" "${limit_new[32]}")"

  # Row 5: command acknowledged -> visible without a token, at half of row 2 (8 in flight).
  local rate=$(( add_at_8 / 2 )) v50=() v99=()
  for _ in $(seq 1 $BENCH_RUNS); do
    load add_item 8 --orders=1000 --rate="$rate" >/dev/null &
    local loader=$!
    line=$("$BUILD_DIR/ordo-visibility-probe" --command_target="$COMMAND_ADDRESS" \
      --query_target="$QUERY_ADDRESS" --clients=2 --interval=20ms --duration="${BENCH_SECONDS}s")
    wait "$loader"
    v50+=("$(sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<<"$line")")
    v99+=("$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$line")")
  done
  row "5. command → visible via GetOrder (no token)" "8 (at $rate cmd/s)" "" "" \
    "p50 $(median "${v50[@]}") ms / p99 $(median "${v99[@]}") ms" "p99 spread $(spread "${v99[@]}") ms; target p99 ≤ 20 ms" ""
  local peak_rss="command $(rss_mb "$command_pid" VmHWM) MB, projector $(rss_mb "$projector_pid" VmHWM) MB, query $(rss_mb "$query_pid" VmHWM) MB"

  subscribers_rows "$admin/ordo_bench"

  # Row 2 again with the projector paused: the command path alone on the 2 cores, which is
  # the work row 1 measures (rows above share the cores with projecting every event).
  kill -STOP "$projector_pid"
  for in_flight in 8 32; do
    local a=() ap50=() ap99=() ap999=()
    for _ in $(seq 1 $BENCH_RUNS); do
      line=$(load add_item $in_flight --orders=1000)
      a+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); ap50+=("$(field p50_ms "$line")")
      ap99+=("$(field p99_ms "$line")"); ap999+=("$(field p999_ms "$line")")
    done
    row "2. Ordo AddItem, projector paused" "$in_flight" "$(median "${a[@]}") cmd/s" \
      "$(spread "${a[@]}")" "$(median "${ap50[@]}") / $(median "${ap99[@]}") / $(median "${ap999[@]}") ms" \
      "" "$(ratio "$(median "${a[@]}")" "${limit_append[$in_flight]:-0}")"
  done
  kill -CONT "$projector_pid"
  stop_stack

  # Row 4: projection catch-up from an empty read model, and the set-based limit.
  local events=$(( catchup_orders * 5 ))
  psql -q "$admin/ordo_catchup" -v orders="$catchup_orders" -f "$ROOT/bench/seed_orders.sql"
  psql -q "$admin/ordo_catchup" -c "VACUUM ANALYZE events"
  local last; last=$(psql -tAq "$admin/ordo_catchup" -f "$ROOT/bench/log_head.sql")
  local rates=() limits=()
  for i in $(seq 1 $BENCH_RUNS); do
    # A rebuild request, taken up by the projector started below; before its first run
    # there is nothing to rebuild (and the request is refused as such).
    "$BUILD_DIR/ordo-projector" --database_url="$admin/ordo_catchup" rebuild order_summary \
      >/dev/null 2>&1 || [ "$i" = 1 ] || die "ordo-projector rebuild failed"
    local t0 t1; t0=$(date +%s.%N)
    "$BUILD_DIR/ordo-projector" --database_url="$admin/ordo_catchup" >/dev/null 2>&1 &
    local projector=$!
    psql -q "$admin/ordo_catchup" -v position="$last" -f "$ROOT/bench/wait_checkpoint.sql"
    t1=$(date +%s.%N)
    kill -TERM $projector; wait $projector || true
    rates+=("$(awk -v e=$events -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", e / (b - a) }')")
    limits+=("$(psql -qtA "$admin/ordo_catchup" -v events="$events" <<'SQL' | tail -1
CREATE TEMP TABLE summary_limit (LIKE order_summary INCLUDING ALL);
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
INSERT INTO summary_limit (order_id, customer_id, status, line_count, item_count, total_cents,
                           currency, version, created_at, updated_at)
SELECT stream_id, max(payload->>'customer_id'), 'PENDING',
       count(DISTINCT payload->>'sku'), coalesce(sum((payload->>'quantity')::bigint), 0),
       coalesce(sum((payload->>'quantity')::bigint * (payload->>'unit_price_cents')::bigint), 0),
       max(payload->>'currency'), max(version), min(recorded_at), max(recorded_at)
  FROM events GROUP BY stream_id;
SELECT round(:events / (extract(epoch FROM clock_timestamp()) - :t0));
SQL
)")
  done
  row "4. projection catch-up, $events events from empty" 1 "$(median "${rates[@]}") events/s" \
    "$(spread "${rates[@]}")" "" "set-based INSERT … SELECT … GROUP BY: $(median "${limits[@]}") events/s" \
    "$(ratio "$(median "${rates[@]}")" "$(median "${limits[@]}")")"

  # Row 6: queries, against the catch-up database's 200k orders, vacuumed and analyzed
  # first (as autovacuum would soon do) so that it does not run during the measurements.
  psql -q "$admin/ordo_catchup" -c "VACUUM ANALYZE order_summary, order_lines"
  start_stack "$admin/ordo_catchup" "$BENCH_DIR/logs-query"
  local g=() l=() s=() gp=() lp=()
  for _ in $(seq 1 $BENCH_RUNS); do
    line=$(load get_order 32 --existing_prefix=o- --orders="$catchup_orders")
    g+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); gp+=("$(field p99_ms "$line")")
    line=$(load list_orders 32)
    l+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); lp+=("$(field p99_ms "$line")")
    s+=("$(pgbench_tps ordo_catchup "$ROOT/bench/pgbench/select_summary.sql" 32)")
  done
  row "6. limit: pgbench select one order_summary row + lines" 32 "$(median "${s[@]}") tx/s" \
    "$(spread "${s[@]}")" "" "" "1.00"
  row "6. Ordo GetOrder (no token)" 32 "$(median "${g[@]}") calls/s" "$(spread "${g[@]}")" \
    "p99 $(median "${gp[@]}") ms" "" "$(ratio "$(median "${g[@]}")" "$(median "${s[@]}")")"
  row "6. Ordo ListOrders, page of 50" 32 "$(median "${l[@]}") calls/s" "$(spread "${l[@]}")" \
    "p99 $(median "${lp[@]}") ms" "" ""
  peak_rss+=" (query under row 6: $(rss_mb "${STACK_PIDS[2]}" VmHWM) MB)"
  cold_cache_rows "$admin/ordo_catchup" "$catchup_orders"
  stop_stack
  # Row 10: a command on a long stream after a cache miss, with and without snapshots,
  # beside one on a 10-event stream (ordo-bench-snapshot, in-process, no gRPC).
  psql -q "$admin/postgres" -c "CREATE DATABASE ordo_snapshot"
  migrate "$admin/ordo_snapshot" >/dev/null 2>&1
  local snap short_on long_on long_off
  snap=$("$BUILD_DIR/ordo-bench-snapshot" --database_url="$admin/ordo_snapshot" \
    --long_events="$($quick && echo 20000 || echo 200000)" --runs="$($quick && echo 5 || echo 21)")
  short_on=$(field median_ms "$(grep 'case=short.*snapshots=on' <<<"$snap")")
  long_on=$(field median_ms "$(grep 'case=long.*snapshots=on' <<<"$snap")")
  long_off=$(field median_ms "$(grep 'case=long.*snapshots=off' <<<"$snap")")
  local long_events; long_events=$(sed -n 's/.*case=long events=\([0-9]*\).*/\1/p' <<<"$snap" | head -1)
  row "10. ReserveStock after a cache miss, $long_events-event SKU stream, snapshots on" 1 \
    "$long_on ms" "" "" "10-event stream: $short_on ms; target within 2x" \
    "$(ratio "$long_on" "$short_on")"
  row "10. the same, snapshots off" 1 "$long_off ms" "" "" "" "$(ratio "$long_off" "$short_on")"

  # Row 11: decoding one stored payload (ordo-bench-decode, 1M calls per case).
  local decode; decode=$("$BUILD_DIR/ordo-bench-decode" --iterations="$($quick && echo 200000 || echo 1000000)")
  local d_item d_v2 d_v1 d_proto
  d_item=$(field ns_per_call "$(grep 'case=decoder_OrderItemAdded' <<<"$decode")")
  d_v2=$(field ns_per_call "$(grep 'case=decoder_OrderCreated_v2' <<<"$decode")")
  d_v1=$(field ns_per_call "$(grep 'case=decoder_OrderCreated_v1_upcast' <<<"$decode")")
  d_proto=$(field ns_per_call "$(grep 'case=protobuf_json' <<<"$decode")")
  row "11. decode one payload (simdjson + reflection)" 1 "$d_item ns OrderItemAdded" "" "" \
    "OrderCreated v2 $d_v2 ns, v1 through the upcaster $d_v1 ns; protobuf's JSON parser $d_proto ns" \
    "$(ratio "$d_proto" "$d_item")x faster than protobuf"

  # Rows 12 and 13: fulfilment (bench/fulfilment.sh).
  fulfilment_rows "$admin"
  # Rows 14 and 15: the event bus (bench/event_bus.sh).
  event_bus_rows "$admin" "$($quick && echo 4000 || echo 40000)"
  # Row 16: what metrics cost the command path (bench/metrics_cost.sh).
  metrics_rows "$admin"

  row "7. memory, idle after start" "" "$idle_rss" "" "" "target ≤ 50 MB each" ""
  row "7. memory, peak RSS during rows 2–5" "" "$peak_rss" "" "" "target ≤ 150 MB each" ""

  local machine report elapsed
  machine="$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
  elapsed=$(( $(date +%s) - started ))
  report=$(cat <<REPORT
<!-- bench:begin (written by ./dev bench; edits between the markers are overwritten) -->
## \`./dev bench$($quick && echo " --quick")\` — $(date -u +%Y-%m-%d), commit $commit

- Machine: $machine; load generators on the same machine.
- PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'): $settings. One cluster
  for every row, started by the run.
- Each row: median of $BENCH_RUNS runs of ${BENCH_SECONDS} s (spread: min–max); the whole run took ${elapsed} s.
- Commands: \`pgbench -n -M prepared -f bench/pgbench/<script>.sql -c N -j 2 -T ${BENCH_SECONDS}\`;
  \`ordo-bench-load --mode=<mode> --in_flight=N --duration=${BENCH_SECONDS}s\` (async gRPC client);
  \`ordo-visibility-probe --clients=2 --interval=20ms\` beside \`ordo-bench-load --rate=<half of row 2>\`;
  \`h2load -c 1 -m 32 -D ${BENCH_SECONDS} -d <CreateOrder frame>\`; row 4 times \`ordo-projector\`
  from an empty read model, against one \`INSERT … SELECT … GROUP BY\`; rows 12–13
  \`ordo-bench-orders\` (create + add + confirm per order) with \`ordo-saga --carrier_delay=0ms\`,
  latencies from the events' \`recorded_at\`; row 14 \`ordo-relay\` against \`ordo-bench-amqp\`
  on a private broker, row 15 \`ordo-bench-subscribe\`. See bench/run.sh, bench/fulfilment.sh
  and bench/event_bus.sh.

| row | in flight | result (median) | spread | latency p50 / p99 / p99.9 | notes | ratio to limit |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${BENCH_ROWS[@]}")
<!-- bench:end -->
REPORT
)
  echo "$report"
  local doc=$ROOT/docs/benchmarks.md
  if grep -q '<!-- bench:begin' "$doc"; then
    awk -v report="$report" '/<!-- bench:begin/ {print report; skip=1} /<!-- bench:end -->/ {skip=0; next} !skip' "$doc" >"$doc.new"
  else
    { head -n 3 "$doc"; echo "$report"; echo; tail -n +4 "$doc"; } >"$doc.new"
  fi
  mv "$doc.new" "$doc"
  log "written to docs/benchmarks.md"
}
