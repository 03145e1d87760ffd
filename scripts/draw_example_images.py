#!/usr/bin/env python3
"""Draw the illustrations used by the example issue in ``issues/winter-2026``.

Every picture is built from flat shapes, gradients, soft glows and blurred
shadows with Pillow only, so the example issue ships no third-party artwork.
No picture contains any lettering: words inside images cannot be translated.

Run from the repository root::

    python3 scripts/draw_example_images.py

The output is reproducible: all randomness comes from fixed seeds.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "issues" / "winter-2026" / "images"
SS = 2  # supersampling factor: draw large, scale down for smooth edges
MAX_BYTES = 150_000

Color = tuple[int, ...]
Point = tuple[float, float]

# Palette -------------------------------------------------------------------
TEAL_NIGHT = (14, 38, 52)
TEAL_DEEP = (16, 62, 70)
TEAL = (26, 98, 104)
TEAL_LIGHT = (86, 152, 146)
MINT = (170, 206, 192)
AMBER = (244, 170, 66)
AMBER_LIGHT = (255, 214, 140)
ORANGE = (228, 114, 44)
RUST = (176, 76, 50)
BRICK = (160, 82, 60)
CREAM = (249, 239, 219)
SAND = (232, 212, 176)
CHARCOAL = (40, 43, 48)
INK = (28, 33, 40)
SAGE = (128, 164, 116)
LEAF = (74, 128, 84)
LEAF_DARK = (44, 92, 66)
WOOD = (186, 124, 72)
WOOD_DARK = (132, 82, 48)
GLOW = (255, 196, 104)
SKIN = [(238, 196, 160), (206, 150, 108), (160, 106, 70), (110, 72, 50), (226, 178, 134)]


def mix(c1: Sequence[int], c2: Sequence[int], t: float) -> Color:
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2, strict=False))


def with_alpha(c: Sequence[int], a: int) -> Color:
    return (c[0], c[1], c[2], a)


def sample(stops: Sequence[tuple[float, Sequence[int]]], t: float) -> Color:
    t = min(1.0, max(0.0, t))
    for (t0, c0), (t1, c1) in itertools.pairwise(stops):
        if t <= t1:
            return mix(c0, c1, 0 if t1 == t0 else (t - t0) / (t1 - t0))
    return tuple(stops[-1][1])


def rot(pts: Sequence[Point], cx: float, cy: float, deg: float) -> list[Point]:
    a = math.radians(deg)
    ca, sa = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * ca - (y - cy) * sa, cy + (x - cx) * sa + (y - cy) * ca)
            for x, y in pts]


def rect_pts(x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


class Pen:
    """An ImageDraw wrapper that takes coordinates in output pixels."""

    def __init__(self, im: Image.Image) -> None:
        self.d = ImageDraw.Draw(im)

    @staticmethod
    def _b(box: Sequence[float]) -> list[float]:
        return [v * SS for v in box]

    @staticmethod
    def _w(width: float) -> int:
        return max(1, round(width * SS))

    def rect(self, box, fill=None, r: float = 0, outline=None, width: float = 0) -> None:
        b = self._b(box)
        if b[2] < b[0] or b[3] < b[1]:
            return
        if r:
            self.d.rounded_rectangle(b, radius=r * SS, fill=fill, outline=outline,
                                     width=self._w(width) if outline else 0)
        else:
            self.d.rectangle(b, fill=fill, outline=outline, width=self._w(width) if outline else 0)

    def ellipse(self, box, fill=None, outline=None, width: float = 0) -> None:
        self.d.ellipse(self._b(box), fill=fill, outline=outline,
                       width=self._w(width) if outline else 0)

    def circle(self, cx: float, cy: float, r: float, fill=None, outline=None, width: float = 0):
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill, outline, width)

    def poly(self, pts: Sequence[Point], fill=None, outline=None, width: float = 0) -> None:
        self.d.polygon([(x * SS, y * SS) for x, y in pts], fill=fill, outline=outline,
                       width=self._w(width) if outline else 0)

    def line(self, pts: Sequence[Point], fill, width: float = 1) -> None:
        self.d.line([(x * SS, y * SS) for x, y in pts], fill=fill, width=self._w(width),
                    joint="curve")

    def arc(self, box, start: float, end: float, fill, width: float = 1) -> None:
        self.d.arc(self._b(box), start, end, fill=fill, width=self._w(width))

    def pieslice(self, box, start: float, end: float, fill) -> None:
        self.d.pieslice(self._b(box), start, end, fill=fill)

    def chord(self, box, start: float, end: float, fill) -> None:
        self.d.chord(self._b(box), start, end, fill=fill)


Shape = Callable[[Pen, object], None]


class Scene:
    def __init__(self, w: int, h: int, bg: Color = (0, 0, 0, 0)) -> None:
        self.w, self.h = w, h
        self.W, self.H = w * SS, h * SS
        self.img = Image.new("RGBA", (self.W, self.H), bg)
        self.pen = Pen(self.img)

    def blank(self, mode: str = "RGBA") -> Image.Image:
        return Image.new(mode, (self.W, self.H), 0 if mode == "L" else (0, 0, 0, 0))

    @contextmanager
    def layer(self, blur: float = 0, opacity: float = 1.0):
        lay = self.blank()
        yield Pen(lay)
        if blur:
            lay = lay.filter(ImageFilter.GaussianBlur(blur * SS))
        if opacity < 1.0:
            lay.putalpha(lay.getchannel("A").point(lambda v: int(v * opacity)))
        self.img.alpha_composite(lay)

    def gradient(self, shape: Shape, box: Sequence[float],
                 stops: Sequence[tuple[float, Sequence[int]]], vertical: bool = True) -> None:
        """Fill ``shape`` with a linear gradient laid over ``box``."""
        x0, y0, x1, y1 = (round(v * SS) for v in box)
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        n = h if vertical else w
        strip = Image.new("RGBA", (1, n) if vertical else (n, 1))
        for i in range(n):
            c = sample(stops, i / max(1, n - 1))
            c = c if len(c) == 4 else (*c, 255)
            strip.putpixel((0, i) if vertical else (i, 0), c)
        grad = strip.resize((w, h), Image.Resampling.BILINEAR)
        lay = self.blank()
        lay.paste(grad, (x0, y0))
        mask = self.blank("L")
        shape(Pen(mask), 255)
        lay.putalpha(ImageChops.multiply(lay.getchannel("A"), mask))
        self.img.alpha_composite(lay)

    def shadow(self, shape: Shape, dx: float = 6, dy: float = 10, blur: float = 10,
               alpha: int = 90, color: Sequence[int] = INK) -> None:
        lay = self.blank()
        shape(Pen(lay), with_alpha(color, alpha))
        lay = lay.filter(ImageFilter.GaussianBlur(blur * SS))
        self.img.alpha_composite(lay, (int(dx * SS), int(dy * SS)))

    def glow(self, cx: float, cy: float, r: float, color: Sequence[int] = GLOW,
             alpha: int = 130) -> None:
        lay = self.blank()
        p = Pen(lay)
        for k, a in ((1.0, 0.35), (0.6, 0.6), (0.3, 1.0)):
            p.circle(cx, cy, r * k, fill=with_alpha(color, int(alpha * a)))
        self.img.alpha_composite(lay.filter(ImageFilter.GaussianBlur(r * 0.45 * SS)))

    def final(self) -> Image.Image:
        return self.img.resize((self.w, self.h), Image.Resampling.LANCZOS)


def save(scene: Scene, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    im = scene.final()
    path = OUT / name
    if name.endswith(".png"):
        data = _png_bytes(im)
    else:
        rgb = im.convert("RGB")
        quality = 82
        while True:
            buf = io.BytesIO()
            rgb.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
            data = buf.getvalue()
            if len(data) <= MAX_BYTES or quality <= 60:
                break
            quality -= 4
    path.write_bytes(data)
    print(f"{path.relative_to(OUT.parent.parent.parent)}  {im.width}x{im.height}  "
          f"{len(data) // 1024} KB")


def _png_bytes(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    if buf.tell() > MAX_BYTES:
        buf = io.BytesIO()
        im.quantize(256, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", optimize=True)
    return buf.getvalue()


# Reusable motifs -------------------------------------------------------------

def lantern(sc: Scene, cx: float, cy: float, r: float, body: Sequence[int] = AMBER,
            edge: Sequence[int] = ORANGE, cap: Sequence[int] = CHARCOAL,
            string: float = 0, glow: bool = True, tassel: bool = True) -> None:
    """A round paper lantern centred on (cx, cy) with half-width r."""
    h = r * 0.86
    if glow:
        sc.glow(cx, cy, r * 3.0, GLOW, 110)
    p = sc.pen
    if string:
        p.line([(cx, cy - h - string), (cx, cy - h)], cap, max(1.0, r * 0.07))
    light = mix(body, (255, 246, 214), 0.55)
    sc.gradient(lambda q, f: q.ellipse((cx - r, cy - h, cx + r, cy + h), f),
                (cx - r, cy - h, cx + r, cy + h),
                [(0, edge), (0.35, body), (0.5, light), (0.65, body), (1, edge)], vertical=False)
    rib = with_alpha(mix(edge, INK, 0.25), 150)
    with sc.layer() as q:
        for k in (0.33, 0.7):
            q.ellipse((cx - r * k, cy - h, cx + r * k, cy + h), outline=rib, width=max(1, r * 0.05))
    p.rect((cx - r * 0.42, cy - h - r * 0.14, cx + r * 0.42, cy - h + r * 0.1), cap, r=r * 0.05)
    p.rect((cx - r * 0.42, cy + h - r * 0.1, cx + r * 0.42, cy + h + r * 0.14), cap, r=r * 0.05)
    if tassel:
        p.line([(cx, cy + h + r * 0.14), (cx, cy + h + r * 0.6)], edge, max(1, r * 0.1))
        p.circle(cx, cy + h + r * 0.3, r * 0.09, cap)


def person(sc: Scene, x: float, base: float, h: float, coat: Sequence[int],
           skin: Sequence[int], hair: Sequence[int] = INK, legs: Sequence[int] = INK,
           scarf: Sequence[int] | None = None, hat: Sequence[int] | None = None,
           skirt: bool = False) -> None:
    """A simple standing figure, feet at ``base``, total height ``h``."""
    p = sc.pen
    hr = h * 0.085
    head_y = base - h + hr
    sh_y = base - h * 0.78
    hip_y = base - h * 0.42
    half = h * 0.13
    # legs
    p.rect((x - half * 0.7, hip_y - 4, x - half * 0.12, base), legs, r=h * 0.02)
    p.rect((x + half * 0.12, hip_y - 4, x + half * 0.7, base), legs, r=h * 0.02)
    # coat body
    bottom = base - h * (0.2 if skirt else 0.36)
    p.poly([(x - half * 0.85, sh_y), (x + half * 0.85, sh_y), (x + half * (1.25 if skirt else 1.0),
            bottom), (x - half * (1.25 if skirt else 1.0), bottom)], coat)
    p.ellipse((x - half * 0.95, sh_y - h * 0.03, x + half * 0.95, sh_y + h * 0.1), coat)
    # arms
    arm = mix(coat, INK, 0.18)
    p.line([(x - half * 0.95, sh_y + h * 0.04), (x - half * 1.1, hip_y + h * 0.02)], arm, h * 0.055)
    p.line([(x + half * 0.95, sh_y + h * 0.04), (x + half * 1.1, hip_y + h * 0.02)], arm, h * 0.055)
    # neck + head
    p.rect((x - hr * 0.35, head_y + hr * 0.6, x + hr * 0.35, sh_y + 2), skin)
    p.circle(x, head_y, hr, skin)
    p.chord((x - hr * 1.05, head_y - hr * 1.1, x + hr * 1.05, head_y + hr * 0.9), 180, 360, hair)
    if hat:
        p.chord((x - hr * 1.15, head_y - hr * 1.35, x + hr * 1.15, head_y + hr * 0.55),
                180, 360, hat)
    if scarf:
        p.rect((x - half * 0.6, sh_y - h * 0.02, x + half * 0.6, sh_y + h * 0.045), scarf,
               r=h * 0.02)


def tree(sc: Scene, x: float, base: float, h: float, leaf: Sequence[int],
         trunk: Sequence[int] = WOOD_DARK, seed: int = 0) -> None:
    rng = random.Random(seed)
    p = sc.pen
    p.rect((x - h * 0.035, base - h * 0.5, x + h * 0.035, base), trunk)
    cy = base - h * 0.66
    r = h * 0.3
    sc.shadow(lambda q, f: q.circle(x, cy, r, f), dx=4, dy=6, blur=8, alpha=60)
    p.circle(x, cy, r, leaf)
    hi = mix(leaf, (255, 255, 220), 0.18)
    for _ in range(5):
        a = rng.uniform(math.pi * 1.0, math.pi * 1.6)
        d = rng.uniform(0.2, 0.55) * r
        p.circle(x + math.cos(a) * d, cy + math.sin(a) * d, r * rng.uniform(0.25, 0.4), hi)
    p.circle(x - r * 0.15, cy - r * 0.1, r * 0.78, leaf)
    p.circle(x - r * 0.3, cy - r * 0.35, r * 0.35, hi)


def stars(sc: Scene, rng: random.Random, n: int, y_max: float, alpha: int = 200) -> None:
    with sc.layer() as p:
        for _ in range(n):
            x, y = rng.uniform(0, sc.w), rng.uniform(0, y_max) ** 1.15 / y_max ** 0.15
            r = rng.choice((0.9, 1.1, 1.4, 1.8))
            p.circle(x, y, r, with_alpha(CREAM, int(alpha * rng.uniform(0.4, 1.0))))


def parabola(x0: float, y0: float, x1: float, y1: float, sag: float, n: int = 60) -> list[Point]:
    pts = []
    for i in range(n + 1):
        t = i / n
        pts.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t + sag * 4 * t * (1 - t)))
    return pts


def at_x(pts: Sequence[Point], x: float) -> float:
    for (xa, ya), (xb, yb) in itertools.pairwise(pts):
        if xa <= x <= xb:
            return ya + (yb - ya) * (x - xa) / (xb - xa)
    return pts[-1][1]


# The logo -------------------------------------------------------------------

def draw_logo() -> None:
    sc = Scene(800, 800)
    p = sc.pen
    cx, cy = 400, 400
    # teal disc
    sc.gradient(lambda q, f: q.circle(cx, cy, 372, f), (28, 28, 772, 772),
                [(0, TEAL), (1, TEAL_DEEP)])
    with sc.layer() as q:
        q.circle(cx, cy, 346, outline=with_alpha(CREAM, 70), width=4)
    # hanging ring and roof-shaped cap
    p.circle(cx, 140, 24, outline=CREAM, width=11)
    p.line([(cx, 164), (cx, 196)], CREAM, 11)
    p.poly([(236, 262), (cx, 184), (564, 262)], CREAM)
    p.rect((228, 252, 572, 276), CREAM, r=8)
    # lantern body
    top, bot, half = 270, 610, 196
    sc.shadow(lambda q, f: q.ellipse((cx - half, top, cx + half, bot), f), 0, 14, 16, 90)
    sc.gradient(lambda q, f: q.ellipse((cx - half, top, cx + half, bot), f),
                (cx - half, top, cx + half, bot),
                [(0, ORANGE), (0.3, AMBER), (0.5, AMBER_LIGHT), (0.7, AMBER), (1, ORANGE)],
                vertical=False)
    for k in (0.5, 0.82):
        p.ellipse((cx - half * k, top, cx + half * k, bot), outline=mix(ORANGE, RUST, 0.45),
                  width=7)
    # the open doorway at the heart of the lantern
    dw, dtop, dbot = 62, 380, 560
    door = [(cx - dw, dbot), (cx - dw, dtop), (cx + dw, dtop), (cx + dw, dbot)]
    p.poly([(cx - dw - 14, dbot + 12), (cx + dw + 14, dbot + 12), (cx + dw + 14, dbot),
            (cx - dw - 14, dbot)], mix(ORANGE, RUST, 0.45))
    p.poly(door, TEAL_DEEP)
    p.pieslice((cx - dw, dtop - dw, cx + dw, dtop + dw), 180, 360, TEAL_DEEP)
    inner = 10
    sc.gradient(lambda q, f: (q.poly([(cx - dw + inner, dbot), (cx - dw + inner, dtop),
                                      (cx + dw - inner, dtop), (cx + dw - inner, dbot)], f),
                              q.pieslice((cx - dw + inner, dtop - dw + inner, cx + dw - inner,
                                          dtop + dw - inner), 180, 360, f)),
                (cx - dw, dtop - dw, cx + dw, dbot), [(0, (255, 250, 228)), (1, AMBER_LIGHT)])
    # the door leaf, swung open towards the viewer
    p.poly([(cx + dw - inner, dtop - 4), (cx + dw + 26, dtop + 16), (cx + dw + 26, dbot + 4),
            (cx + dw - inner, dbot)], mix(TEAL, TEAL_DEEP, 0.3))
    p.circle(cx + dw + 14, (dtop + dbot) / 2 + 14, 5, AMBER_LIGHT)
    # bottom cap and tassel
    p.rect((284, 598, 516, 622), CREAM, r=8)
    p.line([(cx, 622), (cx, 700)], CREAM, 9)
    p.circle(cx, 652, 13, AMBER)
    p.poly([(cx - 16, 688), (cx + 16, 688), (cx + 24, 722), (cx - 24, 722)], CREAM)
    save(sc, "logo.png")


# Cover: a street of houses with lanterns at dusk -------------------------------

def draw_cover() -> None:
    rng = random.Random(1996)
    sc = Scene(1600, 1000)
    p = sc.pen
    sky = [(0, (16, 34, 54)), (0.38, (26, 72, 92)), (0.62, (70, 112, 118)),
           (0.8, (214, 148, 102)), (1, (248, 190, 120))]
    sc.gradient(lambda q, f: q.rect((0, 0, 1600, 820), f), (0, 0, 1600, 820), sky)
    stars(sc, rng, 110, 360)
    sc.glow(1330, 150, 140, CREAM, 70)
    p.circle(1330, 150, 46, (250, 240, 214))
    for (mx, my, mr) in ((1314, 138, 10), (1344, 168, 7), (1346, 132, 5)):
        p.circle(mx, my, mr, (236, 224, 198))

    # distant skyline with a dome and a spire: a city of many traditions
    far = (36, 74, 88)
    x = -20
    while x < 1620:
        w = rng.randint(70, 150)
        hgt = rng.randint(150, 300)
        p.rect((x, 760 - hgt, x + w, 800), far)
        for wy in range(760 - hgt + 18, 740, 30):
            for wx in range(x + 12, x + w - 14, 24):
                if rng.random() < 0.22:
                    p.rect((wx, wy, wx + 9, wy + 13), with_alpha(AMBER_LIGHT, 255))
        x += w + rng.randint(-10, 8)
    p.rect((350, 470, 420, 800), far)
    p.chord((340, 408, 430, 500), 180, 360, far)
    p.line([(385, 408), (385, 384)], far, 4)
    p.rect((1110, 430, 1160, 800), far)
    p.poly([(1106, 432), (1135, 320), (1164, 432)], far)
    with sc.layer(opacity=0.35) as q:
        q.rect((0, 600, 1600, 800), (24, 60, 74, 120))

    # the street of houses
    houses = [
        (-30, 230, 470, TEAL_LIGHT, "gable"),
        (200, 210, 430, RUST, "flat"),
        (410, 250, 500, SAND, "gable"),
        (660, 300, 455, TEAL, "centre"),
        (960, 220, 520, SAGE, "gable"),
        (1180, 200, 440, BRICK, "flat"),
        (1380, 250, 490, (196, 150, 90), "gable"),
    ]
    base = 820
    for hx, hw, top, col, kind in houses:
        wall = mix(col, TEAL_DEEP, 0.42)
        dark = mix(wall, INK, 0.3)
        roof_top = top - (hw * 0.32 if kind == "gable" else 0)
        sc.shadow(lambda q, f, hx=hx, hw=hw, top=top: q.rect((hx, top, hx + hw, base), f),
                  8, 0, 14, 110)
        p.rect((hx, top, hx + hw, base), wall)
        p.rect((hx + hw - 16, top, hx + hw, base), dark)
        if kind == "gable":
            p.poly([(hx - 14, top + 4), (hx + hw / 2, roof_top), (hx + hw + 14, top + 4)],
                   mix(wall, INK, 0.45))
            p.circle(hx + hw / 2, top - hw * 0.14, 16, AMBER_LIGHT if rng.random() < 0.5 else dark)
        else:
            p.rect((hx - 8, top - 14, hx + hw + 8, top + 6), mix(wall, CREAM, 0.2))
        if kind == "centre":
            p.rect((hx - 10, top - 18, hx + hw + 10, top + 8), mix(TEAL, CREAM, 0.3))
            p.rect((hx + 40, top + 40, hx + hw - 40, top + 70), mix(TEAL_DEEP, INK, 0.2), r=6)
        # windows
        cols = 3 if hw >= 240 else 2
        rows = 2 if base - top < 360 else 3
        ww, wh = 46, 62
        gap_x = (hw - cols * ww) / (cols + 1)
        for rr in range(rows):
            wy = top + (100 if kind == "centre" else 40) + rr * 95
            if wy + wh > base - 150:
                break
            for cc in range(cols):
                wx = hx + gap_x + cc * (ww + gap_x)
                lit = kind == "centre" or rng.random() < 0.68
                p.rect((wx - 5, wy - 5, wx + ww + 5, wy + wh + 5), mix(wall, CREAM, 0.25), r=4)
                if lit:
                    sc.glow(wx + ww / 2, wy + wh / 2, 60, GLOW, 60)
                    box = (wx, wy, wx + ww, wy + wh)
                    sc.gradient(lambda q, f, box=box: q.rect(box, f), box,
                                [(0, AMBER_LIGHT), (1, AMBER)])
                else:
                    p.rect((wx, wy, wx + ww, wy + wh), mix(TEAL_DEEP, INK, 0.35))
                p.line([(wx + ww / 2, wy), (wx + ww / 2, wy + wh)], mix(wall, INK, 0.2), 3)
                p.line([(wx, wy + wh * 0.45), (wx + ww, wy + wh * 0.45)], mix(wall, INK, 0.2), 3)
        # ground floor: doors and shop windows
        if kind == "centre":
            dx0, dx1 = hx + hw / 2 - 55, hx + hw / 2 + 55
            with sc.layer(blur=18, opacity=0.8) as q:
                q.poly([(dx0, base), (dx1, base), (dx1 + 130, 900), (dx0 - 130, 900)],
                       with_alpha(GLOW, 170))
            sc.glow(hx + hw / 2, base - 80, 190, GLOW, 120)
            p.rect((dx0 - 12, base - 190, dx1 + 12, base), mix(TEAL, CREAM, 0.35), r=6)
            sc.gradient(lambda q, f, dx0=dx0, dx1=dx1: q.rect((dx0, base - 176, dx1, base), f),
                        (dx0, base - 176, dx1, base), [(0, (255, 244, 214)), (1, AMBER_LIGHT)])
            p.poly([(dx1, base - 176), (dx1 + 34, base - 166), (dx1 + 34, base + 6), (dx1, base)],
                   mix(RUST, TEAL_DEEP, 0.2))
            for sx in (hx + 22, dx1 + 50):
                p.rect((sx, base - 150, sx + (dx0 - 28 - sx if sx < dx0 else hx + hw - 24 - sx),
                        base - 40), AMBER, r=4)
            lantern(sc, dx0 - 24, base - 214, 20, string=12, glow=True)
            lantern(sc, dx1 + 24, base - 214, 20, string=12, glow=True)
        else:
            d_x = hx + (30 if rng.random() < 0.5 else hw - 100)
            p.rect((d_x, base - 140, d_x + 62, base), mix(col, INK, 0.55), r=4)
            p.rect((d_x + 8, base - 130, d_x + 54, base - 100), AMBER_LIGHT if rng.random() < 0.6
                   else mix(TEAL_DEEP, INK, 0.3))
            p.circle(d_x + 50, base - 66, 4, AMBER)

    # pavement and road
    sc.gradient(lambda q, f: q.rect((0, base, 1600, 880), f), (0, base, 1600, 880),
                [(0, (120, 116, 108)), (1, (86, 88, 90))])
    p.rect((0, 874, 1600, 884), (150, 140, 124))
    sc.gradient(lambda q, f: q.rect((0, 884, 1600, 1000), f), (0, 884, 1600, 1000),
                [(0, (40, 52, 60)), (1, (22, 30, 38))])
    with sc.layer(blur=20, opacity=0.6) as q:
        for xx in (160, 520, 810, 1090, 1450):
            q.ellipse((xx - 90, 900, xx + 90, 960), with_alpha(GLOW, 90))
    for xx in range(-40, 1600, 180):
        p.rect((xx, 938, xx + 90, 946), (120, 120, 112))

    # trees at both ends
    tree(sc, 70, 870, 360, mix(LEAF_DARK, TEAL_DEEP, 0.35), seed=3)
    tree(sc, 1540, 870, 330, mix(LEAF_DARK, TEAL_DEEP, 0.35), seed=4)

    # strings of lanterns across the street
    for (y0, y1, sag, offset, r) in ((300, 340, 120, 40, 24), (430, 400, 90, 100, 20)):
        curve = parabola(-40, y0, 1640, y1, sag)
        p.line(curve, (30, 36, 40), 3)
        colors = [(AMBER, ORANGE), ((236, 96, 62), RUST), ((250, 200, 92), AMBER)]
        for i, lx in enumerate(range(offset, 1600, 150)):
            body, edge = colors[i % 3]
            lantern(sc, lx, at_x(curve, lx) + r + 10, r, body, edge, string=10)

    # neighbours on the pavement
    person(sc, 470, 868, 132, mix(ORANGE, TEAL_DEEP, 0.35), SKIN[2], scarf=AMBER)
    person(sc, 505, 868, 88, mix(TEAL, INK, 0.2), SKIN[2], hat=RUST)
    lantern(sc, 540, 770, 11, string=0, tassel=False)
    sc.pen.line([(522, 826), (540, 770)], WOOD_DARK, 3)
    person(sc, 1060, 868, 140, mix(SAGE, TEAL_DEEP, 0.4), SKIN[0], hair=(120, 90, 60),
           skirt=True, scarf=(236, 96, 62))
    person(sc, 1110, 868, 146, mix(RUST, TEAL_DEEP, 0.35), SKIN[4], hat=INK)
    person(sc, 1240, 868, 128, mix(CREAM, TEAL_DEEP, 0.45), SKIN[3], skirt=True,
           hair=mix(TEAL, INK, 0.5), hat=mix(TEAL, INK, 0.3))
    save(sc, "cover.jpg")


# Timeline: 1996, the first shopfront -----------------------------------------------

def awning(sc: Scene, x0: float, x1: float, y0: float, y1: float, c1, c2, stripes: int = 9):
    p = sc.pen
    out = 26
    sc.shadow(lambda q, f: q.rect((x0, y1 - 6, x1, y1 + 22), f), 0, 10, 12, 110)
    sw = (x1 - x0 + 2 * out) / stripes
    for i in range(stripes):
        a = x0 + (x1 - x0) * i / stripes
        b = x0 + (x1 - x0) * (i + 1) / stripes
        c = x0 - out + sw * i
        d = c + sw
        p.poly([(a, y0), (b, y0), (d, y1), (c, y1)], c1 if i % 2 == 0 else c2)
        p.pieslice((c, y1 - sw / 2, d, y1 + sw / 2), 0, 180, c1 if i % 2 == 0 else c2)
    p.rect((x0 - 6, y0 - 8, x1 + 6, y0 + 4), mix(c1, INK, 0.3), r=3)


def draw_shopfront() -> None:
    rng = random.Random(1)
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 800), f), (0, 0, 1200, 800),
                [(0, (164, 204, 198)), (0.7, (244, 228, 196)), (1, (250, 236, 206))])
    # neighbours
    p.rect((0, 60, 230, 700), mix(TEAL_LIGHT, CREAM, 0.25))
    p.rect((970, 90, 1200, 700), mix(SAGE, CREAM, 0.2))
    for wx in (40, 130):
        for wy in (120, 260, 400):
            p.rect((wx, wy, wx + 60, wy + 90), mix(TEAL_DEEP, TEAL_LIGHT, 0.35), r=3)
    for wx in (1010, 1100):
        for wy in (150, 290, 430):
            p.rect((wx, wy, wx + 60, wy + 90), mix(TEAL_DEEP, SAGE, 0.35), r=3)
    # the shop
    sc.shadow(lambda q, f: q.rect((230, 40, 970, 700), f), 0, 0, 16, 110)
    sc.gradient(lambda q, f: q.rect((230, 40, 970, 700), f), (230, 40, 970, 700),
                [(0, mix(BRICK, AMBER, 0.15)), (1, BRICK)])
    for row, by in enumerate(range(52, 690, 24)):
        for bx in range(230 + (row % 2) * 30, 970, 60):
            p.line([(bx, by), (bx, by + 24)], mix(BRICK, INK, 0.12), 2)
        p.line([(230, by), (970, by)], mix(BRICK, CREAM, 0.12), 2)
    p.rect((230, 40, 970, 70), mix(CREAM, SAND, 0.4))
    p.rect((220, 68, 980, 80), mix(SAND, WOOD, 0.3))
    # upstairs windows with flower boxes
    for wx in (300, 540, 780):
        p.rect((wx - 8, 110, wx + 128, 250), CREAM, r=4)
        sc.gradient(lambda q, f, wx=wx: q.rect((wx, 118, wx + 120, 242), f),
                    (wx, 118, wx + 120, 242), [(0, (120, 170, 170)), (1, TEAL)])
        p.line([(wx + 60, 118), (wx + 60, 242)], CREAM, 5)
        p.rect((wx - 10, 244, wx + 130, 268), WOOD_DARK, r=3)
        for fx in range(int(wx), int(wx + 124), 16):
            p.circle(fx + 6, 242, 10, LEAF)
            p.circle(fx + 6, 236, 5, (236, 96, 62) if fx % 32 else AMBER)
    # sign board with the lantern emblem
    sc.shadow(lambda q, f: q.rect((330, 296, 870, 366), f, r=6), 0, 6, 6, 90)
    p.rect((330, 296, 870, 366), TEAL_DEEP, r=6)
    p.rect((340, 306, 860, 356), outline=AMBER, width=2, r=4)
    lantern(sc, 600, 331, 20, glow=False, tassel=False, cap=CREAM)
    for sx in (400, 720):
        p.rect((sx, 328, sx + 80, 334), with_alpha(AMBER, 255), r=3)
    awning(sc, 270, 930, 388, 452, TEAL, CREAM, 11)
    # shop window with a warm interior
    wx0, wy0, wx1, wy1 = 290, 480, 640, 680
    p.rect((wx0 - 12, wy0 - 12, wx1 + 12, wy1 + 8), CREAM, r=4)
    sc.gradient(lambda q, f: q.rect((wx0, wy0, wx1, wy1), f), (wx0, wy0, wx1, wy1),
                [(0, (255, 226, 170)), (1, (238, 170, 96))])
    sc.glow(450, 600, 160, GLOW, 80)
    # shelves of books and a kettle inside
    for sy in (520, 570):
        p.rect((wx0 + 20, sy, wx0 + 200, sy + 6), WOOD_DARK)
        bx = wx0 + 24
        while bx < wx0 + 190:
            bw = rng.randint(9, 16)
            bh = rng.randint(26, 38)
            p.rect((bx, sy - bh, bx + bw, sy), rng.choice([TEAL, RUST, SAGE, AMBER, CHARCOAL]))
            bx += bw + 2
    p.rect((wx0 + 200, 630, wx1 - 20, 640), WOOD_DARK)
    p.rect((wx0 + 220, 640, wx0 + 228, wy1), WOOD_DARK)
    p.rect((wx1 - 44, 640, wx1 - 36, wy1), WOOD_DARK)
    p.ellipse((wx0 + 240, 596, wx0 + 290, 632), CHARCOAL)
    p.rect((wx0 + 256, 588, wx0 + 274, 598), CHARCOAL)
    p.circle(wx0 + 310, 622, 9, CREAM)
    p.circle(wx0 + 336, 622, 9, CREAM)
    with sc.layer(opacity=0.25) as q:
        q.poly([(wx0 + 30, wy0), (wx0 + 90, wy0), (wx0 + 20, wy1), (wx0, wy1), (wx0, wy0 + 60)],
               (255, 255, 255, 255))
    p.line([(wx0 + 175, wy0), (wx0 + 175, wy1)], CREAM, 8)
    # the open door
    dx0, dy0, dx1 = 720, 476, 850
    p.rect((dx0 - 14, dy0 - 14, dx1 + 14, 700), CREAM, r=4)
    sc.glow((dx0 + dx1) / 2, 600, 150, GLOW, 110)
    sc.gradient(lambda q, f: q.rect((dx0, dy0, dx1, 700), f), (dx0, dy0, dx1, 700),
                [(0, (255, 246, 220)), (1, AMBER_LIGHT)])
    p.poly([(dx1, dy0), (dx1 + 44, dy0 + 16), (dx1 + 44, 712), (dx1, 700)], TEAL)
    p.rect((dx1 + 12, dy0 + 40, dx1 + 32, dy0 + 110), mix(TEAL, CREAM, 0.5), r=3)
    p.circle(dx1 + 34, 600, 5, AMBER)
    # pavement
    sc.gradient(lambda q, f: q.rect((0, 700, 1200, 800), f), (0, 700, 1200, 800),
                [(0, (206, 196, 176)), (1, (180, 170, 150))])
    for tx in range(0, 1200, 80):
        p.line([(tx, 700), (tx - 30, 800)], (170, 160, 142), 2)
    p.line([(0, 748), (1200, 748)], (170, 160, 142), 2)
    with sc.layer(blur=14, opacity=0.7) as q:
        q.poly([(dx0, 700), (dx1, 700), (dx1 + 70, 790), (dx0 - 50, 790)], with_alpha(GLOW, 150))
    # plant pot and a bicycle
    sc.shadow(lambda q, f: q.ellipse((900, 690, 990, 712), f), 0, 0, 6, 100)
    p.poly([(910, 630), (980, 630), (970, 700), (920, 700)], RUST)
    for (ox, oy, rr) in ((945, 600, 40), (920, 615, 26), (972, 612, 28), (945, 575, 24)):
        p.circle(ox, oy, rr, LEAF if rr > 30 else mix(LEAF, SAGE, 0.4))
    bike_y = 690
    for wxc in (110, 250):
        p.circle(wxc, bike_y - 50, 50, outline=CHARCOAL, width=6)
        p.circle(wxc, bike_y - 50, 6, CHARCOAL)
    p.line([(110, 640), (175, 640), (250, 640)], RUST, 8)
    p.line([(110, 640), (150, 580), (220, 580), (250, 640)], RUST, 8)
    p.line([(175, 640), (150, 580)], RUST, 8)
    p.line([(220, 580), (214, 556)], CHARCOAL, 6)
    p.line([(200, 556), (232, 556)], CHARCOAL, 6)
    p.rect((136, 566, 168, 576), CHARCOAL, r=4)
    save(sc, "timeline-1996.jpg")


# Timeline: 2003, the homework table (seen from above) --------------------------

def draw_homework() -> None:
    rng = random.Random(2003)
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 800), f), (0, 0, 1200, 800),
                [(0, (204, 146, 88)), (1, (176, 116, 66))], vertical=False)
    with sc.layer(opacity=0.5) as q:
        for y in range(10, 800, 34):
            pts = [(x, y + 5 * math.sin(x / 90 + y)) for x in range(0, 1201, 40)]
            q.line(pts, with_alpha(WOOD_DARK, 120), 2)
        for _ in range(6):
            kx, ky = rng.uniform(50, 1150), rng.uniform(50, 750)
            q.ellipse((kx - 26, ky - 8, kx + 26, ky + 8), outline=with_alpha(WOOD_DARK, 140),
                      width=2)

    def book(cx, cy, w, h, ang, cover, pages=True):
        pts = rot(rect_pts(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), cx, cy, ang)
        sc.shadow(lambda q, f: q.poly(pts, f), 8, 12, 10, 110)
        p.poly(pts, cover)
        if pages:
            for side in (-1, 1):
                x0 = cx + (2 if side > 0 else -w / 2 + 8)
                x1 = cx + (w / 2 - 8 if side > 0 else -2)
                pg = rot(rect_pts(x0, cy - h / 2 + 8, x1, cy + h / 2 - 8), cx, cy, ang)
                p.poly(pg, CREAM)
                for ly in range(int(cy - h / 2 + 40), int(cy + h / 2 - 20), 22):
                    p.line(rot([(x0 + 14, ly), (x1 - 14, ly)], cx, cy, ang), (190, 214, 214), 2)
                    if rng.random() < 0.8:
                        sx = x0 + 18
                        end = x1 - rng.uniform(20, 120)
                        pts2 = []
                        while sx < end:
                            pts2.append((sx, ly - 6 - 4 * math.sin(sx / 5)))
                            sx += 4
                        if len(pts2) > 1:
                            p.line(rot(pts2, cx, cy, ang), with_alpha(TEAL_DEEP, 255), 2)
            p.line(rot([(cx, cy - h / 2 + 8), (cx, cy + h / 2 - 8)], cx, cy, ang),
                   mix(CREAM, INK, 0.2), 3)
        else:
            band = rot(rect_pts(cx - w / 2, cy + h / 4, cx + w / 2, cy + h / 4 + 30), cx, cy, ang)
            p.poly(band, AMBER)
            p.circle(*rot([(cx, cy - h / 8)], cx, cy, ang)[0], w * 0.16, mix(cover, CREAM, 0.3))

    def pencil(x, y, length, ang, col):
        body = rot(rect_pts(x, y - 8, x + length, y + 8), x, y, ang)
        sc.shadow(lambda q, f: q.poly(body, f), 4, 6, 4, 110)
        p.poly(body, col)
        p.poly(rot([(x + length, y - 8), (x + length + 34, y), (x + length, y + 8)], x, y, ang),
               SAND)
        p.poly(rot([(x + length + 22, y - 3), (x + length + 34, y), (x + length + 22, y + 3)],
                   x, y, ang), CHARCOAL)
        p.poly(rot(rect_pts(x - 16, y - 8, x, y + 8), x, y, ang), (236, 140, 150))
        p.line(rot([(x, y), (x + length, y)], x, y, ang), mix(col, INK, 0.15), 2)

    book(470, 400, 560, 360, -6, TEAL)
    book(960, 190, 250, 320, 14, RUST, pages=False)
    book(1010, 560, 230, 300, -18, SAGE, pages=False)
    pencil(200, 680, 300, -12, AMBER)
    pencil(700, 690, 260, 8, (86, 140, 190))
    pencil(120, 130, 240, 24, (236, 96, 62))
    # ruler
    rl = rot(rect_pts(720, 110, 760, 470), 740, 290, 4)
    sc.shadow(lambda q, f: q.poly(rl, f), 4, 6, 5, 90)
    p.poly(rl, mix(CREAM, AMBER_LIGHT, 0.3))
    for i, ty in enumerate(range(120, 465, 14)):
        tl = 14 if i % 5 == 0 else 8
        p.line(rot([(720, ty), (720 + tl, ty)], 740, 290, 4), CHARCOAL, 2)
    # mug of tea
    sc.shadow(lambda q, f: q.circle(150, 380, 74, f), 8, 12, 10, 110)
    p.rect((196, 362, 250, 398), CREAM, r=16)
    p.rect((210, 372, 236, 388), mix(WOOD, CREAM, 0.6), r=8)
    p.circle(150, 380, 74, CREAM)
    p.circle(150, 380, 60, (150, 92, 50))
    p.circle(136, 368, 20, with_alpha(mix((150, 92, 50), CREAM, 0.25), 255))
    # clementines
    for (ox, oy) in ((1090, 370), (1150, 410), (1110, 440)):
        sc.shadow(lambda q, f, ox=ox, oy=oy: q.circle(ox, oy, 36, f), 6, 8, 7, 110)
        p.circle(ox, oy, 36, ORANGE)
        p.circle(ox - 10, oy - 10, 14, mix(ORANGE, AMBER_LIGHT, 0.5))
        p.ellipse((ox - 4, oy - 40, ox + 18, oy - 28), LEAF)
    # eraser and a crayon cup
    er = rot(rect_pts(610, 640, 680, 680), 645, 660, 20)
    sc.shadow(lambda q, f: q.poly(er, f), 4, 6, 5, 110)
    p.poly(er, CREAM)
    p.poly(rot(rect_pts(610, 640, 640, 680), 645, 660, 20), (86, 140, 190))
    sc.shadow(lambda q, f: q.circle(150, 600, 62, f), 6, 10, 9, 110)
    p.circle(150, 600, 62, TEAL_DEEP)
    p.circle(150, 600, 52, mix(TEAL_DEEP, INK, 0.4))
    for i, c in enumerate([AMBER, RUST, SAGE, (86, 140, 190), ORANGE, CREAM, (236, 96, 62)]):
        a = i / 7 * math.tau
        p.circle(150 + math.cos(a) * 28, 600 + math.sin(a) * 28, 11, c)
    save(sc, "timeline-2003.jpg")


# Timeline: 2009, the community garden -------------------------------------------

def draw_garden() -> None:
    rng = random.Random(2009)
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 800), f), (0, 0, 1200, 800),
                [(0, (180, 214, 210)), (0.55, (246, 232, 204)), (1, (246, 232, 204))])
    sc.glow(980, 150, 220, AMBER_LIGHT, 150)
    p.circle(980, 150, 62, (255, 222, 150))
    # city behind the fence
    x = 0
    while x < 1200:
        w = rng.randint(80, 160)
        hgt = rng.randint(140, 280)
        p.rect((x, 420 - hgt, x + w, 440), mix(TEAL_LIGHT, CREAM, 0.45))
        x += w + 6
    # fence
    p.rect((0, 360, 1200, 372), mix(WOOD, CREAM, 0.4))
    for fx in range(0, 1200, 38):
        p.poly([(fx + 4, 340), (fx + 18, 326), (fx + 32, 340), (fx + 32, 470), (fx + 4, 470)],
               mix(WOOD, CREAM, 0.55))
    p.rect((0, 420, 1200, 430), mix(WOOD, CREAM, 0.4))
    # climbing beans on the fence
    for bx in (110, 520, 1080):
        pts = [(bx + 14 * math.sin(t / 12), 470 - t * 1.2) for t in range(0, 120, 4)]
        p.line(pts, LEAF, 4)
        for lx, ly in pts[::3]:
            p.ellipse((lx - 10, ly - 6, lx + 12, ly + 8), SAGE)
    # ground
    sc.gradient(lambda q, f: q.rect((0, 460, 1200, 800), f), (0, 460, 1200, 800),
                [(0, (150, 168, 108)), (1, (116, 140, 86))])
    # sunflowers
    for sx, top in ((200, 170), (280, 220), (360, 200)):
        p.line([(sx, 520), (sx + 6, top)], LEAF_DARK, 8)
        p.poly([(sx + 3, top + 150), (sx - 30, top + 118), (sx - 52, top + 126),
                (sx - 30, top + 146)], LEAF)
        p.poly([(sx + 4, top + 210), (sx + 36, top + 180), (sx + 58, top + 186),
                (sx + 36, top + 206)], LEAF)
        for k in range(14):
            a = k / 14 * math.tau
            px, py = sx + 6 + math.cos(a) * 38, top + math.sin(a) * 38
            p.ellipse((px - 16, py - 16, px + 16, py + 16), AMBER)
        p.circle(sx + 6, top, 26, WOOD_DARK)
        p.circle(sx + 6, top, 16, mix(WOOD_DARK, INK, 0.3))

    def bed(x0, y0, x1, y1, crop):
        sc.shadow(lambda q, f: q.rect((x0, y0, x1, y1), f), 6, 12, 10, 110)
        p.rect((x0, y0, x1, y1), WOOD, r=4)
        p.rect((x0, y0, x1, y0 + 18), mix(WOOD, CREAM, 0.25), r=4)
        for ly in range(int(y0 + 40), int(y1), 30):
            p.line([(x0 + 4, ly), (x1 - 4, ly)], WOOD_DARK, 2)
        p.rect((x0 + 10, y0 - 4, x1 - 10, y0 + 10), (92, 62, 42))
        step = {"cabbage": 54, "chard": 62}.get(crop, 52)
        for cx in range(int(x0 + 34), int(x1 - 20), step):
            if crop == "cabbage":
                p.circle(cx, y0 - 16, 26, SAGE)
                p.circle(cx, y0 - 18, 18, mix(SAGE, CREAM, 0.35))
                p.circle(cx, y0 - 20, 9, mix(SAGE, CREAM, 0.6))
            elif crop == "chard":
                for k in (-1, 1, 0):
                    tipx, tipy = cx + k * 20, y0 - (72 if k == 0 else 52)
                    p.line([(cx, y0), (tipx, tipy + 10)], (210, 70, 70), 5)
                    p.ellipse((tipx - 15, tipy - 26, tipx + 15, tipy + 16),
                              LEAF_DARK if k else LEAF)
                    p.line([(tipx, tipy - 20), (tipx, tipy + 12)], (210, 70, 70), 2)
            else:
                p.line([(cx, y0), (cx, y0 - 110)], WOOD_DARK, 4)
                for ty in range(int(y0 - 100), int(y0 - 10), 26):
                    p.ellipse((cx - 22, ty - 8, cx, ty + 8), LEAF)
                    p.ellipse((cx, ty, cx + 22, ty + 16), LEAF)
                    if rng.random() < 0.7:
                        p.circle(cx + rng.choice((-12, 12)), ty + 12, 9, (220, 70, 50))

    bed(460, 470, 1140, 560, "tomato")
    bed(90, 590, 560, 690, "chard")
    bed(640, 600, 1140, 700, "cabbage")
    # watering can and a basket of vegetables
    sc.shadow(lambda q, f: q.ellipse((200, 760, 360, 790), f), 0, 0, 6, 110)
    p.poly([(300, 706), (390, 650), (398, 662), (310, 726)], TEAL)
    p.rect((200, 690, 320, 780), TEAL, r=10)
    p.rect((200, 690, 320, 710), mix(TEAL, CREAM, 0.3), r=8)
    p.arc((210, 650, 300, 730), 180, 360, TEAL_DEEP, 10)
    p.ellipse((384, 640, 414, 664), mix(TEAL, INK, 0.2))
    sc.shadow(lambda q, f: q.ellipse((820, 752, 1010, 786), f), 0, 0, 6, 110)
    p.chord((800, 660, 1030, 800), 0, 180, WOOD)
    p.arc((840, 640, 990, 780), 180, 360, WOOD_DARK, 8)
    for (ox, oy, col, r) in ((860, 728, (220, 70, 50), 22), (900, 720, AMBER, 24),
                             (945, 724, (220, 70, 50), 22), (985, 730, ORANGE, 20)):
        p.circle(ox, oy, r, col)
    p.line([(872, 730), (830, 690)], LEAF, 10)
    for k in range(5):
        p.line([(826 + k * 4, 694), (800 + k * 8, 650)], LEAF, 4)
    for i, ly in enumerate(range(740, 796, 14)):
        p.line([(816 + i * 4, ly), (1014 - i * 4, ly)], WOOD_DARK, 2)
    save(sc, "timeline-2009.jpg")


# Timeline: 2015, the repair café bench ----------------------------------------------

def draw_repair() -> None:
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 560), f), (0, 0, 1200, 560),
                [(0, TEAL_DEEP), (1, TEAL)])
    # pegboard with tools
    sc.shadow(lambda q, f: q.rect((90, 60, 760, 430), f, r=8), 0, 12, 14, 120)
    p.rect((90, 60, 760, 430), mix(SAND, CREAM, 0.3), r=8)
    for hy in range(80, 420, 26):
        for hx in range(110, 750, 26):
            p.circle(hx, hy, 3, mix(SAND, WOOD, 0.4))
    tool = CHARCOAL
    # wrench
    p.line([(150, 110), (150, 330)], tool, 18)
    p.circle(150, 100, 30, tool)
    p.rect((140, 62, 160, 104), mix(SAND, CREAM, 0.3))
    p.circle(150, 340, 20, tool)
    p.circle(150, 340, 9, mix(SAND, CREAM, 0.3))
    # hammer
    p.rect((236, 120, 252, 360), WOOD, r=6)
    p.rect((200, 100, 290, 140), tool, r=6)
    p.poly([(200, 104), (184, 112), (184, 128), (200, 136)], tool)
    # screwdrivers
    for i, (sx, col) in enumerate(((340, ORANGE), (390, TEAL), (440, AMBER))):
        p.rect((sx - 14, 110, sx + 14, 200), col, r=10)
        p.line([(sx, 200), (sx, 320 - i * 20)], (150, 156, 160), 7)
    # pliers
    p.line([(530, 110), (560, 230), (520, 350)], (236, 96, 62), 14)
    p.line([(590, 110), (560, 230), (600, 350)], (236, 96, 62), 14)
    p.circle(560, 230, 12, tool)
    # tape measure and a spool of thread
    p.circle(680, 150, 46, AMBER)
    p.circle(680, 150, 18, tool)
    p.rect((716, 176, 740, 196), tool)
    p.rect((650, 260, 710, 340), WOOD, r=4)
    p.rect((658, 270, 702, 330), (200, 70, 90))
    for ty in range(274, 330, 6):
        p.line([(658, ty), (702, ty)], mix((200, 70, 90), INK, 0.2), 1)
    # bicycle wheel hanging on the wall
    wc = (980, 220)
    p.line([(980, 40), (980, 76)], CHARCOAL, 6)
    p.circle(980, 80, 10, outline=CHARCOAL, width=5)
    p.circle(*wc, 140, outline=CHARCOAL, width=16)
    p.circle(*wc, 124, outline=(150, 156, 160), width=5)
    for k in range(18):
        a = k / 18 * math.tau
        p.line([wc, (wc[0] + math.cos(a) * 122, wc[1] + math.sin(a) * 122)], (190, 196, 200), 2)
    p.circle(*wc, 16, (150, 156, 160))
    # lamp light cone
    with sc.layer(blur=10, opacity=0.55) as q:
        q.poly([(880, 330), (960, 330), (1100, 600), (640, 600)], with_alpha(AMBER_LIGHT, 180))
    # workbench
    sc.gradient(lambda q, f: q.rect((0, 560, 1200, 800), f), (0, 560, 1200, 800),
                [(0, mix(TEAL_DEEP, INK, 0.3)), (1, INK)])
    sc.shadow(lambda q, f: q.rect((40, 540, 1160, 600), f), 0, 16, 14, 140)
    p.rect((40, 540, 1160, 590), WOOD, r=4)
    p.rect((40, 540, 1160, 552), mix(WOOD, CREAM, 0.3), r=4)
    p.rect((40, 590, 1160, 640), WOOD_DARK)
    for dx in (140, 520, 900):
        p.rect((dx, 602, dx + 220, 630), mix(WOOD_DARK, INK, 0.25), r=4)
        p.rect((dx + 90, 612, dx + 130, 620), SAND, r=3)
    p.rect((80, 640, 120, 800), WOOD_DARK)
    p.rect((1080, 640, 1120, 800), WOOD_DARK)
    # toaster
    sc.shadow(lambda q, f: q.rect((100, 430, 300, 548), f, r=30), 6, 4, 8, 130)
    sc.gradient(lambda q, f: q.rect((100, 430, 300, 548), f, r=30), (100, 430, 300, 548),
                [(0, (216, 222, 222)), (1, (150, 160, 164))], vertical=False)
    p.rect((130, 424, 190, 436), CHARCOAL, r=4)
    p.rect((210, 424, 270, 436), CHARCOAL, r=4)
    p.rect((284, 470, 306, 484), CHARCOAL, r=4)
    # the radio being mended
    sc.shadow(lambda q, f: q.rect((380, 360, 740, 548), f, r=22), 8, 4, 10, 140)
    sc.gradient(lambda q, f: q.rect((380, 360, 740, 548), f, r=22), (380, 360, 740, 548),
                [(0, mix(ORANGE, AMBER, 0.3)), (1, RUST)])
    p.rect((400, 380, 560, 528), mix(CREAM, SAND, 0.5), r=14)
    for gy in range(396, 520, 14):
        for gx in range(414, 552, 14):
            p.circle(gx, gy, 4, mix(SAND, WOOD_DARK, 0.5))
    p.rect((580, 384, 720, 440), CREAM, r=8)
    for tx in range(592, 712, 12):
        p.line([(tx, 396), (tx, 408 if tx % 24 else 414)], CHARCOAL, 2)
    p.line([(650, 390), (640, 434)], (220, 60, 50), 3)
    p.circle(610, 488, 24, CHARCOAL)
    p.circle(610, 488, 8, SAND)
    p.circle(686, 488, 24, CHARCOAL)
    p.circle(686, 488, 8, SAND)
    p.line([(640, 362), (700, 250)], (150, 156, 160), 5)
    # screwdriver on the bench and a mug
    p.rect((770, 520, 850, 540), TEAL, r=8)
    p.line([(850, 530), (930, 530)], (150, 156, 160), 6)
    p.rect((980, 470, 1050, 548), CREAM, r=10)
    p.arc((1030, 484, 1074, 528), 270, 90, CREAM, 9)
    p.rect((980, 470, 1050, 484), mix(CREAM, TEAL_LIGHT, 0.4), r=6)
    # desk lamp
    p.rect((880, 528, 960, 544), CHARCOAL, r=6)
    p.line([(920, 530), (860, 420), (910, 330)], CHARCOAL, 10)
    p.poly([(870, 300), (960, 300), (990, 352), (850, 352)], TEAL_LIGHT)
    p.chord((880, 334, 960, 370), 0, 180, AMBER_LIGHT)
    save(sc, "timeline-2015.jpg")


# Timeline: 2020, a doorstep delivery ------------------------------------------------------

def draw_doorstep() -> None:
    sc = Scene(1200, 800)
    p = sc.pen
    wall = mix(SAND, TEAL_DEEP, 0.35)
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 640), f), (0, 0, 1200, 640),
                [(0, mix(wall, TEAL_DEEP, 0.3)), (1, wall)])
    for by in range(0, 640, 40):
        p.line([(0, by), (1200, by)], mix(wall, TEAL_DEEP, 0.15), 2)
    # door
    sc.shadow(lambda q, f: q.rect((250, 90, 560, 600), f), 0, 0, 14, 120)
    p.rect((236, 76, 574, 600), mix(CREAM, wall, 0.3), r=6)
    sc.gradient(lambda q, f: q.rect((260, 100, 550, 600), f), (260, 100, 550, 600),
                [(0, mix(RUST, ORANGE, 0.2)), (1, RUST)])
    p.chord((290, 120, 520, 250), 180, 360, AMBER_LIGHT)
    p.line([(405, 120), (405, 186)], mix(RUST, INK, 0.2), 5)
    for py in (250, 420):
        p.rect((290, py, 390, py + 140), mix(RUST, INK, 0.15), r=6)
        p.rect((420, py, 520, py + 140), mix(RUST, INK, 0.15), r=6)
    p.circle(510, 400, 9, AMBER)
    p.rect((386, 370, 426, 382), AMBER, r=3)
    # wall lantern
    sc.glow(660, 240, 170, GLOW, 140)
    p.rect((640, 300, 680, 312), CHARCOAL, r=3)
    p.line([(660, 300), (660, 330)], CHARCOAL, 5)
    p.rect((620, 180, 700, 290), CHARCOAL, r=8)
    sc.gradient(lambda q, f: q.rect((630, 192, 690, 280), f, r=6), (630, 192, 690, 280),
                [(0, (255, 244, 210)), (1, AMBER)])
    p.poly([(612, 182), (660, 150), (708, 182)], CHARCOAL)
    # window with a paper rainbow
    wx0, wy0, wx1, wy1 = 790, 130, 1110, 440
    p.rect((wx0 - 16, wy0 - 16, wx1 + 16, wy1 + 26), mix(CREAM, wall, 0.2), r=4)
    sc.gradient(lambda q, f: q.rect((wx0, wy0, wx1, wy1), f), (wx0, wy0, wx1, wy1),
                [(0, (255, 230, 176)), (1, (240, 176, 100))])
    sc.glow((wx0 + wx1) / 2, (wy0 + wy1) / 2, 220, GLOW, 90)
    cx, cy = (wx0 + wx1) / 2, wy1 - 40
    for i, col in enumerate([(214, 72, 64), ORANGE, AMBER, SAGE, TEAL_LIGHT, (96, 110, 170)]):
        r = 130 - i * 18
        p.arc((cx - r, cy - r, cx + r, cy + r), 180, 360, col, 17)
    p.circle(cx - 128, cy + 6, 20, CREAM)
    p.circle(cx + 128, cy + 6, 20, CREAM)
    p.line([(cx, wy0), (cx, wy1)], mix(CREAM, wall, 0.2), 8)
    p.line([(wx0, (wy0 + wy1) / 2 - 30), (wx1, (wy0 + wy1) / 2 - 30)], mix(CREAM, wall, 0.2), 8)
    # steps
    p.rect((0, 640, 1200, 700), mix(wall, INK, 0.2))
    p.rect((200, 600, 610, 650), mix(SAND, CHARCOAL, 0.25))
    p.rect((200, 600, 610, 610), mix(SAND, CREAM, 0.2))
    p.rect((170, 650, 640, 700), mix(SAND, CHARCOAL, 0.35))
    p.rect((170, 650, 640, 660), mix(SAND, CREAM, 0.1))
    sc.gradient(lambda q, f: q.rect((0, 700, 1200, 800), f), (0, 700, 1200, 800),
                [(0, (110, 110, 104)), (1, (80, 84, 86))])
    with sc.layer(blur=18, opacity=0.6) as q:
        q.ellipse((500, 620, 900, 760), with_alpha(GLOW, 150))
    # paper grocery bag with a leek and bread
    sc.shadow(lambda q, f: q.rect((640, 560, 820, 716), f), 10, 0, 8, 140)
    p.line([(690, 470), (672, 560)], mix(SAGE, CREAM, 0.3), 20)
    p.line([(675, 420), (690, 470)], LEAF, 22)
    for k, ln in ((-1, 56), (0, 70), (1, 50)):
        ex, ey = 676 + 24 * k, 430 - ln
        p.poly([(668, 436), (684, 436), (ex + 8, ey), (ex - 6, ey + 4)], LEAF_DARK if k else LEAF)
    bread = [(745 - 20, 440), (745 + 20, 440), (745 + 20, 580), (745 - 20, 580)]
    bread = rot(bread, 745, 510, 14)
    p.poly(bread, (214, 160, 92))
    for end in (440, 580):
        ex, ey = rot([(745, end)], 745, 510, 14)[0]
        p.circle(ex, ey, 20, (214, 160, 92))
    for k in range(4):
        seg = rot([(735, 458 + k * 26), (755, 446 + k * 26)], 745, 510, 14)
        p.line(seg, (240, 200, 140), 5)
    p.poly([(630, 560), (830, 560), (820, 716), (640, 716)], (202, 160, 110))
    p.poly([(630, 560), (830, 560), (826, 580), (634, 580)], (186, 144, 96))
    lantern(sc, 730, 640, 22, glow=False, tassel=False, cap=mix(WOOD_DARK, INK, 0.2))
    # a crate of apples and oranges
    sc.shadow(lambda q, f: q.rect((870, 600, 1100, 716), f), 10, 0, 8, 140)
    for (ox, oy, col) in ((900, 596, (204, 64, 56)), (946, 590, ORANGE), (992, 596, (204, 64, 56)),
                          (1038, 590, ORANGE), (1074, 598, AMBER)):
        p.circle(ox, oy, 26, col)
        p.circle(ox - 8, oy - 8, 8, with_alpha(CREAM, 255))
    p.rect((870, 604, 1100, 716), WOOD, r=4)
    for yy in (640, 680):
        p.line([(870, yy), (1100, yy)], WOOD_DARK, 3)
    p.rect((870, 604, 1100, 614), mix(WOOD, CREAM, 0.3))
    save(sc, "timeline-2020.jpg")


# Timeline: 2026, the new building ----------------------------------------------------------

def draw_building() -> None:
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 800), f), (0, 0, 1200, 800),
                [(0, (108, 170, 174)), (0.55, (236, 214, 176)), (1, (246, 196, 140))])
    sc.glow(150, 120, 160, AMBER_LIGHT, 120)
    # old shopfront kept on the left
    sc.shadow(lambda q, f: q.rect((60, 230, 420, 660), f), 8, 0, 12, 110)
    p.rect((60, 230, 420, 660), BRICK)
    for by in range(240, 660, 20):
        p.line([(60, by), (420, by)], mix(BRICK, CREAM, 0.12), 2)
    p.rect((60, 230, 420, 252), mix(CREAM, SAND, 0.4))
    for wx in (100, 270):
        p.rect((wx, 290, wx + 90, 390), CREAM, r=3)
        sc.gradient(lambda q, f, wx=wx: q.rect((wx + 6, 296, wx + 84, 384), f),
                    (wx + 6, 296, wx + 84, 384), [(0, AMBER_LIGHT), (1, AMBER)])
    awning(sc, 80, 400, 430, 480, TEAL, CREAM, 7)
    sc.gradient(lambda q, f: q.rect((100, 510, 250, 650), f), (100, 510, 250, 650),
                [(0, (255, 226, 170)), (1, AMBER)])
    p.rect((290, 500, 380, 660), TEAL, r=3)
    p.rect((302, 514, 368, 580), AMBER_LIGHT, r=3)
    # new wing: timber, glass, green roof
    x0, x1, top = 420, 1160, 170
    sc.shadow(lambda q, f: q.rect((x0, top, x1, 660), f), 10, 0, 16, 120)
    sc.gradient(lambda q, f: q.rect((x0, top, x1, 660), f), (x0, top, x1, 660),
                [(0, (206, 150, 96)), (1, (176, 118, 70))])
    for sx in range(x0 + 8, x1, 14):
        p.line([(sx, top), (sx, 660)], mix(WOOD, WOOD_DARK, 0.45), 3)
    # roof with planting and solar panels
    p.rect((x0 - 10, top - 24, x1 + 10, top + 4), CHARCOAL)
    rng = random.Random(2026)
    for gx in range(x0, x1, 22):
        p.circle(gx + rng.uniform(0, 10), top - 26, rng.uniform(12, 20),
                 rng.choice([LEAF, SAGE, LEAF_DARK]))
    for px in range(x0 + 330, x1 - 40, 96):
        p.poly([(px, top - 30), (px + 84, top - 30), (px + 70, top - 92), (px + 14, top - 92)],
               TEAL_DEEP)
        p.line([(px + 42, top - 30), (px + 42, top - 92)], TEAL_LIGHT, 2)
        p.line([(px + 7, top - 60), (px + 77, top - 60)], TEAL_LIGHT, 2)
    # upper glazing
    for i, gx in enumerate(range(x0 + 40, x1 - 60, 170)):
        p.rect((gx - 8, 220, gx + 138, 380), CHARCOAL, r=2)
        lit = i % 2 == 0
        sc.gradient(lambda q, f, gx=gx: q.rect((gx, 228, gx + 130, 372), f),
                    (gx, 228, gx + 130, 372),
                    [(0, AMBER_LIGHT if lit else (150, 196, 196)),
                     (1, AMBER if lit else (96, 150, 154))])
        with sc.layer(opacity=0.3) as q:
            q.poly([(gx + 20, 228), (gx + 60, 228), (gx + 10, 372), (gx, 372), (gx, 270)],
                   (255, 255, 255, 255))
    # the big ground-floor window: a hall full of people
    gx0, gy0, gx1, gy1 = x0 + 40, 430, x1 - 40, 660
    p.rect((gx0 - 10, gy0 - 10, gx1 + 10, gy1), CHARCOAL)
    sc.gradient(lambda q, f: q.rect((gx0, gy0, gx1, gy1), f), (gx0, gy0, gx1, gy1),
                [(0, (255, 236, 196)), (1, (240, 178, 100))])
    sc.glow((gx0 + gx1) / 2, 560, 320, GLOW, 80)
    lantern_line = parabola(gx0, gy0 + 20, gx1, gy0 + 20, 30, 40)
    p.line(lantern_line, mix(WOOD_DARK, INK, 0.4), 2)
    for i, lx in enumerate(range(int(gx0) + 50, int(gx1), 95)):
        lantern(sc, lx, at_x(lantern_line, lx) + 22, 14, [AMBER, (236, 96, 62), TEAL_LIGHT][i % 3],
                [ORANGE, RUST, TEAL][i % 3], glow=False, tassel=False)
    coats = [TEAL, RUST, SAGE, (96, 110, 170), ORANGE, TEAL_DEEP, (200, 70, 90)]
    for i, fx in enumerate(range(int(gx0) + 60, int(gx1) - 30, 82)):
        h = 130 if i % 3 else 96
        person(sc, fx, gy1 - 4, h, mix(coats[i % len(coats)], AMBER, 0.15), SKIN[i % 5],
               skirt=i % 2 == 1)
    p.rect((gx0, gy1 - 40, gx1, gy1 - 34), with_alpha(mix(CHARCOAL, AMBER, 0.4), 255))
    for mx in range(int(gx0) + 150, int(gx1), 150):
        p.line([(mx, gy0), (mx, gy1)], CHARCOAL, 6)
    # pavement, trees, neighbours and bicycles
    sc.gradient(lambda q, f: q.rect((0, 660, 1200, 800), f), (0, 660, 1200, 800),
                [(0, (204, 194, 172)), (1, (176, 166, 146))])
    p.line([(0, 700), (1200, 700)], (180, 170, 150), 2)
    tree(sc, 40, 720, 420, LEAF, seed=8)
    tree(sc, 1150, 720, 380, mix(LEAF, SAGE, 0.4), seed=9)
    for bx in (470, 570):
        for wxc in (bx, bx + 70):
            p.circle(wxc, 730, 30, outline=CHARCOAL, width=5)
        p.line([(bx, 730), (bx + 30, 694), (bx + 70, 730), (bx + 35, 730), (bx + 30, 694)],
               TEAL if bx == 470 else ORANGE, 6)
        p.line([(bx + 30, 694), (bx + 58, 694), (bx + 70, 730)], TEAL if bx == 470 else ORANGE, 6)
        p.line([(bx + 58, 694), (bx + 56, 680)], CHARCOAL, 5)
    person(sc, 760, 770, 150, RUST, SKIN[3], scarf=AMBER, skirt=True, hat=TEAL_DEEP)
    person(sc, 808, 770, 96, AMBER, SKIN[3])
    person(sc, 960, 770, 158, TEAL_DEEP, SKIN[0], hair=(160, 150, 140), scarf=(236, 96, 62))
    save(sc, "timeline-2026.jpg")


# News: the seniors' lunch table (from above) -----------------------------------------------

def draw_lunch() -> None:
    rng = random.Random(30)
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 800), f), (0, 0, 1200, 800),
                [(0, CREAM), (1, mix(CREAM, SAND, 0.5))])
    for y in (40, 760):
        p.rect((0, y - 14, 1200, y + 14), TEAL)
        for xx in range(0, 1200, 40):
            p.poly([(xx, y), (xx + 20, y - 10), (xx + 40, y), (xx + 20, y + 10)], AMBER)
    for xx in range(0, 1200, 60):
        p.line([(xx, 60), (xx, 740)], with_alpha(mix(CREAM, SAND, 0.8), 255), 2)

    def bowl(cx, cy, r, soup, garnish):
        sc.shadow(lambda q, f: q.circle(cx, cy, r, f), 8, 12, 10, 100)
        p.circle(cx, cy, r, TEAL)
        p.circle(cx, cy, r * 0.9, CREAM)
        p.circle(cx, cy, r * 0.74, soup)
        for _ in range(12):
            a, d = rng.uniform(0, math.tau), rng.uniform(0, r * 0.6)
            p.circle(cx + math.cos(a) * d, cy + math.sin(a) * d, r * 0.05, garnish)

    def plate(cx, cy, r):
        sc.shadow(lambda q, f: q.circle(cx, cy, r, f), 8, 12, 10, 100)
        p.circle(cx, cy, r, (252, 248, 240))
        p.circle(cx, cy, r * 0.8, outline=mix(CREAM, TEAL_LIGHT, 0.4), width=3)

    # dumplings around a dish of dipping sauce
    plate(300, 280, 150)

    def dumpling(dx, dy, ang):
        arc = [(dx + 40 * math.cos(t), dy + 6 - 30 * math.sin(t))
               for t in [k / 16 * math.pi for k in range(17)]]
        shape = rot(arc + [(dx - 30, dy + 14), (dx + 30, dy + 14)][::-1], dx, dy, ang)
        sc.shadow(lambda q, f: q.poly(shape, f), 3, 5, 4, 90)
        p.poly(shape, (246, 234, 208))
        for k in range(-2, 3):
            p.line(rot([(dx + k * 11, dy - 18 + abs(k) * 4), (dx + k * 8, dy - 2)], dx, dy, ang),
                   mix(SAND, WOOD, 0.35), 2)
        p.line(rot([(dx - 34, dy + 2), (dx + 34, dy + 2)], dx, dy, ang), mix(SAND, WOOD, 0.25), 2)

    for i in range(6):
        a = i / 6 * math.tau + 0.3
        dumpling(300 + math.cos(a) * 88, 280 + math.sin(a) * 88, math.degrees(a) + 90)
    p.circle(300, 280, 32, TEAL)
    p.circle(300, 280, 25, (120, 60, 40))
    p.circle(292, 272, 6, (160, 90, 60))
    # soups
    bowl(640, 200, 110, (232, 150, 70), LEAF)
    bowl(880, 560, 100, (198, 110, 60), CREAM)
    # flatbread basket
    sc.shadow(lambda q, f: q.ellipse((380, 480, 700, 700), f), 8, 12, 10, 100)
    p.ellipse((380, 480, 700, 700), WOOD)
    p.ellipse((396, 494, 684, 686), mix(WOOD, WOOD_DARK, 0.4))
    for (bx, by) in ((480, 570), (590, 600), (540, 560)):
        p.circle(bx, by, 78, (236, 206, 150))
        p.circle(bx, by, 64, (242, 218, 168))
        for _ in range(14):
            a, d = rng.uniform(0, math.tau), rng.uniform(0, 56)
            p.circle(bx + math.cos(a) * d, by + math.sin(a) * d, rng.uniform(3, 6), (196, 140, 80))
    # teapot and tea glasses
    sc.shadow(lambda q, f: q.circle(960, 230, 90, f), 8, 12, 10, 100)
    p.line([(1040, 200), (1110, 150)], (200, 180, 150), 18)
    p.arc((820, 180, 900, 280), 90, 270, (200, 180, 150), 16)
    p.circle(960, 230, 90, (220, 204, 176))
    p.circle(960, 230, 64, (236, 224, 200))
    p.circle(960, 230, 20, (200, 180, 150))
    for (gx, gy) in ((1080, 350), (1140, 440), (1060, 470)):
        sc.shadow(lambda q, f, gx=gx, gy=gy: q.circle(gx, gy, 30, f), 4, 8, 6, 100)
        p.circle(gx, gy, 30, (236, 200, 110))
        p.circle(gx, gy, 24, (178, 92, 40))
        p.circle(gx - 6, gy - 6, 6, (220, 150, 90))
    # olives and clementine slices
    plate(180, 610, 90)
    for _ in range(10):
        a, d = rng.uniform(0, math.tau), rng.uniform(0, 50)
        ox, oy = 180 + math.cos(a) * d, 610 + math.sin(a) * d
        p.ellipse((ox - 13, oy - 9, ox + 13, oy + 9), rng.choice([(84, 100, 50), (60, 50, 50)]))
    for (sx, sy) in ((760, 380), (820, 400), (700, 400)):
        p.circle(sx, sy, 30, ORANGE)
        p.circle(sx, sy, 24, (250, 170, 80))
        for k in range(8):
            a = k / 8 * math.tau
            p.line([(sx, sy), (sx + math.cos(a) * 24, sy + math.sin(a) * 24)], (255, 220, 170), 2)
    # chopsticks and a spoon
    p.line([(120, 120), (470, 80)], WOOD_DARK, 8)
    p.line([(120, 140), (470, 110)], WOOD_DARK, 8)
    p.ellipse((1010, 640, 1060, 690), (200, 204, 206))
    p.line([(1050, 680), (1140, 730)], (200, 204, 206), 10)
    save(sc, "news-lunch.jpg")


# News: the winter lantern walk ------------------------------------------------------------

def draw_lantern_walk() -> None:
    rng = random.Random(12)
    sc = Scene(1200, 800)
    p = sc.pen
    sc.gradient(lambda q, f: q.rect((0, 0, 1200, 800), f), (0, 0, 1200, 800),
                [(0, TEAL_NIGHT), (0.6, (30, 76, 92)), (1, (44, 96, 104))])
    stars(sc, rng, 90, 380)
    sc.glow(220, 140, 120, CREAM, 60)
    p.circle(220, 140, 40, (250, 240, 214))
    # layered hills of the park
    for i, (base, amp, col) in enumerate(((430, 40, (30, 72, 84)), (500, 50, (24, 60, 70)),
                                          (580, 36, (18, 48, 58)))):
        pts = [(0, 800)]
        for x in range(0, 1201, 20):
            pts.append((x, base - amp * math.sin(x / (180 + i * 60) + i)))
        pts.append((1200, 800))
        p.poly(pts, col)
    for (tx, ty, th) in ((80, 470, 200), (1000, 440, 240), (1120, 480, 180), (640, 420, 130)):
        p.rect((tx - 5, ty - th * 0.3, tx + 5, ty), (14, 36, 44))
        p.poly([(tx, ty - th), (tx - th * 0.22, ty - th * 0.25), (tx + th * 0.22, ty - th * 0.25)],
               (14, 40, 48))
    # the path winding towards the viewer
    path = [(570, 466), (630, 466), (700, 520), (800, 600), (1010, 800), (410, 800), (560, 600),
            (600, 530)]
    p.poly(path, (70, 92, 96))
    with sc.layer(blur=26, opacity=0.7) as q:
        q.poly(path, with_alpha(GLOW, 90))
    # walkers, small in the distance, larger in front
    walkers = [(600, 480, 40), (630, 486, 38), (660, 500, 46), (640, 520, 52), (700, 540, 60),
               (670, 570, 70), (740, 600, 84), (690, 640, 100), (800, 680, 120), (720, 740, 150),
               (880, 780, 170), (580, 790, 160)]
    coats = [RUST, TEAL, AMBER, SAGE, (96, 110, 170), ORANGE]
    for i, (x, base, h) in enumerate(walkers):
        coat = mix(coats[i % len(coats)], TEAL_NIGHT, 0.45)
        person(sc, x, base, h, coat, mix(SKIN[i % 5], TEAL_NIGHT, 0.35),
               hat=mix(coats[(i + 2) % 6], TEAL_NIGHT, 0.3) if i % 2 else None, skirt=i % 3 == 0)
        hx, hy = x + h * 0.16, base - h * 0.48
        lx, ly = x + h * 0.36, base - h * 0.8
        p.line([(hx, hy), (lx, ly)], WOOD_DARK, max(1.5, h * 0.02))
        lantern(sc, lx, ly + h * 0.12, h * 0.085,
                [AMBER, (236, 96, 62), (250, 200, 92)][i % 3], [ORANGE, RUST, AMBER][i % 3],
                string=h * 0.03, tassel=False)
    save(sc, "news-lantern-walk.jpg")


def main() -> None:
    draw_logo()
    draw_cover()
    draw_shopfront()
    draw_homework()
    draw_garden()
    draw_repair()
    draw_doorstep()
    draw_building()
    draw_lunch()
    draw_lantern_walk()


if __name__ == "__main__":
    main()
