#!/usr/bin/env bash
# Builds the image of a third-party stdio MCP server, @modelcontextprotocol/server-everything, for the test that runs it
# in a pod through mcpfleet-proxy (docs/containers.md), and pushes it; prints its reference:
#
#   <registry>/mcpfleet/everything:v<package version>
#
# The image is the base of eng/base-image.sh (Debian's glibc, no shell), Node 22 from .tools/node and the package with
# only its runtime dependencies from .tools/npm/node_modules: what a team's Dockerfile `FROM node:22-slim` + `npm ci
# --omit=dev` would give, without a public registry. No proxy inside: the pod's init container copies it in.
#
#   bash eng/stdio-image.sh [REGISTRY]      default MCPFLEET_REGISTRY or localhost:5000
#
# Needs `bash eng/tools.sh`. About 20 s; an unchanged image is only pushed again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
log() { printf 'stdio-image.sh: %s\n' "$*" >&2; }
[[ -f .tools/env.sh ]] || { log "run 'bash eng/tools.sh' first"; exit 2; }
# shellcheck disable=SC1091
source .tools/env.sh
registry=${1:-${MCPFLEET_REGISTRY:-localhost:5000}}
case "$registry" in
  localhost:*|127.0.0.1:*) bash eng/registry.sh start "$registry" ;;
esac

package=@modelcontextprotocol/server-everything
modules="$root/.tools/npm/node_modules"
node="$root/.tools/node/bin/node"
version=$("$node" -p "require('$modules/$package/package.json').version")
ref="$registry/mcpfleet/everything:v$version"
base=$(bash eng/base-image.sh "$registry")

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/app/node_modules"
cp "$node" "$context/node"
# The package and its runtime dependencies, by Node's resolution from each package's directory (npm hoists them).
"$node" - "$modules" "$package" <<'JS' | while read -r dir; do mkdir -p "$context/app/node_modules/$(dirname "$dir")"; cp -a "$modules/$dir" "$context/app/node_modules/$dir"; done
const fs = require('fs'), path = require('path');
const [modules, start] = process.argv.slice(2);
const seen = new Set();
function resolve(from, name) {
  for (let dir = from; dir.startsWith(modules); dir = path.dirname(dir)) {
    const candidate = path.join(dir === modules ? dir : path.join(dir, 'node_modules'), name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === modules) break;
  }
  return null;
}
function walk(dir) {
  if (seen.has(dir)) return;
  seen.add(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    const found = resolve(dir, name);
    if (found) walk(found);
  }
}
walk(path.join(modules, start));
// Top-level directories only: a nested node_modules comes with its parent.
for (const dir of seen) { const rel = path.relative(modules, dir); if (!rel.includes('node_modules')) console.log(rel); }
JS

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
cat > "$context/Containerfile" <<CONTAINERFILE
FROM $base
COPY node /usr/local/bin/node
COPY app /app
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["/usr/local/bin/node", "/app/node_modules/$package/dist/index.js", "stdio"]
LABEL org.opencontainers.image.title="$package" \\
      org.opencontainers.image.version="$version" \\
      org.opencontainers.image.revision="$revision" \\
      org.opencontainers.image.description="$package $version on Node $("$node" --version), for McpFleet's stdio-through-the-proxy container test"
CONTAINERFILE
log "podman build $ref from $base ($(du -sh "$context/app" | cut -f1) of node_modules)"
podman build --quiet --tls-verify=false -t "$ref" -f "$context/Containerfile" "$context" >/dev/null
podman push --quiet --tls-verify=false "$ref" >/dev/null
echo "$ref"
