"""The one writer: analysed inputs (:class:`Outcome`) in, rows out, one transaction per batch.

Every input ends in exactly one state, recorded in ``inputs`` in the same transaction as the rows
it produced: ``processed`` (rows in ``articles`` and the annotation tables), ``duplicate`` (a row
in ``duplicates`` pointing to the original), ``skipped`` or ``failed`` (a row in ``failures``
with the coded reason). A changed input (same source, new content hash) replaces what its earlier
version left, whatever state that was; an unchanged one adds nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timezone
from functools import lru_cache, partial
from typing import Any

from lagebild.model import Article
from lagebild.store import dedup
from lagebild.store.db import Database, now

STATUSES = ("processed", "duplicate", "skipped", "failed", "unchanged")


@dataclass
class Outcome:
    """What became of one input: an article to store, a copy, a skip or a failure."""

    source: str
    status: str  # one of STATUSES
    container: str | None = None
    published: str | None = None  # the publication date the input itself gave (a JSONL field)
    content_hash: str | None = None
    url: str | None = None
    crawled: str | None = None
    article: Article | None = None
    raw: bytes | None = None  # zlib-compressed input text, for reanalyze
    text_hash: str | None = None
    signature: bytes | None = None
    code: str | None = None
    reason: str | None = None
    copy_of: int | None = None
    kind: str | None = None  # duplicate kind: exact or near
    similarity: float | None = None
    force: bool = False  # reanalyze: store even when the input is unchanged


_CHILD_TABLES = ("paragraphs", "boilerplate", "mentions", "quotes", "events", "minhash_bands")

_ARTICLE_COLUMNS = ("source", "container", "url", "crawled", "content_hash", "text_hash", "pipeline", "run_id",
                    "ingested", "input_kind", "encoding", "reference_time", "language", "headline", "section",
                    "published", "published_given", "published_utc", "updated", "authors", "agencies", "images",
                    "warnings", "text", "raw", "minhash")
_INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})")
_UPDATE_ARTICLE = f"UPDATE articles SET {', '.join(c + ' = ?' for c in _ARTICLE_COLUMNS)} WHERE id = ?"
# Rows a batch queues, one statement each (see Writer._flush). Articles are indexed for full-text
# search by the writer, not by a trigger: one executemany into articles_fts per batch costs about
# half as much as a trigger firing per article (migration 2 dropped the trigger).
_ARTICLE_FTS = "INSERT INTO articles_fts (rowid, headline, text) VALUES (?, ?, ?)"
_PARAGRAPH = "INSERT INTO paragraphs (article_id, position, kind, char_start, char_end) VALUES (?, ?, ?, ?, ?)"
_BOILERPLATE = "INSERT INTO boilerplate (article_id, position, kind, line, text) VALUES (?, ?, ?, ?, ?)"
_MENTION = ("INSERT INTO mentions (article_id, entity_id, local_id, char_start, char_end, text, label, kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_QUOTE = ("INSERT INTO quotes (article_id, position, kind, content, content_start, content_end, cue, cue_start, "
          "cue_end, speaker_text, speaker_start, speaker_end, speaker_name, speaker_local_id, speaker_entity_id, "
          "addressee_text, addressee_start, addressee_end, addressee_name, addressee_local_id, addressee_entity_id, "
          "published_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_EVENT = ("INSERT INTO events (article_id, position, type, source_name, target_name, source_entity_id, "
          "target_entity_id, location_name, event_date, negated, mode, evidence, evidence_start, evidence_end, "
          "pattern, source, target, location, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_BAND = "INSERT INTO minhash_bands (band_key, article_id) VALUES (?, ?)"
_DUPLICATE = ("INSERT INTO duplicates (source, container, content_hash, copy_of, kind, similarity, run_id) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
_FAILURE = ("INSERT INTO failures (source, container, content_hash, status, code, reason, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)")
_INPUT = ("INSERT INTO inputs (source, container, content_hash, status, article_id, run_id, updated) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET container = excluded.container, "
          "content_hash = excluded.content_hash, status = excluded.status, article_id = excluded.article_id, "
          "run_id = excluded.run_id, updated = excluded.updated")


class Writer:
    """Writes outcomes into one :class:`Database`; the only code that changes corpus rows."""

    def __init__(self, db: Database):
        self.db = db
        self._entities: dict[tuple[str, str], int] = {}
        self._known = True  # whether the input being recorded was seen before
        self._pending: dict[str, list[tuple]] = defaultdict(list)  # statement -> rows queued for it
        self._stamp = now()  # the time written into the rows of the batch

    # -- runs -----------------------------------------------------------------------------

    def start_run(self, command: str, pipeline: str) -> int:
        from lagebild import __version__

        with self.db.transaction():
            return self.db.insert_id(
                "INSERT INTO runs (command, pipeline, lagebild_version, started) VALUES (?, ?, ?, ?)",
                (command, pipeline, __version__, now()))

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with self.db.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, processed = ?, duplicate = ?, skipped = ?, failed = ?, unchanged = ? "
                "WHERE id = ?",
                (now(), *(counts.get(s, 0) for s in STATUSES), run_id))

    # -- outcomes ---------------------------------------------------------------------------

    def record(self, outcome: Outcome, run_id: int | None) -> Outcome:
        """Store one outcome inside the open transaction; returns it with its final status."""
        return self.record_batch([outcome], run_id)[0]

    def record_batch(self, outcomes: list[Outcome], run_id: int | None) -> list[Outcome]:
        """Store outcomes in their order inside the open transaction; returns them with their final
        status.

        The checks here are authoritative: a worker's early answers (unchanged, duplicate) are
        shortcuts that save analysis, and are checked again against what is stored now, and
        against what the batch stored before the outcome.

        The usual batch only adds: none of its sources is stored with other content, none comes
        twice. Then the stored state of all its sources and their possible originals are read with
        one query per kind (:class:`~lagebild.store.dedup.BatchLookup`), and the rows of every
        table go in with one ``executemany`` per table at the end. A batch that replaces or
        removes rows (a changed input, ``reanalyze``) is written one outcome after the other,
        each checked with its own queries, as the store stands after the previous one.
        """
        db = self.db
        self._stamp = now()
        stored = stored_hashes(db, [o.source for o in outcomes])
        sources = {o.source for o in outcomes}
        adds_only = len(sources) == len(outcomes) and not any(
            o.source in stored and (o.force or o.content_hash is None or stored[o.source] != o.content_hash)
            for o in outcomes)
        lookup = None
        if adds_only:
            lookup = dedup.BatchLookup(db, ((o.content_hash, o.text_hash, o.signature) for o in outcomes if _checked(o)))
        try:
            for outcome in outcomes:
                if lookup is not None:
                    self._record(outcome, run_id, stored.get(outcome.source), lookup)
                else:
                    row = db.one("SELECT content_hash FROM inputs WHERE source = ?", (outcome.source,))
                    self._record(outcome, run_id, row[0] if row else None, None)
                    self._flush()  # the next outcome's queries see this one's rows
            self._flush()
        finally:
            self._pending.clear()
        return outcomes

    def _record(self, outcome: Outcome, run_id: int | None, stored_hash: str | None,
                lookup: dedup.BatchLookup | None) -> None:
        """One outcome; ``stored_hash`` is the content hash ``inputs`` has for its source."""
        if (stored_hash is not None and outcome.content_hash is not None and not outcome.force
                and stored_hash == outcome.content_hash):
            outcome.status = "unchanged"
            return
        # Rows of an input are written together with its `inputs` row: a source without one has
        # nothing to replace.
        self._known = stored_hash is not None
        checked = _checked(outcome)
        if checked:
            find = lookup.find if lookup is not None else partial(dedup.find_original, self.db)
            original = find(source=outcome.source, content_hash=outcome.content_hash, text_hash=outcome.text_hash,
                            sig=outcome.signature)
            if original is not None:
                outcome.status = "duplicate"
                outcome.copy_of, outcome.kind, outcome.similarity = original
            elif outcome.status == "duplicate":
                # The worker's original is gone (replaced since): this input is an original now,
                # but it was not analysed; store nothing and let the next run analyse it.
                outcome.status = "failed"
                outcome.code, outcome.reason = "E013", "original of a duplicate changed during the run; ingest again"
        pending = self._pending
        if outcome.status == "processed" and outcome.article is not None:
            article_id = self._write_article(outcome, run_id, lookup, checked)
        else:
            self._clear(outcome.source, keep_article=False)
            article_id = outcome.copy_of
            if outcome.status == "duplicate":
                pending[_DUPLICATE].append((outcome.source, outcome.container, outcome.content_hash, outcome.copy_of,
                                            outcome.kind, outcome.similarity, run_id))
            elif outcome.status in ("skipped", "failed"):
                pending[_FAILURE].append((outcome.source, outcome.container, outcome.content_hash, outcome.status,
                                          outcome.code or "E000", outcome.reason or "", run_id))
        pending[_INPUT].append((outcome.source, outcome.container, outcome.content_hash or "", outcome.status,
                                article_id, run_id, self._stamp))

    def _flush(self) -> None:
        """The queued rows, one ``executemany`` per table."""
        for sql, rows in self._pending.items():
            if rows:
                self.db.executemany(sql, rows)
        self._pending.clear()

    def forget_cache(self) -> None:
        """Drop cached entity ids and queued rows (after a rolled-back batch they may not exist)."""
        self._entities.clear()
        self._pending.clear()

    def _clear(self, source: str, *, keep_article: bool) -> int | None:
        """Remove what an earlier version of this input left; return its article id if kept."""
        if not self._known:
            return None
        db = self.db
        db.execute("DELETE FROM failures WHERE source = ?", (source,))
        db.execute("DELETE FROM duplicates WHERE source = ?", (source,))
        row = db.one("SELECT id FROM articles WHERE source = ?", (source,))
        if row is None:
            return None
        article_id = int(row[0])
        for table in _CHILD_TABLES:
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        if keep_article:
            return article_id
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return None

    def _write_article(self, outcome: Outcome, run_id: int | None, lookup: dedup.BatchLookup | None = None,
                       checked: bool = False) -> int:
        db = self.db
        article = outcome.article
        assert article is not None
        values = (
            outcome.source,
            outcome.container,
            outcome.url,
            outcome.crawled,
            outcome.content_hash or dedup.sha256(article.raw),
            outcome.text_hash or dedup.sha256(article.text),
            ",".join(article.pipeline),
            run_id,
            self._stamp,
            article.input_kind,
            article.encoding,
            article.reference_time,
            article.language,
            article.headline,
            article.section,
            article.published,
            outcome.published,
            utc(article.published),
            article.updated,
            _json_list(article.authors),
            _json_list(article.agencies),
            _json_list([i.to_dict() for i in article.images]),
            _json_list(article.warnings),
            article.text,
            outcome.raw,
            outcome.signature,
        )
        article_id = self._clear(outcome.source, keep_article=True)
        if article_id is None:
            article_id = db.insert_id(_INSERT_ARTICLE, values)
            if db.dialect == "sqlite":  # an update re-indexes through the articles_fts_update trigger
                self._pending[_ARTICLE_FTS].append((article_id, article.headline, article.text))
        else:
            db.execute(_UPDATE_ARTICLE, (*values, article_id))
        self.write_annotations(article_id, article, outcome.signature)
        if lookup is not None:  # content_hash, text_hash as stored
            lookup.add(article_id, outcome.source, values[4], values[5], outcome.signature, checked=checked)
        return article_id

    def write_annotations(self, article_id: int, article: Article, sig: bytes | None) -> None:
        """Queue paragraphs, boilerplate, mentions, quotes, events and MinHash bands of one article
        (written by the batch's :meth:`_flush`)."""
        pending = self._pending
        pending[_PARAGRAPH].extend((article_id, n, p.kind, p.start, p.end) for n, p in enumerate(article.paragraphs))
        pending[_BOILERPLATE].extend((article_id, n, b.kind, b.line, b.text) for n, b in enumerate(article.boilerplate))
        local = {}  # article-local entity id ("e1") -> corpus entity id
        mention_rows = pending[_MENTION]
        for entity in article.entities:
            corpus_id = self.entity_id(entity.name or entity.text, entity.label)
            if entity.id is not None:
                local.setdefault(entity.id, corpus_id)
            mention_rows.append((article_id, corpus_id, entity.id, entity.start, entity.end, entity.text, entity.label,
                                 entity.kind))
        quote_rows = pending[_QUOTE]
        published = utc(article.published)  # the article's, as in articles.published_utc
        for n, quote in enumerate(article.quotes):
            speaker = quote.speaker
            speaker_id = None
            if speaker is not None:
                if speaker.entity is not None and speaker.entity in local:
                    speaker_id = local[speaker.entity]
                elif speaker.name:
                    speaker_id = self.entity_id(speaker.name, "PER")
            addressee = quote.addressee
            addressee_id = local.get(addressee.entity) if addressee is not None and addressee.entity else None
            quote_rows.append((
                article_id, n, quote.kind, quote.content.text, quote.content.start, quote.content.end,
                quote.cue.text if quote.cue else None, quote.cue.start if quote.cue else None,
                quote.cue.end if quote.cue else None,
                speaker.text if speaker else None, speaker.start if speaker else None, speaker.end if speaker else None,
                speaker.name if speaker else None, speaker.entity if speaker else None, speaker_id,
                addressee.text if addressee else None, addressee.start if addressee else None,
                addressee.end if addressee else None, addressee.name if addressee else None,
                addressee.entity if addressee else None, addressee_id, published))
        event_rows = pending[_EVENT]
        for n, event in enumerate(article.events):
            source_name, source_id = self._actor(event.source, local)
            target_name, target_id = self._actor(event.target, local)
            location_name, _ = self._actor(event.location, local, link=False)
            event_rows.append((
                article_id, n, event.type, source_name, target_name, source_id, target_id, location_name,
                event_day(event.date, article.published), int(bool(event.negated)), event.mode, event.evidence.text,
                event.evidence.start, event.evidence.end, event.pattern, _json(event.source), _json(event.target),
                _json(event.location), _json(event.date)))
        if sig is not None:
            pending[_BAND].extend((key, article_id) for key in dedup.band_keys(sig))

    def entity_id(self, name: str, label: str) -> int:
        """The corpus entity for a canonical name and type, created on first sight."""
        key = (name, label)
        cached = self._entities.get(key)
        if cached is not None:
            return cached
        row = self.db.one("SELECT id FROM entities WHERE name = ? AND label = ?", key)
        entity_id = int(row[0]) if row else self.db.insert_id("INSERT INTO entities (name, label) VALUES (?, ?)", key)
        self._entities[key] = entity_id
        return entity_id

    def _actor(self, value: Any, local: dict[str, int], link: bool = True) -> tuple[str | None, int | None]:
        """(name, corpus entity id) of an event's source, target or location dict."""
        if not isinstance(value, dict):
            return (str(value), None) if value else (None, None)
        name = value.get("name") or value.get("text")
        local_id = value.get("entity") or value.get("id")
        corpus_id = local.get(local_id) if link and local_id is not None else None
        return name, corpus_id


def stored_hashes(db: Database, sources: list[str]) -> dict[str, str]:
    """The content hash ``inputs`` has for each of these sources it knows (one query per 500)."""
    stored: dict[str, str] = {}
    unique = sorted(set(sources))
    for n in range(0, len(unique), 500):
        chunk = unique[n:n + 500]
        stored.update(db.rows(f"SELECT source, content_hash FROM inputs WHERE source IN ({','.join('?' * len(chunk))})",
                              chunk))
    return stored


def _checked(outcome: Outcome) -> bool:
    """Whether the writer looks for the original of this outcome (it may be a copy)."""
    return outcome.status in ("processed", "duplicate") and outcome.content_hash is not None


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _json_list(values: list) -> str:
    return json.dumps(values, ensure_ascii=False) if values else "[]"


@lru_cache(maxsize=4096)
def utc(value: str | None) -> str | None:
    """An ISO date-time as UTC ``YYYY-MM-DDTHH:MM:SS`` (sortable), or None."""
    if not value:
        return None
    from lagebild.dates import parse_iso

    try:
        moment = parse_iso(value)
    except Exception:  # noqa: BLE001 - an unreadable date is no date
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def event_day(date: Any, published: str | None) -> str | None:
    """The day an event happened (its own date if it has one, else the article's), as YYYY-MM-DD."""
    if isinstance(date, dict):
        for key in ("value", "iso", "date", "start"):
            value = date.get(key)
            if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
                return value[:10]
    elif isinstance(date, str) and len(date) >= 10 and date[4] == "-":
        return date[:10]
    return published[:10] if published else None
