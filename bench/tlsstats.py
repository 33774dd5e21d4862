"""The summary of bench/run.sh scenario 4 (tls), from the files bench/tls.sh leaves in bench/out/:

  tls-storm-KEY-SIDE-N.tls/.cpu     tlsload storm JSON and the server's CPU seconds (part 1)
  tls-busy-SIDE-N-hello.tls         tlsload rate JSON: /hello during the RSA storm (part 2), -storm.tls beside it
  tls-keepalive-SIDE-N.wrk/.cpu     wrk over TLS 1.3 through the proxy (part 3)
  tls-metrics-SIDE.txt              tpp's handshake and tls pool counters at the end
  nginx-tls/hs.log                  $ssl_session_reused of every storm request nginx served
  tls-session-SIDE.txt              what an OpenSSL client negotiated with each server

SIDE is tpp1 (tls pool threads 1), tpp0 (threads 0, signing on the event loop) or nginx. Used by wrkstats.py.
"""
import glob
import json
import os
import re
import statistics

import gclog
import wrkstats

SIDES = (("tpp1", "tpp tls threads 1"), ("tpp0", "tpp tls threads 0"), ("nginx", "nginx"))
KEYS = (("rsa", "RSA-2048"), ("ecdsa", "ECDSA P-256"))


def load(outdir, name):
    """A tlsload result with per_cpu_s (requests per server CPU-second) when a .cpu file is beside it."""
    path = os.path.join(outdir, name + ".tls")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return wrkstats.with_cpu(outdir, name, json.load(f))


def numbered(outdir, pattern):
    """The names matching PATTERN (with one {} for the round number), in round order."""
    found = []
    for path in glob.glob(os.path.join(outdir, pattern.format("[0-9]*") + ".tls")):
        m = re.search(pattern.format(r"(\d+)") + r"\.tls$", os.path.basename(path))
        if m:
            found.append((int(m.group(1)), os.path.basename(path)[:-4]))
    return [load(outdir, name) for _, name in sorted(found)]


def med(runs, key):
    values = [key(r) for r in runs if r and r["requests"] > 0 and key(r) is not None]
    return statistics.median(values) if values else None


def num(value, fmt="%.0f"):
    return "-" if value is None else fmt % value


def storm_row(label, run):
    if run is None:
        return "  %-30s not measured (see bench/out/run.log)" % label
    lat = run["latency_ms"]
    return "  %-30s %8.0f %10s %10s %10s %8d  %s" % (
        label, run["requests"] / run["seconds"] if run["seconds"] else 0, wrkstats.ms(lat.get("p50")),
        wrkstats.ms(lat.get("p99")), num(run.get("per_cpu_s")), run["resumed"], errors(run))


def errors(run):
    return str(run["errors"]) + (" (%s)" % run["first_error"] if run.get("first_error") else "")


def storms(outdir, out):
    out.append("  1. handshake storm: a new connection and a full handshake per request (tlsload storm)")
    out.append("  %-30s %8s %10s %10s %10s %8s  %s" % ("run", "hs/s", "conn p50", "conn p99", "hs/cpu-s",
                                                     "resumed", "errors"))
    for key, key_label in KEYS:
        medians = {}
        for side, label in SIDES:
            runs = numbered(outdir, "tls-storm-%s-%s-{}" % (key, side))
            for i, run in enumerate(runs, 1):
                out.append(storm_row("%s %s round %d" % (label, key, i), run))
            medians[side] = med(runs, lambda r: r.get("per_cpu_s"))
        tpp, nginx = medians.get("tpp1"), medians.get("nginx")
        if tpp and nginx:
            ratio = tpp / nginx
            out.append("  %-11s handshakes per CPU-second (medians): tpp %.0f, nginx %.0f: %.2fx (target >= 1.0x) %s"
                       % (key_label, tpp, nginx, ratio, wrkstats.verdict(ratio >= 1.0)))
        else:
            out.append("  %-11s handshakes per CPU-second: not computed, a run is missing" % key_label)


def resumption(outdir, out):
    for side, label in SIDES[:2]:
        path = os.path.join(outdir, "tls-metrics-%s.txt" % side)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        hs = dict(re.findall(r'^tpp_tls_handshakes_total\{[^}]*result="(\w+)"[^}]*\} (\S+)$', text, re.M))
        pool = dict(re.findall(r'^tpp_pool_tasks_total\{outcome="(\w+)"[^}]*\} (\S+)$', text, re.M))
        out.append("  %s, whole run: handshakes %s; tls pool tasks %s" % (label, fmt_counts(hs), fmt_counts(pool)))
    path = os.path.join(outdir, "nginx-tls", "hs.log")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            flags = [line.split(" ", 1)[0] for line in f if line.strip()]
        out.append("  nginx, whole run: %d storm requests logged, %d with $ssl_session_reused = r"
                   % (len(flags), flags.count("r")))


def fmt_counts(counts):
    return ", ".join("%s %.0f" % (k, float(v)) for k, v in sorted(counts.items())) or "none"


def busy_row(label, hello, storm):
    if hello is None or hello["requests"] == 0:
        return "  %-30s not measured (see bench/out/run.log)" % label
    lat, lag = hello["latency_ms"], hello.get("send_lag_ms", {})
    storm_rate = storm["requests"] / storm["seconds"] if storm and storm["seconds"] else None
    # a sender that woke late by half the p99 or more: the row measured the load generator's cpu, not the server
    late = lag.get("p99", 0) >= 0.5 * lat.get("p99", 0) > 0
    return "  %-30s %8d %10s %10s %10s %10s %10s %8s  %s%s" % (
        label, hello["requests"], wrkstats.ms(lat.get("p50")), wrkstats.ms(lat.get("p99")),
        wrkstats.ms(lat.get("p999")), wrkstats.ms(lat.get("max")), wrkstats.ms(lag.get("p99")), num(storm_rate),
        errors(hello), "  CLIENT-BOUND: sender lag >= half the p99" if late else "")


def gc_pauses(outdir, side, rounds):
    """tpp's stop-the-world GC pauses inside the measured /hello windows: count, median, max (None: no log)."""
    server = {"tpp1": "tpp-tls-t1", "tpp0": "tpp-tls-t0"}.get(side)
    log = server and os.path.join(outdir, server + ".gc.log")
    if not log or not os.path.exists(log):
        return None
    pauses = []
    for i in range(1, rounds + 1):
        window = os.path.join(outdir, "tls-busy-%s-%d.window" % (side, i))
        if os.path.exists(window):
            with open(window) as f:
                start, end = (float(v) for v in f.read().split())
            pauses += gclog.read(log, start, end)["pauses"]
    return "%d pauses, median %.2f ms, max %.2f ms" % (
        len(pauses), statistics.median(pauses) if pauses else 0.0, max(pauses, default=0.0))


def busy(outdir, out):
    out.append("  2. /hello at a fixed rate on keepalive connections during the RSA storm (tlsload rate; latency from"
               " the scheduled send)")
    out.append("  %-30s %8s %10s %10s %10s %10s %10s %8s  %s" % ("run", "requests", "p50", "p99", "p99.9", "max",
                                                             "send lag", "storm/s", "errors"))
    p99 = {}
    for side, label in SIDES:
        hellos = numbered(outdir, "tls-busy-%s-{}-hello" % side)
        storms_ = numbered(outdir, "tls-busy-%s-{}-storm" % side)
        for i, hello in enumerate(hellos, 1):
            out.append(busy_row("%s round %d" % (label, i), hello, storms_[i - 1] if i <= len(storms_) else None))
        pauses = gc_pauses(outdir, side, len(hellos))
        if pauses is not None:
            out.append("  %-30s %s" % (label + " GC in the windows", pauses))
        p99[side] = med(hellos, lambda r: r["latency_ms"].get("p99"))
        out.append("  %-30s %s" % (label + " median", "p99 " + wrkstats.ms(p99[side]) if p99[side] is not None
                                     else "not measured (see bench/out/run.log)"))
    pool, inline, nginx = p99.get("tpp1"), p99.get("tpp0"), p99.get("nginx")
    if pool is not None:
        out.append("  /hello p99 with the tls pool: %s (target <= 2 ms) %s" % (wrkstats.ms(pool),
                                                                             wrkstats.verdict(pool <= 2.0)))
    if pool and nginx is not None:
        ratio = nginx / pool
        out.append("  /hello p99 nginx / tpp with the pool: %.1fx (target >= 10x) %s"
                   % (ratio, wrkstats.verdict(ratio >= 10)))
    if pool and inline is not None:
        out.append("  /hello p99 tpp threads 0 / threads 1: %.1fx (no target: what the pool buys)" % (inline / pool))
    if pool is None or nginx is None:
        out.append("  /hello p99 ratios not computed: a run is missing")


def keepalive(outdir, out):
    out.append("  3. keepalive HTTPS proxying: GET / -> origin over TLS 1.3, wrk -c50")
    out.append(wrkstats.header(30))
    medians = {}
    for side, label in (("tpp1", "tpp"), ("nginx", "nginx")):
        runs = wrkstats.rounds(outdir, "tls-keepalive-" + side)
        for i, run in enumerate(runs, 1):
            out.append(wrkstats.row("%s round %d" % (label, i), run, 30))
        medians[side] = wrkstats.median(runs)
        out.append(wrkstats.row(label + " median", medians[side], 30))
    tpp, nginx = medians["tpp1"], medians["nginx"]
    if tpp and nginx and "per_cpu_s" in tpp and "per_cpu_s" in nginx:
        ratio = nginx["per_cpu_s"] / tpp["per_cpu_s"]
        out.append("  CPU per request tpp/nginx (medians): %.1fus / %.1fus = %.2fx (target <= 1.2x) %s"
                   % (1e6 / tpp["per_cpu_s"], 1e6 / nginx["per_cpu_s"], ratio, wrkstats.verdict(ratio <= 1.2)))
    else:
        out.append("  CPU per request ratio not computed: a run is missing")


def sessions(outdir, out):
    for side, label in SIDES:
        path = os.path.join(outdir, "tls-session-%s.txt" % side)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                out.append("  %s with an OpenSSL client: %s" % (label, "; ".join(line.strip() for line in f)))
    for name in sorted(glob.glob(os.path.join(outdir, "tls-storm-rsa-*-[0-9]*.tls")))[:1]:
        out.append("  tlsload (Go) negotiated: %s" % load(outdir, os.path.basename(name)[:-4]).get("tls", "?"))


def scenario_tls(outdir, out):
    out.append("Scenario 4: TLS, tpp (BoringSSL, signatures in the tls pool) vs nginx (OpenSSL), same certificates,"
               " one CPU each")
    sessions(outdir, out)
    storms(outdir, out)
    resumption(outdir, out)
    busy(outdir, out)
    keepalive(outdir, out)
