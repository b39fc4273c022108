"""Pictures for the portal: checked by their content, turned upright, stripped of EXIF, and
cut to the sizes the pages use.

* ``original`` — the picture as uploaded, upright and re-encoded without its EXIF (which may
  hold the place it was taken and the camera's owner), at its full size;
* ``page`` — at most 1200 px wide, for the article page;
* ``thumbnail`` — 480×300, cropped around the centre, for lists;
* ``share`` — 1200×630, cropped, JPEG, for Open Graph and Zalo/Facebook cards.

Pictures without transparency are saved as JPEG, those with transparency as WebP (quality 82
both); the share card is always JPEG on white. Only JPEG, PNG and WebP are accepted, at most
``PORTAL_IMAGE_MAX_BYTES`` (10 MB by default) and ``PORTAL_IMAGE_MAX_PIXELS`` (50 million by
default: a decompression bomb is refused before it is decoded).
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from congdoan.core.text import fold, nfc

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PAGE_WIDTH = 1200
THUMBNAIL_SIZE = (480, 300)
SHARE_SIZE = (1200, 630)
QUALITY = 82
ORIGINAL_QUALITY = 90
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000


def max_bytes() -> int:
    return int(getattr(settings, "PORTAL_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "PORTAL_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


@dataclass
class Renditions:
    """The files to store, named ``<stem>-<size>.<ext>``, and the upright size."""

    original: ContentFile
    page: ContentFile
    thumbnail: ContentFile
    share: ContentFile
    width: int
    height: int


def _read(upload: Any) -> tuple[str, bytes]:
    name = getattr(upload, "name", "") or "anh"
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError({"file": _too_large(limit)})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > limit:
        raise ValidationError({"file": _too_large(limit)})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    return name, data


def _too_large(limit: int) -> str:
    return _("The picture is larger than %(limit)s.") % {"limit": filesizeformat(limit)}


def _not_a_picture() -> ValidationError:
    return ValidationError(
        {"file": _("This file is not a JPEG, PNG or WebP picture (its content was checked).")}
    )


def open_checked(data: bytes) -> PILImage.Image:
    """Open the picture after checking its format, its integrity and its pixel count."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            probe = PILImage.open(io.BytesIO(data))
            if probe.format not in FORMATS:
                raise _not_a_picture()
            width, height = probe.size
            if width * height > max_pixels():
                raise ValidationError(
                    {
                        "file": _(
                            "The picture has too many pixels (%(width)s×%(height)s); "
                            "please reduce it before uploading."
                        )
                        % {"width": width, "height": height}
                    }
                )
            probe.verify()
            image = PILImage.open(io.BytesIO(data))
            image.load()
        except ValidationError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
            raise ValidationError(
                {"file": _("The picture has too many pixels; please reduce it before uploading.")}
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _not_a_picture() from exc
    return image


def _has_alpha(image: PILImage.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getextrema()[-1][0] < 255
    return image.mode == "P" and "transparency" in image.info


def _normalise(image: PILImage.Image) -> tuple[PILImage.Image, bool]:
    """Upright (EXIF orientation applied) RGB or RGBA, and whether it is transparent."""
    image = ImageOps.exif_transpose(image) or image
    alpha = _has_alpha(image)
    if alpha:
        image = image.convert("RGBA")
    elif image.mode != "RGB":
        image = image.convert("RGB")
    return image, alpha


def _encode(image: PILImage.Image, fmt: str, quality: int = QUALITY) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        if image.mode != "RGB":
            background = PILImage.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A") if "A" in image.mode else None)
            image = background
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", quality=quality, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = slugify(fold(base))[:50].strip("-") or "anh"
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def check_alt_text(alt_text: str) -> str:
    """The text alternative, required: what the picture shows for readers who cannot see it."""
    value = nfc(alt_text or "")
    if not value:
        raise ValidationError(
            {
                "alt_text": _(
                    "Describe what the picture shows (text alternative): readers who cannot "
                    "see it, and search engines, read this instead."
                )
            }
        )
    if len(value) > 300:
        raise ValidationError(
            {"alt_text": _("The text alternative is longer than 300 characters.")}
        )
    return value


def renditions(upload: Any) -> Renditions:
    """Check an uploaded picture and make its sizes. Raises ValidationError on ``file``."""
    name, data = _read(upload)
    source = open_checked(data)
    try:
        return _make(name, source)
    except (OSError, ValueError) as exc:
        raise _not_a_picture() from exc


def _make(name: str, source: PILImage.Image) -> Renditions:
    source_format = source.format
    image, alpha = _normalise(source)
    width, height = image.size
    stem = _stem(name)
    fmt = "WEBP" if alpha else "JPEG"
    ext = FORMATS[fmt]

    original_format = source_format if source_format in FORMATS else fmt
    if original_format == "JPEG" and alpha:
        original_format = "PNG"
    original = _encode(image, original_format, ORIGINAL_QUALITY)

    page = image
    if width > PAGE_WIDTH:
        page = image.resize(
            (PAGE_WIDTH, max(1, round(height * PAGE_WIDTH / width))), PILImage.LANCZOS
        )
    thumbnail = ImageOps.fit(image, THUMBNAIL_SIZE, PILImage.LANCZOS)
    share = ImageOps.fit(image, SHARE_SIZE, PILImage.LANCZOS)
    return Renditions(
        original=ContentFile(original, name=f"{stem}.{FORMATS[original_format]}"),
        page=ContentFile(_encode(page, fmt), name=f"{stem}-page.{ext}"),
        thumbnail=ContentFile(_encode(thumbnail, fmt), name=f"{stem}-thumb.{ext}"),
        share=ContentFile(_encode(share, "JPEG"), name=f"{stem}-share.jpg"),
        width=width,
        height=height,
    )
