#!/usr/bin/env python3
"""Summarises bench/loopturns.sh's traces: loopturns.py OUT ROUNDS.

From OUT/SERVER-ROUND.epoll.txt (perf script of the epoll wait tracepoints): waits per second, events per wait, the
busy turn (a wait's return to the next wait's entry) and the busy time per event handed over. From
OUT/SERVER-ROUND.sched.txt (perf sched timehist on the server's CPU): every task that ran there, its share of the
window, how many times it ran and its longest run.
"""
import collections
import re
import sys

EPOLL = re.compile(r"\s(\d+\.\d+):\s+syscalls:sys_(enter|exit)_epoll_\w+:\s*(\S+)")


def q(values, p):
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")


def epoll(path):
    turns, last_exit, first, end = [], None, None, None
    with open(path) as f:
        for line in f:
            m = EPOLL.search(line)
            if not m:
                continue
            t = float(m.group(1))
            first = t if first is None else first
            end = t
            if m.group(2) == "exit":
                last_exit = (t, int(m.group(3), 16) if m.group(3).startswith("0x") else int(m.group(3)))
            elif last_exit is not None:
                turns.append(((t - last_exit[0]) * 1e6, last_exit[1]))
                last_exit = None
    if not turns:
        return f"  no epoll waits traced in {path}"
    span = end - first
    events = sorted(n for _, n in turns)
    busy = sorted(b for b, _ in turns)
    per = sorted(b / n for b, n in turns if n > 0)
    return "\n".join([
        f"  waits {len(turns) / span:8.0f}/s   events per wait p50 {q(events, .5)} p90 {q(events, .9)} "
        f"p99 {q(events, .99)} max {events[-1]}, mean {sum(events) / len(events):.1f}",
        f"  busy turn us  p50 {q(busy, .5):6.0f} p90 {q(busy, .9):6.0f} p99 {q(busy, .99):6.0f} "
        f"p99.9 {q(busy, .999):6.0f} max {busy[-1]:6.0f}",
        f"  busy us per event handed over  p50 {q(per, .5):5.1f} p90 {q(per, .9):5.1f} p99 {q(per, .99):5.1f} "
        f"p99.9 {q(per, .999):5.1f}",
    ])


def sched(path, top=8):
    tasks = collections.defaultdict(lambda: [0, 0.0, 0.0])
    first = end = None
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 6 or not re.match(r"\d+\.\d+$", p[0]):
                continue
            t = float(p[0])
            first = t if first is None else first
            end = t
            name = re.sub(r"\[\d+(/\d+)?\]$", "", " ".join(p[2:-3]))
            e = tasks[name]
            run = float(p[-1])
            e[0] += 1
            e[1] += run
            e[2] = max(e[2], run)
    if not tasks:
        return f"  no scheduler events in {path}"
    span = (end - first) * 1e3
    out = [f"  on the server's cpu ({span:.0f} ms):"]
    for name, (n, run, longest) in sorted(tasks.items(), key=lambda x: -x[1][1])[:top]:
        out.append(f"    {name:24s} {100 * run / span:6.2f}%  runs {n:6d}  longest {longest:7.3f} ms")
    return "\n".join(out)


def main():
    out, rounds = sys.argv[1], int(sys.argv[2])
    for r in range(1, rounds + 1):
        for server in ("nginx", "tpp"):
            print(f"{server} round {r}")
            print(epoll(f"{out}/{server}-{r}.epoll.txt"))
            print(sched(f"{out}/{server}-{r}.sched.txt"))


if __name__ == "__main__":
    main()
