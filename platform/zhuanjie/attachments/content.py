"""What an upload is, judged by its bytes and never by its name, and the file we keep.

Accepted: JPEG, PNG and WebP images, re-encoded by Pillow with no metadata at all (EXIF with
its GPS position, XMP, comments), turned upright first so nothing is lost by dropping the
orientation tag; and PDF (scanners' output), kept as it is. Anything else is refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from zhuanjie.errors import Invalid

# A larger image is refused before it is decoded (a small file can unpack to gigabytes).
MAX_PIXELS = 40_000_000

_SNIFF = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


@dataclass(frozen=True)
class Kept:
    content_type: str
    data: bytes

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[
            self.content_type
        ]


def sniff(data: bytes) -> str | None:
    for magic, content_type in _SNIFF:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def accept(data: bytes, *, max_bytes: int, field: str = "file") -> Kept:
    if not data:
        raise Invalid("请选择要上传的文件", field=field)
    if len(data) > max_bytes:
        raise Invalid(f"文件过大（最多 {max_bytes // (1024 * 1024)} MB）", field=field)
    content_type = sniff(data)
    if content_type is None:
        raise Invalid("只接受 JPG、PNG、WebP 图片或 PDF 文件", field=field)
    if content_type == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise Invalid("PDF 文件不完整", field=field)
        return Kept(content_type, data)
    return _reencode(data, field)


def _reencode(data: bytes, field: str) -> Kept:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Invalid("图片尺寸过大", field=field)
                image.load()
                upright = ImageOps.exif_transpose(image)
                has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                out = io.BytesIO()
                if has_alpha:
                    clean = upright.convert("RGBA")
                    clean.save(out, format="PNG", optimize=True)
                    content_type = "image/png"
                else:
                    clean = upright.convert("RGB")
                    clean.save(out, format="JPEG", quality=85, optimize=True)
                    content_type = "image/jpeg"
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Invalid("图片无法读取，可能已损坏", field=field) from exc
    return Kept(content_type, out.getvalue())
