#!/usr/bin/env bash
# Tests scripts/go.sh as a newcomer meets it: no Go on PATH, an empty HOME.
#   - the pinned toolchain is downloaded, checked and unpacked into $HOME/.cache/tpp/go-<version>, and
#     `go version` through it prints the pinned version; a second call uses the cache;
#   - an older go on PATH (1.19, as Debian 12's) is passed over; one at least as new as the pin is used as it is;
#   - a tampered download (a zip with one file added, a zip with corrupted bytes, a go.mod changed) is refused and
#     leaves nothing installed; a sumdb record or tree note changed in transit is refused.
# The download itself is kept in ~/.cache/tpp/downloads (TPP_GO_DOWNLOADS) of the real HOME, so it happens once per
# machine; the files are checked again on every run. Usage: scripts/test-go.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. e2e/cluster/versions.sh
downloads=${TPP_GO_DOWNLOADS:-$TPP_CACHE/downloads}
work=$(mktemp -d "${TMPDIR:-/tmp}/tpp-test-go.XXXXXX")
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; [ ! -f "$work/out" ] || sed 's/^/     /' "$work/out" | tail -20; }

fake_go() {  # DIR VERSION: a `go` that answers what go.sh asks as an installed one of VERSION would
  mkdir -p "$1"
  cat > "$1/go" <<SH
#!/bin/sh
case "\$*" in
  "env GOVERSION") echo go$2 ;;
  "env GOPROXY") echo https://proxy.golang.org,direct ;;
  version) echo "go version go$2 linux/amd64" ;;
  *) echo "fake go $2: \$*" >&2; exit 2 ;;
esac
SH
  chmod +x "$1/go"
}
# A directory that holds go besides other tools (/usr/bin with Debian's golang-go) is replaced by links to the others.
nogo_path=""
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  if [ -x "$d/go" ]; then
    d_nogo=$work/path-nogo-$RANDOM; mkdir "$d_nogo"
    for f in "$d"/*; do case ${f##*/} in go | gofmt) ;; *) ln -s "$f" "$d_nogo/" ;; esac; done
    d=$d_nogo
  fi
  nogo_path+="${nogo_path:+:}$d"
done
fake_go "$work/old-go" 1.19.8
# newcomer HOME PATH ARGS...: scripts/go.sh with that HOME and PATH, sharing the download directory
newcomer() {
  local home=$1 path=$2; shift 2
  mkdir -p "$home"
  env -u TPP_CACHE -u GOROOT -u GOPATH -u GOMODCACHE -u GOCACHE ${goroot:+GOROOT=$goroot} HOME="$home" PATH="$path" \
    TPP_GO_DOWNLOADS="${dl:-$downloads}" "$root/scripts/go.sh" "$@"
}

# --- the newcomer: no go on PATH, an empty HOME
t0=$SECONDS
if newcomer "$work/home" "$nogo_path" version > "$work/out" 2>&1 \
    && grep -q "^go version go$GO_VERSION linux/" "$work/out"; then
  ok "go.sh installs Go $GO_VERSION with no go on PATH, HOME empty ($((SECONDS - t0)) s): $(tail -1 "$work/out")"
else fail "go.sh installs Go $GO_VERSION with no go on PATH, HOME empty"; fi
bin=$work/home/.cache/tpp/go-$GO_VERSION/bin
if newcomer "$work/home" "$nogo_path" --path > "$work/out" 2>&1 && [ "$(cat "$work/out")" = "$bin" ] \
    && env -u GOROOT PATH="$bin:$nogo_path" HOME="$work/home" go env GOROOT > "$work/out" 2>&1 \
    && [ "$(cat "$work/out")" = "${bin%/bin}" ]; then
  ok "the second call uses the cache; its bin first on PATH gives GOROOT ${bin%/bin}"
else fail "the second call uses the cache; its bin first on PATH gives GOROOT ${bin%/bin}"; fi
if goroot=$work/old-go newcomer "$work/home-old" "$work/old-go:$nogo_path" env GOVERSION GOROOT > "$work/out" 2>&1 \
    && [ "$(tail -2 "$work/out" | tr '\n' ' ')" = "go$GO_VERSION $work/home-old/.cache/tpp/go-$GO_VERSION " ]; then
  ok "an older go on PATH (1.19.8, Debian 12's; its GOROOT set) is passed over for Go $GO_VERSION"
else fail "an older go on PATH (1.19.8, Debian 12's; its GOROOT set) is passed over for Go $GO_VERSION"; fi

# --- a new enough go on PATH is used as it is (nothing installed)
fake_go "$work/new-go" 9.0.0
if newcomer "$work/home-new" "$work/new-go:$nogo_path" --path > "$work/out" 2>&1 \
    && [ "$(cat "$work/out")" = "$work/new-go" ] && [ ! -e "$work/home-new/.cache/tpp/go-$GO_VERSION" ]; then
  ok "a go newer than $GO_VERSION on PATH is used as it is"
else fail "a go newer than $GO_VERSION on PATH is used as it is"; fi

# --- tampered downloads are refused and leave nothing installed
version=v0.0.1-go$GO_VERSION.linux-amd64
tampered() {  # NAME EXPECTED-MESSAGE EDIT-COMMAND...: the command edits the copy in $dl
  local name=$1 expect=$2 home=$work/home-$RANDOM; shift 2
  dl=$work/dl-$RANDOM; mkdir -p "$dl"; cp "$downloads/$version".{info,mod,zip} "$dl/"
  "$@"
  if newcomer "$home" "$nogo_path" version > "$work/out" 2>&1; then fail "$name (accepted)"
  elif grep -q "$expect" "$work/out" && [ ! -e "$home/.cache/tpp/go-$GO_VERSION" ]; then
    ok "$name: $(grep -m1 "$expect" "$work/out")"
  else fail "$name (refused, but not with \"$expect\", or installed)"; fi
  rm -rf "$dl"; unset dl
}
add_file() {
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "a").writestr(sys.argv[2], "#!/bin/sh\n")' \
    "$dl/$version.zip" "golang.org/toolchain@$version/bin/gofmt2"
}
change_mod() { echo '// changed' >> "$dl/$version.mod"; }
corrupt_bytes() { printf 'XXXXXXXX' | dd of="$dl/$version.zip" bs=1 seek=30000000 conv=notrunc status=none; }
if [ -f "$downloads/$version.zip" ]; then
  tampered "a zip with one file added is refused" "checksum mismatch for golang.org/toolchain $version\$" add_file
  tampered "a zip with corrupted bytes is refused" "is not a valid zip" corrupt_bytes
  tampered "a changed go.mod is refused" "checksum mismatch for .*/go.mod" change_mod
else rm -f "$work/out"; fail "tamper tests: no $downloads/$version.zip to tamper with"; fi

# --- a sumdb record or tree note changed on the way is refused (go_toolchain.py verify with a given lookup)
proxy=${GOPROXY:-https://proxy.golang.org}; proxy=${proxy%%[,|]*}
sumdb=${proxy%/}/sumdb/sum.golang.org
lookup_refused() {  # NAME EXPECTED SED-EXPRESSION
  curl -fsS "$sumdb/lookup/golang.org/toolchain@$version" | sed "$3" > "$work/lookup"
  if python3 scripts/go_toolchain.py verify "$sumdb" golang.org/toolchain "$version" \
      "$downloads/$version.zip" "$downloads/$version.mod" "$work/lookup" > "$work/out" 2>&1; then fail "$1 (accepted)"
  elif grep -q "$2" "$work/out"; then ok "$1: $(grep -m1 "$2" "$work/out")"
  else fail "$1 (refused, but not with \"$2\")"; fi
}
lookup_refused "a record with another hash is refused" "is not in the signed tree" '2s/ h1:\(.\)/ h1:\1\1/'
lookup_refused "a tree note with another root is refused" "no valid sum.golang.org signature" \
  '/^[A-Za-z0-9+\/]\{43\}=$/s/^\(.\)/\1\1/'

echo "go.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
