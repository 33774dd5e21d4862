#!/usr/bin/env bash
# Provides the Go toolchain the project pins (GO_VERSION in e2e/cluster/versions.sh) when `go` is missing or older.
#   scripts/go.sh --path    prints the bin directory to put first on PATH (what build scripts do; they also unset
#                           GOROOT, which would point the new go at an old one's files)
#   scripts/go.sh ARGS...   runs that go with ARGS (e.g. scripts/go.sh version)
# A go on PATH at least as new as the pin is used as it is. Otherwise the official toolchain, served as the Go module
# golang.org/toolchain@v0.0.1-go<version>.linux-<arch>, is downloaded with curl from the first proxy in GOPROXY
# (default https://proxy.golang.org), checked as `go` itself checks modules (scripts/go_toolchain.py: the sumdb
# record's signature and inclusion in the signed tree, then the h1: hashes of the zip and go.mod) and unpacked into
# ~/.cache/tpp/go-<version> ($TPP_CACHE/go-<version>). A failed check installs nothing and removes the download.
# The downloaded files stay in $TPP_GO_DOWNLOADS (default $TPP_CACHE/downloads) and are reused, checked again, by the
# next install (scripts/test-go.sh installs into an empty HOME from there).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/cluster/versions.sh"
log() { echo "go.sh: $*" >&2; }

# The bin directory of a go on PATH at least as new as GO_VERSION, if there is one.
system_go() {
  local have
  have=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || return 1
  have=${have#go}
  [ "$(printf '%s\n' "$GO_VERSION" "$have" | sort -V | head -1)" = "$GO_VERSION" ] || return 1
  dirname "$(command -v go)"
}

# The first proxy URL in GOPROXY (the environment's, else an installed go's setting, else Go's default).
proxy_url() {
  local list=${GOPROXY:-$(go env GOPROXY 2>/dev/null || true)} entry
  for entry in ${list//[,|]/ }; do
    case $entry in http://* | https://* | file://*) echo "${entry%/}"; return ;; esac
  done
  [ -n "$list" ] || { echo https://proxy.golang.org; return; }
  log "GOPROXY=$list names no proxy URL; the Go toolchain is downloaded from a module proxy"; return 1
}

install_toolchain() {
  local dest=$1 arch proxy sumdb module=golang.org/toolchain version dl t0=$SECONDS
  case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) log "no Go toolchain for $(uname -m)"; return 1 ;;
  esac
  version=v0.0.1-go$GO_VERSION.linux-$arch
  proxy=$(proxy_url) || return 1
  # The checksum database through the proxy, as go does; directly when the proxy does not serve it.
  sumdb=$proxy/sumdb/sum.golang.org
  curl -fsS -o /dev/null "$sumdb/supported" 2>/dev/null || sumdb=https://sum.golang.org
  dl=${TPP_GO_DOWNLOADS:-$TPP_CACHE/downloads}
  mkdir -p "$dl"
  for ext in info mod zip; do
    [ -s "$dl/$version.$ext" ] && continue
    [ $ext = zip ] && log "downloading $module@$version from $proxy (~70 MB, first use only)"
    curl -fsSL --retry 3 -o "$dl/$version.$ext.part" "$proxy/$module/@v/$version.$ext" \
      || { log "cannot download $proxy/$module/@v/$version.$ext (GOPROXY)"; return 1; }
    mv "$dl/$version.$ext.part" "$dl/$version.$ext"
  done
  python3 "$here/go_toolchain.py" verify "$sumdb" "$module" "$version" "$dl/$version.zip" "$dl/$version.mod" >&2 \
    || { rm -f "$dl/$version".{info,mod,zip}; log "download refused and removed (the next run fetches it again)"
         return 1; }
  rm -rf "$dest.tmp"
  python3 "$here/go_toolchain.py" unpack "$dl/$version.zip" "$module" "$version" "$dest.tmp"
  mv "$dest.tmp" "$dest"
  log "Go $GO_VERSION in $dest ($((SECONDS - t0)) s)"
}

# Sets bin: the go on PATH when new enough, else the cached or newly installed pinned toolchain.
ensure() {
  bin=$(system_go) && return
  local dest=$TPP_CACHE/go-$GO_VERSION
  bin=$dest/bin
  [ -x "$bin/go" ] && return
  # What the download and its check use (Debian packages, when missing).
  if ! command -v curl >/dev/null || ! command -v python3 >/dev/null || ! command -v openssl >/dev/null \
      || [ ! -f /etc/ssl/certs/ca-certificates.crt ]; then
    "$here/install-deps.sh" --packages curl python3 openssl ca-certificates >&2
  fi
  mkdir -p "$TPP_CACHE"
  # One download at a time: a second caller waits for the first, then finds the toolchain.
  exec 8>"$dest.lock"
  flock 8
  if [ ! -x "$bin/go" ]; then install_toolchain "$dest"; fi
  exec 8>&-
}

ensure
if [ "${1:-}" = --path ]; then echo "$bin"; else exec env -u GOROOT "$bin/go" "$@"; fi
