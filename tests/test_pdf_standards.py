"""PDF standards: every variant the settings accept is written, and every PDF is tagged for screen readers."""

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from masthead import build, load_config
from masthead._config import PrintSettings, pdf_variants
from masthead.editions import source_edition
from masthead.render import pdf_options, render_print
from masthead.sources import find_issue, load_issue

from .conftest import write_workspace


def pdfinfo(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(pdf)], capture_output=True, text=True, check=True).stdout


def figure_alt_texts(pdf: Path) -> list[str]:
    """The alternative text of every Figure element of the PDF's structure tree, in reading order."""
    found: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                walk(kid)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """The small workspace's English print edition, laid out once for every variant to write."""
    root = write_workspace(tmp_path_factory.mktemp("standards") / "ws")
    config = load_config(root)
    issue = load_issue(find_issue(config.issues_dir, "spring"), root=root)
    page = render_print(source_edition(issue, config.source_language), config)
    return HTML(string=page, base_url=str(issue.folder) + "/").render(), root


def test_the_settings_accept_what_weasyprint_writes() -> None:
    assert {"pdf/a-3b", "pdf/ua-1", "pdf/x-4"} <= set(pdf_variants())
    assert "debug" not in pdf_variants()


@pytest.mark.parametrize("variant", pdf_variants())
def test_every_variant_is_written_tagged(variant: str, laid_out: tuple[object, Path]) -> None:
    document, root = laid_out
    target = root / f"{variant.replace('/', '-')}.pdf"
    document.write_pdf(target, **pdf_options(PrintSettings(pdf_variant=variant)))  # type: ignore[attr-defined]
    info = pdfinfo(target)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    structure = pdfinfo(target, "-struct")
    assert "Figure" in structure and "H1" in structure
    metadata = PdfReader(target).xmp_metadata
    family, part = re.fullmatch(r"pdf/([a-z]+)-(\d)[a-z]*", variant).groups()  # type: ignore[union-attr]
    if family in ("a", "ua"):  # PDF/A and PDF/UA name their part in the XMP metadata
        assert metadata is not None
        xml = metadata.stream.get_data().decode()
        assert re.search(rf"pdf{family}id:part(>|=\"){part}", xml), xml[:400]


def test_a_build_is_tagged_with_alt_texts_and_pdf_a_3b_works(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    with (root / "masthead.toml").open("a") as stream:
        stream.write('\n[print]\npdf_variant = "pdf/a-3b"\n')
    pdf = build(load_config(root), "spring").built[0].pdf
    assert "Tagged:          yes" in pdfinfo(pdf)
    assert figure_alt_texts(pdf) == [
        "Boats at the pier at dawn",
        "The repaired pier",
        "The first pier",
    ]
    xml = PdfReader(pdf).xmp_metadata.stream.get_data().decode()  # type: ignore[union-attr]
    assert re.search(r"pdfaid:part(>|=\")3", xml) and re.search(r"pdfaid:conformance(>|=\")B", xml)
