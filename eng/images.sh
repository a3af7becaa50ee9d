#!/usr/bin/env bash
# Builds McpFleet's server images the .NET way (dotnet publish -t:PublishContainer, Native AOT, on the Debian-built
# base image of eng/base-image.sh), pushes them to the registry, and prints one image reference a line:
#
#   <registry>/mcpfleet/<name>:v<version>
#
# The registry is MCPFLEET_REGISTRY (default localhost:5000). A loopback registry that does not answer is started
# (eng/registry.sh: Debian's docker-registry, config and storage under .tools/). Build output goes to stderr.
#
#   bash eng/images.sh                      all images
#   bash eng/images.sh conformance          only those named
#
# Needs `bash eng/tools.sh` (podman, debootstrap, docker-registry and the project's Podman config).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# name and project, one image a line: adding an image is one line here (and ContainerRepository in its csproj, with
# eng/Container.props imported).
images=(
  "conformance servers/Conformance"
  "notes servers/Notes"
  "proxy src/McpFleet.Proxy"
  "gateway src/McpFleet.Gateway"
)

log() { printf 'images.sh: %s\n' "$*" >&2; }
[[ -f .tools/env.sh ]] || { log "run 'bash eng/tools.sh' first"; exit 2; }
# shellcheck disable=SC1091
source .tools/env.sh
registry=${MCPFLEET_REGISTRY:-localhost:5000}
case "$registry" in
  localhost:*|127.0.0.1:*) bash eng/registry.sh start "$registry" ;;
esac
# The SDK and Podman speak plain HTTP to these (a loopback registry has no certificate).
export SDK_CONTAINER_INSECURE_REGISTRIES="$registry${SDK_CONTAINER_INSECURE_REGISTRIES:+,$SDK_CONTAINER_INSECURE_REGISTRIES}"

base=$(bash eng/base-image.sh "$registry")
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || revision="$revision-dirty"
source_url=${MCPFLEET_SOURCE_URL:-$(git remote get-url origin 2>/dev/null || true)}
if [[ -z $source_url ]]; then
  source_url="file://$root"
  log "no MCPFLEET_SOURCE_URL and no git remote 'origin': the source label says $source_url"
fi

selected=("$@")
built=0
for entry in "${images[@]}"; do
  read -r name project <<< "$entry"
  if (( ${#selected[@]} > 0 )) && [[ " ${selected[*]} " != *" $name "* ]]; then continue; fi
  version=$(dotnet msbuild "$project" -getProperty:Version)
  tag="v$version"
  log "$name: dotnet publish $project -t:PublishContainer (Native AOT) -> $registry/mcpfleet/$name:$tag"
  started=$SECONDS
  buildlog=$(mktemp)
  # The SDK layers the whole publish directory: a file left there by an earlier publish (a .dbg of 70 MB) would ship.
  rm -rf "$project/bin/Release/net10.0/linux-x64/publish"
  if ! dotnet publish "$project" -c Release -r linux-x64 -t:PublishContainer -nologo -v:minimal \
      -p:PublishAot=true \
      -p:ContainerRegistry="$registry" \
      -p:ContainerBaseImage="$base" \
      -p:ContainerRepository="mcpfleet/$name" \
      -p:ContainerImageTag="$tag" \
      -p:SourceRevisionId="$revision" \
      -p:RepositoryUrl="$source_url" \
      > "$buildlog" 2>&1; then
    cat "$buildlog" >&2
    rm -f "$buildlog"
    log "$name: the image build failed"
    exit 3
  fi
  rm -f "$buildlog"
  log "$name: pushed in $((SECONDS - started)) s"
  echo "$registry/mcpfleet/$name:$tag"
  built=$((built + 1))
done
(( built > 0 )) || { log "no image named ${selected[*]}; known: $(printf '%s ' "${images[@]%% *}")"; exit 2; }
