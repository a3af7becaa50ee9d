#!/usr/bin/env bash
# Render vs Helm chart, in one run on one machine: the whole example fleet (16 servers) rendered by
#   (a) one `mcpfleet render examples/sophia-ai --out DIR` process, and
#   (b) 16 `helm template mcp-<server> deploy/helm/mcp-servers -f values/<server>.yaml` processes, one release each
#       (the document's way: `helm install mcp-<server> ... -f values/<server>.yaml`),
# and per server: (c) one `helm template` release vs (d) the render process's cost divided by 16; (e) and (f) are the
# two tools' process start-up floors, to tell start-up from work.
# Every figure is wall-clock of whole processes (start-up included), median and mean of RUNS runs after one warm-up;
# the last line is the ratio of the medians, (b) / (a): the issue's goal is >= 10x for the tool users install.
#
#   bash bench/helm-vs-render.sh [RUNS]       (default 10; needs `bash eng/tools.sh` and the .NET SDK) packs and
#                                             installs the dotnet tool as users get it (Native AOT: minutes to compile)
#   MCPFLEET_CLI=PATH bash bench/helm-vs-render.sh [RUNS]   times that mcpfleet (e.g. a tool eng/test.sh installed)
#   MCPFLEET_CLI=jit bash bench/helm-vs-render.sh [RUNS]    times a framework-dependent JIT publish, for comparison
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-10}
helm="$root/.tools/bin/helm"
chart="$root/deploy/helm/mcp-servers"
fleet="$root/examples/sophia-ai"
[[ -x "$helm" ]] || { echo "run 'bash eng/tools.sh' first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "${MCPFLEET_CLI:-}" in
  "" | tool)
    # The pointer package and the native one: `dotnet tool install` picks McpFleet.Cli.<rid> on this machine.
    rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
    dotnet pack src/McpFleet.Cli -c Release -o "$work/pkgs" -nologo -v quiet >/dev/null
    dotnet pack src/McpFleet.Cli -c Release -r "$rid" -o "$work/pkgs" -nologo -v quiet >/dev/null
    dotnet tool install McpFleet.Cli --tool-path "$work/tool" --add-source "$work/pkgs" --ignore-failed-sources >/dev/null
    mcpfleet="$work/tool/mcpfleet" ;;
  jit)
    dotnet publish src/McpFleet.Cli -c Release -p:PublishAot=false -o "$work/cli" -nologo -v quiet >/dev/null
    mcpfleet="$work/cli/mcpfleet" ;;
  *) mcpfleet=$MCPFLEET_CLI ;;
esac
servers=()
for f in "$chart"/values/*.yaml; do servers+=("$(basename "$f" .yaml)"); done
(( ${#servers[@]} > 0 )) || { echo "no values files in $chart/values" >&2; exit 2; }
ns=$(awk '/^  namespace:/ {print $2; exit}' "$chart/values/${servers[0]}.yaml")

now() { date +%s%N; }
# stats NAME MS... -> "NAME median mean" in milliseconds
stats() {
  local name=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v name="$name" '{ a[NR] = $1; s += $1 }
    END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%-58s %9.1f %9.1f\n", name, m, s / NR }'
}

render_fleet() { "$mcpfleet" render "$fleet" --out "$work/out" >/dev/null 2>&1; }
helm_fleet() {
  for s in "${servers[@]}"; do
    "$helm" template "mcp-$s" "$chart" -f "$chart/values/$s.yaml" --namespace "$ns" >/dev/null
  done
}
helm_one() { "$helm" template "mcp-$1" "$chart" -f "$chart/values/$1.yaml" --namespace "$ns" >/dev/null; }

render_fleet; helm_fleet   # warm-up: page cache, JIT-free native start of both

r=() h=() one=() floor_cli=() floor_helm=()
for ((i = 0; i < runs; i++)); do
  t0=$(now); render_fleet; t1=$(now); helm_fleet; t2=$(now)
  r+=($(( (t1 - t0) / 1000 ))) h+=($(( (t2 - t1) / 1000 )))
  s=${servers[i % ${#servers[@]}]}
  t3=$(now); helm_one "$s"; t4=$(now)
  one+=($(( (t4 - t3) / 1000 )))
  # Process start-up floors: what each tool costs before doing any work.
  t5=$(now); "$mcpfleet" --version >/dev/null; t6=$(now); "$helm" version --short >/dev/null; t7=$(now)
  floor_cli+=($(( (t6 - t5) / 1000 ))) floor_helm+=($(( (t7 - t6) / 1000 )))
done
us_to_ms() { for v in "$@"; do awk -v v="$v" 'BEGIN { printf "%.3f\n", v / 1000 }'; done; }
per_server=(); for v in "${r[@]}"; do per_server+=($(( v / ${#servers[@]} ))); done

echo "servers: ${#servers[@]}, runs: $runs, $(nproc) cores, helm $("$helm" version --short)"
printf '%-58s %9s %9s\n' "what (wall-clock, ms)" median mean
stats "(a) mcpfleet render, whole fleet, 1 process" $(us_to_ms "${r[@]}")
stats "(b) helm template, 16 releases, 16 processes" $(us_to_ms "${h[@]}")
stats "(c) helm template, one release (per server)" $(us_to_ms "${one[@]}")
stats "(d) mcpfleet render, per server (a / ${#servers[@]})" $(us_to_ms "${per_server[@]}")
stats "(e) start-up floor: mcpfleet --version" $(us_to_ms "${floor_cli[@]}")
stats "(f) start-up floor: helm version" $(us_to_ms "${floor_helm[@]}")
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
awk -v a="$(median "${r[@]}")" -v b="$(median "${h[@]}")" -v cli="$mcpfleet" \
  'BEGIN { printf "ratio (b) / (a): %.1fx faster than 16 x helm template (goal >= 10x), mcpfleet = %s\n", b / a, cli }'
