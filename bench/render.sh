#!/usr/bin/env bash
# Render benchmark: whole-process wall time and peak RSS of `mcpfleet render` (ReadyToRun and Native AOT builds, and
# the plain JIT build for reference) against 16 x `helm template` of the real chart (one release per server, the
# document's way), on the example fleet; and `mcpfleet render` of a generated 1000-server fleet.
#
#   bash bench/render.sh [RUNS]      (default 10; needs `bash eng/tools.sh`, the .NET SDK, python3, clang for AOT)
#
# Wall times come from hyperfine when it is installed (apt-get install hyperfine), else from a date loop; peak RSS
# (max resident KiB) from /usr/bin/time -f '%e %M', median of 5. Set MCPFLEET_BENCH_BUILD=DIR to reuse published
# builds in DIR/{jit,r2r,aot}. Figures go to stdout as a markdown table; paste them into bench/RESULTS.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-10}
helm="$root/.tools/bin/helm"
chart="$root/deploy/helm/mcp-servers"
example="$root/examples/sophia-ai"
[[ -x "$helm" ]] || { echo "run 'bash eng/tools.sh' first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build=${MCPFLEET_BENCH_BUILD:-$work/build}
publish() { # name extra-args...
  local name=$1; shift
  if [[ ! -x "$build/$name/mcpfleet" ]]; then
    echo "publishing $name build..." >&2
    dotnet publish src/McpFleet.Cli -c Release -r linux-x64 -o "$build/$name" -nologo -v quiet "$@" >/dev/null
  fi
}
publish jit --self-contained false -p:PublishAot=false   # the csproj ships AOT; these two measure the other builds
publish r2r --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true
# KubernetesClient and YamlDotNet carry AOT analysis warnings (for reflection paths render does not use).
publish aot -p:PublishAot=true -p:TreatWarningsAsErrors=false

python3 bench/gen-fleet.py "$work/fleet1000" 1000 >/dev/null
"$build/r2r/mcpfleet" helm values "$example" --out "$work/values" >/dev/null 2>&1
servers=(); for f in "$work"/values/*.yaml; do servers+=("$(basename "$f" .yaml)"); done
ns=$(awk '/^namespace:/ {print $2; exit}' "$example/fleet.yaml")
cat > "$work/helm16.sh" <<SH
#!/usr/bin/env bash
set -e
for s in ${servers[*]}; do "$helm" template "mcp-\$s" "$chart" -f "$work/values/\$s.yaml" --namespace "$ns" >/dev/null; done
SH
chmod +x "$work/helm16.sh"

# Sanity: every build writes the same bytes.
want=$("$build/jit/mcpfleet" render "$example" --out - | sha256sum)
for b in r2r aot; do
  [[ "$("$build/$b/mcpfleet" render "$example" --out - | sha256sum)" == "$want" ]] || { echo "$b output differs" >&2; exit 1; }
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
wall_ms() { # command... -> median wall ms
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/h.json" "$*" >/dev/null 2>&1 \
      || hyperfine --warmup 2 --runs "$runs" --export-json "$work/h.json" "$*" >/dev/null 2>&1
    python3 -c "import json; print(round(json.load(open('$work/h.json'))['results'][0]['median'] * 1000, 1))"
  else
    for ((i = 0; i < runs; i++)); do
      t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 ))
    done | median
  fi
}
# command... -> "peak-RSS-MiB cpu-ms": medians of 5 runs of /usr/bin/time (CPU = user + sys, steadier than wall on a
# shared machine).
rss_cpu() {
  local out; out=$(for i in 1 2 3 4 5; do /usr/bin/time -f '%M %U %S' "$@" 2>&1 >/dev/null | tail -1; done)
  printf '%s %s' "$(awk '{ print $1 }' <<<"$out" | median | awk '{ printf "%.1f", $1 / 1024 }')" \
    "$(awk '{ print ($2 + $3) * 1000 }' <<<"$out" | median)"
}

declare -A wall rss cpu
measure() { # key command...
  local key=$1; shift
  wall[$key]=$(wall_ms "$@")
  read -r rss[$key] cpu[$key] <<<"$(rss_cpu "$@")"
}
for b in jit r2r aot; do
  measure "$b-16" "$build/$b/mcpfleet" render "$example" --out -
  measure "$b-dir" "$build/$b/mcpfleet" render "$example" --out "$work/out-$b"
  measure "$b-1000" "$build/$b/mcpfleet" render "$work/fleet1000" --out -
done
measure helm16 "$work/helm16.sh"
measure helm1 "$helm" template "mcp-${servers[0]}" "$chart" -f "$work/values/${servers[0]}.yaml" --namespace "$ns"

echo "$(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$helm" version --short), runs=$runs"
echo
echo "| case | wall median (ms) | CPU user+sys median (ms) | peak RSS (MiB) | wall vs 16 x helm template |"
echo "|---|---|---|---|---|"
echo "| helm template, 1 release (1 process, real chart) | ${wall[helm1]} | ${cpu[helm1]} | ${rss[helm1]} | |"
echo "| 16 x helm template (16 processes, real chart) | ${wall[helm16]} | ${cpu[helm16]} | ${rss[helm1]} per process | 1.0x |"
for b in jit r2r aot; do
  for c in 16 dir 1000; do
    case $c in
      16) what="render sophia-ai --out -"; ratio=$(awk -v h="${wall[helm16]}" -v r="${wall[$b-16]}" 'BEGIN { printf "%.1fx faster", h / r }') ;;
      dir) what="render sophia-ai --out DIR"; ratio=$(awk -v h="${wall[helm16]}" -v r="${wall[$b-dir]}" 'BEGIN { printf "%.1fx faster", h / r }') ;;
      1000) what="render fleet-1000 --out -"; ratio="goal <= 550 ms, <= 128 MiB" ;;
    esac
    echo "| mcpfleet $what ($b) | ${wall[$b-$c]} | ${cpu[$b-$c]} | ${rss[$b-$c]} | $ratio |"
  done
done
