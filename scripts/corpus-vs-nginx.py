#!/usr/bin/env python3
"""Sends the smuggling/parsing corpus to tpp and to nginx side by side and prints where their answers differ.

    scripts/corpus-vs-nginx.py [--jar proxy/target/tpp-proxy.jar] [--nginx nginx] [--all]

Both run on loopback in front of the same recording origin (this script), with the same routes as SmugglingCorpusIT:
`/admin` answers 403, `/stream/` is proxied unbuffered (tpp: waf: false; nginx: proxy_request_buffering off), `/` is
proxied buffered, host `internal.test` answers 403. nginx has no WAF here, so the two WAF cases differ by design. For
each corpus line: the statuses each sent (`c`: then closed), and how many whole requests reached the origin.
Needs nginx (apt-get install nginx-light) and a built jar (make build). Loopback only; a few seconds plus 2 s per
timeout case.
"""
import argparse, codecs, os, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "proxy/src/test/resources/dev/tpp/proxy/http/corpus/requests.tsv")


def load():
    cases = []
    for line in open(CORPUS, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        name, expect, origin, target, raw = line.rstrip("\n").split("\t")
        raw = re.sub(r"\{\{(.*?)\*(\d+)\}\}", lambda m: m.group(1) * int(m.group(2)), raw)
        cases.append((name, expect, int(origin), codecs.escape_decode(raw.encode("latin-1"))[0]))
    return cases


class Origin:
    """Counts whole requests per connection (head, then Content-Length or chunked body) and answers each 200."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.lock = threading.Lock()
        self.requests = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            conn, _ = self.server.accept()
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        buf = b""
        conn.settimeout(10)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
                while True:
                    end = whole_request(buf)
                    if end is None:
                        break
                    buf = buf[end:]
                    with self.lock:
                        self.requests += 1
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
        except OSError:
            pass
        finally:
            conn.close()

    def take(self):
        time.sleep(0.05)
        with self.lock:
            n, self.requests = self.requests, 0
        return n


def whole_request(buf):
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    head = buf[:head_end].decode("latin-1").lower()
    at = head_end + 4
    if "\ntransfer-encoding:" in head:
        while True:
            eol = buf.find(b"\r\n", at)
            if eol < 0:
                return None
            size = int(buf[at:eol].split(b";")[0], 16)
            if size == 0:
                end = buf.find(b"\r\n\r\n", eol)
                return None if end < 0 else end + 4
            at = eol + 2 + size + 2
            if len(buf) < at:
                return None
    m = re.search(r"\ncontent-length:\s*(\d+)", head)
    length = int(m.group(1)) if m else 0
    return at + length if len(buf) >= at + length else None


def send(port, raw, count, expect_close):
    """The statuses of up to `count` responses, with 'c' when the server then closed (checked if `expect_close`
    or the answer was cut short)."""
    statuses, closed = [], False
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as e:
        return "connect: " + e.strerror
    with s:
        s.settimeout(6)
        s.sendall(raw)
        f = s.makefile("rb")
        try:
            while len(statuses) < count:
                line = f.readline()
                if not line:
                    closed = True
                    break
                status = int(line.split()[1])
                length = 0
                while True:
                    h = f.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    if h.lower().startswith(b"content-length:"):
                        length = int(h.split(b":")[1])
                f.read(length)
                statuses.append(status)
            if not closed and expect_close:
                s.settimeout(3)  # a refusal closes at once; only a keepalive connection waits this long
                try:
                    closed = f.read(1) == b""
                except socket.timeout:
                    closed = False
        except socket.timeout:
            pass
        except (OSError, ValueError, IndexError):
            closed = True
    return ",".join(map(str, statuses)) + ("c" if closed else "")


def await_port(port, proc):
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit(f"server on {port} exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on {port}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX = """daemon off; worker_processes 1; error_log stderr error; pid nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_header_timeout 2s; client_body_timeout 2s; proxy_http_version 1.1;
  upstream origin {{ server 127.0.0.1:{origin}; }}
  server {{ listen 127.0.0.1:{port}; server_name internal.test; location / {{ return 403; }} }}
  server {{
    listen 127.0.0.1:{port} default_server;
    location /admin {{ return 403; }}
    location /stream/ {{ proxy_pass http://origin; proxy_request_buffering off; }}
    location / {{ proxy_pass http://origin; }}
  }}
}}
"""

TPP = """listen: {{address: 127.0.0.1, port: {port}}}
admin: {{address: 127.0.0.1, port: {admin}}}
workers: 1
http: {{headerTimeout: 2s, bodyTimeout: 2s}}
pools: [{{name: waf, threads: 1, maxQueue: 64, overflow: reject}}]
upstreams: [{{name: origin, endpoints: ["127.0.0.1:{origin}"], keepaliveConnections: 0}}]
waf: {{enabled: true, pool: waf, mode: block, rules: "SecRule ARGS \\"@rx (?i)union\\\\s+select\\" \\"id:1001,phase:2,deny,status:403\\""}}
routes:
  - {{path: /, host: internal.test, return: {{status: 403, body: "internal\\n"}}}}
  - {{path: /admin, return: {{status: 403, body: "admin\\n"}}}}
  - {{path: /stream/, upstream: origin, waf: false}}
  - {{path: /, upstream: origin}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=os.path.join(ROOT, "proxy/target/tpp-proxy.jar"))
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ap.add_argument("--all", action="store_true", help="print every case, not only the differences")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops the servers
    origin = Origin()
    work = tempfile.mkdtemp(prefix="tpp-corpus-")
    nport, tport = free_port(), free_port()
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(NGINX.format(origin=origin.port, port=nport))
    with open(os.path.join(work, "proxy.yaml"), "w") as f:
        f.write(TPP.format(origin=origin.port, port=tport, admin=free_port()))
    jar = shutil.copy(args.jar, work)  # a rebuild while this runs must not swap classes under the JVM
    log = open(os.path.join(work, "servers.log"), "w")
    nginx = subprocess.Popen([args.nginx, "-p", work, "-c", "nginx.conf"], stdout=log, stderr=log)
    tpp = subprocess.Popen(["java", "-jar", jar, "--config", os.path.join(work, "proxy.yaml")], stdout=log,
                           stderr=log)
    try:
        await_port(nport, nginx)
        await_port(tport, tpp)
        cases = load()
        diff = 0
        print(f"{'case':42} {'expected':10} {'tpp':14} {'nginx':14} origin tpp/nginx")
        for name, expect, want_origin, raw in cases:
            count = len(expect.rstrip("c").split(","))
            got_t = send(tport, raw, count, expect.endswith("c"))
            origin_t = origin.take()
            got_n = send(nport, raw, count, expect.endswith("c"))
            origin_n = origin.take()
            differs = got_t != got_n or origin_t != origin_n
            diff += differs
            if differs or args.all:
                print(f"{name:42} {expect:10} {got_t:14} {got_n:14} {origin_t}/{origin_n}")
        print(f"{len(cases)} requests, {diff} answered differently (logs: {work}/servers.log)")
    finally:
        for p in (tpp, nginx):
            p.terminate()
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
