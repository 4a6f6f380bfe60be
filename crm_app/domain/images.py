"""Images checked and thumbnailed with Pillow: the content must decode, its size must be sane.

Decompression bombs (a small file that decodes to gigapixels) are refused instead of only warned
about, and thumbnails follow the EXIF orientation, so a phone photo is shown upright.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_PX = 320
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_CONTENT_TYPE = "image/webp"
MAX_PIXELS = 60_000_000  # 60 megapixels: more than any phone or camera photo a shop would attach


class NotAnImage(ValueError):
    """The content does not decode as the image its header claims."""


@dataclass(frozen=True)
class ImageInfo:
    width: int  # as shown (after the EXIF orientation)
    height: int


def _open(path: Path) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError,
                OSError, SyntaxError) as exc:
            raise NotAnImage(str(exc)) from exc
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise NotAnImage("too many pixels")
    return image


def inspect_image(path: Path) -> ImageInfo:
    """Verify the whole file decodes as an image and return its displayed size. Raises NotAnImage."""
    with _open(path) as image:
        try:
            image.verify()  # checks the data without decoding pixels (CRCs, structure)
        except Exception as exc:  # Pillow raises many types for corrupt data
            raise NotAnImage(str(exc)) from exc
    with _open(path) as image:
        try:
            image.load()  # verify() does not catch truncated pixel data
        except Exception as exc:
            raise NotAnImage(str(exc)) from exc
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    if orientation in (5, 6, 7, 8):  # rotated by 90°: shown the other way round
        width, height = height, width
    return ImageInfo(width=width, height=height)


def write_thumbnail(source: Path, target: Path) -> None:
    """Write a ``THUMBNAIL_PX`` box thumbnail of ``source`` (upright) to ``target``."""
    with _open(source) as image:
        image.draft("RGB", (THUMBNAIL_PX * 2, THUMBNAIL_PX * 2))  # JPEG: decode at a smaller scale
        thumb = ImageOps.exif_transpose(image)
        thumb.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        if thumb.mode not in ("RGB", "RGBA"):
            thumb = thumb.convert("RGBA" if "transparency" in thumb.info or thumb.mode in ("LA", "PA")
                                  else "RGB")
        thumb.save(target, THUMBNAIL_FORMAT, quality=80, method=4)
