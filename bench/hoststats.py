#!/usr/bin/env python3
"""Host CPU samples taken during `make bench` (bench/lib.sh host_sampler): per CPU, every 0.5 s, the share of the
interval that was steal (the hypervisor ran something else on this virtual CPU), iowait and busy. A server stall
that coincides with steal on its CPU is the host's, not the server's.

  hoststats.py summary OUT/procstat.log   one paragraph: the worst steal per CPU and every interval above 5%
  hoststats.py window OUT/procstat.log START END   the same, only for the samples inside [START, END] (epoch seconds)
"""
import sys
import time


def samples(path):
    """Yields (t, {cpu: (busy, idle, iowait, steal)}) in clock ticks, cumulative."""
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n|").split("|")
            if not parts or not parts[0]:
                continue
            head = parts[0].split()
            try:
                t = float(head[0])
            except (ValueError, IndexError):
                continue
            cpus = {}
            fields = [head[1:]] + [p.split() for p in parts[1:]]
            for fs in fields:
                if not fs or not fs[0].startswith("cpu"):
                    continue
                v = [int(x) for x in fs[1:9]]
                user, nice, system, idle, iowait, irq, softirq, steal = v
                cpus[fs[0]] = (user + nice + system + irq + softirq, idle, iowait, steal)
            yield t, cpus


def intervals(path, start=None, end=None):
    prev = None
    for t, cpus in samples(path):
        if prev is not None and (start is None or (t >= start and prev[0] <= end)):
            for cpu, (b, i, w, s) in cpus.items():
                if cpu == "cpu" or cpu not in prev[1]:
                    continue
                pb, pi, pw, ps = prev[1][cpu]
                total = (b - pb) + (i - pi) + (w - pw) + (s - ps)
                if total <= 0:
                    continue
                yield prev[0], t, cpu, 100.0 * (s - ps) / total, 100.0 * (b - pb) / total, 100.0 * (w - pw) / total
        prev = (t, cpus)


def report(path, start=None, end=None):
    worst = {}
    high = []
    n = 0
    for t0, t1, cpu, steal, busy, wait in intervals(path, start, end):
        n += 1
        if cpu not in worst or steal > worst[cpu][0]:
            worst[cpu] = (steal, t0)
        if steal > 5:
            high.append((t0, t1, cpu, steal, busy))
    if n == 0:
        return "host samples: none"
    stamp = lambda t: time.strftime("%H:%M:%S", time.localtime(t)) + ("%.1f" % (t % 1))[1:]
    out = ["host steal (0.5 s samples per CPU): worst " + ", ".join(
        "%s %.0f%% at %s" % (cpu, s, stamp(t)) for cpu, (s, t) in sorted(worst.items()))
        + "; intervals above 5%%: %d" % len(high)]
    for t0, t1, cpu, steal, busy in high[:20]:
        out.append("  %s-%s %s steal %.0f%% busy %.0f%%" % (stamp(t0), stamp(t1), cpu, steal, busy))
    if len(high) > 20:
        out.append("  ... %d more" % (len(high) - 20))
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "summary":
        print(report(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "window":
        print(report(sys.argv[2], float(sys.argv[3]), float(sys.argv[4])))
    else:
        sys.exit(__doc__)
