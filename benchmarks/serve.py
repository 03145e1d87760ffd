"""The reader service under load, against a running ``masthead serve``, measured with wrk.

(a) Pages: GET of the archive, the sign-up form and the Atom feed of the example (built once in a
    copy of the workspace), each against a Starlette hello-world app served by the same uvicorn
    with the same settings (masthead's ``server_config``), 50 keep-alive connections; the two are
    measured in turn, three rounds, and the median of each is compared: requests per second as a
    ratio, with the median and 99th percentile latency; and the hello-world app answering with the
    very bytes and headers of each page, which is what the page would cost with no work behind it.
(b) One-click unsubscribes (RFC 8058) as mailbox providers send them: every request a POST of
    ``List-Unsubscribe=One-Click`` to a different subscriber's link, by 1 connection and then by 50,
    on two parts of the list; requests per second, latency, and whether the number of subscribers
    marked unsubscribed in the store is the number of answers (none lost; those wrk had under way
    when it stopped may be on disk too, at most one per connection).

wrk (Debian's package ``wrk``; ``make bench`` installs it) uses one thread, so that the service,
which is one process, has the other core of a two-core machine.

    .venv/bin/python benchmarks/serve.py [--subscribers 20000] [--clients 50] [--seconds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Other benchmarks live next to this file (one is called email.py): keep them from shadowing the stdlib.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-benchmark-secret-long-enough"
ROUNDS = 3

HELLO = """\
import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from masthead.web import server_config

# The answers of masthead's pages as they came (body and headers), served as they are by /same/N.
ANSWERS = json.loads(open(sys.argv[2], encoding="utf-8").read())


async def hello(request):
    return PlainTextResponse("Hello, world!")


async def same(request):
    body, headers = ANSWERS[int(request.path_params["n"])]
    return Response(body.encode("utf-8"), headers=dict(headers))


app = Starlette(routes=[Route("/", hello), Route("/same/{n:int}", same)])
uvicorn.Server(server_config(app, host="127.0.0.1", port=int(sys.argv[1]), hsts=False)).run()
"""

# One wrk thread; each request takes the next path of the list in WRK_PATHS (round and round), or
# the URL's own; at the end, one line with what the summary says.
SCRIPT = textwrap.dedent("""\
    local method = os.getenv("WRK_METHOD") or "GET"
    local body = os.getenv("WRK_BODY")
    local headers = {}
    if body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    local paths = {}
    local list = os.getenv("WRK_PATHS")
    if list then for line in io.lines(list) do paths[#paths + 1] = line end end
    local sent = 0
    request = function()
      if #paths == 0 then return wrk.format(method, nil, headers, body) end
      sent = sent + 1
      return wrk.format(method, paths[(sent - 1) % #paths + 1], headers, body)
    end
    done = function(summary, latency, requests)
      local e = summary.errors
      io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(99),
        e.connect + e.read + e.write + e.status + e.timeout))
    end
""")


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def wrk(url: str, script: Path, *, connections: int, seconds: int, **env: str) -> Load:
    """``wrk`` against ``url`` for ``seconds`` with ``connections`` keep-alive connections."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url]
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    requests, duration, p50, p99, errors = (int(part) for part in line.split()[1:])
    return Load(requests, duration / 1e6, p50 / 1000, p99 / 1000, errors)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("a server did not start")


def masthead_serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "masthead", "-C", str(root), "serve", "--port", str(port)]
    environment = {**os.environ, "MASTHEAD_SECRET": SECRET}
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, server)
    return server


def hello_world(
    folder: Path, port: int, answers: list[tuple[str, list[tuple[str, str]]]]
) -> subprocess.Popen[bytes]:
    (folder / "hello.py").write_text(HELLO, encoding="utf-8")
    (folder / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    command = [sys.executable, str(folder / "hello.py"), str(port), str(folder / "answers.json")]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    wait_for(port, server)
    return server


def example_workspace(target: Path) -> Path:
    """A copy of the example workspace, built (every language that is published); a copy made by an
    earlier run is built again only if it is out of date."""
    if (target / "masthead.toml").is_file():
        subprocess.run(
            [sys.executable, "-m", "masthead", "-C", str(target), "build"], check=True, capture_output=True
        )
        return target
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "masthead.toml", target / "masthead.toml")
    for name in ("issues", "locales", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    print("building the example once, for the archive...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "masthead", "-C", str(target), "build"], check=True, capture_output=True
    )
    return target


def pages(folder: Path, script: Path, clients: int, seconds: int, example: Path | None) -> None:
    import masthead

    root = example_workspace(example or folder / "example")
    config = masthead.load_config(root)
    prefix = urlsplit(config.base_url).path
    tag = config.source_language.tag
    targets = {  # the routes README.md lists
        "archive": f"{prefix}archive/{tag}/",
        "sign-up form": f"{prefix}subscribe/{tag}",
        "Atom feed": f"{prefix}archive/{tag}/feed.atom",
    }
    hello_port, masthead_port = free_port(), free_port()
    servers = [masthead_serve(root, masthead_port)]
    try:
        answers = [answer(masthead_port, path) for path in targets.values()]
        servers.append(hello_world(folder, hello_port, answers))
        measured: dict[str, list[tuple[Load, Load, Load]]] = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for n, (name, path) in enumerate(targets.items()):
                hello = wrk(f"http://127.0.0.1:{hello_port}/", script, connections=clients, seconds=seconds)
                page = wrk(
                    f"http://127.0.0.1:{masthead_port}{path}", script, connections=clients, seconds=seconds
                )
                same = wrk(
                    f"http://127.0.0.1:{hello_port}/same/{n}", script, connections=clients, seconds=seconds
                )
                measured[name].append((hello, page, same))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print(f"(a) GET against a Starlette hello-world app, same uvicorn settings, {clients} connections")
    print("    ('same bytes': the hello-world app answering with the page's body and headers as they came)")
    print(
        f"{'':14} {'req/s':>8} {'hello':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'hello p99':>9}"
        f" {'same bytes':>10}  errors"
    )
    for name, rounds in measured.items():
        ratio = statistics.median(page.per_second / hello.per_second for hello, page, _ in rounds)
        same = statistics.median(same.per_second / hello.per_second for hello, _, same in rounds)
        page_rate = statistics.median(page.per_second for _, page, _ in rounds)
        hello_rate = statistics.median(hello.per_second for hello, _, _ in rounds)
        p50 = statistics.median(page.p50_ms for _, page, _ in rounds)
        p99 = statistics.median(page.p99_ms for _, page, _ in rounds)
        hello_p99 = statistics.median(hello.p99_ms for hello, _, _ in rounds)
        errors = sum(page.errors + hello.errors + same.errors for hello, page, same in rounds)
        print(
            f"{name:14} {page_rate:8.0f} {hello_rate:8.0f} {ratio:5.2f}x {p50:7.1f} {p99:7.1f}"
            f" {hello_p99:9.1f} {same:9.2f}x  {errors}"
        )


def answer(port: int, path: str) -> tuple[str, list[tuple[str, str]]]:
    """The body and headers of one GET (those the server sets itself left out)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        skip = {"content-length", "date", "server", "connection"}
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in skip]
        return response.read().decode("utf-8"), headers


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


def subscribers(root: Path, count: int) -> list[str]:
    """A workspace with ``count`` active subscribers; the path and query of each one's unsubscribe link."""
    import masthead
    from masthead.delivery import import_subscribers, list_subscribers, make_unsubscribe_token

    root.mkdir()
    (root / "masthead.toml").write_text(CONFIG, encoding="utf-8")
    rows = "".join(f"reader{n:06d}@example.net,Reader {n},{'fr' if n % 2 else 'en'}\n" for n in range(count))
    (root / "list.csv").write_text("address,name,language\n" + rows, encoding="utf-8")
    config = masthead.load_config(root)
    import_subscribers(config, root / "list.csv")
    links = []
    for subscriber in list_subscribers(config):
        token = make_unsubscribe_token(subscriber.public_id, "spring", SECRET)
        split = urlsplit(f"{config.base_url}unsubscribe?token={token}")
        links.append(f"{split.path}?{split.query}")
    return links


def unsubscribed(root: Path) -> int:
    conn = sqlite3.connect(root / "subscribers.sqlite3")
    try:
        return int(
            conn.execute("SELECT count(*) FROM subscribers WHERE status = 'unsubscribed'").fetchone()[0]
        )
    finally:
        conn.close()


def one_click(folder: Path, script: Path, count: int, clients: int, seconds: int) -> None:
    root = folder / "subscribers"
    links = subscribers(root, count)
    port = free_port()
    server = masthead_serve(root, port)
    rows = []
    try:
        done = unsubscribed(root)
        for label, connections, share in (
            ("1 connection", 1, links[: count // 4]),
            (f"{clients} connections", clients, links[count // 4 :]),
        ):
            (folder / "links").write_text("\n".join(share) + "\n", encoding="ascii")
            load = wrk(
                f"http://127.0.0.1:{port}/",
                script,
                connections=connections,
                seconds=seconds,
                WRK_PATHS=str(folder / "links"),
                WRK_METHOD="POST",
                WRK_BODY="List-Unsubscribe=One-Click",
            )
            # Every request answered is on disk (rows >= requests); those still under way when wrk
            # stopped may be too, one per connection at most.
            before, done = done, unsubscribed(root)
            posted = done - before
            exact = load.requests <= posted <= load.requests + connections
            rows.append((label, load, exact, load.requests < len(share)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"(b) one-click unsubscribes, each to another of {count} subscribers (SQLite store)")
    print(f"{'':15} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  rows = answers")
    for label, load, exact, within in rows:
        note = "yes" if exact else "NO"
        if not within:
            note += " (the list ran out: raise --subscribers)"
        print(
            f"{label:15} {load.requests:8d} {load.per_second:7.0f} {load.p50_ms:7.1f} {load.p99_ms:7.1f}"
            f" {load.errors:6d}  {note}"
        )
    if not all(exact for _, _, exact, _ in rows) or any(load.errors for _, load, _, _ in rows):
        raise SystemExit("some unsubscribes were lost or failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--parts", default="ab", help="which figures to measure: any of ab")
    parser.add_argument("--example", type=Path, help="where to keep the built copy of the example for (a)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("benchmarks/serve.py needs wrk: run 'make bench', or 'apt-get install wrk'")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        script = folder / "load.lua"
        script.write_text(SCRIPT, encoding="utf-8")
        if "a" in args.parts:
            pages(folder, script, args.clients, args.seconds, args.example)
        if "b" in args.parts:
            one_click(folder, script, args.subscribers, args.clients, args.seconds)


if __name__ == "__main__":
    main()
