#!/usr/bin/env bash
# mcpfleet lint on 10 000 objects, as whole processes (start-up included). Goal: <= 1 s and <= 256 MiB.
#   (a) `mcpfleet lint DIR`: 1250 server files of 8 objects each (the renderer's shape: ServiceAccount, ConfigMap,
#       ExternalSecret, Service, Deployment, HPA, PDB, NetworkPolicy), generated from the compliant lint fixture.
#   (b) `mcpfleet lint --fleet DIR`: a generated 1250-server fleet spec, loaded, rendered in memory and linted.
# Prints median and max wall-clock and max RSS of RUNS runs after one warm-up.
#
#   bash bench/lint.sh [RUNS]       (default 5; needs the .NET SDK and /usr/bin/time)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-5}
servers=1250
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
[[ -n "${BENCH_WORK:-}" ]] || trap 'rm -rf "$work"' EXIT

# As the tool ships (JIT, the csproj's settings), and ReadyToRun-compiled for comparison.
dotnet publish src/McpFleet.Cli -c Release -p:PublishAot=false -o "$work/cli" -nologo -v quiet >/dev/null
dotnet publish src/McpFleet.Cli -c Release -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true -o "$work/cli-r2r" -nologo -v quiet >/dev/null
mcpfleet="$work/cli/mcpfleet"
r2r="$work/cli-r2r/mcpfleet"

# (a) YAML: server i is the compliant fixture with gong -> s<i> and port 9005 -> 10000+i.
mkdir -p "$work/yaml"
template=tests/McpFleet.Core.Tests/testdata/lint/rules/compliant.yaml
awk -v n="$servers" -v dir="$work/yaml" '
  { lines[NR] = $0 }
  END {
    for (i = 1; i <= n; i++) {
      name = sprintf("s%04d", i); port = 10000 + i; file = dir "/" name ".yaml"
      for (l = 1; l <= NR; l++) { s = lines[l]; gsub(/gong/, name, s); gsub(/9005/, port, s); print s > file }
      close(file)
    }
  }' "$template"
printf 'mcpPorts: {min: 10000, max: 20000}\n' > "$work/lint-config.yaml"

# (b) fleet spec: 1250 servers in 5 phases, ports 10001.., every server with a secret, an HPA and one egress host.
mkdir -p "$work/fleet/values"
{
  printf 'name: bench\nnamespace: bench\nports: {min: 10000, max: 20000}\ncallers: {app: backend}\n'
  printf 'secretStore: {name: store, kind: SecretStore}\n'
  printf 'defaults:\n  replicas: 2\n  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}\n'
  printf '  autoscaling: {minReplicas: 2, maxReplicas: 10, cpu: 70, memory: 80}\nphases:\n'
  for p in 1 2 3 4 5; do
    printf '  - name: p%d\n    servers: [' "$p"
    for ((i = (p - 1) * servers / 5 + 1; i <= p * servers / 5; i++)); do printf 's%04d%s' "$i" "$( ((i < p * servers / 5)) && echo ', ')"; done
    printf ']\n'
  done
} > "$work/fleet/fleet.yaml"
for ((i = 1; i <= servers; i++)); do
  printf 'name: s%04d\nport: %d\nversion: "1.0.0"\ntools: 3\ndescription: "bench server %d"\nsecrets:\n  - name: API_KEY\n    remoteRef: bench.s%04d.api_key\negress:\n  - host: api.example.com\n    ports: [443]\n' \
    "$i" $((10000 + i)) "$i" "$i" > "$work/fleet/values/s$(printf %04d "$i").yaml"
done

measure() {
  local label=$1; shift
  (cd "$work/yaml" && "$@" >/dev/null 2>&1) || true
  local walls=() rss=() cpus=()
  for ((r = 0; r < runs; r++)); do
    (cd "$work/yaml" && /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>/dev/null) || true
    read -r wall kib user sys < <(tail -n 1 "$work/time")
    walls+=("$wall"); rss+=("$kib"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  done
  local summary
  summary=$(tail -n 1 "$work/out")
  local cpu
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  printf '%s\n' "${walls[@]}" | sort -n | awk -v label="$label" -v rss="$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)" -v s="$summary" -v cpu="$cpu" \
    '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
       printf "%-40s wall median %.2f s max %.2f s | cpu median %.2f s | max RSS %.0f MiB  (%s)\n", label, m, a[NR], cpu, rss / 1024, s }'
}

echo "runs: $runs, servers: $servers, cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -n "${BENCH_ONLY_GENERATE:-}" ]] && exit 0
measure "(a) lint DIR (10000 objects)" "$mcpfleet" lint "$work/yaml" --config "$work/lint-config.yaml"
measure "(a) R2R lint DIR (10000 objects)" "$r2r" lint "$work/yaml" --config "$work/lint-config.yaml"
measure "(a) R2R, DOTNET_TieredPGO=0" env DOTNET_TieredPGO=0 "$r2r" lint "$work/yaml" --config "$work/lint-config.yaml"
measure "(b) lint --fleet (render + lint)" "$mcpfleet" lint --fleet "$work/fleet"
