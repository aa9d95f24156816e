"""The library entry points the CLI, the store and users call: inputs in, articles or failures out."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lagebild.errors import Errors, InputError, LagebildError
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.reader import RawInput, read_bytes, read_path
from lagebild.settings import Settings

#: File endings that `iter_inputs` picks up inside folders (a named file is always read).
INPUT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class Failure:
    """An input that could not be analysed, with its coded reason."""

    source: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "error": self.message, "code": self.code}


def iter_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and files with a known ending inside folders (recursive, sorted)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in INPUT_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


def article_from(raw: RawInput, reference_time: str | None = None) -> Article:
    return Article(id=raw.id, source=raw.source, raw=raw.text, input_kind=raw.kind, encoding=raw.encoding,
                   reference_time=reference_time)


def analyze_text(text: str, *, source: str = "<text>", settings: Settings | None = None,
                 pipeline: Pipeline | None = None) -> Article:
    """Analyse one article given as a string (plain text or HTML)."""
    settings = settings or (pipeline.settings if pipeline else Settings())
    pipeline = pipeline or Pipeline(settings)
    raw = read_bytes(text.encode("utf-8"), source=source, max_bytes=settings.max_input_bytes)
    return pipeline(article_from(raw))


def analyze_path(path: Path, *, settings: Settings | None = None, pipeline: Pipeline | None = None) -> Article:
    """Analyse one file; relative dates count from the file's modification time unless configured."""
    settings = settings or (pipeline.settings if pipeline else Settings())
    pipeline = pipeline or Pipeline(settings)
    raw = read_path(path, max_bytes=settings.max_input_bytes)
    reference = None
    if not (settings.reference_time or settings.published):
        mtime = os.stat(path).st_mtime
        reference = datetime.fromtimestamp(mtime, ZoneInfo(settings.timezone)).isoformat(timespec="seconds")
    return pipeline(article_from(raw, reference))


def analyze_paths(paths: Iterable[Path], settings: Settings | None = None, *,
                  pipeline: Pipeline | None = None) -> Iterator[Article | Failure]:
    """Analyse many inputs; one bad input yields a :class:`Failure` and the rest go on."""
    pipeline = pipeline or Pipeline(settings)
    for path in iter_inputs(paths):
        try:
            yield analyze_path(path, pipeline=pipeline)
        except InputError as exc:
            yield Failure(str(path), exc.code, exc.message)
        except LagebildError as exc:
            yield Failure(str(path), exc.code, exc.message)
        except Exception as exc:  # noqa: BLE001 - a stage's bug must not stop the batch
            message = Errors.E013.format(stage="pipeline", source=path, reason=f"{type(exc).__name__}: {exc}")
            yield Failure(str(path), "E013", message)
