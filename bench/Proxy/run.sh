#!/usr/bin/env bash
# mcpfleet-proxy benchmark: tools/call echo through (a) mcpfleet-proxy (Native AOT), (b) supergateway 4.0.0 (default,
# stateless: a child per request), (b') supergateway --stateful (one child per session, wrk on one session),
# (c) mcp-proxy 6.7.19 --stateless (one shared child), (d) the child driven directly over stdio (the limit), and
# (e) bench/Proxy/HttpFloor: Kestrel answering a canned echo with no child at all (no HTTP front can beat it here).
# Same child everywhere: bench/Proxy/echo-child.mjs (official TypeScript SDK 1.x, as the npm servers a bridge wraps).
# c16 and c64 windows, the systems interleaved in every round (start order rotates), medians over the rounds.
# Also: the proxy's idle RSS, and how long /ready takes to turn 200 after the child answered initialize.
#
#   bash bench/Proxy/run.sh          env: ROUNDS=3  DURATION=10 (s per window)  WARM=3 (s at c16 first)  OUT=bench/Proxy/results
# Needs wrk (apt-get install -y wrk) and eng/tools.sh (Node 22, the npm bridges). Publishes the proxy AOT first (~2-4 min).
# Never run by eng/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/bench/Proxy"
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-10} WARM=${WARM:-3}
OUT=${OUT:-$here/results}
node="$root/.tools/node/bin/node" modules="$root/.tools/npm/node_modules"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x "$node" && -d "$modules/supergateway" && -d "$modules/mcp-proxy" ]] || { echo "node 22 or the npm bridges are missing: bash eng/tools.sh" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 ]] || { echo "ROUNDS=$ROUNDS: give a number of rounds >= 1" >&2; exit 2; }
mkdir -p "$OUT"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$OUT/proxy-$stamp.md"

proxy_bin="$OUT/publish/mcpfleet-proxy"
if [[ ! -x "$proxy_bin" || -n ${REPUBLISH:-} ]]; then
  echo "publishing mcpfleet-proxy (Native AOT)..." >&2
  dotnet publish "$root/src/McpFleet.Proxy" -c Release -r linux-x64 -o "$OUT/publish" -nologo > "$OUT/publish.log" 2>&1
fi
floor_bin="$OUT/publish-floor/McpFleet.Bench.HttpFloor"
if [[ ! -x "$floor_bin" || -n ${REPUBLISH:-} ]]; then
  echo "publishing the HTTP floor (Native AOT)..." >&2
  dotnet publish "$here/HttpFloor" -c Release -r linux-x64 -o "$OUT/publish-floor" -nologo > "$OUT/publish-floor.log" 2>&1
fi
child=("$node" "$here/echo-child.mjs" "$modules")
port=5201

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mib() { awk '$1=="VmRSS:" {printf "%.1f", $2/1024}' "/proc/$1/status"; }
call_ok() { # $1 extra curl args (session)
  curl -s -m 2 -X POST "http://127.0.0.1:$port/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' ${1:-} \
    -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"ready"}}}' 2>/dev/null | grep -q '"text":"ready"'
}
wait_until() { local deadline=$(( $(now_ms) + 60000 )); until "$@"; do (( $(now_ms) < deadline )) || { echo "not ready in 60 s: $*" >&2; return 1; }; sleep 0.05; done; }
wrk_window() { # $1 connections $2 seconds -> "rps p50 p99 errors"
  wrk -t1 -c"$1" -d"$2"s --timeout 10s --latency -s "$here/echo.lua" "http://127.0.0.1:$port/mcp" > "$OUT/wrk.tmp" 2>&1 || true
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.tmp")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk.tmp"); p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk.tmp")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/wrk.tmp" | tr ' ' '_' | tr '\n' ',')
  echo "${rps:-0} ${p50:--} ${p99:--} ${errors:-none}"
}

start_system() { # $1 system; sets pid and SESSION
  SESSION=""
  case $1 in
    a) McpFleet__BindAddress=127.0.0.1 SERVER_PORT=$port METRICS_PORT=$((port + 1)) Logging__LogLevel__Default=Warning \
         "$proxy_bin" stdio -- "${child[@]}" > "$OUT/a.log" 2>&1 &
       pid=$!; wait_until call_ok ;;
    b) "$node" "$modules/supergateway/dist/index.js" --stdio "${child[*]}" --outputTransport streamableHttp --port "$port" \
         --streamableHttpPath /mcp --logLevel none > "$OUT/b.log" 2>&1 &
       pid=$!; wait_until call_ok ;;
    b2) "$node" "$modules/supergateway/dist/index.js" --stdio "${child[*]}" --outputTransport streamableHttp --stateful --port "$port" \
         --streamableHttpPath /mcp --logLevel none > "$OUT/b2.log" 2>&1 &
       pid=$!
       wait_until curl -s -o /dev/null "http://127.0.0.1:$port/mcp" -X POST -H 'Content-Type: application/json'
       SESSION=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
         -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
         | awk -F': ' 'tolower($1)=="mcp-session-id" {print $2}' | tr -d '\r')
       wait_until call_ok "-H Mcp-Session-Id:$SESSION -H MCP-Protocol-Version:2025-06-18" ;;
    e) "$floor_bin" --urls "http://127.0.0.1:$port" > "$OUT/e.log" 2>&1 &
       pid=$!; wait_until curl -s -o /dev/null -X POST "http://127.0.0.1:$port/mcp" ;;
    c) "$node" "$modules/mcp-proxy/dist/bin/mcp-proxy.mjs" --port "$port" --host 127.0.0.1 --server stream --stateless --no-eventStore \
         -- "${child[@]}" > "$OUT/c.log" 2>&1 &
       pid=$!; wait_until call_ok ;;
  esac
  export SESSION
}
stop_system() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; sleep 0.5; }

measure() { # $1 system $2 connections -> "rps p50 p99 errors"
  if [[ $1 == d ]]; then
    "$node" "$here/stdio-driver.mjs" "$2" "$DURATION" -- "${child[@]}"
  else
    wrk_window "$2" "$DURATION"
  fi
}

systems=(a b b2 c d e)
declare -A results
for round in $(seq "$ROUNDS"); do
  order=("${systems[@]:$(( (round - 1) % ${#systems[@]} ))}" "${systems[@]:0:$(( (round - 1) % ${#systems[@]} ))}")
  for s in "${order[@]}"; do
    if [[ $s != d ]]; then start_system "$s"; [[ $WARM -gt 0 ]] && wrk_window 16 "$WARM" >/dev/null; fi
    for c in 16 64; do
      results[$s,$c,$round]=$(measure "$s" "$c")
      echo "round $round $s c$c: ${results[$s,$c,$round]}" >&2
    done
    [[ $s != d ]] && stop_system
  done
done

# Idle RSS and readiness of the proxy: 5 fresh starts; /ready polled every 2 ms; "after the child answers" is measured
# from the proxy's own log line "initialized with protocol", written when the child's initialize answer arrives.
ready_rows=()
for i in 1 2 3 4 5; do
  t0=$(now_ms)
  McpFleet__BindAddress=127.0.0.1 SERVER_PORT=$port METRICS_PORT=$((port + 1)) "$proxy_bin" stdio -- "${child[@]}" > "$OUT/a-start.log" 2>&1 &
  pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null) == 200 ]]; do sleep 0.002; done
  t_ready=$(now_ms)
  t_init=$(grep -m1 '"EventId":110' "$OUT/a-start.log" | sed -E 's/.*"Timestamp":"([^"]+)".*/\1/' | xargs -I{} date -u -d {} +%s%3N)
  sleep 3
  ready_rows+=("$(( t_ready - t0 )) $(( t_ready - t_init )) $(rss_mib "$pid")")
  stop_system
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { # $1 system $2 conc $3 field index (1 rps 2 p50 3 p99)
  for r in $(seq "$ROUNDS"); do echo "${results[$1,$2,$r]}" | awk -v f="$3" '{v=$f; sub(/ms$/,"",v); if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}'; done | median
}
{
  echo "# mcpfleet-proxy benchmark $stamp"
  echo
  echo "Machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Rounds: $ROUNDS x $DURATION s windows, unpinned."
  echo "Child: bench/Proxy/echo-child.mjs (TS SDK $(cd "$modules/@modelcontextprotocol/sdk" && "$node" -p 'require("./package.json").version')) on Node $("$node" --version)."
  echo
  echo "| system | c16 req/s | c16 p50 / p99 ms | c64 req/s | c64 p50 / p99 ms |"
  echo "|---|---|---|---|---|"
  for s in "${systems[@]}"; do
    name=$(case $s in a) echo "(a) mcpfleet-proxy stdio (AOT)";; b) echo "(b) supergateway (default, stateless)";; b2) echo "(b') supergateway --stateful";; c) echo "(c) mcp-proxy --stateless";; d) echo "(d) child directly over stdio";; e) echo "(e) HTTP floor: Kestrel, canned answer, no child";; esac)
    echo "| $name | $(col "$s" 16 1) | $(col "$s" 16 2) / $(col "$s" 16 3) | $(col "$s" 64 1) | $(col "$s" 64 2) / $(col "$s" 64 3) |"
  done
  echo
  echo "Every window (rps p50 p99 errors):"
  echo
  for r in $(seq "$ROUNDS"); do for s in "${systems[@]}"; do for c in 16 64; do echo "- round $r $s c$c: ${results[$s,$c,$r]}"; done; done; done
  echo
  echo "Proxy starts (spawn -> /ready 200 ms, child initialized -> /ready 200 ms, idle RSS MiB after 3 s):"
  echo
  for row in "${ready_rows[@]}"; do echo "- $row"; done
} | tee "$report"
echo "written: $report" >&2
