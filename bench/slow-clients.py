#!/usr/bin/env python3
"""Slow and idle clients against the real proxy jar: figures for docs/proxy.md ("Slow and idle clients").

Starts proxy/target/tpp-proxy.jar on loopback (ports 28190/28191), then holds IDLE idle connections, SLOWLORIS heads
that send one header line a second and SLOWBODY uploads stalled after 10 of 100 bytes (opened first, then the idle
ones; config: keepalive.idleTimeout 20s, http.headerTimeout and bodyTimeout 10s), and prints: connections held
and refused, the proxy's RSS and heap before, during and after, the latency of a normal keepalive request throughout,
and how long the timeouts took to free everything. Standard library only; stops the proxy it started (by PID).

    bench/slow-clients.py [--idle 5000] [--slowloris 200] [--slowbody 200] [--limit 2000] [--workers 2]
"""
import argparse, os, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT, ADMIN = 28190, 28191
GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def metrics():
    text = urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/metrics", timeout=10).read().decode()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def total(m, name, label=""):
    """The sum of every series of metric NAME whose labels contain LABEL (e.g. 'status="408"')."""
    return sum(v for k, v in m.items() if k.split("{")[0] == name and label in k)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def snapshot(pid, label):
    m = metrics()
    heap = total(m, "jvm_memory_used_bytes", 'area="heap"')
    direct = total(m, "jvm_buffer_memory_used_bytes", 'id="direct"')
    row = dict(phase=label, held=int(total(m, "tpp_connections_active")),
               refused=int(total(m, "tpp_connections_rejected_total")),
               r408=int(total(m, "tpp_http_requests_total", 'status="408"')),
               rss=rss_mib(pid), heap=heap / 2**20, direct=direct / 2**20)
    print("{phase:<22} held={held:<6} refused={refused:<6} 408s={r408:<5} rss={rss:7.1f} MiB heap={heap:6.1f} MiB "
          "nio-direct={direct:5.1f} MiB".format(**row), flush=True)
    return row


class Prober(threading.Thread):
    """A keepalive client sending one normal request every 100 ms and recording its latency."""
    def __init__(self):
        super().__init__(daemon=True)
        self.latencies, self.failures, self.stop = [], 0, threading.Event()

    def run(self):
        s = None
        while not self.stop.is_set():
            try:
                if s is None:
                    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
                t = time.perf_counter()
                s.sendall(GET)
                data = b""
                while b"ok\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        raise ConnectionError("closed")
                    data += chunk
                self.latencies.append((time.perf_counter() - t) * 1000)
            except OSError:
                self.failures += 1
                s = None
            time.sleep(0.1)

    def take(self):
        got, self.latencies = self.latencies, []
        return got


def summary(label, lat):
    if not lat:
        return f"{label}: no answers"
    lat = sorted(lat)
    return (f"{label}: {len(lat)} requests, p50 {statistics.median(lat):.2f} ms, "
            f"p99 {lat[int(len(lat) * 0.99) - 1]:.2f} ms, max {lat[-1]:.2f} ms")


def open_many(n, first=b""):
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
            if first:
                s.sendall(first)
            socks.append(s)
        except OSError:
            pass
    return socks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle", type=int, default=5000)
    ap.add_argument("--slowloris", type=int, default=200)
    ap.add_argument("--slowbody", type=int, default=200)
    ap.add_argument("--limit", type=int, default=2000, help="accept.maxConnectionsPerWorker")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    jar = os.path.join(ROOT, "proxy/target/tpp-proxy.jar")
    if not os.path.exists(jar):
        sys.exit("no proxy/target/tpp-proxy.jar: run make build first")
    work = tempfile.mkdtemp(prefix="tpp-slow-")
    conf = os.path.join(work, "proxy.yaml")
    with open(conf, "w") as f:
        f.write(f"""listen: {{address: 127.0.0.1, port: {PORT}}}
admin: {{address: 127.0.0.1, port: {ADMIN}}}
workers: {a.workers}
accept: {{maxConnectionsPerWorker: {a.limit}}}
keepalive: {{idleTimeout: 20s}}
http: {{headerTimeout: 10s, bodyTimeout: 10s}}
routes: [{{path: /, return: {{status: 200, body: "ok\\n"}}}}]
""")
    log = open(os.path.join(work, "proxy.log"), "w")
    opts = os.environ.get("TPP_JAVA_OPTS", "-Xmx512m").split()
    proxy = subprocess.Popen(["java", *opts, "-jar", jar, "--config", conf], stdout=log, stderr=log)
    try:
        run(a, proxy.pid)
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        print(f"proxy log and config: {work}")


def run(a, pid):
    for _ in range(300):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/readyz", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.1)
    print(f"host load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures are indicative when > 1)")
    prober = Prober()
    prober.start()
    time.sleep(3)
    snapshot(pid, "before")
    print(summary("  normal request before", prober.take()))
    start = time.time()
    # the slow ones first, so that they are held, and the idle flood then runs into the workers' limit
    loris = open_many(a.slowloris, b"GET / HTTP/1.1\r\nHost: a\r\n")
    bodies = open_many(a.slowbody, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789")
    idle = open_many(a.idle)
    print(f"opened {len(idle)} idle, {len(loris)} slowloris, {len(bodies)} slow-body connections "
          f"in {time.time() - start:.1f} s")
    during = []
    for second in range(60):
        for i, s in enumerate(loris):
            try:
                s.sendall(b"X-%d: y\r\n" % second)
            except OSError:
                pass
        time.sleep(1)
        if second in (2, 12, 22):
            snapshot(pid, f"flood +{second + 1}s")
        during += prober.take()
        if total(metrics(), "tpp_connections_active") <= 1:
            break
    freed = time.time() - start
    print(summary("  normal request during", during))
    after = snapshot(pid, f"after ({freed:.0f}s)")
    print(f"  everything freed by the timeouts after {freed:.0f} s; prober failures: {prober.failures}")
    for s in idle + loris + bodies:
        s.close()
    prober.stop.set()
    return after


if __name__ == "__main__":
    main()
