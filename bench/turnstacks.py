#!/usr/bin/env python3
"""Summarises one run of bench/turnstacks.sh: turnstacks.py RUN.txt [TOP] [FRAMES].

RUN.txt is `perf script` of one thread: epoll wait tracepoints, sched_switch and cpu-clock samples with call stacks.
A turn runs from a wait's return (which hands over N events) to the next wait's entry. The longest TOP (0.02) of the
turns are compared with the rest: events, busy µs and CPU samples per event, time runnable but off the CPU (from a
switch-out with prev_state=R to the thread's next event), and the frames (inclusive) ranked by how many more samples
per event they took in the long turns, with the share of the long turns' samples that excess makes.
"""
import collections
import re
import sys

HEAD = re.compile(r"^\S.*?\s+\d+\s+(\d+\.\d+):\s+(?:\d+\s+)?(\S+):\s*(.*)$")


def q(values, p):
    return values[min(len(values) - 1, int(p * len(values)))]


def samples(path):
    """(time, event, rest of the line, [frames, leaf first]) per record."""
    cur = None
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if cur:
                    yield cur
                cur = None
                continue
            m = None if line[0] in " \t" else HEAD.match(line)
            if m:
                if cur:
                    yield cur
                cur = (float(m.group(1)), m.group(2), m.group(3), [])
            elif cur is not None:
                parts = line.strip().split(None, 1)
                frame = parts[1] if len(parts) > 1 else parts[0]
                cur[3].append(re.sub(r"(\+0x[0-9a-f]+)?\s*\(\S*\)$", "", frame))
    if cur:
        yield cur


def turns(path):
    """[(busy seconds, events, [stacks], off-CPU seconds)] in trace order."""
    out, busy, start, events, stacks, off_since, off = [], False, 0.0, 0, [], None, 0.0
    for t, event, rest, stack in samples(path):
        if "sys_exit_epoll" in event:
            m = re.search(r"(0x[0-9a-f]+|-?\d+)\s*$", rest)
            busy, start, events, stacks, off_since, off = True, t, int(m.group(1), 0) if m else 0, [], None, 0.0
            continue
        if off_since is not None:
            off, off_since = off + t - off_since, None
        if "sys_enter_epoll" in event:
            if busy:
                out.append((t - start, max(events, 0), stacks, off))
            busy = False
        elif busy and "sched_switch" in event and "prev_state=R" in rest:
            off_since = t
        elif busy and event.startswith("cpu-clock"):
            stacks.append(stack)
    return out


def frames(group):
    inclusive, leaf = collections.Counter(), collections.Counter()
    for _, _, stacks, _ in group:
        for stack in stacks:
            inclusive.update(set(stack))
            if stack:
                leaf[stack[0]] += 1
    return inclusive, leaf


def main():
    path = sys.argv[1]
    top = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
    shown = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    ts = sorted(turns(path), key=lambda x: x[0])
    if len(ts) < 100:
        print(f"{path}: only {len(ts)} turns traced")
        return
    busy = [x[0] * 1e6 for x in ts]
    print(f"{path}: {len(ts)} turns, busy µs p50 {q(busy, .5):.0f}, p90 {q(busy, .9):.0f}, p99 {q(busy, .99):.0f}, "
          f"p99.9 {q(busy, .999):.0f}, max {busy[-1]:.0f}")
    k = max(1, int(len(ts) * top))
    groups = (("longest %g%%" % (top * 100), ts[-k:]), ("the rest", ts[:-k]))
    stats = []
    for name, g in groups:
        ev = max(1, sum(x[1] for x in g))
        n = sum(len(x[2]) for x in g)
        d = sum(x[0] for x in g)
        off = sum(x[3] for x in g)
        print(f"  {name}: {len(g)} turns, {sum(x[1] for x in g) / len(g):.1f} events per turn, {d / len(g) * 1e6:.0f} µs "
              f"per turn, {d / ev * 1e6:.1f} µs and {n / ev:.3f} CPU samples per event, runnable off the CPU "
              f"{off / d:.1%} of the time")
        stats.append((ev, n) + frames(g))
    (ev_l, n_l, inc_l, leaf_l), (ev_r, n_r, inc_r, leaf_r) = stats
    rows = sorted(((inc_l[f] / ev_l - inc_r[f] / ev_r, f) for f in set(inc_l) | set(inc_r)), reverse=True)
    print("  frames with the most extra samples per event in the long turns (inclusive): long, rest, extra as a share"
          " of the long turns' samples")
    for extra, f in rows[:shown]:
        print(f"    {inc_l[f] / ev_l:.4f} {inc_r[f] / ev_r:.4f} {extra * ev_l / max(n_l, 1):6.1%}  {f[:140]}")
    print("  leaf frames, share of the samples: long turns, the rest")
    for f, n in leaf_l.most_common(shown // 2):
        print(f"    {n / max(n_l, 1):6.1%} {leaf_r[f] / max(n_r, 1):6.1%}  {f[:140]}")


if __name__ == "__main__":
    main()
