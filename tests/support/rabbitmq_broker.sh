#!/usr/bin/env bash
# A private RabbitMQ broker for ./dev and the tests: its own folder, its own epmd and ports
# PORT..PORT+5 on 127.0.0.1 only, never the system broker of the Debian package.
#   rabbitmq_broker.sh start DIR PORT   start (or restart on an existing DIR) and wait until it
#                                       accepts AMQP (60 s at most)
#   rabbitmq_broker.sh stop DIR         graceful stop (SIGTERM), then its epmd
#   rabbitmq_broker.sh kill DIR         SIGKILL of the broker (its epmd stays for a restart)
#   rabbitmq_broker.sh queues DIR       each queue (name, ready, unacknowledged, consumers),
#                                       then the end of the broker's log (warnings)
# DIR/port holds PORT; the URL is amqp://guest:guest@127.0.0.1:PORT/.
set -euo pipefail

BIN=/usr/lib/rabbitmq/bin

setup_env() {
  local dir=$1 port=$2
  export HOME=$dir
  export RABBITMQ_NODENAME=ordo$port@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$((port + 1))
  export ERL_EPMD_PORT=$((port + 2)) ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
  export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
  export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  export RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/rabbit.pid
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_CRASH_DUMP=$dir/erl_crash.dump
}

start() {
  local dir=$1 port=$2
  mkdir -p "$dir/mnesia" "$dir/log"
  dir=$(cd "$dir" && pwd)
  echo "$port" >"$dir/port"
  setup_env "$dir" "$port"
  : >"$dir/rabbitmq-env.conf"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
log.console = false
log.file.level = warning
management.tcp.ip = 127.0.0.1
management.tcp.port = $((port + 3))
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $((port + 4))
stream.listeners.tcp.1 = 127.0.0.1:$((port + 5))
CONF
  echo "[]." >"$dir/enabled_plugins"
  # Our own epmd first: left to erl, starting it races and fails now and then.
  if ! /usr/bin/epmd -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1; then
    /usr/bin/epmd -daemon -port "$ERL_EPMD_PORT"
    for _ in $(seq 1 100); do
      /usr/bin/epmd -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi
  (cd "$dir" && setsid "$BIN/rabbitmq-server" >>"$dir/log/stdout.log" 2>&1 </dev/null &)
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      "$BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" --timeout 60 await_startup >/dev/null 2>&1 &&
        return 0
    fi
    sleep 0.1
  done
  tail -20 "$dir/log/stdout.log" >&2 || true
  echo "rabbitmq_broker.sh: the broker in $dir did not start" >&2
  return 1
}

beam_pid() { cat "$1/rabbit.pid" 2>/dev/null || true; }

stop() {
  local dir=$1 port pid
  port=$(cat "$dir/port" 2>/dev/null) || return 0
  setup_env "$dir" "$port"
  pid=$(beam_pid "$dir")
  if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  /usr/bin/epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
}

kill9() {
  local dir=$1 pid
  pid=$(beam_pid "$dir")
  [ -n "$pid" ] || { echo "rabbitmq_broker.sh: no broker running in $dir" >&2; return 1; }
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$dir/rabbit.pid"
}

queues() {
  local dir=$1 port
  port=$(cat "$dir/port")
  setup_env "$dir" "$port"
  "$BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" --timeout 20 list_queues name messages_ready \
    messages_unacknowledged consumers || true
  echo "the broker's log, last warnings:"
  tail -n 20 "$dir/log/$RABBITMQ_NODENAME.log" 2>/dev/null || true
}

case "${1:-}" in
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  kill) kill9 "$2" ;;
  queues) queues "$2" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
