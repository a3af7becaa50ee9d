#!/usr/bin/env bash
# The one test command: installs the outside checkers, builds everything with warnings as errors, runs every test
# project, and checks that the CLI installs as a dotnet tool. Exit 0 only when all of it passes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}

# Each phase prints its wall time when it ends, and the run ends with a table of them all (also when a phase fails):
# the CI log shows where the time goes (.ci/run has a 20-minute budget).
phase_names=() phase_seconds=() phase_name="" phase_start=$SECONDS
phase() { # phase NAME: ends the running phase and starts NAME; phase without a name ends the last one
  if [[ -n $phase_name ]]; then
    phase_names+=("$phase_name") phase_seconds+=($((SECONDS - phase_start)))
    printf '<== %s: %d s\n' "$phase_name" "${phase_seconds[-1]}"
  fi
  phase_name=${1:-} phase_start=$SECONDS
  if [[ -n $phase_name ]]; then printf '\n==> %s\n' "$phase_name"; fi
}
phase_table_printed=0
phase_table() {
  (( phase_table_printed == 0 )) || return 0
  phase_table_printed=1
  phase
  local i
  printf '\n%-64s %8s\n' "phase (wall clock)" "m:ss"
  for i in "${!phase_names[@]}"; do
    printf '%-64s %5d:%02d\n' "${phase_names[i]}" $((phase_seconds[i] / 60)) $((phase_seconds[i] % 60))
  done
  printf '%-64s %5d:%02d\n' "total" $((SECONDS / 60)) $((SECONDS % 60))
}
trap phase_table EXIT

phase "outside checkers (eng/tools.sh)"
# shellcheck disable=SC1090
source "$(bash eng/tools.sh)"

# --- mcpfleet-proxy (tests/McpFleet.Proxy.Tests): Debian's PostgreSQL for the @modelcontextprotocol/server-postgres test ---
phase "PostgreSQL for the proxy's server-postgres test (eng/postgres.sh)"
MCPFLEET_POSTGRES_URL=$(bash eng/postgres.sh)
export MCPFLEET_POSTGRES_URL
# --- end mcpfleet-proxy ---

phase "build ($configuration)"
dotnet build McpFleet.slnx -c "$configuration" -nologo -clp:NoSummary

# --- Containers (issue #15): the server images, built the .NET way and pushed to a loopback registry, which the
# container tests (tests/McpFleet.Local.Tests/Containers) pull back and run in Podman ---
phase "container images (eng/images.sh)"
images_ok=1
registry_was_up=0
curl -fs -o /dev/null --max-time 2 "http://${MCPFLEET_REGISTRY:-localhost:5000}/v2/" && registry_was_up=1
MCPFLEET_IMAGES=$(mktemp)
export MCPFLEET_IMAGES
bash eng/images.sh > "$MCPFLEET_IMAGES" || images_ok=0
cat "$MCPFLEET_IMAGES"
cleanup_containers() {
  rm -f "$MCPFLEET_IMAGES"
  if [[ $registry_was_up == 0 ]]; then bash eng/registry.sh stop || true; fi
}
# --- end of containers ---

phase "test"
log=$(mktemp)
trap 'rm -f "$log"; cleanup_containers; phase_table' EXIT
status=0
dotnet test --solution McpFleet.slnx -c "$configuration" --no-build 2>&1 | tee "$log" || status=$?

# --- Containers: every pod the tests started is gone ---
leftover=$(podman pod ps --filter label=mcpfleet.io/namespace --format '{{.Name}}' 2>&1 || true)
if [[ -n $leftover ]]; then echo "pods left behind by the container tests: $leftover"; images_ok=0; fi
# --- end of containers ---

phase "the CLI installs as a dotnet tool (Native AOT)"
# What users get: the pointer package McpFleet.Cli, the Native AOT McpFleet.Cli.linux-x64 (ILC: minutes) and the portable
# McpFleet.Cli.any. The installed tool must be the native binary, run the main verbs, and pass the CLI tests that run
# it as a process (CliHarness, MCPFLEET_CLI); bench/helm-vs-render.sh then times that same install against Helm.
pkgs=$(mktemp -d) toolpath=$(mktemp -d) scratch=$(mktemp -d)
tool_ok=1
aot_start=$(date +%s)
{ dotnet pack src/McpFleet.Cli -c "$configuration" --no-build -o "$pkgs" -nologo >/dev/null \
  && dotnet pack src/McpFleet.Cli -c "$configuration" -r any -o "$pkgs" -nologo >/dev/null \
  && dotnet pack src/McpFleet.Cli -c "$configuration" -r linux-x64 -o "$pkgs" -nologo -clp:NoSummary \
  && dotnet tool install McpFleet.Cli --tool-path "$toolpath" --add-source "$pkgs" --ignore-failed-sources >/dev/null; } || tool_ok=0
echo "packages ($(( $(date +%s) - aot_start )) s): $(cd "$pkgs" && ls ./*.nupkg | xargs -n1 basename | tr '\n' ' ')"
mcpfleet="$toolpath/mcpfleet"
tool_check() { if ! "$@" >/dev/null; then echo "FAILED: $*"; tool_ok=0; fi; }
if [[ $tool_ok == 1 ]]; then
  version=$("$mcpfleet" --version) || tool_ok=0
  echo "mcpfleet --version: $version"
  native=$(find -L "$toolpath/.store" -type f -name mcpfleet -path '*linux-x64*' | head -1)
  tool_check test -n "$native"
  tool_check test -z "$(find -L "$toolpath/.store" -name mcpfleet.dll)"
  echo "installed: ${native#"$toolpath"/} ($(file -b "$native" | cut -d, -f1-2))"
  tool_check "$mcpfleet" validate examples/sophia-ai
  tool_check "$mcpfleet" render examples/sophia-ai --out "$scratch/manifests"
  tool_check test -s "$scratch/manifests/Kustomization"
  tool_check "$mcpfleet" helm values examples/sophia-ai --out "$scratch/values"
  tool_check grep -q '^name: github$' "$scratch/values/github.yaml"
  tool_check diff -r deploy/helm/mcp-servers/values "$scratch/values"
  "$mcpfleet" lint "$scratch/manifests" --format json > "$scratch/lint.json" || true
  tool_check grep -q '"findings"' "$scratch/lint.json"
  phase "the CLI tests again, against the installed tool"
  # The CLI tests again, every verb run as a process of the installed binary (deploy/status/smoke against the fake
  # API server, up --local, signals); only tests of the in-process console (InProcessOnly) are left out.
  MCPFLEET_CLI=$mcpfleet dotnet test --project tests/McpFleet.Cli.Tests -c "$configuration" --no-build -- \
    --filter-not-trait 'InProcessOnly=true' 2>&1 | tee -a "$log" || tool_ok=0
  phase "the installed tool against helm template (bench/helm-vs-render.sh)"
  MCPFLEET_CLI=$mcpfleet bash bench/helm-vs-render.sh 3 || true
fi
echo "dotnet tool (Native AOT): $([[ $tool_ok == 1 ]] && echo ok || echo FAILED)"
rm -rf "$pkgs" "$toolpath" "$scratch"

phase "the build works in a clone under a directory named src"
# Directory.Build.props once keyed documentation warnings on the checkout's path, so every clone under ~/src failed.
# A clone of HEAD under <tmp>/src/ must evaluate each project as in this checkout and build a server and a library.
clone_ok=1
clone_root=$(mktemp -d)
if git -C "$root" rev-parse --verify -q HEAD >/dev/null; then
  git clone --quiet --no-hardlinks "$root" "$clone_root/src/mcpfleet"
  for project in src/McpFleet.Core servers/Notes tests/McpFleet.Core.Tests; do
    here=$(dotnet msbuild "$project" -getProperty:GenerateDocumentationFile)
    there=$(cd "$clone_root/src/mcpfleet" && dotnet msbuild "$project" -getProperty:GenerateDocumentationFile)
    if [[ "$here" != "$there" ]]; then echo "GenerateDocumentationFile of $project: '$there' under src/, '$here' here"; clone_ok=0; fi
  done
  (cd "$clone_root/src/mcpfleet" && dotnet build servers/Notes -c "$configuration" -nologo -clp:NoSummary -v:q >/dev/null) \
    || { echo "servers/Notes does not build in $clone_root/src/mcpfleet"; clone_ok=0; }
else
  echo "no commit to clone"; clone_ok=0
fi
rm -rf "$clone_root"
echo "clone under src/: $([[ $clone_ok == 1 ]] && echo ok || echo FAILED)"

# One closing line over every test project, in the shape CI reads.
passed=$(grep -E '^ +succeeded: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^ +failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^ +skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
passed=$((passed + tool_ok + clone_ok + images_ok)); failed=$((failed + 3 - tool_ok - clone_ok - images_ok))
phase_table
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( status != 0 || failed != 0 )); then exit 1; fi
