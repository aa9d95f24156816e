"""Ingest: inputs in, one writer storing what every input became; resumable after a crash.

The flow of :func:`ingest`:

1. :mod:`lagebild.store.sources` turns paths, globs, archives and stdin into units, lazily.
2. Workers (``workers`` processes, each with its own :class:`~lagebild.pipeline.Pipeline` built
   once; or the calling process when ``workers == 1``) analyse units in order
   (:func:`analyse`). Before the expensive stages they check the store, read-only, for an
   unchanged input or a copy of a stored article, so copies are not analysed twice.
3. The one writer (this process) records each outcome in input order and commits every
   ``batch_size`` outcomes (or every ``batch_seconds``) in one transaction together with the
   per-input state. A ``kill -9`` loses at most the open batch; running the same command again
   finds the committed inputs unchanged and analyses only the rest.
"""

from __future__ import annotations

import gc
import itertools
import os
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lagebild.errors import Errors, InputError, LagebildError, StoreError
from lagebild.store import dedup
from lagebild.store.db import Database
from lagebild.store.sources import Unit, iter_units
from lagebild.store.writer import STATUSES, Outcome, Writer, stored_hashes

#: Units whose shortcut checks are read together (one process: :class:`EarlyChecks`).
_EARLY_CHUNK = 100
#: Skips are recorded with the warning code that explains them.
NOT_NEWS = "W003"
NOT_GERMAN = "W004"


def resolve_stages(names: list[str]) -> list[str]:
    """The named stages plus the earlier stages they need, and ``language`` (ingest skips
    non-German articles), in pipeline order: ``["structure"]`` -> extract, structure, language."""
    from lagebild.pipeline import registry

    known = registry()
    wanted: set[str] = set()

    def add(name: str) -> None:
        base = name.split(".v")[0]
        info = known.get(base)
        if info is None or base in wanted:
            wanted.add(base)
            return
        wanted.add(base)
        for need in info.requires:
            provider = next((s.name for s in known.values() if need in s.assigns), None)
            if provider is not None:
                add(provider)

    for name in names:
        add(name)
    if "structure" in wanted:
        wanted.add("language")
    # The default pipeline's order first (the registry's order depends on what was imported first),
    # then each stage as soon as what it needs is assigned.
    from lagebild.settings import SETTINGS

    default = list(SETTINGS["stages"][0])
    remaining = sorted(wanted, key=lambda n: (default.index(n) if n in default else len(default), list(known).index(n)
                                              if n in known else len(known)))
    ordered: list[str] = []
    assigned: set[str] = set()
    while remaining:
        ready = next((n for n in remaining if n not in known or set(known[n].requires) <= assigned), remaining[0])
        remaining.remove(ready)
        ordered.append(ready)
        if ready in known:
            assigned.update(known[ready].assigns)
    return ordered


# -- worker side ----------------------------------------------------------------------------

_STATE: dict = {}


def _init_worker(settings, db: str | None) -> None:
    """Build this worker's pipeline once, and its read-only view of the store."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    gc.set_threshold(GC_THRESHOLD, 20, 10)  # see _fewer_collections; the worker ends with the run
    from lagebild.pipeline import Pipeline

    _STATE["pipeline"] = Pipeline(settings)
    _STATE["settings"] = settings
    _STATE["db"] = Database(db, create=False, migrate=False) if db is not None else None


def _work(unit: Unit) -> Outcome:
    return analyse(unit, _STATE["pipeline"], _STATE["settings"], _STATE["db"])


class EarlyChecks:
    """The store's answers for the shortcut checks of a run of units, read with one query each:
    the content hash ``inputs`` has for their sources, and stored articles with their content
    hashes. Answers may be out of date by the time a unit is analysed; the writer checks again."""

    def __init__(self, db: Database, units: list[Unit]):
        self.hashes = {id(unit): dedup.sha256(unit.data or b"") for unit in units if unit.code is None}
        self.stored = stored_hashes(db, [unit.source for unit in units if unit.code is None and not unit.force])
        self.lookup = dedup.BatchLookup(db, ((content_hash, None, None) for content_hash in self.hashes.values()))


def analyse(unit: Unit, pipeline, settings, db: Database | None, early: EarlyChecks | None = None) -> Outcome:
    """Analyse one unit; never raises (a bad input becomes a ``failed`` or ``skipped`` outcome).

    ``early`` holds the store's answers for the unit's shortcut checks, read beforehand for a run
    of units; without it the unit's checks ask ``db``.
    """
    base = dict(source=unit.source, container=unit.container, url=unit.url, crawled=unit.crawled, force=unit.force,
                published=unit.published)
    if unit.code is not None:
        return Outcome(status="failed", code=unit.code, reason=unit.message, **base)
    data = unit.data or b""
    content_hash = early.hashes[id(unit)] if early is not None else dedup.sha256(data)
    base["content_hash"] = content_hash
    try:
        if db is not None and not unit.force:
            if early is not None:
                stored = early.stored.get(unit.source)
                original = early.lookup.find(source=unit.source, content_hash=content_hash)
            else:
                row = db.one("SELECT content_hash FROM inputs WHERE source = ?", (unit.source,))
                stored = row[0] if row else None
                original = None if stored == content_hash else dedup.find_original(
                    db, source=unit.source, content_hash=content_hash)
            if stored == content_hash:
                return Outcome(status="unchanged", **base)
            if original is not None:
                return Outcome(status="duplicate", copy_of=original[0], kind=original[1], similarity=original[2], **base)
        return _run_pipeline(unit, data, pipeline, settings, db, base)
    except StoreError:
        raise
    except InputError as exc:
        status = "skipped" if exc.code == "E001" else "failed"
        return Outcome(status=status, code=exc.code, reason=exc.message, **base)
    except LagebildError as exc:
        return Outcome(status="failed", code=exc.code, reason=exc.message, **base)
    except Exception as exc:  # noqa: BLE001 - a stage's bug must not stop the batch
        message = Errors.E013.format(stage="pipeline", source=unit.source, reason=f"{type(exc).__name__}: {exc}")
        return Outcome(status="failed", code="E013", reason=message, **base)


def _reference(unit: Unit, settings) -> str | None:
    if settings.reference_time or settings.published:
        return None
    for value in (unit.reference, unit.published, unit.crawled):
        if value:
            return value
    if unit.mtime is not None:
        return datetime.fromtimestamp(unit.mtime, ZoneInfo(settings.timezone)).isoformat(timespec="seconds")
    return None


def _run_pipeline(unit: Unit, data: bytes, pipeline, settings, db, base: dict) -> Outcome:
    from lagebild.api import article_from
    from lagebild.reader import read_bytes

    raw = read_bytes(data, source=unit.source, max_bytes=settings.max_input_bytes)
    article = article_from(raw, _reference(unit, settings))
    text_hash = sig = None
    names = [name.split(".v")[0] for name in pipeline.names]
    # Looking for a copy before the NLP stages saves their work; with nothing costly after the
    # structure stage the writer's own check is enough.
    early_copy_check = db is not None and not unit.force and not set(names[names.index("structure") + 1:] if
                                                                      "structure" in names else []) <= {"language"}
    for name, run in pipeline._stages:  # the stages one by one, to stop early on a copy or a skip
        article = run(article)
        article.pipeline.append(name)
        stage_name = name.split(".v")[0]
        if stage_name == "structure":
            if not any(p.kind in ("lead", "body") for p in article.paragraphs):
                return Outcome(status="skipped", code=NOT_NEWS, reason="not news: " + Errors.W003.split(": ", 1)[1], **base)
            text_hash = dedup.sha256(article.text)
            sig = dedup.signature(article.text)
            if early_copy_check:
                original = dedup.find_original(db, source=unit.source, text_hash=text_hash, sig=sig)
                if original is not None:
                    return Outcome(status="duplicate", copy_of=original[0], kind=original[1], similarity=original[2],
                                   text_hash=text_hash, signature=sig, **base)
        elif stage_name == "language" and article.language not in (None, "de") and not settings.force_language:
            return Outcome(status="skipped", code=NOT_GERMAN, reason=f"not German: language is '{article.language}'",
                           **base)
    if text_hash is None:
        text_hash = dedup.sha256(article.text)
        sig = dedup.signature(article.text)
    if unit.published:
        from lagebild.dates import parse_iso

        try:
            article.published = parse_iso(unit.published).isoformat()
        except LagebildError:
            article.warnings.append(f"published '{unit.published}' of the record is not ISO 8601; ignored")
    raw_z = zlib.compress(article.raw.encode("utf-8"), 1)
    article.raw = ""
    article.doc = None
    article.lines = None
    article.hints = {}
    return Outcome(status="processed", article=article, raw=raw_z, text_hash=text_hash, signature=sig, **base)


# -- writer side ----------------------------------------------------------------------------


@dataclass
class IngestReport:
    """Counts and reasons of one run."""

    run_id: int
    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # (status, reason) -> count
    seconds: float = 0.0
    db: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict:
        return {"run": self.run_id, "db": self.db, "seconds": round(self.seconds, 3),
                **{s: self.counts.get(s, 0) for s in STATUSES},
                "reasons": [{"status": s, "reason": r, "count": c} for (s, r), c in sorted(self.reasons.items())]}


def _reason_key(outcome: Outcome) -> str | None:
    if outcome.status == "duplicate":
        return f"{outcome.kind} copy"
    if outcome.status in ("skipped", "failed"):
        if outcome.code in (NOT_NEWS, NOT_GERMAN, "E001"):
            return {"E001": "empty", NOT_NEWS: "not news", NOT_GERMAN: "not German"}[outcome.code]
        reason = (outcome.reason or "").split(": ", 1)[-1]
        if outcome.code == "E013":  # "stage 'x' failed on SOURCE: REASON" -> REASON
            reason = reason.split(f"{outcome.source}: ", 1)[-1]
        return f"{outcome.code}: " + reason.split(": ")[0][:60]
    return None


def ingest(paths: Iterable[str | Path], db: str | Path, settings=None, *, workers: int = 1, batch_size: int = 1000,
           batch_seconds: float = 2.0, command: str = "ingest", on_outcome: Callable[[Outcome], None] | None = None,
           units: Iterable[Unit] | None = None) -> IngestReport:
    """Analyse inputs and store them (see the module docstring); returns the run's counts.

    Args:
        paths: files, folders (recursive), globs, WARC/JSONL files or ``-`` for stdin.
        db: SQLite path or ``postgresql://`` URL.
        settings: analysis settings; their ``stages`` get the stages they need added
            (:func:`resolve_stages`).
        workers: processes analysing in parallel; 1 analyses in this process.
        on_outcome: called after each input is recorded (the CLI's progress bar).
        units: ready-made units instead of ``paths`` (``reanalyze``).
    """
    from dataclasses import replace

    from lagebild.pipeline import import_spacy_for
    from lagebild.settings import Settings

    settings = settings or Settings()
    settings = replace(settings, stages=resolve_stages(list(settings.stages)))
    import_spacy_for(settings)  # once here, when the stages may need it: forked workers inherit it
    with _fewer_collections():
        return _ingest(paths, db, settings, workers, batch_size, batch_seconds, command, on_outcome, units)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector run every 100,000 new objects instead of every 700.

    An ingest allocates millions of short-lived objects (lines, spans, rows) and hardly any
    reference cycles; with the default threshold the collector, walking the survivors of each
    batch and the per-line caches again and again, took about a sixth of the CPU time of a
    structure-only ingest. Cycles are still collected, only less often. The threshold is restored
    afterwards.
    """
    saved = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, 20, 10)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


#: New objects between two collections of the youngest generation during an ingest.
GC_THRESHOLD = 100_000


def _ingest(paths, db, settings, workers: int, batch_size: int, batch_seconds: float, command: str,
            on_outcome, units) -> IngestReport:
    database = db if isinstance(db, Database) else Database(db)
    writer = Writer(database)
    started = time.perf_counter()
    from lagebild.pipeline import check_order

    pipeline_name = ",".join(info.qualified for info in check_order(list(settings.stages)))
    run_id = writer.start_run(command, pipeline_name)
    report = IngestReport(run_id, db=database.name)
    stream = units if units is not None else iter_units(paths, max_bytes=settings.max_input_bytes)
    try:
        for batch in _batches(_outcomes(stream, settings, database, workers), batch_size, batch_seconds):
            try:
                with database.transaction():
                    recorded = writer.record_batch(batch, run_id)
            except BaseException:
                writer.forget_cache()
                raise
            for outcome in recorded:
                report.counts[outcome.status] += 1
                key = _reason_key(outcome)
                if key:
                    report.reasons[(outcome.status, key)] += 1
                if on_outcome is not None:
                    on_outcome(outcome)
        report.seconds = time.perf_counter() - started
        writer.finish_run(run_id, report.counts)
    finally:
        if not isinstance(db, Database):
            database.close()
    return report


def _outcomes(units: Iterable[Unit], settings, database: Database, workers: int) -> Iterator[Outcome]:
    if workers <= 1:
        from lagebild.pipeline import Pipeline

        pipeline = Pipeline(settings)
        chunk: list[Unit] = []
        for unit in itertools.chain(units, [None]):
            if unit is not None:
                chunk.append(unit)
                if len(chunk) < _EARLY_CHUNK:
                    continue
            early = EarlyChecks(database, chunk) if chunk else None
            for waiting in chunk:
                yield analyse(waiting, pipeline, settings, database, early)
            chunk = []
        return
    import multiprocessing

    reader = None if database.url == ":memory:" else database.url
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(settings, reader)) as pool:
        yield from pool.imap(_work, units, chunksize=4)


def _batches(outcomes: Iterator[Outcome], size: int, seconds: float) -> Iterator[list[Outcome]]:
    batch: list[Outcome] = []
    started = time.monotonic()
    for outcome in outcomes:
        batch.append(outcome)
        if len(batch) >= size or time.monotonic() - started >= seconds:
            yield batch
            batch = []
            started = time.monotonic()
    if batch:
        yield batch


def reanalyze(db: str | Path, settings=None, *, workers: int = 1, batch_size: int = 1000,
              on_outcome: Callable[[Outcome], None] | None = None, count_only: bool = False) -> IngestReport | int:
    """Run the current pipeline again over stored articles that another pipeline version made."""
    from dataclasses import replace

    from lagebild.pipeline import check_order, import_spacy_for
    from lagebild.settings import Settings

    settings = settings or Settings()
    settings = replace(settings, stages=resolve_stages(list(settings.stages)))
    import_spacy_for(settings)
    current = ",".join(info.qualified for info in check_order(list(settings.stages)))
    database = Database(db, create=False)
    try:
        stale = database.one("SELECT COUNT(*) FROM articles WHERE pipeline <> ?", (current,))[0]
        if count_only:
            return int(stale)

        def units() -> Iterator[Unit]:
            # Pages by id: no read transaction stays open while the writer commits (in SQLite it
            # would keep the WAL from being checkpointed), and pg8000 never holds all rows at once.
            reader = Database(db, create=False, migrate=False)
            last = 0
            try:
                while True:
                    rows = reader.dicts(
                        "SELECT id, source, container, url, crawled, reference_time, published_given, raw FROM articles "
                        "WHERE pipeline <> ? AND id > ? ORDER BY id LIMIT 500", (current, last))
                    if not rows:
                        return
                    for row in rows:
                        data = zlib.decompress(bytes(row["raw"])) if row["raw"] is not None else b""
                        yield Unit(row["source"], data=data, container=row["container"], url=row["url"],
                                   crawled=row["crawled"], reference=row["reference_time"],
                                   published=row["published_given"], force=True)
                    last = rows[-1]["id"]
            finally:
                reader.close()

        return ingest([], database, settings, workers=workers, batch_size=batch_size, command="reanalyze",
                      on_outcome=on_outcome, units=units())
    finally:
        database.close()
