"""The Pillow side of image preparation: what an original is, and making one copy of it.

Copies are made so that WeasyPrint embeds them as they are: a JPEG without EXIF data goes into the
PDF byte for byte (WeasyPrint decodes and encodes again any image that carries EXIF, and every PNG).
Photographs therefore stay or become JPEG; PNG is kept where transparency or line art needs it.
Colour profiles travel with every copy; other metadata (EXIF with its GPS position, XMP, IPTC,
comments) is left out of what is published.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from .._disk import write_atomic
from ._model import Derivative

Image.MAX_IMAGE_PIXELS = 200_000_000  # a 200-megapixel scan is still a photograph, not an attack

# EXIF orientations that turn an image on its side: its upright width is its stored height.
_SIDEWAYS = {5, 6, 7, 8}
_ORIENTATION = 0x0112
# JPEG segments kept in a copy: JFIF (APP0), the ICC profile (APP2) and Adobe's colour transform
# (APP14, which tells CMYK images apart); the rest before the scan are tables the decoder needs.
_KEPT_APPS = {0xE0, 0xE2, 0xEE}


@dataclass(frozen=True)
class Original:
    """What an image file is, read from its header (nothing decoded)."""

    path: Path
    digest: str
    format: str | None
    """Pillow's name for it (JPEG, PNG, GIF, WEBP...), ``None`` when Pillow cannot read it (SVG)."""
    width: int = 0
    height: int = 0
    """Upright, after any EXIF orientation."""
    turned: bool = False
    """Stored turned or mirrored, with an EXIF orientation saying how to set it upright."""
    animated: bool = False
    metadata: bool = False
    """Carries EXIF, XMP, IPTC or a comment: data about the picture that a copy leaves out."""


def inspect(path: Path) -> Original:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        with Image.open(path) as image:
            width, height, turned = _upright(image)
            animated = bool(getattr(image, "is_animated", False))
            metadata = any(key in image.info for key in ("exif", "xmp", "photoshop", "comment"))
            return Original(path, digest, image.format, width, height, turned, animated, metadata)
    except _UNREADABLE:
        return Original(path, digest, None)


def upright_size(path: Path) -> tuple[int, int] | None:
    """The size of the image at ``path`` as it is shown, from its header; ``None`` when Pillow
    cannot read it (an SVG)."""
    try:
        with Image.open(path) as image:
            width, height, _turned = _upright(image)
            return (width, height) if width > 0 and height > 0 else None
    except _UNREADABLE:
        return None


_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


def _upright(image: Image.Image) -> tuple[int, int, bool]:
    orientation = image.getexif().get(_ORIENTATION, 1)
    width, height = image.size
    if orientation in _SIDEWAYS:
        width, height = height, width
    return width, height, orientation not in (1, None)


@dataclass(frozen=True)
class Task:
    """One copy to make: ``original`` at ``size`` (upright pixels), saved under ``folder`` with a
    name starting ``prefix`` (the extension follows from the format chosen)."""

    original: Original
    folder: Path
    prefix: str
    size: tuple[int, int]
    quality: int
    progressive: bool = False


def existing(task: Task) -> Path | None:
    """The copy made for this very task earlier, if it is still there: names carry a digest of
    the original and of everything that shapes the copy, so a name found is a copy that fits."""
    for path in task.folder.glob(task.prefix + ".*"):
        if not path.name.endswith(".part") and not path.name.startswith("."):
            return path
    return None


def make(task: Task) -> Derivative:
    """Make (or find) the copy ``task`` asks for and say where it is."""
    found = existing(task)
    if found is None:
        data, extension = _encode(task)
        found = task.folder / f"{task.prefix}.{extension}"
        write_atomic(found, data)
    return Derivative(f"{task.folder.name}/{found.name}", *task.size)


def _encode(task: Task) -> tuple[bytes, str]:
    original = task.original
    unchanged = task.size == (original.width, original.height) and not original.turned
    if unchanged and original.format == "JPEG":
        return jpeg_without_metadata(original.path.read_bytes()), "jpg"
    with Image.open(original.path) as opened:
        if original.format == "JPEG" and not unchanged:
            # Let the decoder scale by 1/2, 1/4 or 1/8 as it reads: far less to decode and resample.
            stored = task.size[::-1] if _sideways(opened) else task.size
            opened.draft(opened.mode, stored)
        profile = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened) or opened
        image = _workable(image)
        keep_png = original.format != "JPEG" and _needs_png(image)
        if unchanged and keep_png and original.format == "PNG" and "exif" not in opened.info:
            return original.path.read_bytes(), "png"
        if image.size != task.size:
            image = image.resize(task.size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if keep_png:
        return _save(image, "PNG", icc_profile=profile), "png"
    if image.mode in ("RGBA", "LA"):
        image = image.convert(image.mode[:-1])  # opaque, or it would have stayed PNG
    return _save(
        image, "JPEG", quality=task.quality, optimize=True, progressive=task.progressive, icc_profile=profile
    ), "jpg"  # fmt: skip


def _sideways(image: Image.Image) -> bool:
    return image.getexif().get(_ORIENTATION, 1) in _SIDEWAYS


def _workable(image: Image.Image) -> Image.Image:
    """``image`` in a mode that can be resampled and saved as PNG or JPEG."""
    if image.mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        return image.convert("L")
    if image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image.convert("RGBA" if "A" in image.mode else "RGB")
    return image


def _needs_png(image: Image.Image) -> bool:
    """Transparency anywhere, or few enough colours to be line art (a logo, a chart, a scan of text),
    which JPEG would smear."""
    return not _opaque(image) or image.getcolors(256) is not None


def _opaque(image: Image.Image) -> bool:
    if image.mode not in ("RGBA", "LA"):
        return True
    low, _high = image.getchannel("A").getextrema()
    return bool(low == 255)


def _save(image: Image.Image, format: str, **options: object) -> bytes:
    from io import BytesIO

    if image.mode in ("RGBA", "LA") and _opaque(image):
        image = image.convert(image.mode[:-1])  # opaque after all: no alpha channel to carry
    given = {key: value for key, value in options.items() if value is not None}
    stream = BytesIO()
    image.save(stream, format=format, **given)
    return stream.getvalue()


def jpeg_without_metadata(data: bytes) -> bytes:
    """A JPEG file's bytes without its EXIF, XMP, IPTC and comment segments; the picture itself
    (and its colour profile) untouched. Bytes that do not parse as JPEG are returned as they are."""
    if data[:2] != b"\xff\xd8":
        return data
    kept = [data[:2]]
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: the picture, to the end of the file
            kept.append(data[position:])
            return b"".join(kept)
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            return data
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _KEPT_APPS:
            kept.append(data[position:end])
        position = end
    return data
