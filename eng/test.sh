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

step "build ($configuration)"
dotnet build McpFleet.slnx -c "$configuration" -nologo -clp:NoSummary

step "test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution McpFleet.slnx -c "$configuration" --no-build 2>&1 | tee "$log" || status=$?

step "the CLI installs as a dotnet tool"
pkgs=$(mktemp -d) toolpath=$(mktemp -d)
dotnet pack src/McpFleet.Cli -c "$configuration" --no-build -o "$pkgs" -nologo >/dev/null
dotnet tool install McpFleet.Cli --tool-path "$toolpath" --add-source "$pkgs" --ignore-failed-sources >/dev/null
version=$("$toolpath/mcpfleet" --version)
echo "mcpfleet --version: $version"
tool_ok=1
[[ -n "$version" ]] || tool_ok=0
rm -rf "$pkgs" "$toolpath"

# One closing line over every test project, in the shape CI reads.
passed=$(grep -E '^ +succeeded: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^ +failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^ +skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
passed=$((passed + tool_ok)); failed=$((failed + 1 - tool_ok))
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( status != 0 || failed != 0 )); then exit 1; fi
