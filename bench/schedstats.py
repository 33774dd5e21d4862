#!/usr/bin/env python3
"""Scheduler statistics per thread of one CPU: schedstats.py TIMEHIST (`perf sched timehist` output).

Prints, per thread name (the kernel's 15-character comm), how often it was switched in and its CPU time, then the
event loop's (tpp-worker*) scheduling delay (wake-up to running) and run time per switch-in: p50, p99, max, and
which threads ran on the CPU while the loop waited more than 1 ms. bench/openloop.sh writes TIMEHIST with
OPEN_PERF=1 (OUT/NAME.sched.txt).
"""
import collections
import re
import sys

ROW = re.compile(r"^\s*(\d+\.\d+)\s+\[\d+\]\s+(.+?)\[[\d/]+\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$")


def rows(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ROW.match(line)
            if m:
                yield float(m.group(1)), m.group(2).strip(), float(m.group(4)), float(m.group(5))


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100.0))] if ordered else 0.0


def summary(path):
    events = list(rows(path))
    count, cpu = collections.Counter(), collections.Counter()
    for _, name, _, run in events:
        count[name] += 1
        cpu[name] += run
    out = ["%8s %10s  %s" % ("switches", "cpu ms", "thread")]
    out += ["%8d %10.1f  %s" % (count[n], cpu[n], n) for n, _ in cpu.most_common(10)]
    loop = [e for e in events if e[1].startswith("tpp-worker")]
    if loop:
        delay, run = [e[2] for e in loop], [e[3] for e in loop]
        out.append("event loop: %d switch-ins; scheduling delay p50 %.3f, p99 %.3f, max %.3f ms; run per switch-in "
                   "p50 %.3f, p99 %.3f, max %.3f ms" % (len(loop), pct(delay, 50), pct(delay, 99), max(delay),
                                                       pct(run, 50), pct(run, 99), max(run)))
        ran = collections.Counter()
        waits = [e for e in loop if e[2] > 1.0]
        for t, _, wait, _ in waits:
            ran.update({e[1] for e in events if t - wait / 1000.0 <= e[0] <= t and e[1] != loop[0][1]})
        out.append("loop waits > 1 ms: %d; threads that ran meanwhile: %s" % (
            len(waits), ", ".join("%s %d" % kv for kv in ran.most_common(6)) or "-"))
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    print(summary(sys.argv[1]))
