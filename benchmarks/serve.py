"""One-click unsubscribes (RFC 8058) against a running ``masthead serve``, as mailbox providers send them.

A workspace with N subscribers is written to a temporary folder, ``masthead serve`` is started on a
free loopback port, and every subscriber's one-click POST is sent: first by one client, one after the
other, then by 50 clients at once (each with its own keep-alive connection), on two halves of the
list. Printed side by side: requests per second, the median and 99th percentile latency, and whether
the number of subscribers marked unsubscribed in the store equals the number of requests (none lost,
none twice).

    .venv/bin/python benchmarks/serve.py [--subscribers 2000] [--clients 50]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

# Other benchmarks live next to this file (one is called email.py): keep them from shadowing the stdlib.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

SECRET = "a-benchmark-secret-long-enough"
CONFIG = """\
[newsletter]
name = "Benchmark News"
source_language = "en"
languages = ["en", "fr"]
base_url = "https://news.example.org/letters/"

[email]
sender = "Benchmark News <news@example.org>"

[delivery]
transport = "maildir"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def workspace(root: Path, count: int) -> list[str]:
    """A workspace with ``count`` active subscribers; the path and query of each one's unsubscribe link."""
    import masthead
    from masthead.delivery import import_subscribers, list_subscribers, make_unsubscribe_token

    (root / "masthead.toml").write_text(CONFIG, encoding="utf-8")
    rows = "".join(f"reader{n:05d}@example.net,Reader {n},{'fr' if n % 2 else 'en'}\n" for n in range(count))
    (root / "list.csv").write_text("address,name,language\n" + rows, encoding="utf-8")
    config = masthead.load_config(root)
    import_subscribers(config, root / "list.csv")
    links = []
    for subscriber in list_subscribers(config):
        token = make_unsubscribe_token(subscriber.public_id, "spring", SECRET)
        split = urlsplit(f"{config.base_url}unsubscribe?token={token}")
        links.append(f"{split.path}?{split.query}")
    return links


def start(root: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "masthead", "-C", str(root), "serve", "--port", str(port)]
    server = subprocess.Popen(
        command,
        env={**os.environ, "MASTHEAD_SECRET": SECRET},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("masthead serve did not start")


def one_click(links: list[str], port: int, latencies: list[float], failures: list[str]) -> None:
    """POST each link as a mailbox provider does, over one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = b"List-Unsubscribe=One-Click"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    for link in links:
        started = time.perf_counter()
        try:
            connection.request("POST", link, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{response.status} for {link[:40]}")
        except (OSError, http.client.HTTPException) as exc:
            failures.append(str(exc))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - started)
    connection.close()


def run(links: list[str], port: int, clients: int) -> tuple[float, list[float], list[str]]:
    shares = [links[index::clients] for index in range(clients)]
    latencies: list[float] = []
    failures: list[str] = []
    threads = [
        threading.Thread(target=one_click, args=(share, port, latencies, failures)) for share in shares
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


def unsubscribed(root: Path) -> int:
    conn = sqlite3.connect(root / "subscribers.sqlite3")
    try:
        return int(
            conn.execute("SELECT count(*) FROM subscribers WHERE status = 'unsubscribed'").fetchone()[0]
        )
    finally:
        conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        links = workspace(root, args.subscribers)
        port = free_port()
        server = start(root, port)
        try:
            half = len(links) // 2
            rows = []
            done = 0
            for label, clients, share in (
                ("1 client", 1, links[:half]),
                (f"{args.clients} clients", args.clients, links[half:]),
            ):
                seconds, latencies, failures = run(share, port, clients)
                done += len(share)
                rows.append((label, len(share), seconds, latencies, failures, unsubscribed(root) == done))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"one-click unsubscribes against masthead serve ({args.subscribers} subscribers, loopback)")
    print(f"{'':12} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7}  rows = requests")
    for label, count, seconds, latencies, failures, exact in rows:
        print(
            f"{label:12} {count:8d} {count / seconds:8.0f} {statistics.median(latencies) * 1000:8.1f}"
            f" {percentile(latencies, 0.99) * 1000:8.1f} {len(failures):7d}  {'yes' if exact else 'NO'}"
        )
    single, many = rows[0], rows[1]
    print(f"throughput, {many[0]} / 1 client: {(many[1] / many[2]) / (single[1] / single[2]):.2f}x")
    if not all(row[5] for row in rows) or any(row[4] for row in rows):
        raise SystemExit("some unsubscribes were lost or failed")


if __name__ == "__main__":
    main()
