# The event-bus rows of `./dev bench` (sourced by bench/run.sh; uses its helpers and dev's
# broker and stack helpers). Row 14: ordo-relay draining a backlog of 200,000 events into a
# durable queue with publisher confirms, beside ordo-bench-amqp publishing the same messages
# with plain rabbitmq-c calls and the same confirmed batches of 1000 (the limit on this box),
# interleaved. Row 15: EventStreamService.Subscribe: catch-up to one gRPC client; commit ->
# delivered while commands run at a steady rate (with ordo-projector and ordo-relay
# running); ordo-query's memory with 100 idle subscriptions.

event_bus_rows() {
  local admin=$1 url=$1/ordo_bus logs=$BENCH_DIR/logs-bus orders=${2:-40000}
  local events=$(( orders * 5 ))
  mkdir -p "$logs"
  psql -q "$admin/postgres" -c "CREATE DATABASE ordo_bus"
  migrate "$url" >/dev/null 2>&1
  psql -q "$url" -c "
    INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version, payload, metadata)
    SELECT 'bus-' || n, 'order', v, gen_random_uuid(),
           CASE WHEN v = 1 THEN 'OrderCreated' ELSE 'OrderItemAdded' END, CASE WHEN v = 1 THEN 2 ELSE 1 END,
           CASE WHEN v = 1 THEN jsonb_build_object('order_id', 'bus-' || n, 'customer',
                  jsonb_build_object('id', 'c-' || n % 1000, 'email', ''), 'currency', 'EUR')
                ELSE jsonb_build_object('order_id', 'bus-' || n, 'sku', 'sku-' || v, 'quantity', 1,
                  'unit_price_cents', '1000') END,
           jsonb_build_object('request_id', gen_random_uuid()::text, 'command', 'bench',
                              'correlation_id', gen_random_uuid()::text)
      FROM generate_series(1, $orders) n, generate_series(1, 5) v ORDER BY n, v"
  psql -q "$url" -c "VACUUM ANALYZE events"
  local last; last=$(psql -tAq "$url" -f "$ROOT/bench/log_head.sql")

  local port; port=$(free_base_port)
  "$BROKER" start "$BENCH_DIR/broker" "$port" >"$logs/broker.log" 2>&1 || die "RabbitMQ did not start"
  local amqp="amqp://guest:guest@127.0.0.1:$port"
  local tool=("$BUILD_DIR/ordo-bench-amqp" --database_url="$url" --amqp_url="$amqp")
  local limit=() relayed=() i t0 t1 relay line
  for i in $(seq 1 $BENCH_RUNS); do
    "${tool[@]}" --mode=reset_queue
    line=$("${tool[@]}") || die "ordo-bench-amqp failed: $line"
    limit+=("$(field events_per_s "$line")")
    "${tool[@]}" --mode=reset_queue
    t0=$(date +%s.%N)
    "$BUILD_DIR/ordo-relay" --database_url="$url" --amqp_url="$amqp" --exchange=bench.events \
      --name="relay-bench-$i" >"$logs/relay-$i.log" 2>&1 &
    relay=$!
    PGOPTIONS="-c statement_timeout=600s" psql -q "$url" -v position="$last" \
      -v name="relay-bench-$i" -f "$ROOT/bench/wait_checkpoint.sql" || die "the relay did not finish"
    t1=$(date +%s.%N)
    kill -TERM "$relay"; wait "$relay" || true
    relayed+=("$(awk -v e="$events" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", e / (b - a) }')")
  done
  "${tool[@]}" --mode=reset_queue
  local limit_rate; limit_rate=$(median "${limit[@]}")
  row "14. limit: rabbitmq-c publisher, the relay's $events messages, confirmed per 1000" 1 \
    "$limit_rate events/s" "$(spread "${limit[@]}")" "" \
    "persistent, one durable queue, broker on this box" "1.00"
  row "14. ordo-relay draining a $events-event backlog" 1 "$(median "${relayed[@]}") events/s" \
    "$(spread "${relayed[@]}")" "" "until its checkpoint is at the head; target ≥ 0.7x" \
    "$(ratio "$(median "${relayed[@]}")" "$limit_rate")"

  # Row 15: one fresh ordo-query on the backlog database, nothing else running: its memory
  # with 100 idle subscriptions first, then catch-up.
  "$BUILD_DIR/ordo-query" --database_url="$url" --listen=127.0.0.1:0 >"$logs/query.log" 2>&1 &
  local query=$! query_address
  query_address=127.0.0.1:$(wait_for_port "$logs/query.log")
  local before during
  before=$(rss_mb "$query" VmRSS)
  "$BUILD_DIR/ordo-bench-subscribe" --mode=idle --subscribers=100 --duration=5s \
    --query_target="$query_address" >"$logs/idle.log" 2>&1 &
  local idle=$!
  for _ in $(seq 1 100); do grep -q open= "$logs/idle.log" && break; sleep 0.1; done
  during=$(rss_mb "$query" VmRSS)
  wait "$idle" || true
  row "15. ordo-query memory with 100 idle subscriptions" 100 "$during MB" "" "" \
    "$(sed -n 's/.*open=\([0-9]*\).*/\1/p' "$logs/idle.log") open; $before MB before them (fresh)" ""
  local caught=()
  for i in $(seq 1 $BENCH_RUNS); do
    line=$("$BUILD_DIR/ordo-bench-subscribe" --mode=catchup --query_target="$query_address")
    caught+=("$(field events_per_s "$line")")
  done
  row "15. Subscribe catch-up from the first event, one gRPC client" 1 \
    "$(median "${caught[@]}") events/s" "$(spread "${caught[@]}")" "" \
    "$events events; window 10,000, the rest read from the database in batches of 500" ""
  kill -TERM "$query"; wait "$query" || true

  # Commit -> delivered under a steady load, with ordo-projector and ordo-relay running.
  psql -q "$admin/postgres" -c "CREATE DATABASE ordo_bus_live"
  migrate "$admin/ordo_bus_live" >/dev/null 2>&1
  start_stack "$admin/ordo_bus_live" "$logs/live"
  "$BUILD_DIR/ordo-relay" --database_url="$admin/ordo_bus_live" --amqp_url="$amqp" \
    --exchange=bench.events >"$logs/live/relay.log" 2>&1 &
  STACK_PIDS+=($!)
  local rp50=() rp99=() sp99=() delivered=()
  for i in $(seq 1 $BENCH_RUNS); do
    load add_item 8 --orders=1000 --rate=400 >/dev/null &
    local loader=$!
    line=$("$BUILD_DIR/ordo-bench-subscribe" --mode=latency --command_target="$COMMAND_ADDRESS" \
      --query_target="$QUERY_ADDRESS" --clients=2 --interval=20ms --duration="${BENCH_SECONDS}s")
    wait "$loader"
    rp50+=("$(field reply_p50_ms "$line")"); rp99+=("$(field reply_p99_ms "$line")")
    sp99+=("$(field send_p99_ms "$line")"); delivered+=("$(sed -n 's/.*delivered=\([0-9]* of [0-9]*\).*/\1/p' <<<"$line")")
  done
  row "15. Subscribe: command reply → event delivered, 100 creates/s beside 400 AddItem/s" 1 "" "" \
    "p50 $(median "${rp50[@]}") ms / p99 $(median "${rp99[@]}") ms" \
    "sent → delivered p99 $(median "${sp99[@]}") ms; delivered ${delivered[0]}; target p99 ≤ 20 ms" ""
  stop_stack
  "$BROKER" stop "$BENCH_DIR/broker"
}
