"""A file sent to the browser: a name any browser keeps (ASCII beside the UTF-8 one), and never
sniffed into something else (the site-wide nosniff header holds it to its declared type)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response


def file_response(data: bytes, name: str, media_type: str, *, inline: bool = False) -> Response:
    plain = name.encode("ascii", "ignore").decode().replace('"', "") or "file"
    how = "inline" if inline else "attachment"
    disposition = f"{how}; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
