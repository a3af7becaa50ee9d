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
background_names=() background_seconds=()
phase_background() { # phase_background NAME SECONDS: a step that ran beside the phases, listed under them
  background_names+=("$1") background_seconds+=("$2")
  printf '<== %s: %d s\n' "$1" "$2"
}
phase_table_printed=0
phase_table() {
  (( phase_table_printed == 0 )) || return 0
  phase_table_printed=1
  phase
  local i
  printf '\n%-72s %8s\n' "phase (wall clock)" "m:ss"
  for i in "${!phase_names[@]}"; do
    printf '%-72s %5d:%02d\n' "${phase_names[i]}" $((phase_seconds[i] / 60)) $((phase_seconds[i] % 60))
  done
  printf '%-72s %5d:%02d\n' "total" $((SECONDS / 60)) $((SECONDS % 60))
  (( ${#background_names[@]} == 0 )) || printf 'beside the phases above:\n'
  for i in "${!background_names[@]}"; do
    printf '%-72s %5d:%02d\n' "${background_names[i]}" $((background_seconds[i] / 60)) $((background_seconds[i] % 60))
  done
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

# --- Native AOT in the background (CI time): the four server images (issue #15) and the CLI's tool packages are Native
# AOT compiles that leave part of the machine idle (ILC alone: 1.4 of 2 cores; its restore, link and push about one),
# while the tests mostly wait on processes, Podman and timers (1.2 cores over the test phase; the Local and CLI tests
# 0.3 and 0.5). So one background job compiles them, images first, while the tests that need neither run; the tests
# that pull the images (the projects that compile tests/Shared/Containers) start once the images are pushed, the
# installed tool's checks once it is installed. Every test and check still runs; each compile is the same command as
# before, so the artifacts are the same. ---
aot=$(mktemp -d)
images_ok=1 tool_ok=1
registry_was_up=0
curl -fs -o /dev/null --max-time 2 "http://${MCPFLEET_REGISTRY:-localhost:5000}/v2/" && registry_was_up=1
MCPFLEET_IMAGES="$aot/images"
export MCPFLEET_IMAGES
pkgs="$aot/packages" toolpath="$aot/tool" scratch="$aot/scratch"
mkdir -p "$scratch"
native_aot() {
  set +e
  local start=$SECONDS
  # The container tests (tests/McpFleet.Local.Tests/Containers, the CLI's up --containers) pull these back from a
  # loopback registry and run them in Podman.
  bash eng/images.sh > "$MCPFLEET_IMAGES" 2> "$aot/images.log"
  echo "$? $((SECONDS - start))" > "$aot/images.done"
  # What users get: the pointer package McpFleet.Cli, the Native AOT McpFleet.Cli.linux-x64 (ILC: minutes) and the
  # portable McpFleet.Cli.any.
  start=$SECONDS
  { dotnet pack src/McpFleet.Cli -c "$configuration" --no-build -o "$pkgs" -nologo >/dev/null \
    && dotnet pack src/McpFleet.Cli -c "$configuration" -r any -o "$pkgs" -nologo >/dev/null \
    && dotnet pack src/McpFleet.Cli -c "$configuration" -r linux-x64 -o "$pkgs" -nologo -clp:NoSummary \
    && dotnet tool install McpFleet.Cli --tool-path "$toolpath" --add-source "$pkgs" --ignore-failed-sources >/dev/null; } > "$aot/tool.log" 2>&1
  echo "$? $((SECONDS - start))" > "$aot/tool.done"
}
native_aot &
aot_pid=$!
# await_aot NAME: waits for the background job's NAME step; prints its log, sets aot_rc and aot_seconds.
await_aot() {
  while [[ ! -s "$aot/$1.done" ]] && kill -0 "$aot_pid" 2>/dev/null; do sleep 1; done
  read -r aot_rc aot_seconds 2>/dev/null < "$aot/$1.done" || { aot_rc=1 aot_seconds=0; }
  cat "$aot/$1.log" 2>/dev/null || true
  phase_background "$2" "$aot_seconds"
}
cleanup() {
  # A run that stops early (a failed command, ^C) lets the compiles finish or fail first: nothing keeps writing after it.
  wait "$aot_pid" 2>/dev/null || true
  rm -rf "$aot" "$log"
  if [[ $registry_was_up == 0 ]]; then bash eng/registry.sh stop || true; fi
}
log=$(mktemp)
trap 'cleanup; phase_table' EXIT
# --- end of the background job's start ---

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

# The test projects, split by whether they pull the images: two solution filters of McpFleet.slnx.
test_projects() { # test_projects with|without: the test projects that compile tests/Shared/Containers, or the others
  local project
  for project in $(grep -o 'tests/[^"]*\.Tests\.csproj' McpFleet.slnx); do
    if grep -q 'Shared/Containers' "$project"; then [[ $1 == with ]] && echo "$project"; else [[ $1 == without ]] && echo "$project"; fi
  done
  return 0
}
solution_filter() { # solution_filter FILE PROJECT...
  local file=$1; shift
  printf '{ "solution": { "path": "%s", "projects": [%s] } }\n' "$root/McpFleet.slnx" "$(printf '"%s",' "$@" | sed 's/,$//')" > "$file"
}
mapfile -t container_projects < <(test_projects with)
mapfile -t other_projects < <(test_projects without)
solution_filter "$aot/containers.slnf" "${container_projects[@]}"
solution_filter "$aot/others.slnf" "${other_projects[@]}"

phase "test: ${#other_projects[@]} projects without containers (Native AOT compiling beside)"
status=0
dotnet test --solution "$aot/others.slnf" -c "$configuration" --no-build 2>&1 | tee -a "$log" || status=$?

phase "waiting for the container images"
await_aot images "  container images (eng/images.sh, Native AOT)"
(( aot_rc == 0 )) || images_ok=0
cat "$MCPFLEET_IMAGES"

phase "test: ${#container_projects[@]} projects with containers"
dotnet test --solution "$aot/containers.slnf" -c "$configuration" --no-build 2>&1 | tee -a "$log" || status=$?
# Every pod the tests started is gone.
leftover=$(podman pod ps --filter label=mcpfleet.io/namespace --format '{{.Name}}' 2>&1 || true)
if [[ -n $leftover ]]; then echo "pods left behind by the container tests: $leftover"; images_ok=0; fi

phase "waiting for the CLI's dotnet tool"
await_aot tool "  the CLI's dotnet tool: pack (Native AOT) and install"
(( aot_rc == 0 )) || tool_ok=0
echo "packages (${aot_seconds} s): $(cd "$pkgs" 2>/dev/null && ls ./*.nupkg | xargs -n1 basename | tr '\n' ' ')"

phase "the installed tool: native, the main verbs"
# The installed tool must be the native binary, run the main verbs, and pass the CLI tests that run it as a process
# (CliHarness, MCPFLEET_CLI); bench/helm-vs-render.sh then times that same install against Helm.
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
  # Last, with nothing else of this run on the CPU: its figures are wall clock.
  MCPFLEET_CLI=$mcpfleet bash bench/helm-vs-render.sh 3 || true
fi
echo "dotnet tool (Native AOT): $([[ $tool_ok == 1 ]] && echo ok || echo FAILED)"

# One closing line over every test project, in the shape CI reads.
passed=$(grep -E '^ +succeeded: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^ +failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^ +skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
passed=$((passed + tool_ok + clone_ok + images_ok)); failed=$((failed + 3 - tool_ok - clone_ok - images_ok))
phase_table
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( status != 0 || failed != 0 )); then exit 1; fi
