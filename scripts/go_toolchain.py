#!/usr/bin/env python3
"""Verifies and unpacks a Go toolchain module zip the way the go command does (used by scripts/go.sh).

  go_toolchain.py verify SUMDB_URL MODULE VERSION ZIP MOD [LOOKUP]
      Fetches SUMDB_URL/lookup/MODULE@VERSION (or reads the file LOOKUP), checks the signed tree note against the
      sum.golang.org key, proves the record is in that tree with the sumdb tiles, then checks the h1: hashes of ZIP
      and MOD against the record. Exit 1 with the reason on any mismatch.
  go_toolchain.py unpack ZIP MODULE VERSION DIR
      Extracts ZIP into DIR without the MODULE@VERSION/ prefix, keeping the executable bits.
"""
import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
import zlib

# The go command's built-in verifier key for sum.golang.org (cmd/go/internal/modfetch/key.go).
SUMDB_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
TILE_HEIGHT = 8


def fail(msg):
    sys.exit(f"go_toolchain.py: {msg}")


def fetch(url, required=True):
    out = subprocess.run(["curl", "-fsSL", "--retry", "3", url], capture_output=True)
    if out.returncode != 0 and required:
        fail(f"cannot fetch {url}: {out.stderr.decode().strip()}")
    return out.stdout if out.returncode == 0 else None


def dirhash_h1(file_hashes):
    """golang.org/x/mod/sumdb/dirhash.Hash1 from (name, sha256 hex) pairs: sha256 over the sorted
    "sha256hex  name\\n" lines, base64."""
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(file_hashes))
    return "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()


def zip_h1(path):
    try:
        with zipfile.ZipFile(path) as z:
            return dirhash_h1([(info.filename, file_sha256(z.open(info))) for info in z.infolist()])
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        fail(f"{path} is not a valid zip ({e})")


def file_sha256(f):
    with f:
        digest = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
        return digest.hexdigest()


def verify_note(note):
    """Checks the note's sum.golang.org signature (Ed25519, by openssl); returns the signed text."""
    name, key_hash, key_b64 = SUMDB_KEY.split("+", 2)
    key = base64.b64decode(key_b64)
    if key[0] != 1 or hashlib.sha256(name.encode() + b"\n" + key).digest()[:4].hex() != key_hash:
        fail("bad built-in sumdb key")
    text, sep, sigs = note.partition(b"\n\n")
    text += b"\n"
    prefix = "\u2014 ".encode() + name.encode() + b" "
    for line in sigs.splitlines():
        sig = base64.b64decode(line[len(prefix):]) if line.startswith(prefix) else b""
        if sig[:4].hex() == key_hash and len(sig) == 68 and openssl_ed25519_ok(key[1:], text, sig[4:]):
            return text.decode()
    fail(f"tree note has no valid {name} signature")


def openssl_ed25519_ok(pub, msg, sig):
    with tempfile.TemporaryDirectory() as tmp:
        files = {"pub.der": ED25519_SPKI_PREFIX + pub, "msg": msg, "sig": sig}
        for f, data in files.items():
            with open(os.path.join(tmp, f), "wb") as out:
                out.write(data)
        run = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", "pub.der",
                              "-rawin", "-in", "msg", "-sigfile", "sig"], cwd=tmp, capture_output=True)
        return run.returncode == 0


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tiles:
    """Stored hashes of a tree of `size` records, read from the sumdb's tiles (golang.org/x/mod/sumdb/tlog)."""

    def __init__(self, sumdb, size):
        self.sumdb, self.size, self.cache = sumdb, size, {}

    def tile(self, level, index):
        width = min(1 << TILE_HEIGHT, (self.size >> (level * TILE_HEIGHT)) - (index << TILE_HEIGHT))
        if (level, index) not in self.cache:
            n, path = index, f"{index % 1000:03d}"
            while n >= 1000:
                n //= 1000
                path = f"x{n % 1000:03d}/{path}"
            url = f"{self.sumdb}/tile/{TILE_HEIGHT}/{level}/{path}"
            # A partial tile the server no longer keeps is the start of the full one the tree has grown into.
            data = fetch(f"{url}.p/{width}", required=False) if width < 1 << TILE_HEIGHT else None
            data = data or fetch(url)
            if len(data) < width * 32:
                fail(f"short tile {url}: {len(data)} bytes, {width * 32} expected")
            self.cache[(level, index)] = data[: width * 32]
        return self.cache[(level, index)]

    def hash(self, height, index):
        """Hash of the complete subtree of 2^height records starting at record index * 2^height."""
        level, rest = divmod(height, TILE_HEIGHT)
        first = index << rest
        data = self.tile(level, first >> TILE_HEIGHT)
        off = first & ((1 << TILE_HEIGHT) - 1)
        row = [data[i * 32:(i + 1) * 32] for i in range(off, off + (1 << rest))]
        while len(row) > 1:
            row = [node(row[i], row[i + 1]) for i in range(0, len(row), 2)]
        return row[0]

    def root_with(self, record, leaf, lo=0, hi=None):
        """RFC 6962 tree hash of records [lo, hi), using `leaf` for `record` and stored hashes elsewhere."""
        hi = self.size if hi is None else hi
        n = hi - lo
        if not lo <= record < hi and n & (n - 1) == 0:
            return self.hash(n.bit_length() - 1, lo // n)
        if n == 1:
            return leaf
        k = 1 << ((n - 1).bit_length() - 1)
        return node(self.root_with(record, leaf, lo, lo + k), self.root_with(record, leaf, lo + k, hi))


def verify_lookup(sumdb, module, version, lookup):
    """Returns the record text of module@version once its signature and inclusion in the tree are proven."""
    record_id, _, rest = lookup.partition(b"\n")
    text, sep, note = rest.partition(b"\n\n")
    if not record_id.isdigit() or not sep:
        fail(f"malformed sumdb lookup for {module}@{version}")
    text += b"\n"
    tree = verify_note(note).split("\n")
    if len(tree) < 3 or tree[0] != "go.sum database tree":
        fail("malformed tree note")
    size, root = int(tree[1]), base64.b64decode(tree[2])
    leaf = hashlib.sha256(b"\x00" + text).digest()
    if int(record_id) >= size or Tiles(sumdb, size).root_with(int(record_id), leaf) != root:
        fail(f"record {record_id.decode()} for {module}@{version} is not in the signed tree of size {size}")
    return text.decode()


def verify(sumdb, module, version, zip_path, mod_path, lookup_file=None):
    if lookup_file:
        with open(lookup_file, "rb") as f:
            lookup = f.read()
    else:
        lookup = fetch(f"{sumdb}/lookup/{module}@{version}")
    record = verify_lookup(sumdb, module, version, lookup)
    want = dict(line.rsplit(" ", 1) for line in record.splitlines())
    got = {
        f"{module} {version}": zip_h1(zip_path),
        f"{module} {version}/go.mod": dirhash_h1([("go.mod", file_sha256(open(mod_path, "rb")))]),
    }
    for what, h1 in got.items():
        if want.get(what) != h1:
            fail(f"checksum mismatch for {what}\n  downloaded: {h1}\n  sum.golang.org: {want.get(what, 'no record')}")
        print(f"verified {what} {h1}")


def unpack(zip_path, module, version, dest):
    prefix = f"{module}@{version}/"
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            name = info.filename[len(prefix):]
            if not info.filename.startswith(prefix) or not name or name.startswith("/") or ".." in name.split("/"):
                fail(f"unexpected path in {zip_path}: {info.filename}")
            path = os.path.join(dest, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with z.open(info) as src, open(path, "wb") as out:
                out.write(src.read())
            os.chmod(path, 0o755 if (info.external_attr >> 16) & 0o111 else 0o644)


if __name__ == "__main__":
    if len(sys.argv) in (7, 8) and sys.argv[1] == "verify":
        verify(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "unpack":
        unpack(*sys.argv[2:])
    else:
        sys.exit(__doc__)
