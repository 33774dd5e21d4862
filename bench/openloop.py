#!/usr/bin/env python3
"""Summary of bench/openloop.sh (scenario 2, open loop).

  openloop.py line FILE.vegeta.json   one vegeta run on one line (for the run log)
  openloop.py summary OUTDIR          the table: per mode, medians over rounds

Inputs in OUTDIR: open-tpp-MODE-ROUND-{idle,hello}.vegeta.json (vegeta report -type=json: latencies in ns),
open-tpp-MODE-ROUND-thumb.wrk (wrk, parsed by wrkstats.py), open-tpp-MODE-ROUND.gc.log (-Xlog:gc), and the
same for open-nginx-1 without a GC log. Targets (issue 16): /hello p99 <= 2 ms and <= 1.5x its idle p99 at the
same rate, thumbnails >= 0.95x the req/s of threads 0 under the same load, 0 errors.
"""
import glob
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wrkstats  # noqa: E402

MODES = (("low", "tpp thumbs threads 2, priority low"), ("normal", "tpp thumbs threads 2, priority normal"),
         ("t0", "tpp thumbs threads 0 (inline)"))
GC_PAUSE = re.compile(r"Pause.*?([\d.]+)ms\s*$")


def vegeta(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    lat = report.get("latencies", {})
    ok = sum(n for code, n in report.get("status_codes", {}).items() if code == "200")
    return {"p50": lat.get("50th", 0) / 1e6, "p99": lat.get("99th", 0) / 1e6, "max": lat.get("max", 0) / 1e6,
            "requests": report.get("requests", 0), "errors": report.get("requests", 0) - ok,
            "rate": report.get("rate", 0.0)}


def line(run):
    return "p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d requests at %.0f/s, %d errors" % (
        run["p50"], run["p99"], run["max"], run["requests"], run["rate"], run["errors"])


def gc_pauses(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as f:
        return [float(m.group(1)) for m in map(GC_PAUSE.search, f) if m]


def rounds(outdir, prefix):
    """Round numbers present for a prefix such as open-tpp-low (warm-up excluded)."""
    found = set()
    for path in glob.glob(os.path.join(outdir, prefix + "-*-hello.vegeta.json")):
        m = re.search(r"-(\d+)-hello\.vegeta\.json$", path)
        if m:
            found.add(int(m.group(1)))
    return sorted(found)


def mode_stats(outdir, prefix):
    runs = []
    for r in rounds(outdir, prefix):
        name = os.path.join(outdir, "%s-%d" % (prefix, r))
        hello, idle = vegeta(name + "-hello.vegeta.json"), vegeta(name + "-idle.vegeta.json")
        thumb = wrkstats.load(outdir, "%s-%d-thumb" % (prefix, r))
        if hello and idle and thumb:
            runs.append((hello, idle, thumb, gc_pauses(name + ".gc.log")))
    if not runs:
        return None
    med = statistics.median
    pauses = [p for run in runs for p in run[3]]
    return {"p99": med(h["p99"] for h, _, _, _ in runs), "idle_p99": med(i["p99"] for _, i, _, _ in runs),
            "max": max(h["max"] for h, _, _, _ in runs), "thumb_rps": med(t["rps"] for _, _, t, _ in runs),
            "errors": sum(h["errors"] + i["errors"] + t["errors"] for h, i, t, _ in runs), "rounds": len(runs),
            "gc": (len(pauses) / len(runs), med(pauses) if pauses else 0.0, max(pauses) if pauses else 0.0)}


def verdict(ok):
    return "PASS" if ok else "FAIL"


def summary(outdir):
    out = ["Scenario 2, open loop: /hello at a fixed rate (vegeta) + /thumb/ at 20 conns (wrk), medians over rounds",
           "%-40s %9s %9s %7s %9s %10s %7s %s" % ("", "idle p99", "p99", "p99/idle", "max", "thumb/s", "errors",
                                                  "GC pauses/run, median, max")]
    stats = {mode: mode_stats(outdir, "open-tpp-" + mode) for mode, _ in MODES}
    stats["nginx"] = mode_stats(outdir, "open-nginx")
    for mode, label in MODES + (("nginx", "nginx image_filter (reference)"),):
        s = stats[mode]
        if not s:
            out.append("%-40s not measured" % label)
            continue
        gc = "%.1f, %.1f ms, %.1f ms" % s["gc"] if mode != "nginx" else "-"
        out.append("%-40s %6.2f ms %6.2f ms %6.2fx %6.1f ms %10.1f %7d %s" % (
            label, s["idle_p99"], s["p99"], s["p99"] / max(s["idle_p99"], 1e-6), s["max"], s["thumb_rps"],
            s["errors"], gc))
    t0 = stats["t0"]
    for mode in ("low", "normal"):
        s = stats[mode]
        if not s or not t0:
            continue
        ratio = s["thumb_rps"] / max(t0["thumb_rps"], 1e-6)
        ok = s["p99"] <= 2 and s["p99"] <= 1.5 * s["idle_p99"] and ratio >= 0.95 and s["errors"] == 0
        out.append("  priority %s: /hello p99 %.2f ms (<= 2 ms and <= 1.5x idle), thumbnails %.2fx threads 0 "
                   "(>= 0.95x), %d errors: %s" % (mode, s["p99"], ratio, s["errors"], verdict(ok)))
    return "\n".join(out)


def main(argv):
    if len(argv) == 3 and argv[1] == "line":
        run = vegeta(argv[2])
        print(line(run) if run else "no report")
        return 0
    if len(argv) == 3 and argv[1] == "summary":
        print(summary(argv[2]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
