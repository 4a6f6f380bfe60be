"""Draw the app's install icons (assets/icons/): ``python -m crm_app.ops.pwa_icons``.

Organization-neutral: a white ring open on the right (a "C") on the app's teal, drawn here rather than
taken from any customer's logo. Two kinds, at 192 and 512 px:

- ``any``: a rounded square filling the canvas, for launchers that show the icon as it is;
- ``maskable``: teal to every edge, the mark inside the central circle of 40 % radius that every
  platform's mask keeps (the "safe zone" of the Web App Manifest spec), so a circle, squircle or
  teardrop crop never cuts it.

Drawn 4x larger and scaled down, which smooths the edges without a font or an outside file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

# The app's accent in light mode (assets/styles.css --teal-9): white on it is 4.9:1.
TEAL = (11, 127, 113, 255)
WHITE = (255, 255, 255, 255)
SIZES = (192, 512)
ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"
_SCALE = 4
# The ring's outer radius as a share of the icon's side. Maskable: the safe zone's radius is 0.40, the
# ring keeps a margin inside it.
_RING = {"any": 0.34, "maskable": 0.28}


def render(size: int, kind: str) -> Image.Image:
    """One icon: ``kind`` is ``"any"`` or ``"maskable"``."""
    big = size * _SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if kind == "maskable":
        draw.rectangle((0, 0, big, big), fill=TEAL)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * 0.22), fill=TEAL)
    outer = big * _RING[kind]
    centre = big / 2
    box = (centre - outer, centre - outer, centre + outer, centre + outer)
    # Open on the right: from 40 degrees below the horizontal round to 40 degrees above it.
    draw.arc(box, start=40, end=320, fill=WHITE, width=round(outer * 0.36))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def file_name(size: int, kind: str) -> str:
    return f"icon-{size}.png" if kind == "any" else f"icon-maskable-{size}.png"


def write_all(directory: Path = ICONS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in ("any", "maskable"):
        for size in SIZES:
            path = directory / file_name(size, kind)
            render(size, kind).save(path, optimize=True)
            written.append(path)
    # iOS ignores the manifest's icons and takes this one (opaque; iOS rounds the corners itself).
    apple = directory / "apple-touch-icon.png"
    render(180, "maskable").convert("RGB").save(apple, optimize=True)
    written.append(apple)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else ICONS_DIR):
        print(path)
