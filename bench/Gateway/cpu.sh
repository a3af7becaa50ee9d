#!/usr/bin/env bash
# CPU per routed tools/call of mcpfleet-gateway (#16): the measure that a shared, noisy machine moves least. One echo
# server (bench/Hosting/HostedServer, Native AOT) is fronted by one or more gateway binaries, each on its own port; wrk
# drives the same fixed load (-t1, C connections, DURATION s, echo.lua) through each in turn, round after round, so a slow
# minute of the machine costs every variant alike. For each window it reads utime+stime (fields 14+15 of
# /proc/<pid>/stat) of the gateway and of the server before and after and divides by the requests wrk reports: CPU-µs
# per call; and from the gateway's /metrics the bytes it allocated and the thread-pool work items it ran per call, and
# its context switches per call (these three hardly move with the machine's load). The median of the rounds is printed
# per variant. Throughput is printed too but is not the measure here.
# A variant may also be the do-nothing forwarder of bench/Gateway/Forwarder (the floor of what any HTTP forwarder costs):
# an executable named McpFleet.Bench.Forwarder is started with the server's URL instead of --config, in its default
# hand-written way or, written name=<binary>:yarp, as YARP; it has no /metrics, so only its CPU and context switches are
# read (allocations and work items print as na).
#
#   bash bench/Gateway/cpu.sh base=/tmp/gw/base/mcpfleet-gateway new=/tmp/gw/new/mcpfleet-gateway
#   bash bench/Gateway/cpu.sh gateway=<mcpfleet-gateway> floor=bench/Gateway/results/publish/forwarder/McpFleet.Bench.Forwarder
#   env: SERVER=<HostedServer binary> (default: bench/Gateway/results/publish/server, as run.sh publishes it)
#        C=16  DURATION=10  ROUNDS=5  WARMUP=5 (s per gateway before the rounds)  PINNED=1 (server on CPU 0, wrk and
#        the gateway on CPU 1, as run.sh's pinned mode; 0 leaves everything unpinned)  OUT=/tmp/gw-cpu
#        PORT_OFFSET=0 (added to every port: 5311, 5411 and 5320+/5420+ per variant; another run can go on beside)
# Publish the binaries first, e.g. `dotnet publish src/McpFleet.Gateway -c Release -r linux-x64 -o /tmp/gw/new`
# (add -p:StripSymbols=false to profile with perf). Never run by eng/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/bench/Gateway"
C=${C:-16} DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-5} WARMUP=${WARMUP:-5} PINNED=${PINNED:-1} OUT=${OUT:-/tmp/gw-cpu}
PORT_OFFSET=${PORT_OFFSET:-0}
SERVER=${SERVER:-$here/results/publish/server/McpFleet.Bench.HostedServer}
(( $# >= 1 )) || { echo "usage: bash bench/Gateway/cpu.sh name=<mcpfleet-gateway binary> [name=<binary> ...]" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x $SERVER ]] || { echo "SERVER=$SERVER is not an executable: dotnet publish bench/Hosting/HostedServer -c Release -r linux-x64 -o <dir>" >&2; exit 2; }
names=() bins=() modes=()
for arg in "$@"; do
  bin=${arg#*=} mode=""
  [[ $bin == */McpFleet.Bench.Forwarder:* ]] && mode=${bin##*:} bin=${bin%:*}
  [[ $arg == *=* && -x $bin && $mode =~ ^(|plain|yarp)$ ]] || { echo "'$arg': give name=<executable mcpfleet-gateway or McpFleet.Bench.Forwarder[:plain|:yarp]>" >&2; exit 2; }
  names+=("${arg%%=*}") bins+=("$bin") modes+=("$mode")
done
if [[ $PINNED == 1 ]]; then
  command -v taskset >/dev/null && (( $(nproc) >= 2 )) || { echo "the pinned mode needs taskset and 2 CPUs; or PINNED=0" >&2; exit 2; }
fi
mkdir -p "$OUT"
tck=$(getconf CLK_TCK)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT
export Logging__LogLevel__Default=Warning DOTNET_CLI_TELEMETRY_OPTOUT=1 McpFleet__BindAddress=127.0.0.1
ready() { until curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready" 2>/dev/null | grep -q 200; do sleep 0.05; done; }
call_ok() { # $1 port  $2 tool
  curl -s -m 2 -X POST "http://127.0.0.1:$1/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"$2\",\"arguments\":{\"message\":\"ready\"}}}" 2>/dev/null | grep -q '"text":"ready"'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The gateway's own counters, which noise does not move: bytes allocated and thread-pool work items (its /metrics),
# and context switches of all its threads.
counters() { # $1 pid  $2 metrics port -> "allocated work_items ctx_switches" (a forwarder has no /metrics: 0 0)
  local m; m=$(curl -s "http://127.0.0.1:$2/metrics" || true)
  echo "$(awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {v = $2} END {print v + 0}' <<< "$m")" \
    "$(awk '/^dotnet_thread_pool_work_item_count_total/ {v = $2} END {print v + 0}' <<< "$m")" \
    "$(cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n}')"
}

pin0=() pin1=()
[[ $PINNED == 1 ]] && pin0=(taskset -c 0) pin1=(taskset -c 1)  # taskset execs the command: $! stays its pid
server_port=$((5311 + PORT_OFFSET))
SERVER_PORT=$server_port METRICS_PORT=$((5411 + PORT_OFFSET)) MCPFLEET_CONFIG_PATH="$root/bench/Hosting/HostedServer/server-config.json" \
  "${pin0[@]}" "$SERVER" > "$OUT/server.log" 2>&1 &
server_pid=$! && pids+=("$server_pid")
printf '{"upstreams": [{"name": "bench", "url": "http://127.0.0.1:%s/mcp"}]}\n' $server_port > "$OUT/gateway.json"
ready $server_port
gw_pids=() gw_ports=() tools=()
for i in "${!bins[@]}"; do
  port=$((5320 + PORT_OFFSET + i))
  # The forwarder passes the server's own tool name through; the gateway prefixes it with the upstream's.
  if [[ ${bins[$i]} == */McpFleet.Bench.Forwarder ]]; then front=("http://127.0.0.1:$server_port/mcp" ${modes[$i]}) tools+=(echo)
  else front=(--config "$OUT/gateway.json") tools+=(bench_echo); fi
  SERVER_PORT=$port METRICS_PORT=$((5420 + PORT_OFFSET + i)) MCPFLEET_CONFIG_PATH= "${pin1[@]}" "${bins[$i]}" "${front[@]}" > "$OUT/${names[$i]}.log" 2>&1 &
  gw_pids+=("$!") gw_ports+=("$port") pids+=("$!")
done
for i in "${!bins[@]}"; do ready "${gw_ports[$i]}"; until call_ok "${gw_ports[$i]}" "${tools[$i]}"; do sleep 0.05; done; done
window() { # $1 port  $2 seconds -> requests
  "${pin1[@]}" wrk -t1 -c"$C" -d"$2"s --timeout 5s -s "$here/echo.lua" "http://127.0.0.1:$1/mcp" > "$OUT/wrk.tmp" 2>&1
  grep -q "Non-2xx\|Socket errors" "$OUT/wrk.tmp" && { echo "errors in a window:" >&2; cat "$OUT/wrk.tmp" >&2; exit 3; }
  awk '/requests in/ {print $1}' "$OUT/wrk.tmp"
}
for i in "${!bins[@]}"; do TOOL=${tools[$i]} window "${gw_ports[$i]}" "$WARMUP" > /dev/null; done

echo "c$C, $DURATION s windows, $ROUNDS rounds, pinned=$PINNED, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rows="$OUT/rows.txt"; : > "$rows"
for round in $(seq "$ROUNDS"); do
  for i in "${!bins[@]}"; do
    read -r a0 w0 x0 <<< "$(counters "${gw_pids[$i]}" $((5420 + PORT_OFFSET + i)))"
    g0=$(ticks "${gw_pids[$i]}") s0=$(ticks "$server_pid")
    n=$(TOOL=${tools[$i]} window "${gw_ports[$i]}" "$DURATION")
    g1=$(ticks "${gw_pids[$i]}") s1=$(ticks "$server_pid")
    read -r a1 w1 x1 <<< "$(counters "${gw_pids[$i]}" $((5420 + PORT_OFFSET + i)))"
    python3 -c "import sys; n,g,s,t,d,a,w,x=map(float,sys.argv[1:9]); na=sys.argv[10]=='echo'; print(f'{sys.argv[9]} round=$round req/s={n/d:.0f} gateway_us={(g*1e6/t)/n:.1f} server_us={(s*1e6/t)/n:.1f} alloc_bytes={\"na\" if na else f\"{a/n:.0f}\"} work_items={\"na\" if na else f\"{w/n:.2f}\"} ctx_switches={x/n:.2f} load=$(cut -d' ' -f1 /proc/loadavg)')" \
      "$n" $((g1 - g0)) $((s1 - s0)) "$tck" "$DURATION" "$(( ${a1%.*} - ${a0%.*} ))" "$(( ${w1%.*} - ${w0%.*} ))" $((x1 - x0)) "${names[$i]}" "${tools[$i]}" | tee -a "$rows"
  done
done
python3 - "$rows" "${names[@]}" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()[1:]) | {"name": line.split()[0]} for line in open(sys.argv[1])]
for name in sys.argv[2:]:
    rs = [r for r in rows if r["name"] == name]
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    own = "" if rs[0]["alloc_bytes"] == "na" else f"{med('alloc_bytes'):.0f} B allocated, {med('work_items'):.2f} thread-pool work items, "
    print(f"{name}: {'forwarder' if not own else 'gateway'} {med('gateway_us'):.1f} CPU-us/call (rounds {', '.join(r['gateway_us'] for r in rs)}), "
          f"server {med('server_us'):.1f} CPU-us/call, {med('req/s'):.0f} req/s; per call: {own}"
          f"{med('ctx_switches'):.2f} context switches (medians of {len(rs)})")
PY
rm -f "$OUT/wrk.tmp"
