"""Questions to the corpus and exports: rows as dicts, one SQL text per question for both databases.

Full-text search is FTS5 in SQLite (the text is split into quoted terms, so "Anti-IS" or a colon
never reads as query syntax; all terms must occur) and ``websearch_to_tsquery('german', ...)``
over generated ``tsvector`` columns in PostgreSQL (German stemming: "Gipfel" finds "Gipfels").
Dates filter on the article's publication time in UTC (for quotes, the copy each quote row
carries); ``date_to`` includes its whole day.

Two questions are answered so that their first page comes fast on a large store
(docs/performance.md: 1,000,000 articles):

* a page of quotes (``limit``, ``offset``) picks its quote ids from the index on (speaker,
  publication time, article, position) first and joins the articles for those only;
  :func:`count_quotes` gives the total for "1-100 of 94,640";
* a full-text search for words in more articles than the rank limit (:data:`RANK_LIMITS`) is not
  ranked: ranking scores every match, so such a search returns the matches stored last (the
  highest article ids) and says so in each row's ``order`` (``stored`` instead of
  ``relevance``). SQLite's bm25 costs 1.3 to 1.8 µs a match on an idle core (41 ms for 30,000
  matches, 355 ms for 200,000), PostgreSQL's ``ts_rank`` several times more (17 to 18 ms for 993
  matches on a busy machine), hence a limit per database.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lagebild.errors import ConfigError, Errors, StoreError
from lagebild.store.db import Database

EXPORT_TABLES = ("articles", "quotes", "entities", "events")
#: Matches above which a limited full-text search returns the articles stored last instead of ranking
#: them all, per database (see the module docstring; measured in docs/performance.md).
RANK_LIMITS = {"sqlite": 30_000, "postgresql": 3_000}
EXPORT_FORMATS = ("parquet", "csv", "jsonl")

_QUOTES = """
SELECT q.id AS quote_id, q.article_id, a.published, COALESCE(e.name, q.speaker_name) AS speaker, e.label AS speaker_label,
       q.speaker_text, q.kind, q.cue, q.content, q.content_start, q.content_end, a.headline, a.source, a.content_hash,
       a.pipeline, q.addressee_name AS addressee, q.addressee_text
FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.speaker_entity_id
"""

_EVENTS = """
SELECT ev.id AS event_id, ev.article_id, a.published, ev.event_date, ev.type, COALESCE(se.name, ev.source_name) AS source_actor,
       COALESCE(te.name, ev.target_name) AS target_actor, ev.location_name AS location, ev.negated, ev.mode, ev.evidence,
       ev.evidence_start, ev.evidence_end, ev.pattern, a.headline, a.source, a.content_hash, a.pipeline
FROM events ev JOIN articles a ON a.id = ev.article_id
LEFT JOIN entities se ON se.id = ev.source_entity_id LEFT JOIN entities te ON te.id = ev.target_entity_id
"""

_ENTITIES = """
SELECT e.id AS entity_id, e.name, e.label, COUNT(*) AS mentions, COUNT(DISTINCT m.article_id) AS articles,
       (SELECT COUNT(*) FROM quotes q WHERE q.speaker_entity_id = e.id) AS quotes
FROM mentions m JOIN entities e ON e.id = m.entity_id
"""

_ARTICLES = """
SELECT id AS article_id, source, container, url, crawled, content_hash, text_hash, pipeline, ingested, input_kind, encoding,
       language, headline, section, published, updated, authors, agencies, text
FROM articles
"""


def day(value: str | None, *, end: bool = False) -> str | None:
    """``YYYY-MM-DD`` -> the UTC bound to compare ``published_utc`` with (E021 on a bad date)."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError as exc:
        raise ConfigError(Errors.E021.format(value=value)) from exc
    return (parsed + timedelta(days=1)).isoformat() if end else parsed.isoformat()


def fts5_query(text: str) -> str:
    """User text as an FTS5 query: every term (or "quoted phrase") quoted, all required."""
    terms = re.findall(r'"[^"]+"|[^\s"]+', text)
    return " ".join('"' + term.strip('"').replace('"', '""') + '"' for term in terms if term.strip('"').strip())


def _like(name: str) -> str:
    return "%" + name.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"


def quotes(db: Database, *, speaker: str | None = None, search: str | None = None, date_from: str | None = None,
           date_to: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Quotes with their speaker and article, oldest first; ``limit`` and ``offset`` give a page."""
    where, params = _quote_filters(db, speaker, search, date_from, date_to)
    order = " ORDER BY q.published_utc, q.article_id, q.position"
    if limit or offset:
        # The page's quote ids first, from the quotes table alone (an index holds speaker, time,
        # article and position), then the joins for those rows only: the joins for every quote
        # of a speaker before the sort cost 0.3 s for 94,640 quotes, the ids alone 4 ms.
        page = "SELECT q.id FROM quotes q" + where + order + _limit(limit, offset, db.dialect)
        return db.dicts(_QUOTES + f" WHERE q.id IN ({page})" + order, params)
    return db.dicts(_QUOTES + where + order, params)


def count_quotes(db: Database, *, speaker: str | None = None, search: str | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> int:
    """How many quotes :func:`quotes` returns without a limit (counted on the quotes table alone)."""
    where, params = _quote_filters(db, speaker, search, date_from, date_to)
    return int(db.one("SELECT COUNT(*) FROM quotes q" + where, params)[0])


def _quote_filters(db: Database, speaker: str | None, search: str | None, date_from: str | None,
                   date_to: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``quotes q`` only) and its parameters."""
    where, params = [], []
    if speaker:
        where.append("q.speaker_entity_id IN (SELECT id FROM entities WHERE LOWER(name) LIKE ?)")
        params.append(_like(speaker))
    if search:
        if db.dialect == "sqlite" and speaker:
            # One speaker's quotes are few: test each against the index rather than listing every
            # quote that matches a common word (30 ms instead of 190 ms on 1,000,000 articles).
            where.append("EXISTS (SELECT 1 FROM quotes_fts WHERE quotes_fts.rowid = q.id AND quotes_fts MATCH ?)")
            params.append(fts5_query(search))
        elif db.dialect == "sqlite":
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(fts5_query(search))
        else:
            where.append("q.search @@ websearch_to_tsquery('german', ?)")
            params.append(search)
    _dates(where, params, date_from, date_to, column="q.published_utc")
    return (" WHERE " + " AND ".join(where) if where else ""), params


def speakers(db: Database, *, top: int = 10) -> list[dict[str, Any]]:
    """The most quoted speakers: name, quotes, articles."""
    sql = ("SELECT COALESCE(e.name, q.speaker_name) AS speaker, COUNT(*) AS quotes, COUNT(DISTINCT q.article_id) AS articles "
           "FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id "
           "WHERE COALESCE(e.name, q.speaker_name) IS NOT NULL GROUP BY COALESCE(e.name, q.speaker_name) "
           "ORDER BY quotes DESC, speaker")
    return db.dicts(sql + _limit(top))


def entities(db: Database, *, label: str | None = None, top: int | None = 20) -> list[dict[str, Any]]:
    """Corpus entities (one per canonical name and type) by number of mentions."""
    sql = _ENTITIES + (" WHERE e.label = ?" if label else "") + " GROUP BY e.id, e.name, e.label ORDER BY mentions DESC, e.name"
    return db.dicts(sql + _limit(top), [label.upper()] if label else [])


def events(db: Database, *, type: str | None = None, actor: str | None = None, date_from: str | None = None,
           date_to: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Events with their actors and evidence; dates filter on the event's day (else the article's)."""
    where, params = [], []
    if type:
        where.append("LOWER(ev.type) = ?")
        params.append(type.lower())
    if actor:
        where.append("(LOWER(COALESCE(se.name, ev.source_name)) LIKE ? OR LOWER(COALESCE(te.name, ev.target_name)) LIKE ?)")
        params += [_like(actor)] * 2
    _dates(where, params, date_from, date_to, column="ev.event_date")
    sql = _EVENTS + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ev.event_date, ev.article_id, ev.position"
    return db.dicts(sql + _limit(limit), params)


def event_types(db: Database, *, top: int = 10) -> list[dict[str, Any]]:
    return db.dicts("SELECT type, COUNT(*) AS events, COUNT(DISTINCT article_id) AS articles FROM events "
                    "GROUP BY type ORDER BY events DESC, type" + _limit(top))


def search(db: Database, text: str, *, limit: int | None = 20, rank_limit: int | None = None) -> list[dict[str, Any]]:
    """Articles whose headline or text match, with a snippet: best first, or the last stored first when
    more than ``rank_limit`` articles match (default: the database's :data:`RANK_LIMITS`; 0: always
    rank); each row's ``order`` says which. A search without a limit is always ranked."""
    if db.dialect == "sqlite":
        query = fts5_query(text)
        if not query:
            return []
        select = ("SELECT a.id AS article_id, a.published, a.headline, snippet(articles_fts, 1, '[', ']', '…', 12) "
                  "AS snippet, a.source FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                  "WHERE articles_fts MATCH ?")
        by = {"relevance": " ORDER BY rank", "stored": " ORDER BY articles_fts.rowid DESC"}
        param: str = query
    else:
        select = ("SELECT a.id AS article_id, a.published, a.headline, ts_headline('german', a.text, q, "
                  "'MaxWords=20, MinWords=8, StartSel=[, StopSel=]') AS snippet, a.source "
                  "FROM articles a, websearch_to_tsquery('german', ?) q WHERE a.search @@ q")
        by = {"relevance": " ORDER BY ts_rank(a.search, q) DESC, a.id", "stored": " ORDER BY a.id DESC"}
        param = text
    most = RANK_LIMITS[db.dialect] if rank_limit is None else rank_limit
    order = "stored" if limit and most and too_common(db, param, most) else "relevance"
    rows = db.dicts(select + by[order] + _limit(limit), [param])
    for row in rows:
        row["order"] = order
    return rows


def too_common(db: Database, query: str, most: int) -> bool:
    """Whether a full-text query (FTS5 syntax in SQLite, websearch syntax in PostgreSQL) matches
    more than ``most`` articles.

    SQLite counts the matches and stops after ``most + 1`` (about 1 ms for 30,000). PostgreSQL
    takes the planner's estimate once the table has statistics (autovacuum gathers them after
    large writes): they list the most common words of the ``search`` column with their share of
    the articles, so a common word's estimate is close and instant, where counting would visit
    every matching row (a sequential scan of the table when the word is common). Before the
    first statistics, it counts.
    """
    if db.dialect == "sqlite":
        matches = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    else:
        matches = "SELECT a.id FROM articles a WHERE a.search @@ websearch_to_tsquery('german', ?)"
        if db.one("SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'articles' "
                  "AND attname = 'search'")[0]:
            (plan,) = db.one("EXPLAIN (FORMAT JSON) " + matches, [query])
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return plan[0]["Plan"]["Plan Rows"] > most
    (found,) = db.one(f"SELECT COUNT(*) FROM ({matches} LIMIT {int(most) + 1}) m", [query])
    return found > most


def article(db: Database, article_id: int) -> dict[str, Any]:
    """One stored article with all its rows (E066 when there is none)."""
    rows = db.dicts(_ARTICLES + " WHERE id = ?", [article_id])
    if not rows:
        raise StoreError(Errors.E066.format(id=article_id))
    record = rows[0]
    for name in ("authors", "agencies"):
        record[name] = json.loads(record[name] or "[]")
    record["paragraphs"] = db.dicts("SELECT kind, char_start, char_end FROM paragraphs WHERE article_id = ? ORDER BY position",
                                    [article_id])
    record["boilerplate"] = db.dicts("SELECT kind, line, text FROM boilerplate WHERE article_id = ? ORDER BY position",
                                     [article_id])
    record["entities"] = db.dicts(
        "SELECT m.char_start, m.char_end, m.text, m.label, m.kind, m.local_id, e.id AS entity_id, e.name "
        "FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.char_start", [article_id])
    record["quotes"] = db.dicts(_QUOTES + " WHERE q.article_id = ? ORDER BY q.position", [article_id])
    record["events"] = db.dicts(_EVENTS + " WHERE ev.article_id = ? ORDER BY ev.position", [article_id])
    record["copies"] = db.dicts("SELECT source, kind, similarity FROM duplicates WHERE copy_of = ? ORDER BY source",
                                [article_id])
    return record


def _dates(where: list[str], params: list[Any], date_from: str | None, date_to: str | None,
           column: str = "a.published_utc") -> None:
    """Filter ``column`` to the days from ``date_from`` to ``date_to`` (both included)."""
    if date_from:
        where.append(f"{column} >= ?")
        params.append(day(date_from))
    if date_to:
        where.append(f"{column} < ?")
        params.append(day(date_to, end=True))


def _limit(limit: int | None, offset: int = 0, dialect: str = "sqlite") -> str:
    sql = f" LIMIT {int(limit)}" if limit else (" LIMIT -1" if offset and dialect == "sqlite" else "")
    return sql + (f" OFFSET {int(offset)}" if offset else "")


# -- export ----------------------------------------------------------------------------------

_EXPORT_SQL = {
    "articles": _ARTICLES + " ORDER BY id",
    "quotes": _QUOTES + " ORDER BY q.article_id, q.position",
    "entities": _ENTITIES + " GROUP BY e.id, e.name, e.label ORDER BY e.id",
    "events": _EVENTS + " ORDER BY ev.article_id, ev.position",
}
_INTEGER = {"article_id", "quote_id", "event_id", "entity_id", "content_start", "content_end", "evidence_start",
            "evidence_end", "mentions", "articles", "quotes", "negated"}


def iter_table(db: Database, table: str) -> Iterator[dict[str, Any]]:
    if table not in _EXPORT_SQL:
        raise ConfigError(Errors.E020.format(name="table", reason=f"'{table}' is not one of {', '.join(EXPORT_TABLES)}"))
    yield from db.iter_dicts(_EXPORT_SQL[table])


def export(db: Database, table: str, out: Path, format: str) -> int:
    """Write one table to ``out`` as Parquet (pyarrow), CSV or JSON lines; returns the row count."""
    if format not in EXPORT_FORMATS:
        raise ConfigError(Errors.E020.format(name="format", reason=f"'{format}' is not one of {', '.join(EXPORT_FORMATS)}"))
    rows = iter_table(db, table)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if format == "jsonl":
        with out.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        return count
    columns = _columns(db, table)
    if format == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.int64() if c in _INTEGER else pa.float64() if c == "similarity" else pa.string())
                        for c in columns])
    with pq.ParquetWriter(str(out), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            count += 1
            if len(chunk) >= 10000:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    return count


def _columns(db: Database, table: str) -> list[str]:
    cursor = db.execute(_EXPORT_SQL[table] + " LIMIT 0")
    return [d[0] for d in cursor.description]
