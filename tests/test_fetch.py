"""What a build may load: data: URLs and files of the issue and the theme; never the network."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from masthead import PrintSettings, ResourceError, build, load_config, load_issue
from masthead.editions import source_edition
from masthead.email import write_email
from masthead.render import write_pdf
from masthead.render._fetch import PACKAGED_THEME

from .conftest import edit


class Recorder(BaseHTTPRequestHandler):
    """Answers every GET with a small PNG and remembers that it was asked."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = _png("#ff0000")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback: its base URL and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _png(colour: str) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(stream, "PNG")
    return stream.getvalue()


def _svg(href: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"\n'
        '     width="200" height="100" viewBox="0 0 200 100">\n'
        '  <rect width="200" height="100" fill="#0f4c5c"/>\n'
        f'  <image x="10" y="10" width="80" height="60" href="{href}"/>\n'
        "</svg>\n"
    )


def _images(pdf: Path) -> int:
    return sum(len(page.images) for page in PdfReader(pdf).pages)


def test_an_svg_cannot_make_the_build_reach_the_network(
    workspace: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    images = workspace / "issues" / "spring" / "images"
    (images / "cover.svg").write_text(_svg(f"{base}/svg-image.png"), encoding="utf-8")
    edit(workspace / "issues" / "spring" / "issue.yaml", "image: images/cover.png", "image: images/cover.svg")

    with pytest.raises(ResourceError) as caught:
        build(load_config(workspace), "spring")

    assert requests == []
    assert caught.value.path == images / "cover.svg" and caught.value.line == 4
    assert f"refused to load '{base}/svg-image.png'" in caught.value.message
    assert not (workspace / "build" / "spring" / "en" / "spring.en.pdf").exists()


def test_a_theme_stylesheet_cannot_reach_the_network(workspace: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    (workspace / "templates").mkdir()
    (workspace / "templates" / "custom.css").write_text(
        f'/* the masthead */\n.cover {{ background: url("{base}/tracker.png"); }}\n', encoding="utf-8"
    )
    with pytest.raises(ResourceError) as caught:
        build(load_config(workspace), "spring")
    assert requests == []
    assert caught.value.path == workspace / "templates" / "custom.css" and caught.value.line == 2


@pytest.mark.parametrize("how", ["file-url", "relative", "symlink", "other-host"])
def test_files_outside_the_issue_are_refused(tmp_path: Path, how: str) -> None:
    issue = tmp_path / "ws" / "issues" / "spring"
    (issue / "images").mkdir(parents=True)
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(_png("#00ff00"))
    href = {
        "file-url": secret.as_uri(),
        "relative": "../../../../outside/secret.png",
        "symlink": "linked.png",
        "other-host": "file://fileserver/outside/secret.png",
    }[how]
    (issue / "images" / "linked.png").symlink_to(secret)
    (issue / "images" / "logo.svg").write_text(_svg(href), encoding="utf-8")
    target = tmp_path / "out" / "x.pdf"
    page = '<html><body><p>Logo</p><img src="images/logo.svg" alt="logo"></body></html>'

    with pytest.raises(ResourceError) as caught:
        write_pdf(page, target, base_url=issue, settings=PrintSettings())

    assert caught.value.path == issue / "images" / "logo.svg" and caught.value.line == 4
    assert not target.exists() and not list(target.parent.glob("*.part"))


def test_data_urls_and_files_of_the_issue_and_theme_are_loaded(tmp_path: Path) -> None:
    issue = tmp_path / "ws" / "issues" / "spring"
    theme = tmp_path / "ws" / "templates"
    (issue / "images").mkdir(parents=True)
    theme.mkdir()
    (issue / "images" / "photo.png").write_bytes(_png("#123456"))
    (theme / "ornament.png").write_bytes(_png("#654321"))
    inline = "data:image/png;base64," + base64.b64encode(_png("#abcdef")).decode("ascii")
    (issue / "images" / "logo.svg").write_text(_svg("photo.png"), encoding="utf-8")
    (issue / "images" / "badge.svg").write_text(_svg(inline), encoding="utf-8")
    page = (
        f'<html><body><img src="{(theme / "ornament.png").as_uri()}" alt="ornament">'
        '<img src="images/logo.svg" alt="logo"><img src="images/badge.svg" alt="badge"></body></html>'
    )
    target = tmp_path / "out" / "x.pdf"
    write_pdf(page, target, base_url=issue, settings=PrintSettings(), theme=(theme,))
    # The theme's ornament, and the raster image inside each SVG.
    assert _images(target) == 3


@pytest.mark.parametrize("how", ["named", "sibling", "symlink"])
def test_prepared_images_are_loaded_by_name_and_nothing_beside_them(tmp_path: Path, how: str) -> None:
    issue = tmp_path / "ws" / "issues" / "spring"
    images = tmp_path / "ws" / "build" / "spring" / "images"
    issue.mkdir(parents=True)
    images.mkdir(parents=True)
    prepared = images / "photo.print.0123456789.png"
    prepared.write_bytes(_png("#123456"))
    (images / "other.png").write_bytes(_png("#654321"))  # written by anyone, named by no build
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(_png("#00ff00"))
    if how == "symlink":  # the named file swapped for a link to a file elsewhere
        prepared.unlink()
        prepared.symlink_to(secret)
    loaded = images / "other.png" if how == "sibling" else prepared
    page = f'<html><body><img src="{loaded.as_uri()}" alt="photo"></body></html>'
    target = tmp_path / "out" / "x.pdf"
    if how == "named":
        write_pdf(page, target, base_url=issue, settings=PrintSettings(), files=(prepared,))
        assert _images(target) == 1
    else:
        with pytest.raises(ResourceError):
            write_pdf(page, target, base_url=issue, settings=PrintSettings(), files=(prepared,))
        assert not target.exists()


def test_an_email_template_cannot_link_a_stylesheet(workspace: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    theme = workspace / "templates"
    theme.mkdir()
    packaged = (PACKAGED_THEME / "email.html").read_text(encoding="utf-8")
    (theme / "email.html").write_text(
        packaged.replace("<head>\n", f'<head>\n<link rel="stylesheet" href="{base}/mail.css">\n', 1),
        encoding="utf-8",
    )
    config = load_config(workspace)
    issue = load_issue(workspace / "issues" / "spring", root=workspace)
    with pytest.raises(ResourceError) as caught:
        write_email(source_edition(issue, config.source_language), config, None, workspace / "out")
    assert requests == []
    line = packaged[: packaged.index("<head>\n")].count("\n") + 2
    assert caught.value.path == theme / "email.html" and caught.value.line == line
