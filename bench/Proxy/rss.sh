#!/usr/bin/env bash
# Idle memory of mcpfleet-proxy, taken apart: starts the (Native AOT) binary as bench/Proxy/run.sh does, polls /ready
# until 200, waits IDLE seconds, then prints VmRSS/RssAnon/RssFile, the thread count and the biggest mappings by Rss
# (from /proc/<pid>/smaps: the binary's text/data, the rehydrated image data right after it, [heap], GC regions,
# thread stacks, shared libraries), and the same for the shim that leads the child's process group.
#
#   bash bench/Proxy/rss.sh <mcpfleet-proxy binary>     env: STARTS=1  IDLE=3 (s)  TOP=15 (mappings)  PORT=5401
# Needs eng/tools.sh (Node 22, the npm packages). Never run by eng/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:?usage: rss.sh <mcpfleet-proxy binary>}
[[ -x $bin ]] || { echo "rss.sh: $bin is not an executable" >&2; exit 2; }
STARTS=${STARTS:-1} IDLE=${IDLE:-3} TOP=${TOP:-15} PORT=${PORT:-5401}
node="$root/.tools/node/bin/node" modules="$root/.tools/npm/node_modules"
[[ -x $node ]] || { echo "rss.sh: node 22 is missing: bash eng/tools.sh" >&2; exit 2; }

mappings() { # $1 pid: Rss (KiB) per mapping, biggest first; anonymous mappings named by their address
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "" ? "[anon " $1 "]" : $6); perm = $2}
       $1 == "Rss:" && $2 > 0 {print $2, perm, name}' "/proc/$1/smaps" | sort -rn | head -n "$TOP"
}
status() { # $1 pid
  awk '$1 ~ /^(VmRSS|RssAnon|RssFile|RssShmem):$/ {printf "%s %.1f MiB  ", $1, $2 / 1024} END {print ""}' "/proc/$1/status"
  echo "threads $(ls "/proc/$1/task" | wc -l)  $(awk '$1 == "Pss:" {printf "Pss %.1f MiB", $2 / 1024}' "/proc/$1/smaps_rollup")"
}

for i in $(seq "$STARTS"); do
  McpFleet__BindAddress=127.0.0.1 SERVER_PORT=$PORT METRICS_PORT=$((PORT + 1)) \
    "$bin" stdio -- "$node" "$root/bench/Proxy/echo-child.mjs" "$modules" > /tmp/rss-proxy-$$.log 2>&1 &
  pid=$!
  deadline=$(( SECONDS + 60 ))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ready" 2>/dev/null) == 200 ]]; do
    (( SECONDS < deadline )) || { echo "rss.sh: not ready in 60 s; log: /tmp/rss-proxy-$$.log" >&2; kill "$pid"; exit 3; }
    sleep 0.01
  done
  sleep "$IDLE"
  echo "== start $i: proxy pid $pid"
  status "$pid"
  if (( i == STARTS )); then
    mappings "$pid"
    for shim in $(pgrep -P "$pid" || true); do
      echo "-- shim pid $shim ($(tr '\0' ' ' < "/proc/$shim/cmdline" | cut -c1-60))"
      status "$shim"
    done
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
