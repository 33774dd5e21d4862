#!/usr/bin/env python3
"""Summary of a bench/profile.sh run: profstats.py OUTDIR (bench/out/profile); or `profstats.py threads BEFORE
AFTER [COUNT]`: the threads that took the most CPU between two bench/lib.sh thread_counters files.

Reads OUTDIR/profile-{cpu,alloc}.wrk or .h2load (scenario h2) and .cpu (load output, server CPU seconds),
origin-connections.txt (the origin's stub_status counts around each counted run), windows.txt (JVM uptime at
the start and end of each window), alloc.json (`jfr print --json` of jdk.ThreadAllocationStatistics, taken when
the recording of the cpu window started and ended), gc.log (-Xlog:gc*,safepoint with uptime decorations) and
{cpu,alloc}.collapsed (async-profiler's collapsed stacks) for the top frames and the event loop's user-space
self time (`profstats.py userland OUTDIR` prints that part alone).
"""
import collections
import json
import os
import re
import statistics
import sys

import wrkstats

GC_PAUSE = re.compile(r"^\[([\d.]+)s\].*GC\(\d+\) (Pause \w+).* ([\d.]+)ms$")
SAFEPOINT = re.compile(r'^\[([\d.]+)s\].*Safepoint "(\w+)".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns')


def h2load(outdir, name):
    """An h2load run like wrkstats.load's (requests, rps, errors; h2load prints no percentiles), or None."""
    path = os.path.join(outdir, name + ".h2load")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    rate = re.search(r"finished in [^,]*, ([0-9.]+) req/s", text)
    done = re.search(r"requests: .* (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    run = {"requests": int(done.group(1)) if done else 0, "rps": float(rate.group(1)) if rate else 0.0,
           "latency_ms": {}, "errors": sum(int(g) for g in done.groups()[1:]) if done else 0}
    return wrkstats.with_cpu(outdir, name, run)


def load_run(outdir, name):
    return wrkstats.load(outdir, name) or h2load(outdir, name)


def origin_connections(outdir):
    """Per counted run: origin connections accepted, requests served, and connections per request."""
    path = os.path.join(outdir, "origin-connections.txt")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) != 5:
                continue
            name, accepts0, requests0, accepts1, requests1 = fields[0], *map(int, fields[1:])
            # the second stub_status request and its connection are counted in the "after" figures
            accepts, requests = accepts1 - accepts0 - 1, requests1 - requests0 - 1
            print("origin connections opened in %-13s %7d for %9d requests: %.4f per request" % (
                name, accepts, requests, accepts / max(1, requests)))


def windows(outdir):
    spans = {}
    with open(os.path.join(outdir, "windows.txt"), encoding="utf-8") as f:
        for line in f:
            key, value = line.split()
            name, edge = key.split(".")
            spans.setdefault(name, {})[edge] = float(value)
    return [(s["start"], s["end"]) for s in spans.values() if "start" in s and "end" in s]


def allocated_bytes(outdir):
    """Bytes allocated by all threads between the first and last jdk.ThreadAllocationStatistics snapshot."""
    with open(os.path.join(outdir, "alloc.json"), encoding="utf-8") as f:
        events = json.load(f)["recording"]["events"]
    first, last = {}, {}
    for event in sorted(events, key=lambda e: e["values"]["startTime"]):
        thread = event["values"]["thread"]
        tid = thread["javaThreadId"] if thread else None
        first.setdefault(tid, event["values"]["allocated"])
        last[tid] = event["values"]["allocated"]
    return sum(last[t] - first[t] for t in last)


def in_windows(t, spans):
    return any(start <= t <= end for start, end in spans)


def pauses(outdir, spans):
    gc, safepoints = [], collections.defaultdict(list)
    with open(os.path.join(outdir, "gc.log"), encoding="utf-8", errors="replace") as f:
        for line in f:
            m = GC_PAUSE.match(line.rstrip())
            if m and in_windows(float(m.group(1)), spans):
                gc.append(float(m.group(3)))
            m = SAFEPOINT.match(line)
            if m and in_windows(float(m.group(1)), spans):
                safepoints[m.group(2)].append(int(m.group(4)) / 1e6)
    return gc, safepoints


def distribution(values):
    if not values:
        return "none"
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return "%d, median %.2f ms, p99 %.2f ms, max %.2f ms, total %.1f ms" % (
        len(values), statistics.median(values), p99, values[-1], sum(values))


def top_frames(outdir, name, count=25):
    """The frames with the most samples (CPU) or bytes (alloc) on top of the stack, as shares of the whole."""
    path = os.path.join(outdir, name + ".collapsed")
    if not os.path.exists(path):
        return
    own, total = collections.Counter(), 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, weight = line.rstrip().rpartition(" ")
            if stack:
                own[stack.rsplit(";", 1)[-1]] += int(weight)
                total += int(weight)
    print("top %d frames of the %s profile (self, share of %d):" % (count, name, total))
    for frame, weight in own.most_common(count):
        print("  %5.1f%%  %s" % (100.0 * weight / max(1, total), frame[:150]))


def is_loop(stack):
    """An event loop's stack (Netty's I/O loop at its root), not the JIT's, GC's or a pool's."""
    return "SingleThreadIoEventLoop" in stack or "SingleThreadEventExecutor" in stack


def userland(outdir, name="cpu", count=25):
    """The event loop's user-space self time: each loop sample charged to its deepest frame that is not the
    kernel's (async-profiler marks kernel frames _[k]), ranked by method and by class, as shares of all loop
    samples; the kernel's share is printed first. Shows what Java (and libc, the JVM's stubs) costs per request
    apart from the system calls both servers make."""
    path = os.path.join(outdir, name + ".collapsed")
    if not os.path.exists(path):
        return
    methods, classes, kernel, total = collections.Counter(), collections.Counter(), 0, 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, weight = line.rstrip().rpartition(" ")
            if not stack or not is_loop(stack):
                continue
            frames, weight = stack.split(";"), int(weight)
            total += weight
            if frames[-1].endswith("_[k]"):
                kernel += weight
                continue
            leaf = re.sub(r"_\[[a-z0-9]\]$", "", frames[-1])
            methods[leaf] += weight
            classes[leaf.rsplit(".", 1)[0] if "." in leaf else leaf] += weight
    if not total:
        return
    print("event loop, %s profile: %d samples, %.1f%% of them in the kernel; user-space self time by method"
          " (share of all loop samples):" % (name, total, 100.0 * kernel / total))
    for frame, weight in methods.most_common(count):
        print("  %5.1f%%  %s" % (100.0 * weight / total, frame[:150]))
    print("by class:")
    for cls, weight in classes.most_common(count):
        print("  %5.1f%%  %s" % (100.0 * weight / total, cls[:150]))


def thread_counters(path):
    """tid -> (name, ns on the CPU, ns runnable but waiting, timeslices, involuntary switches), from profile.sh."""
    counters = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 6:
                counters[fields[0]] = (fields[5], *map(int, fields[1:5]))
    return counters


def scheduling(outdir, name="cpu"):
    """The threads that ran most during window NAME (profile.sh's NAME.threads0 and NAME.threads1)."""
    before, after = (os.path.join(outdir, name + ".threads" + i) for i in "01")
    if os.path.exists(before) and os.path.exists(after):
        print("threads in the %s window: CPU taken (share of the proxy's), run delay (runnable, waiting for the CPU)"
              " per timeslice, involuntary switches:" % name)
        threads(before, after)


def threads(before_path, after_path, count=8):
    """The threads that ran most between two thread_counters files (bench/lib.sh)."""
    before, after = thread_counters(before_path), thread_counters(after_path)
    rows = []
    for tid, (thread, ran, waited, slices, involuntary) in after.items():
        ran0, waited0, slices0, involuntary0 = before.get(tid, (thread, 0, 0, 0, 0))[1:]
        rows.append((ran - ran0, waited - waited0, slices - slices0, involuntary - involuntary0, thread))
    total = sum(r[0] for r in rows)
    for ran, waited, slices, involuntary, thread in sorted(rows, reverse=True)[:count]:
        print("  %-22s %6.2f s %5.1f%%  run delay %8.3f s, %7d slices, %.3f ms per slice, %6d involuntary" % (
            thread, ran / 1e9, 100.0 * ran / max(1, total), waited / 1e9, slices,
            waited / 1e6 / max(1, slices), involuntary))


def main(outdir):
    spans = windows(outdir)
    seconds = sum(end - start for start, end in spans)
    for name in ("cpu", "alloc"):
        run = load_run(outdir, "profile-" + name)
        cpu_us = 1e6 / run["per_cpu_s"] if run.get("per_cpu_s") else float("nan")
        print("window %-5s %9d requests, %8.0f req/s, p99 %.2f ms, %.1f us CPU per request, errors %d" % (
            name, run["requests"], run["rps"], run["latency_ms"].get("p99", 0), cpu_us, run["errors"]))
    cpu_run = load_run(outdir, "profile-cpu")
    total = allocated_bytes(outdir)
    print("allocated in the cpu window: %.1f MB, %.0f bytes per request (all threads, JFR counters)" % (
        total / 1e6, total / max(1, cpu_run["requests"])))
    origin_connections(outdir)
    gc, safepoints = pauses(outdir, spans)
    print("GC pauses in both windows (%.0f s): %s" % (seconds, distribution(gc)))
    for name, values in sorted(safepoints.items(), key=lambda kv: -sum(kv[1])):
        print("  safepoint %-28s %s" % (name, distribution(values)))
    scheduling(outdir)
    top_frames(outdir, "cpu")
    top_frames(outdir, "alloc")
    userland(outdir)


if __name__ == "__main__":
    if sys.argv[1] == "threads":  # profstats.py threads BEFORE AFTER [COUNT]: the busiest threads in between
        threads(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 8)
    elif sys.argv[1] == "userland":  # profstats.py userland OUTDIR: the loop's user-space self time, ranked
        userland(sys.argv[2])
    else:
        main(sys.argv[1])
