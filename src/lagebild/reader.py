"""Read one input: bytes in, decoded text and its kind (text or HTML) out, or a coded InputError.

Decoding cascade (:func:`decode`), first that applies wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) names the codec;
2. the bytes are valid UTF-8;
3. HTML only: the charset the page declares (``<meta charset>``), if the bytes decode with it;
4. charset-normalizer's best guess; a Western single-byte guess is read as cp1252, the superset
   of Latin-1 that German pages really use;
5. otherwise E006.

The kind is detected from the content (markup near the start), not from the file name.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lagebild.errors import Errors, InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
)
_HTML_START = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title|article|div|p)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r
_WESTERN = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman"}


@dataclass(frozen=True)
class RawInput:
    """A decoded input, ready for the pipeline."""

    id: str
    source: str
    text: str
    kind: str  # "text" or "html"
    encoding: str


def read_path(path: Path, *, max_bytes: int) -> RawInput:
    """Read and decode one file; raise :class:`InputError` with a code if it cannot be analysed."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Errors.E005.format(reason=exc.strerror or exc, source=path)) from exc
    if size > max_bytes:
        raise InputError(Errors.E003.format(size=size, limit=max_bytes, source=path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Errors.E005.format(reason=exc.strerror or exc, source=path)) from exc
    return read_bytes(data, source=str(path), max_bytes=max_bytes)


def read_bytes(data: bytes, *, source: str, max_bytes: int = 20_000_000) -> RawInput:
    """Decode bytes from any origin (file, stdin, archive record)."""
    if len(data) > max_bytes:
        raise InputError(Errors.E003.format(size=len(data), limit=max_bytes, source=source))
    if not data.strip():
        raise InputError(Errors.E001.format(source=source))
    text, encoding = decode(data, source=source)
    if not text.strip():
        raise InputError(Errors.E001.format(source=source))
    controls = len(_CONTROLS.findall(text, 0, 20000))
    if controls > max(5, len(text[:20000]) // 50):
        raise InputError(Errors.E002.format(reason=f"{controls} control characters", source=source))
    kind = "html" if is_html(text) else "text"
    digest = hashlib.sha256(data).hexdigest()[:16]
    return RawInput(id=digest, source=source, text=text, kind=kind, encoding=encoding)


def is_html(text: str) -> bool:
    """True when markup appears near the start of the text."""
    head = text[:4096].lstrip().encode("utf-8", "replace")
    return bool(_HTML_START.search(head[:1024])) and head.count(b"<") >= 3


def decode(data: bytes, *, source: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` following the cascade in the module docstring."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise InputError(Errors.E006.format(tried=codec, source=source)) from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(Errors.E002.format(reason=what, source=source))
    if b"\x00" in data[:8192]:
        raise InputError(Errors.E002.format(reason="NUL bytes", source=source))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        try:
            codec = codecs.lookup(name).name
            if codec == "iso8859-1" or codec == "latin-1":
                codec = "cp1252"
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    if guess is None or guess in _WESTERN:
        for codec in ("cp1252", "latin-1"):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    if guess is not None:
        return str(best), guess
    raise InputError(Errors.E006.format(tried="BOM, utf-8, declared charset, charset-normalizer", source=source))
