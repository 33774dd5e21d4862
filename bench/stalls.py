#!/usr/bin/env python3
"""Summarises one round of bench/stalls.sh: stalls.py ROUND.txt [TURNS].

ROUND.txt is `perf script` of the server's CPU: epoll wait tracepoints, sched_switch and cpu-clock samples with
call stacks, for every task. The event loop is the `tpp-worker` thread with the most records; a turn runs from
one of its waits' return to its next wait's entry. For the TURNS (6) longest turns: their length, the samples
per task on the CPU meanwhile (one per 100 µs of its CPU), the switches in order (prev(state)->next, ms into the
turn), and the most frequent stacks (the loop's: leaf and nearest Java frame; another task's: its top frames).
"""
import collections
import re
import sys

HEAD = re.compile(r"^(\S.*?)\s+(\d+)\s+(\d+\.\d+):\s+(?:\d+\s+)?(\S+):\s*(.*)$")
SWITCH = re.compile(r"prev_comm=(.*?) prev_pid.*prev_state=(\S+) ==> next_comm=(.*?) next_pid")


def records(path):
    """[comm, tid, time, event, rest, frames (leaf first)] per record."""
    out, cur = [], None
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if cur:
                    out.append(cur)
                cur = None
                continue
            m = None if line[0] in " \t" else HEAD.match(line)
            if m:
                if cur:
                    out.append(cur)
                cur = [m.group(1), int(m.group(2)), float(m.group(3)), m.group(4), m.group(5), []]
            elif cur is not None:
                parts = line.strip().split(None, 1)
                frame = parts[1] if len(parts) > 1 else parts[0]
                cur[5].append(re.sub(r"(\+0x[0-9a-f]+)?\s*\(\S*\)$", "", frame))
    if cur:
        out.append(cur)
    return out


def main():
    path = sys.argv[1]
    shown = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    recs = records(path)
    workers = collections.Counter(r[1] for r in recs if r[0].startswith("tpp-worker"))
    if not workers:
        print(f"  {path}: no tpp event loop in the trace")
        return
    loop = workers.most_common(1)[0][0]
    turns, start = [], None
    for r in recs:
        if r[1] != loop:
            continue
        if "sys_exit_epoll" in r[3]:
            start = r[2]
        elif "sys_enter_epoll" in r[3] and start is not None:
            turns.append((r[2] - start, start, r[2]))
            start = None
    if not turns:
        print(f"  {path}: no loop turns traced")
        return
    ms = sorted(t[0] * 1e3 for t in turns)
    turns.sort(reverse=True)
    print(f"  {len(turns)} turns of the loop (tid {loop}), ms p50 {ms[len(ms) // 2]:.2f}, "
          f"p99 {ms[int(.99 * len(ms))]:.2f}, p99.9 {ms[int(.999 * len(ms))]:.2f}; longest "
          + ", ".join(f"{t[0] * 1e3:.2f}" for t in turns[:10]))
    for length, a, b in turns[:shown]:
        ran, stacks, switches = collections.Counter(), collections.Counter(), []
        for comm, tid, t, event, rest, frames in recs:
            if not a <= t <= b:
                continue
            if event.startswith("cpu-clock"):
                ran[comm] += 1
                if tid == loop:
                    java = next((f for f in frames if "dev.tpp" in f or "netty" in f), "")
                    stacks[f"loop: {frames[0] if frames else '?'}"[:70] + (f" <- {java[:90]}" if java else "")] += 1
                else:
                    stacks[f"[{comm}] " + " <- ".join(f[:50] for f in frames[:3])] += 1
            elif "sched_switch" in event:
                m = SWITCH.search(rest)
                if m:
                    switches.append(f"{(t - a) * 1e3:.2f} {m.group(1)}({m.group(2)})->{m.group(3)}")
        print(f"  turn of {length * 1e3:.2f} ms: samples by task {dict(ran.most_common())}")
        print(f"    switches: {'; '.join(switches[:14])}{' ...' if len(switches) > 14 else ''}")
        for s, n in stacks.most_common(4):
            print(f"    {n:3d} {s[:190]}")


if __name__ == "__main__":
    main()
