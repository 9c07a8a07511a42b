# The fulfilment rows of `./dev bench` (sourced by bench/run.sh; uses its helpers and
# dev's start_stack, start_saga, stop_stack). Row 12: orders placed per second without
# ordo-saga (the plain command rate: 3 commands an order), then fulfilled per second with
# it, at saturation and at a steady half of that, with confirm -> SHIPPED latency from the
# events' recorded_at. Row 13: kill -9 of the active ordo-saga -> the standby active -> its
# first step.

# fulfilment_summary DATABASE_URL PREFIX: "completed total per_s p50_ms p99_ms" of the orders
# PREFIX-*, once every one of them has ended (or after 300 s).
fulfilment_summary() {
  local url=$1 prefix=$2
  local sql="WITH o AS (
    SELECT c.stream_id, c.recorded_at AS confirmed,
           (SELECT s.recorded_at FROM events s WHERE s.stream_id = c.stream_id
               AND s.event_type = 'OrderShipped') AS shipped,
           (SELECT d.recorded_at FROM events d WHERE d.stream_id = 'fulfilment:' || c.stream_id
               AND d.event_type IN ('FulfilmentCompleted', 'FulfilmentCancelled')) AS ended
      FROM events c WHERE c.event_type = 'OrderConfirmed' AND c.stream_id LIKE '$prefix-%')"
  for _ in $(seq 1 3000); do
    [ "$(psql -tA "$url" -c "$sql SELECT count(*) FROM o WHERE ended IS NULL")" = 0 ] && break
    sleep 0.1
  done
  psql -tA -F' ' "$url" -c "$sql
    SELECT count(shipped), count(*),
           round(count(shipped) / greatest(extract(epoch FROM max(ended) - min(confirmed)), 0.001)),
           round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM shipped - confirmed))),
           round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM shipped - confirmed)))
      FROM o"
}

# epoch_of_log_line FILE TEXT: the epoch seconds of the first line of FILE containing TEXT.
epoch_of_log_line() {
  date -d "$(grep -m1 "$2" "$1" | cut -d' ' -f1)" +%s.%N
}

fulfilment_rows() {
  local admin=$1 url=$1/ordo_fulfil logs=$BENCH_DIR/logs-fulfil
  psql -q "$admin/postgres" -c "CREATE DATABASE ordo_fulfil"
  migrate "$url" >/dev/null 2>&1
  start_stack "$url" "$logs"
  local orders=("$BUILD_DIR/ordo-bench-orders" --command_target="$COMMAND_ADDRESS"
    --duration="${BENCH_SECONDS}s")

  local plain=() i out
  for i in $(seq 1 $BENCH_RUNS); do
    out=$("${orders[@]}" --in_flight=32 --prefix="plain$i")
    plain+=("$(field orders_per_s "$out")")
  done
  local plain_rate; plain_rate=$(median "${plain[@]}")
  row "12. orders placed without ordo-saga (create + add + confirm)" 32 \
    "$plain_rate orders/s" "$(spread "${plain[@]}")" "" "= $(( plain_rate * 3 )) commands/s" ""

  # The carrier collects at once: the row measures Ordo, not the sandbox's delay.
  start_saga "$url" "$logs" --carrier_delay=0ms
  local sat=() sp50=() sp99=() summary
  for i in $(seq 1 $BENCH_RUNS); do
    "${orders[@]}" --in_flight=32 --prefix="sat$i" >/dev/null
    summary=$(fulfilment_summary "$url" "sat$i")
    sat+=("$(cut -d' ' -f3 <<<"$summary")"); sp50+=("$(cut -d' ' -f4 <<<"$summary")")
    sp99+=("$(cut -d' ' -f5 <<<"$summary")")
  done
  local sat_rate; sat_rate=$(median "${sat[@]}")
  row "12. orders fulfilled (confirm → COMPLETED), saturation" 32 "$sat_rate orders/s" \
    "$(spread "${sat[@]}")" "confirm → SHIPPED $(median "${sp50[@]}") / $(median "${sp99[@]}") ms" \
    "backlog grows while orders arrive faster than fulfilled" \
    "$(ratio "$sat_rate" "$plain_rate") of orders placed without the saga"
  local steady=$(( sat_rate / 2 )) st=() tp50=() tp99=()
  [ "$steady" -ge 1 ] || steady=1
  for i in $(seq 1 $BENCH_RUNS); do
    "${orders[@]}" --in_flight=8 --rate="$steady" --prefix="steady$i" >/dev/null
    summary=$(fulfilment_summary "$url" "steady$i")
    st+=("$(cut -d' ' -f3 <<<"$summary")"); tp50+=("$(cut -d' ' -f4 <<<"$summary")")
    tp99+=("$(cut -d' ' -f5 <<<"$summary")")
  done
  row "12. orders fulfilled at a steady $steady orders/s offered" 8 "$(median "${st[@]}") orders/s" \
    "$(spread "${st[@]}")" "confirm → SHIPPED $(median "${tp50[@]}") / $(median "${tp99[@]}") ms" "" ""

  # Row 13: a standby beside the active saga; kill -9 the active one under a steady load.
  local takeover=() first=() run standby_log
  for run in $(seq 1 $BENCH_RUNS); do
    standby_log=$logs/saga-standby-$run.log
    "$BUILD_DIR/ordo-saga" --database_url="$url" --carrier_delay=0ms >"$standby_log" 2>&1 &
    local standby=$!
    "${orders[@]}" --in_flight=4 --rate=20 --duration=6s --prefix="failover$run" >/dev/null &
    local load=$!
    sleep "2.$(( RANDOM % 10 ))"  # a kill at any moment of the standby's wait
    local killed_at; killed_at=$(date +%s.%N)
    kill -KILL "$SAGA_PID"; wait "$SAGA_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do grep -q "subscriber fulfilment: active" "$standby_log" && break; sleep 0.05; done
    takeover+=("$(awk -v a="$(epoch_of_log_line "$standby_log" "subscriber fulfilment: active")" \
      -v b="$killed_at" 'BEGIN { printf "%.0f", (a - b) * 1000 }')")
    first+=("$(psql -tA "$url" -c "SELECT round(1000 * extract(epoch FROM min(recorded_at) -
      to_timestamp($killed_at))) FROM events WHERE stream_type = 'fulfilment'
      AND recorded_at > to_timestamp($killed_at)")")
    wait "$load"
    SAGA_PID=$standby
    STACK_PIDS+=($standby)
  done
  row "13. kill -9 of the active ordo-saga → standby active" 1 "$(median "${takeover[@]}") ms" \
    "$(spread "${takeover[@]}")" "first saga step after the kill: $(median "${first[@]}") ms" \
    "" ""
  stop_stack
}
