#!/usr/bin/env bash
# Prints what 127.0.0.1:PORT serves at /metrics (bash's /dev/tcp, no curl); prints nothing
# and exits 0 when nothing answers. Shared by the bench scripts.
#   bench/scrape_metrics.sh PORT
{ exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3
  exec 3<&-; } 2>/dev/null || true
