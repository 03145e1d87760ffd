"""Sending a campaign to 1,000 and 10,000 subscribers: to a local sink SMTP server and to a Maildir.

Each run is a fresh process (so its peak memory is its own): it imports the subscribers from a CSV
file, then sends the issue in three languages. Printed side by side: messages per second, and the
process's peak resident memory before and after sending, and how both change from the small list to
the large one. Memory should not grow with the list: rows are streamed from SQLite, messages made
one at a time.

    .venv/bin/python benchmarks/send.py [--sizes 1000 10000] [--connections 4]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

# Other benchmarks live next to this file (one is called email.py): keep them from shadowing the stdlib.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

LANGUAGES = ["en", "fr", "zh-Hans"]
PREFERENCES = ["en", "fr", "zh-Hans", "zh-TW", "pt-BR", "fr-CA"]
CONFIG = """\
[newsletter]
name = "Benchmark News"
publisher = "Benchmark"
source_language = "en"
languages = {languages}
base_url = "https://news.example.org/"

[email]
sender = "Benchmark News <news@example.org>"

[delivery]
smtp_host = "127.0.0.1"
smtp_port = {port}
rate_per_second = 1000000
connections = {connections}
maildir = "outbox"
"""


class Sink:
    """Accepts every message and keeps only a count."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(size: int, transport: str, port: int, connections: int, folder: Path) -> dict[str, float]:
    import masthead
    from masthead._scaffold import init_workspace
    from masthead.delivery import import_subscribers, send_campaign
    from masthead.editions import source_edition
    from masthead.email import write_email
    from masthead.sources import find_issue, load_issue

    ws = folder / "ws"
    init_workspace(ws, "Benchmark News")
    languages = "[" + ", ".join(f'"{tag}"' for tag in LANGUAGES) + "]"
    (ws / "masthead.toml").write_text(
        CONFIG.format(languages=languages, port=port, connections=connections), encoding="utf-8"
    )
    config = masthead.load_config(ws)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    sizes = []
    for tag in LANGUAGES:
        edition = source_edition(issue, config.language(tag))
        sizes.append(len(write_email(edition, config, None, config.output / issue.slug / tag).template.data))
    csv = folder / "subscribers.csv"
    with csv.open("w", encoding="utf-8") as stream:
        stream.write("address,name,language\n")
        for number in range(size):
            stream.write(f"reader{number}@example.net,Reader {number},{PREFERENCES[number % 6]}\n")
    started = time.perf_counter()
    imported = import_subscribers(config, csv)
    import_seconds = time.perf_counter() - started
    assert imported.added == size and not imported.problems, imported.format()

    before = _rss_mb()
    os.environ["MASTHEAD_SECRET"] = "benchmark-secret-benchmark-secret"
    started = time.perf_counter()
    report = send_campaign(config, issue.slug, transport=transport)
    seconds = time.perf_counter() - started
    assert report.sent == size and report.complete, report.format()
    return {
        "import_per_second": size / import_seconds,
        "per_second": size / seconds,
        "seconds": seconds,
        "rss_before": before,
        "rss_peak": _rss_mb(),
        "message_kb": sum(sizes) / len(sizes) / 1024,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--child", nargs=3, metavar=("SIZE", "TRANSPORT", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, transport, port = int(args.child[0]), args.child[1], int(args.child[2])
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(child(size, transport, port, args.connections, Path(folder))))
        return

    from aiosmtpd.controller import Controller

    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    results: dict[tuple[str, int], dict[str, float]] = {}
    try:
        for transport in ("smtp", "maildir"):
            for size in args.sizes:
                command = [sys.executable, __file__, "--connections", str(args.connections)]
                command += ["--child", str(size), transport, str(port)]
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode:
                    sys.exit(f"{transport} {size}: failed\n{done.stderr}")
                results[transport, size] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        controller.stop()

    kilobytes = next(iter(results.values()))["message_kb"]
    print(f"{args.connections} connections; {len(LANGUAGES)} editions; messages of about {kilobytes:.0f} KB")
    print(f"{'transport':<9} {'subscribers':>11} {'msgs/s':>8} {'seconds':>8} {'import/s':>9}"
          f" {'RSS before send':>16} {'peak RSS':>9}")  # fmt: skip
    for (transport, size), r in results.items():
        print(
            f"{transport:<9} {size:>11,} {r['per_second']:>8.0f} {r['seconds']:>8.1f}"
            f" {r['import_per_second']:>9.0f} {r['rss_before']:>13.1f} MB {r['rss_peak']:>6.1f} MB"
        )
    small, large = min(args.sizes), max(args.sizes)
    if small != large:
        print(f"from {small:,} to {large:,} subscribers ({large // small}x):")
        for transport in ("smtp", "maildir"):
            a, b = results[transport, small], results[transport, large]
            print(
                f"  {transport}: rate x{b['per_second'] / a['per_second']:.2f},"
                f" peak memory x{b['rss_peak'] / a['rss_peak']:.2f}"
                f" ({b['rss_peak'] - a['rss_peak']:+.1f} MB), memory grown while sending:"
                f" {a['rss_peak'] - a['rss_before']:.1f} MB and {b['rss_peak'] - b['rss_before']:.1f} MB"
            )
    print(f"sink server received {sink.count:,} messages")


if __name__ == "__main__":
    main()
