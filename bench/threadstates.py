#!/usr/bin/env python3
"""Per-thread states of a server during a bench window, for finding what a stalled event loop was doing.

  threadstates.py sample PID SECONDS OUT   every 20 ms for SECONDS: per thread of PID, its state (R running or
                                           runnable, S sleeping, D disk wait), CPU ticks and the kernel function it
                                           sleeps in (wchan), one line per thread per sample, into OUT (gzip)
  threadstates.py stall OUT FROM TO        per thread, the samples inside [FROM, TO] (epoch seconds): the states
                                           and wchans seen, and the CPU ticks used there

Run it on the load generator's CPU: it reads /proc only.
"""
import collections
import gzip
import os
import sys
import time


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def sample(pid, seconds, out):
    end = time.time() + float(seconds)
    with gzip.open(out, "wt") as f:
        while time.time() < end:
            t = time.time()
            for tid in os.listdir("/proc/%s/task" % pid):
                stat = read("/proc/%s/task/%s/stat" % (pid, tid))
                if not stat:
                    continue
                name = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
                rest = stat[stat.rindex(")") + 2:].split()
                wchan = read("/proc/%s/task/%s/wchan" % (pid, tid)).strip() or "-"
                f.write("%.3f %s %s %s %s %s\n" % (t, tid, name, rest[0], int(rest[11]) + int(rest[12]), wchan))
            time.sleep(max(0.0, 0.02 - (time.time() - t)))


def stall(out, start, end):
    start, end = float(start), float(end)
    seen = collections.defaultdict(collections.Counter)
    ticks = {}
    names = {}
    with gzip.open(out, "rt") as f:
        for line in f:
            t, tid, name, state, cpu, wchan = line.split()
            if not start <= float(t) <= end:
                continue
            seen[tid][state + ":" + wchan] += 1
            names[tid] = name
            first, _ = ticks.get(tid, (int(cpu), 0))
            ticks[tid] = (first, int(cpu))
    for tid in sorted(seen, key=lambda k: -(ticks[k][1] - ticks[k][0])):
        used = ticks[tid][1] - ticks[tid][0]
        states = ", ".join("%s x%d" % kv for kv in seen[tid].most_common(4))
        print("%-8s %-22s cpu %3d ticks  %s" % (tid, names[tid], used, states))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "sample":
        sample(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "stall":
        stall(*sys.argv[2:])
    else:
        sys.exit(__doc__)
