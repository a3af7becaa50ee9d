#!/usr/bin/env bash
# Gateway benchmark (#16): tools/call echo through mcpfleet-gateway against the same server called directly (the
# McpFleet.Hosting echo server of bench/Hosting, Native AOT, as is the gateway), c16 and c64; the two are measured in
# DURATION-second windows that alternate round after round, so a slow minute of the machine costs both alike, and the
# ratio and the added p50 are taken per round (median and quartiles reported). A third variant runs in the same rounds:
# bench/Gateway/Forwarder, a do-nothing reverse proxy (no JSON, no MCP: bytes in, bytes out, AOT, the gateway's runtime
# settings) in front of the same server, so forwarder/direct is the ceiling of what any HTTP forwarder reaches here and
# gateway/forwarder how much of that ceiling the gateway reaches. Then the gateway's idle RSS, and tools/list
# over 16 upstreams x 20 tools answered from the catalog: client p50 at c1 and the gateway's own server time (its
# mcp_server_operation_duration_seconds for tools/list). The load average is printed next to the figures.
#
# Each round measures two modes back to back. "shared": nothing pinned, so wrk, the gateway and the server share every
# core and the gateway's CPU is taken from the server it fronts (no fleet runs that way: the gateway has its own pod).
# "pinned": the server on CPU 0 (taskset) both directly and behind the gateway, wrk and the gateway (and the forwarder)
# on CPU 1, so the server gets the same CPU in every window and the ratio shows what the gateway costs the caller, not
# the server.
# PINNED=0 skips the pinned windows (a machine with one core).
#
#   bash bench/Gateway/run.sh      env: DURATION=10 (s per window)  ROUNDS=5  WARMUP=20 (s at c64 each before)  OUT=bench/Gateway/results
#                                       FORWARDER=plain (the hand-written forwarder; yarp: YARP's direct forwarding, slower)
# Builds with dotnet publish first (AOT, ~1-4 min each on 2 cores). Never run by eng/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/bench/Gateway"
DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-5} WARMUP=${WARMUP:-20} PINNED=${PINNED:-1} FORWARDER=${FORWARDER:-plain}
OUT=${OUT:-$here/results}
PUB=${PUB:-$OUT/publish}
node="$root/.tools/node/bin/node" modules="$root/.tools/npm/node_modules"
mkdir -p "$OUT" "$PUB"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x "$node" ]] || { echo "node 22 is missing: bash eng/tools.sh" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ ]] && (( ROUNDS >= 2 )) || { echo "ROUNDS=$ROUNDS: give a number of rounds, at least 2" >&2; exit 2; }
[[ $FORWARDER =~ ^(plain|yarp)$ ]] || { echo "FORWARDER=$FORWARDER: give plain or yarp" >&2; exit 2; }
if [[ $PINNED == 1 ]]; then
  command -v taskset >/dev/null || { echo "taskset is missing (util-linux); or PINNED=0" >&2; exit 2; }
  (( $(nproc) >= 2 )) || { echo "the pinned mode needs 2 CPUs, this machine has $(nproc); or PINNED=0" >&2; exit 2; }
fi

publish() { # $1 project dir  $2 name
  [[ -e "$PUB/$2/.done" ]] && return
  dotnet publish "$1" -c Release -r linux-x64 -o "$PUB/$2" -nologo > "$PUB/$2.log" 2>&1 || { tail -20 "$PUB/$2.log" >&2; exit 3; }
  grep -q "warning IL\|warning AOT" "$PUB/$2.log" && { echo "$2: AOT/trim warnings, see $PUB/$2.log" >&2; exit 3; }
  touch "$PUB/$2/.done"
}
publish "$root/bench/Hosting/HostedServer" server
publish "$root/src/McpFleet.Gateway" gateway
publish "$here/Forwarder" forwarder

direct=5301 gw=5302 tools_port=5303 gw16=5304 fwd=5305
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT
export Logging__LogLevel__Default=Warning DOTNET_CLI_TELEMETRY_OPTOUT=1 McpFleet__BindAddress=127.0.0.1
started=0
start() { # $1 port  $2 metrics port  $3.. command; the pid is in $started (not printed: a $(…) subshell would lose it from pids)
  local p=$1 m=$2; shift 2
  SERVER_PORT=$p METRICS_PORT=$m "$@" > "$OUT/$p.log" 2>&1 &
  started=$!
  pids+=("$started")
}
ready() { until curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready" 2>/dev/null | grep -q 200; do sleep 0.05; done; }
call_ok() { curl -s -m 2 -X POST "http://127.0.0.1:$1/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"$2\",\"arguments\":{\"message\":\"ready\"}}}" 2>/dev/null | grep -q '"text":"ready"'; }
wrk_cpus=""
affinity() { # $1 shared|pinned: the server on CPU 0, the gateway, the forwarder and wrk on CPU 1; or everyone on every CPU
  local all; all="0-$(( $(nproc) - 1 ))"
  if [[ $1 == pinned ]]; then
    taskset -a -p -c 0 "$server_pid" > /dev/null; taskset -a -p -c 1 "$gw_pid" > /dev/null; taskset -a -p -c 1 "$fwd_pid" > /dev/null; wrk_cpus=1
  else
    taskset -a -p -c "$all" "$server_pid" > /dev/null; taskset -a -p -c "$all" "$gw_pid" > /dev/null; taskset -a -p -c "$all" "$fwd_pid" > /dev/null
    wrk_cpus=$all
  fi
}
load() { # $1 port  $2 connections  $3 seconds  $4 script  -> "rps p50_ms errors"
  ${wrk_cpus:+taskset -c "$wrk_cpus"} wrk -t1 -c"$2" -d"$3"s --timeout 5s --latency -s "$here/$4" "http://127.0.0.1:$1/mcp" > "$OUT/wrk.tmp" 2>&1
  python3 - "$OUT/wrk.tmp" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)", text, re.M)
p50 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = " ".join(l.strip() for l in text.splitlines() if "Non-2xx" in l or "Socket errors" in l) or "none"
print(f"{rps:.0f} {p50:.3f} {errors.replace(' ', '_')}")
PY
}
rss() { awk '$1=="VmRSS:" {printf "%.1f", $2/1024}' "/proc/$1/status"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
MCPFLEET_CONFIG_PATH="$root/bench/Hosting/HostedServer/server-config.json" start $direct 5401 "$PUB/server/McpFleet.Bench.HostedServer"
server_pid=$started
printf '{"upstreams": [{"name": "bench", "url": "http://127.0.0.1:%s/mcp"}]}\n' $direct > "$OUT/gateway.json"
MCPFLEET_CONFIG_PATH= start $gw 5402 "$PUB/gateway/mcpfleet-gateway" --config "$OUT/gateway.json"
gw_pid=$started
start $fwd 5405 "$PUB/forwarder/McpFleet.Bench.Forwarder" "http://127.0.0.1:$direct/mcp" "$FORWARDER"
fwd_pid=$started
ready $direct; ready $gw; ready $fwd
until call_ok $gw bench_echo; do sleep 0.05; done
call_ok $fwd echo || { echo "the forwarder does not answer the echo tool: see $OUT/$fwd.log" >&2; exit 3; }
sleep 5
idle=$(rss "$gw_pid")
echo "gateway idle RSS: $idle MiB"
if (( WARMUP > 0 )); then
  load $direct 64 "$WARMUP" echo.lua > /dev/null; TOOL=bench_echo load $gw 64 "$WARMUP" echo.lua > /dev/null; load $fwd 64 "$WARMUP" echo.lua > /dev/null
fi

modes=(shared); [[ $PINNED == 1 ]] && modes+=(pinned)
paired="$OUT/paired-$(date -u +%Y%m%dT%H%M%SZ).txt"
for c in 16 64; do
  for round in $(seq "$ROUNDS"); do
    for mode in "${modes[@]}"; do
      [[ $PINNED == 1 ]] && affinity "$mode"
      read -r d_rps d_p50 d_err <<< "$(load $direct "$c" "$DURATION" echo.lua)"
      read -r f_rps f_p50 f_err <<< "$(load $fwd "$c" "$DURATION" echo.lua)"
      read -r g_rps g_p50 g_err <<< "$(TOOL=bench_echo load $gw "$c" "$DURATION" echo.lua)"
      echo "c$c $round mode=$mode direct=$d_rps direct_p50=$d_p50 gateway=$g_rps gateway_p50=$g_p50 forwarder=$f_rps forwarder_p50=$f_p50" \
        "errors=$d_err,$g_err,$f_err load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$paired"
    done
  done
done
[[ $PINNED == 1 ]] && affinity shared
wrk_cpus=""
under_load=$(rss "$gw_pid")

# tools/list over 16 upstreams x 20 tools: one 20-tool server fronted under 16 names.
start $tools_port 5403 "$node" "$here/tools-server.mjs" "$modules" $tools_port
python3 - "$tools_port" > "$OUT/gateway16.json" <<'PY'
import json, sys
print(json.dumps({"upstreams": [{"name": f"u{i:02d}", "url": f"http://127.0.0.1:{sys.argv[1]}/mcp"} for i in range(1, 17)], "pageSize": 1000}))
PY
MCPFLEET_CONFIG_PATH= start $gw16 5404 "$PUB/gateway/mcpfleet-gateway" --config "$OUT/gateway16.json"
ready $gw16
until [[ $(curl -s "http://127.0.0.1:$gw16/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tools"])' 2>/dev/null) == 320 ]]; do sleep 0.2; done
load $gw16 4 "$WARMUP" list.lua > /dev/null
curl -s "http://127.0.0.1:5404/metrics" > "$OUT/metrics-before.txt"
read -r l_rps l_p50 l_err <<< "$(load $gw16 1 "$DURATION" list.lua)"
curl -s "http://127.0.0.1:5404/metrics" > "$OUT/metrics-after.txt"

python3 - "$paired" <<'PY'
import statistics, sys
paired = sys.argv[1]
rows = [dict(f.split("=", 1) for f in line.split()[2:]) | {"c": line.split()[0]} for line in open(paired)]
goals = {"throughput": 0.8, "added_p50_ms": 2.0}
for mode in ("shared", "pinned"):
    for c in ("c16", "c64"):
        rs = [r for r in rows if r["c"] == c and r["mode"] == mode]
        if not rs:
            continue
        ratio = [float(r["gateway"]) / float(r["direct"]) for r in rs]
        added = [float(r["gateway_p50"]) - float(r["direct_p50"]) for r in rs]
        q = statistics.quantiles(ratio, n=4); a = statistics.quantiles(added, n=4)
        met = lambda ok: "met" if ok else "NOT met"
        print(f"{mode} {c}: direct {statistics.median(float(r['direct']) for r in rs):.0f} req/s, gateway {statistics.median(float(r['gateway']) for r in rs):.0f} req/s; "
              f"gateway/direct median {q[1]:.3f} (quartiles {q[0]:.3f}..{q[2]:.3f}, goal >= {goals['throughput']}: {met(q[1] >= goals['throughput'])}); "
              f"added p50 median {a[1]:.2f} ms (quartiles {a[0]:.2f}..{a[2]:.2f}, goal <= {goals['added_p50_ms']} ms: {met(a[1] <= goals['added_p50_ms'])}); {len(rs)} rounds")
        # The forwarding ceiling, from the same rounds: what a forwarder that does nothing reaches, and the gateway's share of it.
        quart = lambda xs: (lambda q: f"{q[1]:.3f} (quartiles {q[0]:.3f}..{q[2]:.3f})")(statistics.quantiles(xs, n=4))
        f_ratio = [float(r["forwarder"]) / float(r["direct"]) for r in rs]
        g_share = [float(r["gateway"]) / float(r["forwarder"]) for r in rs]
        f_added = statistics.quantiles([float(r["forwarder_p50"]) - float(r["direct_p50"]) for r in rs], n=4)
        print(f"{mode} {c}: forwarder {statistics.median(float(r['forwarder']) for r in rs):.0f} req/s; forwarder/direct median {quart(f_ratio)} "
              f"(the ceiling of any HTTP forwarder here); gateway/forwarder median {quart(g_share)}; "
              f"forwarder added p50 median {f_added[1]:.2f} ms (quartiles {f_added[0]:.2f}..{f_added[2]:.2f})")
PY
python3 - "$OUT/metrics-before.txt" "$OUT/metrics-after.txt" "$l_rps" "$l_p50" "$l_err" <<'PY'
import re, sys
def series(text):
    out = {}
    for kind in ("sum", "count"):
        m = re.search(r'mcp_server_operation_duration_seconds_%s\{[^}]*mcp_method_name="tools/list"[^}]*mcpfleet_upstream="_all"[^}]*\} ([\d.e+-]+)' % kind, text)
        out[kind] = float(m.group(1)) if m else 0.0
    b = [l for l in text.splitlines() if l.startswith("mcp_server_operation_duration_seconds_bucket{") and 'mcp_method_name="tools/list"' in l and 'mcpfleet_upstream="_all"' in l and 'le="0.001"' in l]
    out["le1ms"] = float(b[0].rsplit(" ", 1)[1]) if b else 0.0
    return out
b, a = series(open(sys.argv[1]).read()), series(open(sys.argv[2]).read())
l_rps, l_p50, l_err = sys.argv[3:]
n = a["count"] - b["count"]
if n > 0:
    print(f"tools/list, 16 upstreams x 20 tools (320): c1 {l_rps} req/s, client p50 {l_p50} ms, errors {l_err}; "
          f"gateway server time mean {(a['sum'] - b['sum']) / n * 1000:.3f} ms, {100 * (a['le1ms'] - b['le1ms']) / n:.1f}% within 1 ms ({n:.0f} requests)")
else:
    print("tools/list: no samples in the gateway's metrics")
PY
echo "gateway RSS: idle $idle MiB, after the load windows $under_load MiB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "windows: $paired"
rm -f "$OUT/wrk.tmp"
