"""Per 1,000 requests: system calls by kind and TLS records written, from `strace -f -xx -s N` output.

Usage: h2syscalls.py NAME TRACE H2LOAD_OUTPUT (TRACE: the prefix of `strace -ff -o TRACE`'s files, one per thread). Prints one block for NAME. A socket whose written bytes do
not start with a TLS record header (an origin connection, in HTTP/1.1) is left out of the record count.
"""

import glob
import re
import sys
from collections import Counter

CALL = re.compile(r"^(\w+)\((\d+), (.*)\) = (-?\d+)")
STRING = re.compile(r'"((?:\\x[0-9a-f]{2})*)"')
WRITES = {"write", "writev", "sendmsg", "sendto"}
READS = {"read", "readv", "recvfrom", "recvmsg"}


class RecordStream:
    """Walks the TLS record headers (type, version, length) of one socket's written bytes."""

    def __init__(self):
        self.skip = 0  # payload bytes of the current record still to come
        self.header = b""
        self.records = Counter()
        self.tls = True

    def feed(self, data):
        i = 0
        while self.tls and i < len(data):
            if self.skip:
                n = min(self.skip, len(data) - i)
                self.skip -= n
                i += n
                continue
            need = 5 - len(self.header)
            self.header += data[i:i + need]
            i += need
            if len(self.header) == 5:
                kind, major = self.header[0], self.header[1]
                if kind not in (20, 21, 22, 23) or major != 3:
                    self.tls = False
                    return
                self.records[kind] += 1
                self.skip = int.from_bytes(self.header[3:5], "big")
                self.header = b""


def main(name, trace, h2load):
    text = open(h2load).read()
    done = re.search(r"requests: .* (\d+) succeeded, (\d+) failed", text)
    succeeded = int(done.group(1)) if done else 0
    calls, written, streams = Counter(), Counter(), {}
    lines = (line for f in sorted(glob.glob(trace + ".*")) for line in open(f, errors="replace"))
    for line in lines:
        m = CALL.match(line)
        if not m:
            continue
        call, fd, args, result = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
        calls[call] += 1
        if call in WRITES and result > 0:
            data = b"".join(bytes.fromhex(s.replace("\\x", "")) for s in STRING.findall(args))[:result]
            streams.setdefault(fd, RecordStream()).feed(data)
            written[call] += result
    records = Counter()
    for s in streams.values():
        if s.tls:
            records.update(s.records)
    per = 1000.0 / succeeded if succeeded else 0.0
    print(f"{name}: {succeeded} requests succeeded under strace; per 1,000 requests:")
    for group, members in (("writes", WRITES), ("reads", READS), ("epoll", None)):
        chosen = {c: n for c, n in calls.items() if (c in members if members else c.startswith("epoll"))}
        detail = ", ".join(f"{c} {n * per:.0f}" for c, n in sorted(chosen.items()))
        print(f"  {group:8s} {sum(chosen.values()) * per:8.0f}  ({detail or 'none'})")
    data_records = records[23]
    print(f"  TLS records written {sum(records.values()) * per:8.0f}  (application data {data_records * per:.0f}), "
          f"bytes written {sum(written.values()) * per:.0f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
