# Row 16 of `./dev bench` (sourced by bench/run.sh; uses its helpers and dev's): what
# metrics cost the command path. Two ordo-command processes on one database with
# ordo-projector beside them, one without metrics and one with --metrics_listen scraped
# every second (a denser scrape than Prometheus' usual 15 s); ordo-bench-load drives AddItem
# at 8 in flight against each in turn, in ABBA order, so that drift hits both alike. Both
# commit with synchronous_commit=off: the disk's flush times vary by more than metrics
# could cost (an A/A run with fsync on differed by up to 17%), and what metrics cost is CPU
# and latency in the process, not I/O.

# scrape_every_second PORT: GET /metrics once a second until killed (bash's /dev/tcp, no curl).
scrape_every_second() {
  while true; do
    "$ROOT/bench/scrape_metrics.sh" "$1" >/dev/null
    sleep 1
  done
}

# cpu_ticks PID: the process's user + system CPU time so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

metrics_rows() {
  local admin=$1 url=$1/ordo_metrics logs=$BENCH_DIR/logs-metrics
  mkdir -p "$logs"
  psql -q "$admin/postgres" -c "CREATE DATABASE ordo_metrics"
  migrate "$url" >/dev/null 2>&1
  local metrics_port; metrics_port=$(free_port)
  local pids=() off_address on_address scraper
  PGOPTIONS="-c synchronous_commit=off" \
    "$BUILD_DIR/ordo-command" --database_url="$url" --listen=127.0.0.1:0 >"$logs/off.log" 2>&1 &
  pids+=($!)
  PGOPTIONS="-c synchronous_commit=off" "$BUILD_DIR/ordo-command" --database_url="$url" --listen=127.0.0.1:0 \
    --metrics_listen="127.0.0.1:$metrics_port" >"$logs/on.log" 2>&1 &
  pids+=($!)
  "$BUILD_DIR/ordo-projector" --database_url="$url" >"$logs/projector.log" 2>&1 &
  pids+=($!)
  off_address=127.0.0.1:$(wait_for_port "$logs/off.log")
  on_address=127.0.0.1:$(wait_for_port "$logs/on.log")
  scrape_every_second "$metrics_port" &
  scraper=$!
  # Stopped by the bench's clean-up too, should a run below fail.
  STACK_PIDS+=("${pids[@]}" "$scraper")
  local saved_address=${COMMAND_ADDRESS:-} off=() on=() off99=() on99=() line i
  # CPU per call is steadier than the rate, which follows the disk's fsync times.
  local off_us=() on_us=() pid before calls hz; hz=$(getconf CLK_TCK)
  QUERY_ADDRESS=${QUERY_ADDRESS:-127.0.0.1:1}  # AddItem needs no query server
  # Short runs in ABBA order: a fixed order would hand every drift to one side.
  local BENCH_SECONDS=$(( BENCH_SECONDS < 5 ? BENCH_SECONDS : 5 )) rounds=8 side
  for i in $(seq 1 $rounds); do
    for side in $( (( i % 2 )) && echo "off on" || echo "on off"); do
      if [ "$side" = off ]; then COMMAND_ADDRESS=$off_address; pid=${pids[0]}; else
        COMMAND_ADDRESS=$on_address; pid=${pids[1]}; fi
      before=$(cpu_ticks "$pid")
      line=$(load add_item 8 --orders=1000)
      # The calls: the measured AddItems, the failed ones, and the 1000 CreateOrders first.
      calls=$(( $(field ok "$line") + $(field errors "$line") + 1000 ))
      local us; us=$(awk -v t="$(( $(cpu_ticks "$pid") - before ))" -v hz="$hz" -v n="$calls" \
        'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
      if [ "$side" = off ]; then
        off+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); off99+=("$(field p99_ms "$line")")
        off_us+=("$us")
      else
        on+=("$(field 'calls\/s' "$line" | cut -d. -f1)"); on99+=("$(field p99_ms "$line")")
        on_us+=("$us")
      fi
    done
  done
  COMMAND_ADDRESS=$saved_address
  local scrapes
  scrapes=$("$ROOT/bench/scrape_metrics.sh" "$metrics_port" |
    sed -n 's/^exposer_scrapes_total \([0-9]*\).*/\1/p') || true
  stop_stack
  local off_rate on_rate
  off_rate=$(median "${off[@]}"); on_rate=$(median "${on[@]}")
  row "16. Ordo AddItem, metrics off (synchronous_commit off)" 8 "$off_rate cmd/s" "$(spread "${off[@]}")" \
    "p99 $(median "${off99[@]}") ms" \
    "ABBA with the next row, $rounds rounds; ordo-command CPU $(median "${off_us[@]}") µs/call" "1.00"
  row "16. Ordo AddItem, metrics on, scraped every second (synchronous_commit off)" 8 "$on_rate cmd/s" \
    "$(spread "${on[@]}")" "p99 $(median "${on99[@]}") ms" \
    "${scrapes:-?} scrapes; ordo-command CPU $(median "${on_us[@]}") µs/call ($(ratio "$(median "${on_us[@]}")" "$(median "${off_us[@]}")")x)" \
    "$(ratio "$on_rate" "$off_rate")"
}
