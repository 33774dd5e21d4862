"""Bursts of fresh connections for bench scenario "workers": every INTERVAL seconds, CONNS connections open at
once, each sends one GET with Connection: close and reads the answer to its end. Prints one JSON line: requests,
errors. Usage: burst.py HOST:PORT PATH SECONDS [CONNS=100] [INTERVAL=0.5]. Loopback only, bounded by SECONDS."""
import asyncio
import json
import sys
import time


async def one(host, port, path):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await asyncio.wait_for(reader.read(-1), 10)
    writer.close()
    return data.startswith(b"HTTP/1.1 200")


async def main():
    host, port = sys.argv[1].rsplit(":", 1)
    path, seconds = sys.argv[2], float(sys.argv[3])
    conns = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    interval = float(sys.argv[5]) if len(sys.argv) > 5 else 0.5
    ok = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        results = await asyncio.gather(*(one(host, int(port), path) for _ in range(conns)), return_exceptions=True)
        ok += sum(1 for r in results if r is True)
        errors += sum(1 for r in results if r is not True)
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))
    print(json.dumps({"requests": ok, "errors": errors}))


asyncio.run(main())
