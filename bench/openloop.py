#!/usr/bin/env python3
"""Summary of bench/openloop.sh (scenario 2, open loop).

  openloop.py line FILE.vegeta.json   one vegeta run on one line (for the run log)
  openloop.py summary OUTDIR          the table: per mode, medians over rounds

Inputs in OUTDIR: open-tpp-MODE-ROUND-{idle,hello}.vegeta.json (vegeta report -type=json: latencies in ns),
their .window (wall-clock start and end) and .cpu (server CPU seconds, idle run), open-tpp-MODE-ROUND-thumb.wrk
(wrk, parsed by wrkstats.py) and .cpu, open-tpp-MODE-ROUND.gc.log (-Xlog:gc*,safepoint, read by gclog.py), the
same for open-nginx-1 without a GC log, and open-gc-COLLECTOR-ROUND-* for the GC comparison (OPEN_GCS).
Targets (issue 16): /hello p99 <= 2 ms and <= 1.5x its idle p99 at the same rate, thumbnails >= 0.95x the req/s
of threads 0 under the same load, 0 errors.
"""
import glob
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gclog  # noqa: E402
import hoststats  # noqa: E402
import wrkstats  # noqa: E402

MODES = (("low", "tpp thumbs threads 2, priority low"), ("normal", "tpp thumbs threads 2, priority normal"),
         ("t0", "tpp thumbs threads 0 (inline)"), ("low1", "tpp thumbs threads 1, priority low"))
GC_PAUSE = re.compile(r"Pause.*?([\d.]+)ms\s*$")
COLLECTORS = ("serial", "parallel", "g1", "z", "shenandoah")


def vegeta(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    lat = report.get("latencies", {})
    ok = sum(n for code, n in report.get("status_codes", {}).items() if code == "200")
    return {"p50": lat.get("50th", 0) / 1e6, "p99": lat.get("99th", 0) / 1e6, "max": lat.get("max", 0) / 1e6,
            "requests": report.get("requests", 0), "errors": report.get("requests", 0) - ok,
            "rate": report.get("rate", 0.0), "seconds": report.get("duration", 0) / 1e9,
            "cpu": read_float(path.replace(".vegeta.json", ".cpu")),
            "window": read_floats(path.replace(".vegeta.json", ".window"))}


def read_floats(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return [float(x) for x in f.read().split()]


def read_float(path):
    values = read_floats(path)
    return values[0] if values else None


def line(run):
    return "p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d requests at %.0f/s, %d errors" % (
        run["p50"], run["p99"], run["max"], run["requests"], run["rate"], run["errors"])


def gc_pauses(path, window=None):
    """GC pauses (ms) in a run's log: within the loaded /hello window when it is known (gc* logs with the time
    decoration), else every "Pause" line of the log (older -Xlog:gc runs)."""
    if not os.path.exists(path):
        return []
    if window:
        return gclog.read(path, window[0], window[1])["pauses"]
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
            runs.append((hello, idle, thumb, gc_pauses(name + ".gc.log", hello["window"])))
    if not runs:
        return None
    med = statistics.median
    pauses = [p for run in runs for p in run[3]]
    return {"p99": med(h["p99"] for h, _, _, _ in runs), "idle_p99": med(i["p99"] for _, i, _, _ in runs),
            "max": max(h["max"] for h, _, _, _ in runs), "thumb_rps": med(t["rps"] for _, _, t, _ in runs),
            "errors": sum(h["errors"] + i["errors"] + t["errors"] for h, i, t, _ in runs), "rounds": len(runs),
            "gc": (len(pauses) / len(runs), med(pauses) if pauses else 0.0, max(pauses) if pauses else 0.0)}


def cpu_per_thumb_ms(hello, idle, thumb):
    """Server CPU per thumbnail over the thumbnail run, less what /hello alone cost at the same rate (its idle
    run's CPU per second times the loaded /hello run's length); None without the CPU files."""
    thumb_cpu = read_float(os.path.join(thumb["outdir"], thumb["name"] + ".cpu"))
    if thumb_cpu is None or idle["cpu"] is None or not thumb["requests"] or not idle["seconds"]:
        return None
    return 1000.0 * (thumb_cpu - idle["cpu"] / idle["seconds"] * hello["seconds"]) / thumb["requests"]


def gc_run(outdir, name):
    """One round of the GC comparison: latencies, thumbnails and the GC log within the loaded /hello window."""
    hello, idle = vegeta(name + "-hello.vegeta.json"), vegeta(name + "-idle.vegeta.json")
    thumb = wrkstats.load(outdir, os.path.basename(name) + "-thumb")
    if not (hello and idle and thumb and hello["window"] and os.path.exists(name + ".gc.log")):
        return None
    thumb.update(outdir=outdir, name=os.path.basename(name) + "-thumb")
    log = gclog.read(name + ".gc.log", hello["window"][0], hello["window"][1])
    window = hello["window"][1] - hello["window"][0]
    return {"hello": hello, "idle": idle, "thumb": thumb, "log": log, "cpu_ms": cpu_per_thumb_ms(hello, idle, thumb),
            "gc_per_1k": 1000.0 * len(log["cycles"]) / max(thumb["rps"] * window, 1e-6)}


def gc_stats(outdir, collector):
    prefix = "open-gc-" + collector
    runs = [r for r in (gc_run(outdir, os.path.join(outdir, "%s-%d" % (prefix, n))) for n in rounds(outdir, prefix))
            if r]
    if not runs:
        return None
    med = statistics.median
    pauses = [p for r in runs for p in r["log"]["pauses"]]
    points = [p for r in runs for p in r["log"]["safepoints"]]
    heap = [h for r in runs for h in r["log"]["heap_after_mb"]]
    cpu = [r["cpu_ms"] for r in runs if r["cpu_ms"] is not None]
    return {"rounds": len(runs), "idle_p99": med(r["idle"]["p99"] for r in runs),
            "p99": med(r["hello"]["p99"] for r in runs), "max": max(r["hello"]["max"] for r in runs),
            "thumb_rps": med(r["thumb"]["rps"] for r in runs), "cpu_ms": med(cpu) if cpu else None,
            "errors": sum(r["hello"]["errors"] + r["idle"]["errors"] + r["thumb"]["errors"] for r in runs),
            "pauses_per_run": len(pauses) / len(runs), "pause_median": med(pauses) if pauses else 0.0,
            "pause_p99": gclog.percentile(pauses, 99), "pause_max": max(pauses, default=0.0),
            "pause_total": sum(pauses) / len(runs), "gc_per_1k": med(r["gc_per_1k"] for r in runs),
            "heap_after": med(heap) if heap else None, "safepoints_per_run": len(points) / len(runs),
            "safepoint_total": sum(p[2] for p in points) / len(runs), "safepoint_max": max((p[2] for p in points),
                                                                                            default=0.0),
            "ttsp_max": max((p[1] for p in points), default=0.0), "collector": runs[0]["log"]["collector"]}


def gc_summary(outdir):
    stats = {c: gc_stats(outdir, c) for c in COLLECTORS}
    if not any(stats.values()):
        return []
    out = ["", "GC comparison (OPEN_GCS): thumbs priority low under each collector; per run, within the loaded "
           "/hello window; medians over rounds",
           "%-11s %8s %8s %8s %8s %9s %8s  %-34s %7s %8s %s" % (
               "collector", "idle p99", "p99", "max", "thumb/s", "cpu/thumb", "GC/1k th",
               "GC pauses/run: n, median, p99, max", "total", "heap", "safepoints/run: n, total, max, TTSP max")]
    for collector in COLLECTORS:
        s = stats[collector]
        if not s:
            continue
        cpu = "%6.1f ms" % s["cpu_ms"] if s["cpu_ms"] is not None else "%9s" % "-"
        heap = "%5.0f MB" % s["heap_after"] if s["heap_after"] is not None else "%8s" % "-"
        out.append("%-11s %5.2f ms %5.2f ms %5.1f ms %8.1f %s %8.1f  %5.1f, %5.2f, %5.2f, %5.2f ms %7.1f %s %s" % (
            collector, s["idle_p99"], s["p99"], s["max"], s["thumb_rps"], cpu, s["gc_per_1k"], s["pauses_per_run"],
            s["pause_median"], s["pause_p99"], s["pause_max"], s["pause_total"], heap,
            "%.1f, %.1f ms, %.2f ms, %.2f ms" % (s["safepoints_per_run"], s["safepoint_total"], s["safepoint_max"],
                                               s["ttsp_max"])))
        if s["errors"]:
            out.append("  %s: %d errors" % (collector, s["errors"]))
    out.append("  cpu/thumb: the server's CPU over the thumbnail run, less /hello's own CPU at the same rate, per "
               "thumbnail; GC/1k th: GC cycles per 1,000 thumbnails")
    return out


def round_rows(outdir):
    """One row per loaded run: its /hello p99 and max and, from the host sampler (hoststats.py), the worst steal
    per CPU inside its window, so a round that stalled can be told apart from a host that stole the CPU."""
    procstat = os.path.join(outdir, "procstat.log")
    out = []
    for mode, label in MODES + (("nginx", "nginx"),):
        prefix = "open-tpp-" + mode if mode != "nginx" else "open-nginx"
        for r in rounds(outdir, prefix):
            hello = vegeta(os.path.join(outdir, "%s-%d-hello.vegeta.json" % (prefix, r)))
            if not hello:
                continue
            steal = "-"
            if os.path.exists(procstat) and hello.get("window"):
                worst = {}
                for _, _, cpu, st, _, _ in hoststats.intervals(procstat, *hello["window"]):
                    worst[cpu] = max(worst.get(cpu, 0.0), st)
                steal = ", ".join("%s %.0f%%" % kv for kv in sorted(worst.items())) or "-"
            out.append("  round %d %-8s /hello p99 %8.2f ms, max %8.2f ms; worst steal in window: %s" % (
                r, mode, hello["p99"], hello["max"], steal))
    return (["Per round (a stall with steal on the server's CPU is the host's)"] + out) if out else []


def verdict(ok):
    return "PASS" if ok else "FAIL"


def summary(outdir):
    out = ["Scenario 2, open loop: /hello at a fixed rate (vegeta) + /thumb/ at 20 conns (wrk), medians over rounds",
           "%-40s %9s %9s %7s %9s %10s %7s %s" % ("", "idle p99", "p99", "p99/idle", "max", "thumb/s", "errors",
                                                  "GC pauses/run, median, max")]
    stats = {mode: mode_stats(outdir, "open-tpp-" + mode) for mode, _ in MODES}
    stats["nginx"] = mode_stats(outdir, "open-nginx")
    if not any(stats.values()):
        return "\n".join(out[:1] + ["  no mode runs (OPEN_MODES empty)"] + gc_summary(outdir))
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
    for mode in ("low", "normal", "low1"):
        s = stats[mode]
        if not s or not t0:
            continue
        ratio = s["thumb_rps"] / max(t0["thumb_rps"], 1e-6)
        ok = s["p99"] <= 2 and s["p99"] <= 1.5 * s["idle_p99"] and ratio >= 0.95 and s["errors"] == 0
        out.append("  priority %s: /hello p99 %.2f ms (<= 2 ms and <= 1.5x idle), thumbnails %.2fx threads 0 "
                   "(>= 0.95x), %d errors: %s" % (mode, s["p99"], ratio, s["errors"], verdict(ok)))
    return "\n".join(out + round_rows(outdir) + gc_summary(outdir))


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
