#!/usr/bin/env bash
# The one test command: installs the outside checkers, builds everything with warnings as errors, runs every test
# project, and checks that the CLI installs as a dotnet tool. Exit 0 only when all of it passes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}

step() { printf '\n==> %s\n' "$*"; }

step "outside checkers (eng/tools.sh)"
# shellcheck disable=SC1090
source "$(bash eng/tools.sh)"

# --- mcpfleet-proxy (tests/McpFleet.Proxy.Tests): Debian's PostgreSQL for the @modelcontextprotocol/server-postgres test ---
step "PostgreSQL for the proxy's server-postgres test (eng/postgres.sh)"
MCPFLEET_POSTGRES_URL=$(bash eng/postgres.sh)
export MCPFLEET_POSTGRES_URL
# --- end mcpfleet-proxy ---

step "build ($configuration)"
dotnet build McpFleet.slnx -c "$configuration" -nologo -clp:NoSummary

# --- Containers (issue #15): the server images, built the .NET way and pushed to a loopback registry, which the
# container tests (tests/McpFleet.Local.Tests/Containers) pull back and run in Podman ---
step "container images (eng/images.sh)"
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

step "test"
log=$(mktemp)
trap 'rm -f "$log"; cleanup_containers' EXIT
status=0
dotnet test --solution McpFleet.slnx -c "$configuration" --no-build 2>&1 | tee "$log" || status=$?

# --- Containers: every pod the tests started is gone ---
leftover=$(podman pod ps --filter label=mcpfleet.io/namespace --format '{{.Name}}' 2>&1 || true)
if [[ -n $leftover ]]; then echo "pods left behind by the container tests: $leftover"; images_ok=0; fi
# --- end of containers ---

step "the CLI installs as a dotnet tool"
pkgs=$(mktemp -d) toolpath=$(mktemp -d)
dotnet pack src/McpFleet.Cli -c "$configuration" --no-build -o "$pkgs" -nologo >/dev/null
dotnet tool install McpFleet.Cli --tool-path "$toolpath" --add-source "$pkgs" --ignore-failed-sources >/dev/null
version=$("$toolpath/mcpfleet" --version)
echo "mcpfleet --version: $version"
tool_ok=1
[[ -n "$version" ]] || tool_ok=0
rm -rf "$pkgs" "$toolpath"

step "the build works in a clone under a directory named src"
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
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( status != 0 || failed != 0 )); then exit 1; fi
