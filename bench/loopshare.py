#!/usr/bin/env python3
"""Where an event loop's user-space time goes, by inclusive share: reads async-profiler's collapsed stacks
(bench/out/profile/cpu.collapsed, from bench/profile.sh), keeps the samples of the event loop threads
(stacks through SingleThreadIoEventLoop.run), splits them into kernel-leaf and user-leaf samples, and ranks every
frame by the share of user-leaf loop samples it is on. Usage: bench/loopshare.py CPU.COLLAPSED [TOP]"""
import collections
import sys


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    loop = kernel = user = 0
    inclusive = collections.Counter()
    with open(path) as f:
        for line in f:
            stack, n = line.rsplit(" ", 1)
            n = int(n)
            if "SingleThreadIoEventLoop.run" not in stack:
                continue
            frames = stack.split(";")
            loop += n
            if frames[-1].endswith("_[k]"):
                kernel += n
                continue
            user += n
            for frame in set(frames):
                inclusive[frame] += n
    if not user:
        sys.exit("no event loop samples in user space")
    print(f"event loop samples {loop}: kernel leaf {kernel} ({100 * kernel / loop:.1f}%), "
          f"user leaf {user} ({100 * user / loop:.1f}%)")
    print("frames by inclusive share of the user-leaf loop samples:")
    for frame, n in inclusive.most_common(top):
        print(f"{100 * n / user:6.1f}%  {frame}")


if __name__ == "__main__":
    main()
