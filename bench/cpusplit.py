"""bench/cpusplit.sh's summary: per run and per server, microseconds of user and system CPU per request
(from /proc/PID/stat utime/stime around the run) and perf's context switches, migrations and page faults per
100k requests. Usage: cpusplit.py OUT CLK_TCK ROUNDS SERVER..."""

import re
import statistics
import sys

EVENTS = ("context-switches", "cpu-migrations", "page-faults")


def requests(path):
    with open(path) as f:
        m = re.search(r"(\d+) requests in", f.read())
    return int(m.group(1)) if m else 0


def perf_counts(path):
    counts = {}
    try:
        with open(path) as f:
            for line in f:
                fields = line.strip().split(",")
                if len(fields) > 2 and fields[2] in EVENTS and fields[0].replace(".", "").isdigit():
                    counts[fields[2]] = float(fields[0])
    except FileNotFoundError:
        pass
    return counts


def ticks(path):
    """{"": (user, sys)} for the whole server, and per kind of JVM thread (loop, jit, other) where recorded."""
    out = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            name = fields[0] if len(fields) == 3 else ""
            out[name] = (int(fields[-2]), int(fields[-1]))
    return out


def run(out, name, hz):
    n = requests("%s/%s.wrk" % (out, name))
    before, after = ticks("%s/%s.before" % (out, name)), ticks("%s/%s.after" % (out, name))
    if n == 0:
        return None
    us = 1e6 / hz / n
    row = {"requests": n}
    for kind, (u1, s1) in after.items():
        u0, s0 = before.get(kind, (u1, s1))
        row[kind + "user"], row[kind + "sys"] = (u1 - u0) * us, (s1 - s0) * us
    counts = perf_counts("%s/%s.perf" % (out, name))
    for event in EVENTS:
        row[event] = counts.get(event, float("nan")) * 1e5 / n
    return row


def main():
    out, hz, rounds, servers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    means = {}
    print("%-12s %5s %9s %8s %8s %8s %9s %9s %9s  %s" % (
        "server", "round", "requests", "user_us", "sys_us", "cpu_us", "ctxsw/1e5", "migr/1e5", "pgflt/1e5",
        "JVM threads: loop, jit, other (user/sys us)"))
    for server in servers:
        rows = [r for r in (run(out, "%s-%d" % (server, i), hz) for i in range(1, rounds + 1)) if r]
        for i, r in enumerate(rows, 1):
            kinds = "  ".join("%s %.2f/%.2f" % (k, r[k + "user"], r[k + "sys"])
                              for k in ("loop", "jit", "other") if k + "user" in r)
            print("%-12s %5d %9d %8.2f %8.2f %8.2f %9.0f %9.0f %9.0f  %s" % (
                server, i, r["requests"], r["user"], r["sys"], r["user"] + r["sys"], r["context-switches"],
                r["cpu-migrations"], r["page-faults"], kinds))
        if rows:
            keys = [k for k in rows[0] if k.endswith("user") or k.endswith("sys")]
            means[server] = {k: statistics.median(r[k] for r in rows) for k in keys}
    for server, m in means.items():
        loop = " (event loop alone: user %.2f us, sys %.2f us)" % (m["loopuser"], m["loopsys"]) \
            if "loopuser" in m else ""
        print("median %-12s user %.2f us, sys %.2f us, total %.2f us per request%s" % (
            server, m["user"], m["sys"], m["user"] + m["sys"], loop))
    ref = means.get("nginx-proxy")
    if ref:
        for server, m in means.items():
            if server != "nginx-proxy":
                print("%s / nginx-proxy: user %.2fx, sys %.2fx, total %.2fx" % (
                    server, m["user"] / max(ref["user"], 1e-9), m["sys"] / max(ref["sys"], 1e-9),
                    (m["user"] + m["sys"]) / max(ref["user"] + ref["sys"], 1e-9)))
                if "loopuser" in m:
                    print("%s event loop alone / nginx-proxy: user %.2fx, user+sys %.2fx" % (
                        server, m["loopuser"] / max(ref["user"], 1e-9),
                        (m["loopuser"] + m["loopsys"]) / max(ref["user"] + ref["sys"], 1e-9)))


if __name__ == "__main__":
    main()
