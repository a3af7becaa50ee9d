#!/usr/bin/env bash
# The local image registry for tests and eng/images.sh: Debian's docker-registry (CNCF distribution) on loopback, with
# its config and storage under .tools/containers/registry/ (never the machine's /etc/docker/registry).
#
#   bash eng/registry.sh start [HOST:PORT]   starts it unless something already answers /v2/ there (default localhost:5000)
#   bash eng/registry.sh stop                stops the registry this script started (by its pid file), nothing else
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$root/.tools/containers/registry"
log() { printf 'registry.sh: %s\n' "$*" >&2; }

case "${1:-}" in
  start)
    address=${2:-localhost:5000}
    host=${address%:*} port=${address##*:}
    case "$host" in localhost|127.0.0.1) ;; *) log "only a loopback registry is started here, not $address"; exit 2 ;; esac
    if curl -fs -o /dev/null --max-time 2 "http://$address/v2/"; then exit 0; fi
    command -v docker-registry >/dev/null || { log "docker-registry is missing: run 'bash eng/tools.sh'"; exit 1; }
    mkdir -p "$dir/data"
    cat > "$dir/config.yml" <<CONF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONF
    setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 < /dev/null &
    echo $! > "$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fs -o /dev/null --max-time 1 "http://$address/v2/"; then log "started on $address (pid $(cat "$dir/pid"))"; exit 0; fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    log "the registry did not answer on $address: $(tail -n 3 "$dir/registry.log")"
    exit 1
    ;;
  stop)
    if [[ -s "$dir/pid" ]]; then
      pid=$(cat "$dir/pid")
      # Only our own process: its command line names our config file.
      if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$dir/config.yml"; then
        kill "$pid" && log "stopped (pid $pid)"
      fi
      rm -f "$dir/pid"
    fi
    ;;
  *)
    echo "usage: bash eng/registry.sh start [HOST:PORT] | stop" >&2
    exit 2
    ;;
esac
