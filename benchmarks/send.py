"""Sending a campaign: messages per second and peak memory, by store, senders, SMTP server and DKIM.

Each configuration gets a fresh workspace (three editions) and subscriber list; the campaign is then
sent by one or more ``masthead send`` processes at once (several only with PostgreSQL, where they
share the campaign by leasing batches), to one of two local SMTP servers that accept everything:
aiosmtpd (Python, in this process) and Postfix's ``smtp-sink`` (C; Debian's ``postfix`` package).
Printed: messages per second over the whole campaign (first sender started to last one done), and
the largest peak resident memory of any sender, before and during sending. Memory should not grow
with the list: rows are streamed or leased in batches, messages made one at a time.

    .venv/bin/python benchmarks/send.py [--sizes 10000 100000] [--stores sqlite postgresql]
        [--senders 1 2 4] [--servers aiosmtpd smtp-sink] [--dkim off on] [--connections 4]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

# Other benchmarks live next to this file (one is called email.py): keep them from shadowing the stdlib.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]

LANGUAGES = ["en", "fr", "zh-Hans"]
PREFERENCES = ["en", "fr", "zh-Hans", "zh-TW", "pt-BR", "fr-CA"]
SECRET = "benchmark-secret-benchmark-secret"
SMTP_SINK = "/usr/sbin/smtp-sink"
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
"""


class Sink:
    """An aiosmtpd handler that accepts every message and keeps only a count."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the sender processes --------------------------------------------------------------------------------


def prepare(
    ws: Path, size: int, port: int, connections: int, dkim: bool, database: str | None
) -> dict[str, float]:
    """A workspace with the three editions' email written and ``size`` subscribers imported."""
    import masthead
    from masthead._scaffold import init_workspace
    from masthead.delivery import import_subscribers
    from masthead.editions import source_edition
    from masthead.email import write_email
    from masthead.sources import find_issue, load_issue

    init_workspace(ws, "Benchmark News")
    languages = "[" + ", ".join(f'"{tag}"' for tag in LANGUAGES) + "]"
    settings = CONFIG.format(languages=languages, port=port, connections=connections)
    if database:
        settings += f'\n[subscribers]\ndatabase = "{database}"\n'
    if dkim:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (ws / "dkim.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        settings += '\n[dkim]\nkeys = { bench = "dkim.pem" }\n'
    (ws / "masthead.toml").write_text(settings, encoding="utf-8")
    config = masthead.load_config(ws)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    sizes = []
    for tag in LANGUAGES:
        edition = source_edition(issue, config.language(tag))
        sizes.append(len(write_email(edition, config, None, config.output / issue.slug / tag).template.data))
    csv = ws / "subscribers.csv"
    with csv.open("w", encoding="utf-8") as stream:
        stream.write("address,name,language\n")
        for number in range(size):
            stream.write(f"reader{number}@example.net,Reader {number},{PREFERENCES[number % 6]}\n")
    started = time.perf_counter()
    imported = import_subscribers(config, csv)
    assert imported.added == size and not imported.problems, imported.format()
    return {
        "import_per_second": size / (time.perf_counter() - started),
        "message_kb": sum(sizes) / len(sizes) / 1024,
    }


def send(ws: Path) -> dict[str, float]:
    import masthead
    from masthead.delivery import send_campaign
    from masthead.sources import find_issue

    os.environ["MASTHEAD_SECRET"] = SECRET
    config = masthead.load_config(ws)
    slug = find_issue(config.issues_dir, None).name
    before = _rss_mb()
    started = time.time()
    report = send_campaign(config, slug)
    finished = time.time()
    assert report.complete, report.format()
    return {
        "sent": report.sent,
        "started": started,
        "finished": finished,
        "rss_before": before,
        "rss_peak": _rss_mb(),
    }


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"{' '.join(args)}: failed\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _senders(ws: Path, count: int) -> list[dict[str, Any]]:
    command = [sys.executable, __file__, "--child", "send", str(ws)]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(count)
    ]
    results = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode:
            sys.exit(f"a sender failed\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


# -- the servers -----------------------------------------------------------------------------------------


def _aiosmtpd(stack: ExitStack) -> int:
    from aiosmtpd.controller import Controller

    port = _free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    stack.callback(controller.stop)
    return port


def _smtp_sink(stack: ExitStack) -> int:
    if not os.path.exists(SMTP_SINK):
        sys.exit(f"{SMTP_SINK} is missing: 'make bench' installs Debian's postfix package, which has it")
    port = _free_port()
    user = ["-u", "nobody"] if os.geteuid() == 0 else []
    process = subprocess.Popen([SMTP_SINK, *user, f"127.0.0.1:{port}", "1024"], stdout=subprocess.DEVNULL)
    stack.callback(process.wait)
    stack.callback(process.terminate)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port
        except OSError:
            if time.monotonic() > deadline:
                sys.exit("smtp-sink did not start")
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--senders", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--servers", nargs="+", default=["aiosmtpd", "smtp-sink"], choices=["aiosmtpd", "smtp-sink"]
    )
    parser.add_argument("--dkim", nargs="+", default=["off", "on"], choices=["off", "on"])
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        role, *rest = args.child
        if role == "prepare":
            ws, size, port, connections, dkim, database = rest
            result = prepare(Path(ws), int(size), int(port), int(connections), dkim == "on", database or None)
        else:
            result = send(Path(rest[0]))
        print(json.dumps(result))
        return

    rows = []
    with ExitStack() as stack:
        postgres = None
        if "postgresql" in args.stores:
            sys.path.insert(0, str(HERE.parent))
            from tests.postgres import TemporaryPostgres

            postgres = stack.enter_context(TemporaryPostgres())
            os.environ["MASTHEAD_DATABASE_PASSWORD"] = postgres.password
        ports = {name: (_aiosmtpd if name == "aiosmtpd" else _smtp_sink)(stack) for name in args.servers}
        for size in args.sizes:
            for store in args.stores:
                for senders in args.senders if store == "postgresql" else [1]:
                    for server in args.servers:
                        for dkim in args.dkim:
                            folder = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
                            try:
                                database = postgres.database() if postgres and store == "postgresql" else ""
                                prepared = _child(
                                    "prepare", str(folder / "ws"), str(size), str(ports[server]),
                                    str(args.connections), dkim, database,
                                )  # fmt: skip
                                results = _senders(folder / "ws", senders)
                            finally:
                                shutil.rmtree(folder, ignore_errors=True)
                            sent = sum(r["sent"] for r in results)
                            assert sent == size, f"{sent} sent of {size}"
                            seconds = max(r["finished"] for r in results) - min(r["started"] for r in results)
                            rows.append({
                                "size": size, "store": store, "senders": senders, "server": server,
                                "dkim": dkim, "per_second": size / seconds, "seconds": seconds,
                                "rss_before": max(r["rss_before"] for r in results),
                                "rss_peak": max(r["rss_peak"] for r in results),
                                "import_per_second": prepared["import_per_second"],
                                "message_kb": prepared["message_kb"],
                            })  # fmt: skip
                            row = rows[-1]
                            print(
                                f"  {size:>7,} {store:<10} x{senders} {server:<9} dkim {dkim:<3}"
                                f" {row['per_second']:>6.0f} msg/s",
                                file=sys.stderr,
                                flush=True,
                            )

    print(
        f"{args.connections} SMTP connections per sender; {len(LANGUAGES)} editions;"
        f" messages of about {rows[0]['message_kb']:.0f} KB"
    )
    print(
        f"{'subscribers':>11} {'store':<10} {'senders':>7} {'server':<9} {'DKIM':<4} {'msg/s':>6}"
        f" {'seconds':>8} {'RSS before':>10} {'peak RSS':>9} {'import/s':>9}"
    )
    for r in rows:
        print(
            f"{r['size']:>11,} {r['store']:<10} {r['senders']:>7} {r['server']:<9} {r['dkim']:<4}"
            f" {r['per_second']:>6.0f} {r['seconds']:>8.1f} {r['rss_before']:>7.1f} MB"
            f" {r['rss_peak']:>6.1f} MB {r['import_per_second']:>9.0f}"
        )


if __name__ == "__main__":
    main()
