#!/usr/bin/env bash
# Hosting benchmark: tools/call echo against (a) the bare SDK server, (b) the same on McpFleet.Hosting, (c) the official
# TS SDK server; JIT and Native AOT for (a) and (b). Method as in /work/shared/reference/baselines.md Part 2: server pinned to
# CPU 1, wrk to CPU 0; start -> ready, idle RSS, cold c16 (first 10 s), warm-up, warm c16 and c64, RSS under load, VmHWM.
#
#   bash bench/Hosting/run.sh [servers...]      servers: a-jit b-jit a-aot b-aot c c20   (default: all but c20)
#   env: DURATION=10 (s per window)  WARMUP=60 (s at c64 before the warm windows)  RUNS=1  OUT=bench/Hosting/results
#        STARTS=N: instead of load, N fresh starts per server (interleaved); min / median of start -> ready.
#        PAIRED=N: instead of the table, throughput ratios from N rounds of interleaved windows (see below).
# Builds with dotnet publish first (AOT needs ~2 min per server on 2 cores). Never run by eng/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/bench/Hosting"
DURATION=${DURATION:-10} WARMUP=${WARMUP:-60} RUNS=${RUNS:-1}
OUT=${OUT:-$here/results}
PUB=${PUB:-$OUT/publish}
node="$root/.tools/node/bin/node" modules="$root/.tools/npm/node_modules"
# (c) runs on node 22 from eng/tools.sh; (c20) on the machine's node 20, the runtime of baselines.md's TS figures.
node20=$(command -v node || true)
mkdir -p "$OUT" "$PUB"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x "$node" ]] || { echo "node 22 is missing: bash eng/tools.sh" >&2; exit 2; }
servers=("${@:-a-jit b-jit a-aot b-aot c}")
read -r -a servers <<< "${servers[*]}"
if (( $(nproc) >= 2 )); then pin_server="taskset -c 1" pin_load="taskset -c 0"; else pin_server="" pin_load=""; fi

publish() { # $1 BareServer|HostedServer  $2 jit|aot
  local dir="$PUB/$1-$2"
  [[ -e "$dir/.done" ]] && return
  if [[ $2 == aot ]]; then
    dotnet publish "$here/$1" -c Release -r linux-x64 -o "$dir" -nologo >"$PUB/$1-$2.log" 2>&1
  else
    dotnet publish "$here/$1" -c Release -p:PublishAot=false -o "$dir" -nologo >"$PUB/$1-$2.log" 2>&1
  fi
  touch "$dir/.done"
}

port=5101 metrics_port=9565
command_for() { # prints the command line of server $1
  case $1 in
    a-jit) echo "dotnet $PUB/BareServer-jit/McpFleet.Bench.BareServer.dll" ;;
    a-aot) echo "$PUB/BareServer-aot/McpFleet.Bench.BareServer" ;;
    b-jit) echo "dotnet $PUB/HostedServer-jit/McpFleet.Bench.HostedServer.dll" ;;
    b-aot) echo "$PUB/HostedServer-aot/McpFleet.Bench.HostedServer" ;;
    c) echo "$node $here/ts-server/server.mjs $modules $port" ;;
    c20) echo "$node20 $here/ts-server/server.mjs $modules $port" ;;
  esac
}

rss() { awk -v k="$2" '$1==k":" {printf "%.0f", $2/1024}' "/proc/$1/status"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
call_ok() { curl -s -m 1 -X POST "http://127.0.0.1:$port/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"ready"}}}' 2>/dev/null | grep -q '"text":"ready"'; }
load() { # $1 connections $2 seconds -> "rps p50 p99 errors"
  $pin_load wrk -t1 -c"$1" -d"$2"s --timeout 5s --latency -s "$here/echo.lua" "http://127.0.0.1:$port/mcp" > "$OUT/wrk.tmp" 2>&1
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.tmp")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk.tmp"); p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk.tmp")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/wrk.tmp" | tr '\n' ' ')
  echo "$rps $p50 $p99 ${errors:-none}"
}

# Poll until the server answers: tools/call for every server, /ready for (b). Prints milliseconds since spawn.
time_to_ready() { # $1 server  $2 call|ready
  local start pid
  start=$(now_ms)
  # shellcheck disable=SC2046
  $pin_server $(command_for "$1") > "$OUT/$1.log" 2>&1 &
  pid=$!
  if [[ $2 == ready ]]; then
    until curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null | grep -q 200; do sleep 0.002; done
  else
    until call_ok; do sleep 0.002; done
  fi
  echo $(( $(now_ms) - start ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

if [[ -n ${STARTS:-} ]]; then
  export Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_CLI_TELEMETRY_OPTOUT=1
  export SERVER_PORT=$port METRICS_PORT=$metrics_port McpFleet__BindAddress=127.0.0.1 MCPFLEET_CONFIG_PATH="$here/HostedServer/server-config.json"
  declare -A samples
  for s in "${servers[@]}"; do
    case $s in a-jit) publish BareServer jit ;; a-aot) publish BareServer aot ;; b-jit) publish HostedServer jit ;; b-aot) publish HostedServer aot ;; esac
  done
  for _ in $(seq "$STARTS"); do
    for s in "${servers[@]}"; do
      samples[$s-call]+="$(time_to_ready "$s" call) "
      [[ $s == b-* ]] && samples[$s-ready]+="$(time_to_ready "$s" ready) "
    done
  done
  startups="$OUT/startup-$(date -u +%Y%m%dT%H%M%SZ).md"
  { echo "| server | probe | min | median | max | samples (ms) |"; echo "|---|---|---|---|---|---|"; } > "$startups"
  for key in $(printf '%s\n' "${!samples[@]}" | sort); do
    read -r -a v <<< "$(tr ' ' '\n' <<< "${samples[$key]}" | sort -n | tr '\n' ' ')"
    echo "| ${key%-*} | ${key##*-} | ${v[0]} | ${v[$(( ${#v[@]} / 2 ))]} | ${v[-1]} | ${samples[$key]}|" | tee -a "$startups"
  done
  exit 0
fi

# Paired throughput: every listed server runs at once, pinned to the same core, and DURATION-second windows rotate over
# them, round after round, at c16 and then c64 (only one server has load at a time). A slow minute of the machine then
# costs every server alike, so the ratios (b/a, b/c) are taken per round, and their median and quartiles reported.
# Sequential runs of the table below drift by several percent between servers started a minute apart.
if [[ -n ${PAIRED:-} ]]; then
  [[ $PAIRED =~ ^[0-9]+$ ]] && (( PAIRED >= 2 )) || { echo "PAIRED=$PAIRED: give a number of rounds, at least 2 (quartiles need two)" >&2; exit 2; }
  export Logging__LogLevel__Default=Warning DOTNET_CLI_TELEMETRY_OPTOUT=1 McpFleet__BindAddress=127.0.0.1 MCPFLEET_CONFIG_PATH="$here/HostedServer/server-config.json"
  declare -A ports pids
  next=5201
  for s in "${servers[@]}"; do
    case $s in a-jit) publish BareServer jit ;; a-aot) publish BareServer aot ;; b-jit) publish HostedServer jit ;; b-aot) publish HostedServer aot ;; esac
    port=$next metrics_port=$((next + 100)); ports[$s]=$port; next=$((next + 1))
    # shellcheck disable=SC2046
    ASPNETCORE_URLS="http://127.0.0.1:$port" SERVER_PORT=$port METRICS_PORT=$metrics_port $pin_server $(command_for "$s") > "$OUT/$s.log" 2>&1 &
    pids[$s]=$!
  done
  trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT
  for s in "${servers[@]}"; do
    port=${ports[$s]}
    until call_ok; do kill -0 "${pids[$s]}" 2>/dev/null || { echo "$s died: $(tail -5 "$OUT/$s.log")" >&2; exit 1; }; sleep 0.05; done
    (( WARMUP > 0 )) && load 64 "$WARMUP" > /dev/null
  done
  paired="$OUT/paired-$(date -u +%Y%m%dT%H%M%SZ).txt"
  for c in 16 64; do
    for round in $(seq "$PAIRED"); do
      line="c$c $round"
      for s in "${servers[@]}"; do port=${ports[$s]}; read -r rps _ _ err <<< "$(load "$c" "$DURATION")"; line+=" $s=$rps"; [[ $err == none ]] || line+="!"; done
      echo "$line" | tee -a "$paired"
    done
  done
  python3 - "$paired" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for conc in ("c16", "c64"):
    rounds = [dict((k, float(v.rstrip("!"))) for k, v in (f.split("=") for f in r[2:])) for r in rows if r[0] == conc]
    names = list(rounds[0])
    print(f"{conc}: median req/s " + ", ".join(f"{n} {statistics.median(r[n] for r in rounds):.0f}" for n in names))
    for b in (n for n in names if n.startswith("b-")):
        for anchor in [n for n in names if n == "a-" + b[2:] or n.startswith("c")]:
            q = statistics.quantiles([r[b] / r[anchor] for r in rounds], n=4)
            print(f"  {b}/{anchor}: median {q[1]:.3f} (quartiles {q[0]:.3f}..{q[2]:.3f}, {len(rounds)} rounds)")
PY
  echo "windows: $paired"
  exit 0
fi

results="$OUT/results-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "| server | start->tools/call 200 | start->/ready 200 | idle RSS | cold c16 req/s | warm c16 req/s | c16 p50 / p99 | warm c64 req/s | c64 p50 / p99 | RSS under load | VmHWM | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$results"

for run in $(seq "$RUNS"); do
  for s in "${servers[@]}"; do
    case $s in a-jit) publish BareServer jit ;; a-aot) publish BareServer aot ;; b-jit) publish HostedServer jit ;; b-aot) publish HostedServer aot ;; esac
    export Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_CLI_TELEMETRY_OPTOUT=1
    export SERVER_PORT=$port METRICS_PORT=$metrics_port McpFleet__BindAddress=127.0.0.1 MCPFLEET_CONFIG_PATH="$here/HostedServer/server-config.json"
    start=$(now_ms)
    # shellcheck disable=SC2046
    $pin_server $(command_for "$s") > "$OUT/$s.log" 2>&1 &
    pid=$!
    until call_ok; do kill -0 "$pid" 2>/dev/null || { echo "$s died: $(tail -5 "$OUT/$s.log")" >&2; exit 1; }; sleep 0.005; done
    ready_call=$(( $(now_ms) - start ))
    ready_probe=n/a
    if [[ $s == b-* ]]; then
      # Separate fresh start for /ready, so neither poll loop delays the other.
      kill "$pid"; wait "$pid" 2>/dev/null || true
      start=$(now_ms)
      # shellcheck disable=SC2046
      $pin_server $(command_for "$s") > "$OUT/$s.log" 2>&1 &
      pid=$!
      until curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null | grep -q 200; do sleep 0.005; done
      ready_probe="$(( $(now_ms) - start )) ms"
    fi
    sleep 3
    idle=$(rss "$pid" VmRSS)
    read -r cold _ _ cold_err <<< "$(load 16 10)"
    (( WARMUP > 0 )) && load 64 "$WARMUP" > /dev/null
    peak=0
    ( while kill -0 "$pid" 2>/dev/null; do r=$(rss "$pid" VmRSS); echo "$r"; sleep 0.5; done ) > "$OUT/rss.tmp" &
    sampler=$!
    read -r w16 p50_16 p99_16 err16 <<< "$(load 16 "$DURATION")"
    read -r w64 p50_64 p99_64 err64 <<< "$(load 64 "$DURATION")"
    kill "$sampler" 2>/dev/null || true
    peak=$(sort -n "$OUT/rss.tmp" | tail -1)
    hwm=$(rss "$pid" VmHWM)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "| $s | ${ready_call} ms | $ready_probe | ${idle} MiB | $cold | $w16 | $p50_16 / $p99_16 | $w64 | $p50_64 / $p99_64 | ${peak} MiB | ${hwm} MiB | $cold_err $err16 $err64 |" | tee -a "$results"
  done
done
rm -f "$OUT/wrk.tmp" "$OUT/rss.tmp"
echo "results: $results"
