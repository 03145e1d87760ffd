"""Machine translation against translation APIs served on loopback: the real deep-translator clients
and the real HTTP path, with servers that translate, drop links, rate-limit, fail and go away."""

from __future__ import annotations

import datetime
import html
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from deep_translator import constants

from masthead import build, load_config
from masthead.catalogs import (
    MACHINE_FLAG,
    MACHINE_UNCHECKED_FLAG,
    completeness,
    po_path,
    publishable,
    read_catalog,
    stats,
    update,
    write_catalog,
)
from masthead.cli import cli
from masthead.editions import translated_edition
from masthead.translate import RetryPolicy, TranslationError, translate_issue
from masthead.translate._protect import restore, shield, split

from .conftest import edit, pdf_pages
from .translating import issue_of

TODAY = datetime.date(2026, 11, 28)
FAST = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0, timeout=5.0)
NOTICE_FR = "traduites automatiquement"


def fake_french(text: str) -> str:
    """A translation engine in miniature: words change, markers stay where they are."""
    return re.sub(r"(⟦\d+⟧)|([A-Za-z]+)", lambda m: m.group(1) or f"fr-{m.group(2)}", text)


Reply = tuple[int, Any, dict[str, str]]


@dataclass
class Api:
    """What a loopback translation server does and what it was asked."""

    answer: Callable[[str], str] = fake_french
    script: list[Reply | None] = field(default_factory=list)
    """Replies for the next translate requests, in order (``None``: answer normally)."""
    fail_after: int | None = None
    """After this many translations, answer every request with HTTP 500."""
    texts: list[str] = field(default_factory=list)
    """Every text the server translated successfully."""
    requests: int = 0
    params: list[dict[str, str]] = field(default_factory=list)

    def reply(self, q: str) -> Reply:
        self.requests += 1
        if self.script:
            scripted = self.script.pop(0)
            if scripted is not None:
                return scripted
        if self.fail_after is not None and len(self.texts) >= self.fail_after:
            return 500, {"error": "translation model crashed"}, {}
        self.texts.append(q)
        return 200, self.answer(q), {}


def serve(api: Api, kind: str) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _params(self) -> dict[str, str]:
            query = parse_qs(urlsplit(self.path).query)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                query.update(parse_qs(self.rfile.read(length).decode()))
            return {k: v[0] for k, v in query.items()}

        def _send(self, status: int, body: str, headers: dict[str, str], ctype: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_HEAD(self) -> None:
            self._send(200, "", {}, "text/plain")

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if kind == "libre" and path == "/languages":
                codes = [{"code": c, "name": c, "targets": ["en", "fr", "ar"]} for c in ("en", "fr", "ar")]
                return self._send(200, json.dumps(codes), {}, "application/json")
            params = self._params()
            if kind == "mymemory" and path == "/get":
                api.params.append(params)
                status, text, headers = api.reply(params["q"])
                body = {"responseData": {"translatedText": text}, "matches": []} if status == 200 else text
                return self._send(status, json.dumps(body), headers, "application/json")
            if kind == "google" and path == "/m":
                api.params.append(params)
                status, text, headers = api.reply(params["q"])
                page = f'<html><body><div class="result-container">{html.escape(text)}</div></body></html>'
                ctype = "text/html; charset=utf-8"
                return self._send(status, page if status == 200 else "error", headers, ctype)
            self._send(200 if path == "/" else 404, "", {}, "text/plain")

        def do_POST(self) -> None:
            params = self._params()
            if kind == "libre" and urlsplit(self.path).path == "/translate":
                api.params.append(params)
                status, text, headers = api.reply(params["q"])
                body = {"translatedText": text} if status == 200 else text
                return self._send(status, json.dumps(body), headers, "application/json")
            self._send(404, "{}", {}, "application/json")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def api() -> Api:
    return Api()


@pytest.fixture
def libre(api: Api) -> Iterator[str]:
    yield from serve(api, "libre")


@pytest.fixture
def french(workspace: Path, libre: str) -> Path:
    """The test workspace in English and French, its French catalog made, a LibreTranslate server set."""
    edit(workspace / "masthead.toml", 'languages = ["en"]', 'languages = ["en", "fr"]')
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[translation]\nprovider = "libre"\nbase_url = "{libre}/"\n')
    config = load_config(workspace)
    update(config, issue_of(workspace), config.languages)
    return workspace


def fr_catalog_path(root: Path) -> Path:
    config = load_config(root)
    return po_path(config.locales_dir, config.language("fr"), "spring")


def run(root: Path, provider: str | None = None, **kwargs: Any) -> Any:
    config = load_config(root)
    kwargs.setdefault("policy", FAST)
    kwargs.setdefault("sleep", lambda seconds: None)
    kwargs.setdefault("env", {})
    return translate_issue(config, issue_of(root), config.language("fr"), provider, today=TODAY, **kwargs)


def set_entry(path: Path, msgid: str, string: str, fuzzy: bool = False) -> None:
    catalog = read_catalog(path)
    message = catalog[msgid]
    message.string = string
    if fuzzy:
        message.flags.add("fuzzy")
    write_catalog(path, catalog)


# --- the markers ---------------------------------------------------------------------------------


def test_markdown_urls_numbers_names_and_placeholders_are_shielded_and_restored() -> None:
    source = (
        "On *1 March* **Harbour Friends** opened the [new pier](https://harbour.example.org/pier) "
        "at 14:00; write to hello@harbour.example.org, see `pier.txt` or https://example.org/a, %(n)s {name}."
    )
    shielded = shield(source, ["Harbour Friends"])
    for kept in ("Harbour Friends", "https://", "hello@", "14", "pier.txt", "%(n)s", "{name}", "*", "["):
        assert kept not in shielded.text
    assert "opened the" in shielded.text and "new pier" in shielded.text
    # A provider that spaces out the markers: restored as the source had them.
    spaced = re.sub(r"⟦(\d+)⟧", r" ⟦\1⟧ ", fake_french(shielded.text))
    restored, problems = restore(shielded, spaced)
    assert problems == []
    assert "fr-On *1 fr-March* **Harbour Friends** fr-opened" in restored
    assert "[fr-new fr-pier](https://harbour.example.org/pier) fr-at 14:00" in restored
    assert "**Harbour Friends**" in restored and "hello@harbour.example.org" in restored
    _, problems = restore(shielded, shielded.text.replace("⟦5⟧", "").replace("⟦2⟧", "⟦2⟧⟦2⟧"))
    assert any("lost" in p for p in problems) and any("repeated" in p for p in problems)


def test_long_text_is_split_at_sentence_ends_within_the_limit() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    pieces = split(text, 100)
    assert all(len(p) <= 100 for p in pieces) and len(pieces) > 5
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


# --- LibreTranslate on loopback ------------------------------------------------------------------


def test_fills_only_untranslated_entries_fuzzy_and_marked(french: Path, api: Api) -> None:
    path = fr_catalog_path(french)
    set_entry(path, "Spring at the Harbour", "Le printemps au port")
    set_entry(path, "The Pier Reopens", "Le quai rouvre (brouillon)", fuzzy=True)
    report = run(french)
    catalog = read_catalog(path)
    assert catalog["Spring at the Harbour"].string == "Le printemps au port"
    assert catalog["Spring at the Harbour"].flags == set()
    assert catalog["The Pier Reopens"].string == "Le quai rouvre (brouillon)"
    assert MACHINE_FLAG not in catalog["The Pier Reopens"].flags
    machine = [m for m in catalog if m.id and MACHINE_FLAG in m.flags]
    assert report.filled == len(machine) == report.untranslated and report.unchecked == 0
    for message in machine:
        assert message.fuzzy and message.string
        assert "machine translation: libre, 2026-11-28" in message.user_comments
    assert all(m.string for m in catalog if m.id)
    lead = next(m for m in machine if "pier reopened" in m.id)
    assert "*fr-bright*" in lead.string
    assert "[fr-map](https://harbour.example.org/map)" in lead.string
    # Nothing that must not change reached the provider: not the URL, not the names.
    sent = " ".join(api.texts)
    assert "harbour.example.org" not in sent and "Harbour Friends" not in sent
    assert "target" in api.params[0] and api.params[0]["target"] == "fr"
    # Counted apart, published only when settings say so.
    config = load_config(french)
    row = next(r for r in stats(config, issue_of(french), config.languages) if r.domain == "spring")
    assert row.machine == len(machine) and row.translated == 1 and row.fuzzy == 1
    assert completeness(issue_of(french), catalog, publish_machine=False) < 10
    assert completeness(issue_of(french), catalog, publish_machine=True) > 95


def test_a_dropped_link_is_kept_flagged_and_never_published(french: Path, api: Api) -> None:
    api.answer = lambda q: re.sub(r"⟦\d+⟧", "", fake_french(q)) if "map" in q else fake_french(q)
    report = run(french)
    assert report.unchecked == 1
    catalog = read_catalog(fr_catalog_path(french))
    lead = next(m for m in catalog if m.id and "pier reopened" in m.id)
    assert {MACHINE_FLAG, MACHINE_UNCHECKED_FLAG, "fuzzy"} <= lead.flags
    assert "lost emphasis, the link to https://harbour.example.org/map" in " ".join(lead.user_comments)
    assert not publishable(lead.string, lead.flags, publish_machine=True)
    edition = translated_edition(issue_of(french), load_config(french).language("fr"), catalog,
                                 publish_machine=True)  # fmt: skip
    body = edition.issue.articles[0].body
    assert any("pier reopened" in str(getattr(block, "text", "")) for block in body)
    assert edition.machine_translated


def test_script_from_the_provider_is_flagged_and_escaped_if_ever_published(french: Path, api: Api) -> None:
    api.answer = lambda q: "<script>alert(1)</script>" if q == "Mending Nets" else fake_french(q)
    run(french)
    path = fr_catalog_path(french)
    nets = read_catalog(path)["Mending Nets"]
    assert MACHINE_UNCHECKED_FLAG in nets.flags
    assert "markup the source does not have: </script>, <script>" in " ".join(nets.user_comments)
    # Even when a reviewer lets it through, it is never published: the source text stands in its place.
    catalog = read_catalog(path)
    catalog["Mending Nets"].flags.clear()
    write_catalog(path, catalog)
    edit(french / "masthead.toml", 'provider = "libre"', 'provider = "libre"\npublish_machine = true')
    report = build(load_config(french), "spring", ["fr"])
    out = french / "build" / "spring" / "fr"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" not in page and "Mending Nets" in page
    assert "<script" not in (out / "email.html").read_text(encoding="utf-8")
    text = " ".join(pdf_pages(report.built[0].pdf))
    assert "<script>" not in text and "Mending Nets" in " ".join(text.split())
    # The edition uses machine translations: its readers are told, in French, everywhere.
    assert NOTICE_FR in " ".join(text.split())
    assert NOTICE_FR in page
    assert NOTICE_FR in (out / "email.html").read_text(encoding="utf-8")
    assert NOTICE_FR in " ".join((out / "email.txt").read_text(encoding="utf-8").split())


def test_rate_limit_then_success_honours_retry_after(french: Path, api: Api) -> None:
    api.script = [(429, {"error": "Too many requests"}, {"Retry-After": "7"}), None,
                  (503, {"error": "busy"}, {})]  # fmt: skip
    waits: list[float] = []
    policy = RetryPolicy(attempts=3, base_delay=0.5, max_delay=30.0, timeout=5.0)
    report = run(french, policy=policy, sleep=waits.append)
    assert waits == [7.0, 0.5]
    assert report.failed == 0 and report.filled == report.untranslated


def test_server_error_stops_with_a_clear_message_and_keeps_nothing_broken(french: Path, api: Api) -> None:
    api.fail_after = 0
    with pytest.raises(TranslationError) as caught:
        run(french)
    message = caught.value.format()
    assert "HTTP 500" in message and "translation model crashed" in message and "3 times" in message
    assert "run the same command again" in message
    assert api.requests == 3
    edit(french / "masthead.toml", 'provider = "libre"', 'provider = "libre"\nretry_delay = 0')
    result = CliRunner().invoke(cli, ["-C", str(french), "translate", "-l", "fr"])
    assert result.exit_code == 1 and "translation model crashed" in result.output
    assert api.requests == 3 + 6  # [translation] max_attempts, 6 by default


def test_an_interrupted_run_resumes_without_asking_again(french: Path, api: Api) -> None:
    api.fail_after = 6
    with pytest.raises(TranslationError, match="translation model crashed"):
        run(french, save_every=2)
    first = list(api.texts)
    saved = [m for m in read_catalog(fr_catalog_path(french)) if m.id and MACHINE_FLAG in m.flags]
    assert len(first) == 6 and 3 <= len(saved) <= 6
    api.fail_after, api.texts = None, []
    report = run(french)
    assert not set(first) & set(api.texts), "a text translated before was sent again"
    assert report.requests == len(api.texts)
    assert all(m.string for m in read_catalog(fr_catalog_path(french)) if m.id)


def test_the_cache_means_the_same_text_is_never_paid_for_twice(french: Path, api: Api) -> None:
    first = run(french)
    assert first.requests == len(api.texts) > 0 and first.cached < first.requests
    assert (french / ".masthead-cache" / "translations.sqlite3").is_file()
    fr_catalog_path(french).unlink()
    config = load_config(french)
    update(config, issue_of(french), config.languages)
    api.texts = []
    second = run(french)
    assert api.texts == [] and second.requests == 0 and second.filled == first.filled


def test_a_person_translating_meanwhile_is_never_overwritten(french: Path, api: Api) -> None:
    path = fr_catalog_path(french)

    def translate_and_meanwhile_a_person_writes(q: str) -> str:
        if q == "Mending Nets":
            set_entry(path, "New Boats", "Nouveaux bateaux")
        return fake_french(q)

    api.answer = translate_and_meanwhile_a_person_writes
    run(french)
    boats = read_catalog(path)["New Boats"]
    assert boats.string == "Nouveaux bateaux" and MACHINE_FLAG not in boats.flags


# --- before any work starts ----------------------------------------------------------------------


def test_problems_are_reported_before_any_work(french: Path, api: Api) -> None:
    path = fr_catalog_path(french)
    before = path.read_bytes()
    with pytest.raises(TranslationError, match="MICROSOFT_API_KEY"):
        run(french, "microsoft")
    with pytest.raises(TranslationError, match="BAIDU_APPKEY"):
        run(french, "baidu", env={"BAIDU_APPID": "id"})
    with pytest.raises(TranslationError) as caught:
        run(french, "deepl", env={"DEEPL_API_KEY": "k"})
    assert "Authorization" in caught.value.format() and "libre" in caught.value.format()
    for broken in ("yandex", "papago", "tencent", "qcri", "chatgpt"):
        with pytest.raises(TranslationError, match="cannot be used"):
            run(french, broken, env={"X": "y"})
    with pytest.raises(TranslationError, match="did you mean 'libre'"):
        run(french, "libra")
    edit(french / "masthead.toml", 'provider = "libre"', 'provider = "libre"\napi_key_env = "LT_KEY"')
    with pytest.raises(TranslationError, match="LT_KEY"):
        run(french)
    assert path.read_bytes() == before and api.requests == 0


def test_an_unreachable_server_is_reported_before_any_work(french: Path, api: Api) -> None:
    toml = french / "masthead.toml"
    toml.write_text(re.sub(r"http://127.0.0.1:\d+/", "http://127.0.0.1:9/", toml.read_text()))
    before = fr_catalog_path(french).read_bytes()
    with pytest.raises(TranslationError, match="cannot reach LibreTranslate at http://127.0.0.1:9"):
        run(french)
    assert fr_catalog_path(french).read_bytes() == before


# --- other providers on loopback: MyMemory and Google ---------------------------------------------


@pytest.mark.parametrize("kind", ["mymemory", "google"])
def test_other_providers_on_loopback(french: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    api = Api()
    for base in serve(api, kind):
        key = {"mymemory": "MYMEMORY", "google": "GOOGLE_TRANSLATE"}[kind]
        monkeypatch.setitem(constants.BASE_URLS, key, base + ("/get" if kind == "mymemory" else "/m"))
        report = run(french, kind)
    catalog = read_catalog(fr_catalog_path(french))
    assert report.filled == report.untranslated and report.unchecked == 0
    assert all(m.string and m.fuzzy and MACHINE_FLAG in m.flags for m in catalog if m.id)
    if kind == "mymemory":
        assert api.params[0]["langpair"] == "en-GB|fr-FR"
        # Its 500-byte limit: the long paragraphs went in several requests, split at sentence ends.
        assert max(len(t.encode()) for t in api.texts) <= 480
        chunks = [text for text in api.texts if "tide" in text]
        assert len(chunks) >= 2 and all(text.endswith(".") for text in chunks)
        assert report.cached > 0  # the same sentences again: taken from the cache
    else:
        assert (api.params[0]["sl"], api.params[0]["tl"]) == ("en", "fr")


# --- the command and the build --------------------------------------------------------------------


def test_command_fills_french_and_build_follows_publish_machine(french: Path, api: Api) -> None:
    result = CliRunner().invoke(cli, ["-C", str(french), "translate", "-l", "fr"])
    assert result.exit_code == 0, result.output
    assert "filled by libre" in result.output
    stats_out = CliRunner().invoke(cli, ["-C", str(french), "catalog", "stats", "-l", "fr", "--json"])
    rows = json.loads(stats_out.output)
    issue_row = next(r for r in rows if r["domain"] == "spring")
    assert issue_row["untranslated"] == 0 and issue_row["machine"] == issue_row["total"]
    # Publishing off: French stays unpublished, as if untranslated.
    report = build(load_config(french), "spring", ["fr"])
    assert report.built == () and report.skipped[0][0].tag == "fr"


def test_libre_without_a_server_or_key_says_what_is_missing() -> None:
    from masthead._config import TranslationSettings
    from masthead.translate._providers import credentials, provider

    with pytest.raises(TranslationError) as caught:
        credentials(provider("libre"), TranslationSettings(provider="libre"), {})
    assert "base_url is not set" in caught.value.message
    assert "http://localhost:5000" in (caught.value.hint or "")
    # With its own server, LibreTranslate needs no key.
    settings = TranslationSettings(provider="libre", base_url="http://127.0.0.1:5000")
    assert credentials(provider("libre"), settings, {}).key is None
