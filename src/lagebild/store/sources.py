"""Inputs for ingest: files, folders, globs, WARC and JSONL records, stdin, as :class:`Unit` s.

A unit is one article's worth of input with the name it is stored under (``source``): a file's
absolute path; a WARC response record's target URI (else ``file#offset``); a JSONL record's
``url`` (else ``file:line``); ``<stdin>``. What cannot be read becomes a unit that carries its
coded error, so it ends in the ``failures`` table like any other bad input:

* a WARC or WARC.gz file that breaks off yields the records before the break, then one failure
  (E063) named ``file#offset`` of the break;
* a JSONL line that is not a JSON object with ``text`` or ``html`` fails alone (E064);
* a path that does not exist, or a glob that matches nothing, fails (E005, E065).
"""

from __future__ import annotations

import glob
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lagebild.api import INPUT_SUFFIXES
from lagebild.errors import Errors

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".jsonl", ".ndjson", ".jsonl.gz")


@dataclass
class Unit:
    """One input to analyse (or its error)."""

    source: str
    data: bytes | None = None
    container: str | None = None
    url: str | None = None
    crawled: str | None = None
    published: str | None = None
    mtime: float | None = None
    reference: str | None = None  # time relative dates count from, when known (reanalyze)
    code: str | None = None  # set when the input failed before analysis
    message: str | None = None
    force: bool = False


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return "jsonl"
    return "file"


def _wanted(path: Path) -> bool:
    name = path.name.lower()
    return not name.startswith(".") and (path.suffix.lower() in INPUT_SUFFIXES or name.endswith(ARCHIVE_SUFFIXES))


def _order(path: Path) -> tuple[str, ...]:
    """The order of ``sorted`` on paths (their parts, compared one by one), without comparing
    path objects (slow: each comparison is a Python call)."""
    return path.parts


def expand(paths: Iterable[str | Path]) -> Iterator[Path | Unit]:
    """Files to read, in a stable order; a failing unit for what names nothing."""
    for given in paths:
        text = str(given)
        path = Path(text)
        if text == "-":
            yield path
        elif path.is_dir():
            yield from sorted((p for p in path.rglob("*") if p.is_file() and _wanted(p)), key=_order)
        elif path.exists():
            yield path
        elif any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            files = [m for m in matches if m.is_file()] + [
                p for m in matches if m.is_dir() for p in sorted(m.rglob("*")) if p.is_file() and _wanted(p)]
            if not files:
                yield Unit(text, code="E065", message=Errors.E065.format(source=text))
            yield from files
        else:
            yield Unit(text, code="E005", message=Errors.E005.format(reason="no such file or folder", source=text))


def iter_units(paths: Iterable[str | Path], *, max_bytes: int = 20_000_000) -> Iterator[Unit]:
    """Every unit of the given inputs (see the module docstring)."""
    folders: dict[str, str] = {}  # folder -> its real path
    for item in expand(paths):
        if isinstance(item, Unit):
            yield item
            continue
        if str(item) == "-":
            yield from stdin_units(sys.stdin.buffer.read())
            continue
        source = _real_path(item, folders)
        kind = _kind(item)
        try:
            if kind == "warc":
                with item.open("rb") as stream:
                    yield from warc_units(stream, source)
            elif kind == "jsonl":
                yield from jsonl_units(item, source)
            else:
                stat = item.stat()
                if stat.st_size > max_bytes:
                    yield Unit(source, code="E003", message=Errors.E003.format(size=stat.st_size, limit=max_bytes,
                                                                                source=source))
                    continue
                yield Unit(source, data=item.read_bytes(), mtime=stat.st_mtime)
        except OSError as exc:
            yield Unit(source, code="E005", message=Errors.E005.format(reason=exc.strerror or exc, source=source))


def _real_path(path: Path, folders: dict[str, str]) -> str:
    """``str(path.resolve())``, each folder resolved once: a file that is no symbolic link is its
    folder's real path joined with its name (resolving every file costs a system call for each
    folder of its path)."""
    if path.is_symlink():
        return str(path.resolve())
    folder, name = os.path.split(str(path))
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    return os.path.join(real, name)


def stdin_units(data: bytes) -> Iterator[Unit]:
    """Standard input: a WARC, JSONL (first character ``{``) or one article."""
    if data[:5] == b"WARC/" or data[:2] == b"\x1f\x8b":
        yield from warc_units(io.BytesIO(data), "<stdin>")
    elif data.lstrip()[:1] == b"{":
        yield from _jsonl_lines(data.decode("utf-8", "replace").splitlines(), "<stdin>")
    else:
        yield Unit("<stdin>", data=data)


def warc_units(stream, container: str) -> Iterator[Unit]:
    """Response records (HTML or text) of a WARC or WARC.gz stream; a break ends with E063."""
    from warcio.archiveiterator import ArchiveIterator

    records = end = 0
    iterator = ArchiveIterator(stream, arc2warc=True)
    while True:
        try:
            record = next(iterator)
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI")
            content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
            data = record.content_stream().read()
            offset = iterator.get_record_offset()  # after reading: it reads the record to its end
            end = offset + iterator.get_record_length()
            if record.rec_type != "response":
                continue
        except StopIteration:
            # warcio ends quietly when a gzip member breaks off: bytes after the last whole record
            # mean the archive was cut.
            stream.seek(0, 2)
            if stream.tell() > end + 4:
                yield Unit(f"{container}#{end}", container=container, code="E063", message=Errors.E063.format(
                    records=records, reason=f"{stream.tell() - end} bytes after the last complete record", source=container))
            return
        except Exception as exc:  # noqa: BLE001 - warcio and zlib raise several types on a broken archive
            offset = getattr(iterator, "offset", None)
            source = f"{container}#{offset if offset is not None else 'end'}"
            yield Unit(source, container=container, code="E063",
                       message=Errors.E063.format(records=records, reason=f"{type(exc).__name__}: {exc}" if str(exc)
                                                  else type(exc).__name__, source=container))
            return
        records += 1
        if content_type and not content_type.lower().startswith(("text/", "application/xhtml")):
            continue
        yield Unit(url or f"{container}#{offset}", data=data, container=container, url=url,
                   crawled=headers.get_header("WARC-Date"))


def jsonl_units(path: Path, container: str) -> Iterator[Unit]:
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        yield from _jsonl_lines(handle, container)


def _jsonl_lines(lines: Iterable[str], container: str) -> Iterator[Unit]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{container}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Unit(where, container=container, code="E064", message=Errors.E064.format(reason=f"not JSON: {exc.msg}",
                                                                                         source=where))
            continue
        if not isinstance(record, dict):
            yield Unit(where, container=container, code="E064",
                       message=Errors.E064.format(reason="not a JSON object", source=where))
            continue
        body = record.get("html") if isinstance(record.get("html"), str) else record.get("text")
        if not isinstance(body, str):
            yield Unit(where, container=container, code="E064",
                       message=Errors.E064.format(reason="no 'text' or 'html' string", source=where))
            continue
        url = record.get("url") if isinstance(record.get("url"), str) else None
        published = record.get("published") if isinstance(record.get("published"), str) else None
        yield Unit(url or where, data=body.encode("utf-8"), container=container, url=url, published=published)


def count_files(paths: Iterable[str | Path]) -> int | None:
    """How many units the inputs hold, when that is known without reading archives."""
    total = 0
    for item in expand(paths):
        if isinstance(item, Unit):
            total += 1
        elif str(item) == "-" or _kind(item) != "file":
            return None
        else:
            total += 1
    return total
