#!/usr/bin/env python3
"""Reads a JDK 17 unified GC log (-Xlog:gc*,safepoint:file=F:time,uptime,level,tags) of any collector.

  gclog.py FILE [START END]   pauses, cycles, heap after GC and safepoints, within [START, END] (epoch seconds)

Stop-the-world pauses are the "GC(n) Pause ... X.XXXms" lines every collector writes: Serial and Parallel
("Pause Young", "Pause Full"), G1 ("Pause Young", "Pause Remark", "Pause Cleanup"), ZGC ("Pause Mark Start",
"Pause Mark End", "Pause Relocate Start") and Shenandoah ("Pause Init Mark", "Pause Final Mark", "Pause Init/Final
Update Refs", "Pause Degenerated GC", "Pause Full"). Safepoints ("Safepoint "OP", ... Reaching safepoint: N ns, ...
Total: N ns") cover every global stop, GC or not (deoptimisation, code cache sweeps, thread dumps, ...), and
their time to safepoint. Heap after GC is the "A->B" of the [gc] lines (ZGC writes "A(x%)->B(y%)").
"""
import datetime
import re
import statistics
import sys

LINE = re.compile(r"^\[([^\]]+)\]\[[\d.]+s\]\[\w+\s*\]\[([\w,]+)\s*\] (.*)$")
PAUSE = re.compile(r"^GC\((\d+)\) (Pause [A-Za-z ]+?)(?: \(.*\))?(?: \S+->\S+)? ([\d.]+)ms$")
HEAP_AFTER = re.compile(r"(\d+)M(?:\(\d+%\))?->(\d+)M")
SAFEPOINT = re.compile(r'^Safepoint "(\w+)".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns')
GC_OPERATIONS = re.compile(r"GC|Collect|Shenandoah|^Z|G1|Pause")


def timestamp(text):
    """Epoch seconds of a `time` decoration such as 2026-12-04T10:15:03.123+0000."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def read(path, start=None, end=None):
    """The log's events within [start, end] (epoch seconds; None: the whole log)."""
    result = {"pauses": [], "cycles": set(), "heap_after_mb": [], "safepoints": [], "collector": "?"}
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            when, tags, message = timestamp(m.group(1)), m.group(2), m.group(3)
            if tags == "gc" and message.startswith("Using "):
                result["collector"] = message[len("Using "):]
            if (start is not None and when < start) or (end is not None and when > end):
                continue
            event(result, tags, message)
    return result


def event(result, tags, message):
    pause = PAUSE.match(message)
    if pause and tags in ("gc", "gc,phases"):
        result["pauses"].append(float(pause.group(3)))
        result["cycles"].add(int(pause.group(1)))
    if tags == "gc" and message.startswith("GC("):
        heap = HEAP_AFTER.search(message)
        if heap:
            result["heap_after_mb"].append(int(heap.group(2)))
    point = SAFEPOINT.match(message)
    if point and tags == "safepoint":
        result["safepoints"].append((point.group(1), int(point.group(2)) / 1e6, int(point.group(3)) / 1e6))


def percentile(values, p):
    """Nearest-rank percentile of values (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))]


def describe(r):
    pauses, points = r["pauses"], r["safepoints"]
    other = [p for p in points if not GC_OPERATIONS.search(p[0])]
    return ("%s: %d pauses (%d cycles), median %.2f ms, p99 %.2f ms, max %.2f ms, total %.1f ms; heap after GC "
            "median %s MB; %d safepoints, total %.1f ms, max %.2f ms, time to safepoint max %.2f ms; "
            "%d not for GC (%s)") % (
        r["collector"], len(pauses), len(r["cycles"]), statistics.median(pauses) if pauses else 0.0,
        percentile(pauses, 99), max(pauses, default=0.0), sum(pauses),
        statistics.median(r["heap_after_mb"]) if r["heap_after_mb"] else "-", len(points),
        sum(p[2] for p in points), max((p[2] for p in points), default=0.0),
        max((p[1] for p in points), default=0.0), len(other), ", ".join(sorted({p[0] for p in other})) or "-")


def main(argv):
    if len(argv) not in (2, 4):
        sys.stderr.write(__doc__)
        return 2
    start, end = (float(argv[2]), float(argv[3])) if len(argv) == 4 else (None, None)
    print(describe(read(argv[1], start, end)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
