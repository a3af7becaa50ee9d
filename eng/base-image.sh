#!/usr/bin/env bash
# Builds the base image of McpFleet's server images from Debian's packages and pushes it to the registry; prints its
# reference. No public registry is reachable here, so Microsoft's runtime-deps image cannot be pulled: this is the same
# idea (glibc, libstdc++, OpenSSL, CA certificates, tzdata, a non-root user 65532, no shell, no package manager).
#
#   bash eng/base-image.sh REGISTRY        e.g. localhost:5000 -> localhost:5000/mcpfleet/base:bookworm-<inputs hash>
#
# 1. debootstrap --variant=minbase (about a minute; cached in .tools/containers/base/ by suite and package list);
# 2. the image's root is only the files of the packages below, taken from that tree by their dpkg file lists
#    (the distroless way), plus /etc/passwd and /etc/group with root and nonroot (65532), and /tmp;
# 3. podman import, podman push. The tag is a hash of this script, so a changed package list or step rebuilds it.
set -euo pipefail

registry=${1:?usage: bash eng/base-image.sh REGISTRY}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="$root/.tools/containers/base"
suite=bookworm
# libc6, libgcc-s1, libstdc++6 (gcc-12-base holds their licence files): what a Native AOT binary links; libssl3 and
# ca-certificates: TLS for outgoing calls; tzdata: TimeZoneInfo; base-files and netbase: /etc/os-release, /etc/services.
packages=(base-files netbase tzdata ca-certificates gcc-12-base libc6 libgcc-s1 libstdc++6 libssl3)
log() { printf 'base-image.sh: %s\n' "$*" >&2; }

inputs=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)
ref="$registry/mcpfleet/base:$suite-$inputs"
if podman image exists "$ref" && podman push --quiet "$ref" >/dev/null 2>&1; then echo "$ref"; exit 0; fi

# 1. the debootstrap tree, keyed by suite and packages
include=$(IFS=,; echo "${packages[*]}")
tree="$cache/$suite-$(echo "$include" | sha256sum | cut -c1-12)"
if [[ ! -f "$tree/.complete" ]]; then
  # The mirror is the one apt uses on this machine.
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [[ -n $mirror ]] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [[ -n $mirror ]] || { log "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"; exit 1; }
  log "debootstrap --variant=minbase $suite (once; cached in $tree)"
  rm -rf "$tree" && mkdir -p "$cache"
  debootstrap --variant=minbase --include="$include" "$suite" "$tree" "$mirror" > "$cache/debootstrap.log" 2>&1 \
    || { log "debootstrap failed: $(tail -n 5 "$cache/debootstrap.log")"; exit 1; }
  touch "$tree/.complete"
fi

# 2. the image's root: the packages' own files, paths normalised to /usr (Debian 12 has merged /usr)
slim=$(mktemp -d)
trap 'rm -rf "$slim"' EXIT
list="$slim.list"
: > "$list"
for p in "${packages[@]}"; do
  f="$tree/var/lib/dpkg/info/$p:amd64.list"; [[ -f $f ]] || f="$tree/var/lib/dpkg/info/$p.list"
  [[ -f $f ]] || { log "package $p is not in $tree"; exit 1; }
  grep -vE '^/usr/share/(doc|man|info|lintian|bug|gcc|gdb)(/|$)|^/\.$' "$f" \
    | sed -E 's#^/(bin|sbin|lib|lib64)(/|$)#/usr/\1\2#' >> "$list"
done
# update-ca-certificates writes the bundle that OpenSSL and .NET read.
echo /etc/ssl/certs/ca-certificates.crt >> "$list"
sort -u "$list" | sed 's#^/##' > "$list.sorted"
tar -C "$tree" --no-recursion -cf - -T "$list.sorted" | tar -C "$slim" -xf -
rm -f "$list" "$list.sorted"
for d in bin sbin lib lib64; do [[ -L "$tree/$d" ]] && ln -sfn "usr/$d" "$slim/$d"; done
mkdir -p "$slim/etc" "$slim/tmp" "$slim/home/nonroot" "$slim/app" "$slim/var/lib/dpkg/status.d"
chmod 1777 "$slim/tmp"
chown 65532:65532 "$slim/home/nonroot"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n' > "$slim/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$slim/etc/group"
printf 'hosts: files dns\n' > "$slim/etc/nsswitch.conf"
# What is inside, for image scanners (the distroless layout: one dpkg status stanza per package).
for p in "${packages[@]}"; do
  dpkg-query --admindir="$tree/var/lib/dpkg" -s "$p" > "$slim/var/lib/dpkg/status.d/$p"
done

# 3. import and push
log "importing $ref ($(du -sh "$slim" | cut -f1))"
tar -C "$slim" --numeric-owner -cf - . | podman import --quiet \
  --change 'USER=65532:65532' --change 'WORKDIR=/app' \
  --change 'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV=SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  --change "LABEL org.opencontainers.image.description=\"Debian $suite runtime libraries for Native AOT .NET, user 65532, no shell\"" \
  - "$ref" >/dev/null
podman push --quiet "$ref" >/dev/null
echo "$ref"
