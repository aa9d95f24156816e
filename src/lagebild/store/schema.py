"""The store's schema as migrations registered in code and recorded in the ``migrations`` table.

One schema serves SQLite and PostgreSQL. Each migration is written once with a few dialect
placeholders (:data:`TYPES`); what differs beyond types (full-text search: FTS5 tables kept in
step by the writer and by triggers in SQLite, generated ``tsvector`` columns with GIN indexes in
PostgreSQL) is a dialect-specific step of its own. :func:`migrate` applies what the ``migrations`` table does not
list yet, each migration in one transaction, and refuses a database newer than the code (E062).

Tables (docs/store.md describes every column):

* ``articles``: one row per stored article: its input (``source`` path or URL, ``container``
  file for WARC and JSONL records, ``content_hash`` of the input bytes), the ``pipeline`` that
  made it, metadata, the clean ``text`` and the compressed ``raw`` input for ``reanalyze``;
* ``paragraphs``, ``boilerplate``, ``mentions`` (entity mentions with offsets), ``quotes``,
  ``events``: the annotations, each row with its ``article_id`` and character offsets (a quote
  also carries its article's ``published_utc``, so a speaker's quotes come in date order from one
  index);
* ``entities``: corpus entities, one per canonical name and type; mentions and quote speakers
  point to them;
* ``inputs``: the state of every input unit (file or archive record): its content hash and
  what became of it, committed with the rows it produced, so an interrupted ingest resumes;
* ``duplicates``: inputs recorded as copies of a stored article (exact or near duplicates);
* ``failures``: inputs skipped or failed, with the coded reason;
* ``runs``: one row per ingest or reanalyze run, with its counts;
* ``minhash_bands``: locality-sensitive hash bands of each article's MinHash, for near duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Dialect placeholders used in the migrations.
TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY", "blob": "BLOB", "real": "REAL", "bigint": "INTEGER"},
    "postgresql": {"id": "BIGSERIAL PRIMARY KEY", "blob": "BYTEA", "real": "DOUBLE PRECISION", "bigint": "BIGINT"},
}


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    common: str  # SQL for both dialects, with {id}, {blob}, {real}, {bigint} placeholders
    sqlite: str = ""
    postgresql: str = ""

    def statements(self, dialect: str) -> list[str]:
        sql = self.common.format(**TYPES[dialect]) + "\n" + getattr(self, dialect)
        return [s.strip() for s in _split(sql) if s.strip()]


def _split(sql: str) -> list[str]:
    """Split on ``;`` at line ends, keeping trigger bodies (``BEGIN ... END;``) whole."""
    statements, current, depth = [], [], 0
    for line in sql.splitlines():
        current.append(line)
        stripped = line.strip().upper()
        if stripped.endswith("BEGIN"):
            depth += 1
        if stripped.endswith(";"):
            if stripped == "END;":
                depth -= 1
            if depth == 0:
                statements.append("\n".join(current).rstrip().rstrip(";"))
                current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "corpus tables",
        common="""
CREATE TABLE runs (
    id {id},
    command TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    lagebild_version TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    processed {bigint} NOT NULL DEFAULT 0,
    duplicate {bigint} NOT NULL DEFAULT 0,
    skipped {bigint} NOT NULL DEFAULT 0,
    failed {bigint} NOT NULL DEFAULT 0,
    unchanged {bigint} NOT NULL DEFAULT 0
);
CREATE TABLE articles (
    id {id},
    source TEXT NOT NULL UNIQUE,
    container TEXT,
    url TEXT,
    crawled TEXT,
    content_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    run_id {bigint},
    ingested TEXT NOT NULL,
    input_kind TEXT,
    encoding TEXT,
    reference_time TEXT,
    language TEXT,
    headline TEXT,
    section TEXT,
    published TEXT,
    published_given TEXT,
    published_utc TEXT,
    updated TEXT,
    authors TEXT,
    agencies TEXT,
    images TEXT,
    warnings TEXT,
    text TEXT NOT NULL,
    raw {blob},
    minhash {blob}
);
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_text_hash ON articles (text_hash);
CREATE INDEX articles_published ON articles (published_utc);
CREATE INDEX articles_pipeline ON articles (pipeline);
CREATE TABLE paragraphs (
    article_id {bigint} NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL
);
CREATE INDEX paragraphs_article ON paragraphs (article_id);
CREATE TABLE boilerplate (
    article_id {bigint} NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    line INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX boilerplate_article ON boilerplate (article_id);
CREATE TABLE entities (
    id {id},
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (name, label)
);
CREATE TABLE mentions (
    article_id {bigint} NOT NULL,
    entity_id {bigint} NOT NULL,
    local_id TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_entity ON mentions (entity_id);
CREATE TABLE quotes (
    id {id},
    article_id {bigint} NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    speaker_text TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_name TEXT,
    speaker_local_id TEXT,
    speaker_entity_id {bigint}
);
CREATE INDEX quotes_article ON quotes (article_id);
CREATE INDEX quotes_speaker ON quotes (speaker_entity_id);
CREATE TABLE events (
    id {id},
    article_id {bigint} NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    source_name TEXT,
    target_name TEXT,
    source_entity_id {bigint},
    target_entity_id {bigint},
    location_name TEXT,
    event_date TEXT,
    negated INTEGER NOT NULL,
    mode TEXT,
    evidence TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    pattern TEXT,
    source TEXT,
    target TEXT,
    location TEXT,
    date TEXT
);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_source_entity ON events (source_entity_id);
CREATE INDEX events_target_entity ON events (target_entity_id);
CREATE TABLE inputs (
    source TEXT PRIMARY KEY,
    container TEXT,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    article_id {bigint},
    run_id {bigint},
    updated TEXT NOT NULL
);
CREATE TABLE duplicates (
    source TEXT PRIMARY KEY,
    container TEXT,
    content_hash TEXT NOT NULL,
    copy_of {bigint},
    kind TEXT NOT NULL,
    similarity {real} NOT NULL,
    run_id {bigint}
);
CREATE INDEX duplicates_copy_of ON duplicates (copy_of);
CREATE TABLE failures (
    source TEXT PRIMARY KEY,
    container TEXT,
    content_hash TEXT,
    status TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    run_id {bigint}
);
CREATE TABLE minhash_bands (
    band_key {bigint} NOT NULL,
    article_id {bigint} NOT NULL
);
CREATE INDEX minhash_bands_key ON minhash_bands (band_key);
CREATE INDEX minhash_bands_article ON minhash_bands (article_id);
""",
        sqlite="""
CREATE VIRTUAL TABLE articles_fts USING fts5(headline, text, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, headline, text) VALUES (new.id, new.headline, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, text) VALUES ('delete', old.id, old.headline, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, text) VALUES ('delete', old.id, old.headline, old.text);
    INSERT INTO articles_fts (rowid, headline, text) VALUES (new.id, new.headline, new.text);
END;
CREATE VIRTUAL TABLE quotes_fts USING fts5(content, speaker_name, content='quotes', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, content, speaker_name) VALUES (new.id, new.content, new.speaker_name);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, content, speaker_name) VALUES ('delete', old.id, old.content, old.speaker_name);
END;
""",
        postgresql="""
ALTER TABLE articles ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('german', coalesce(headline, '') || ' ' || text)) STORED;
CREATE INDEX articles_search ON articles USING GIN (search);
ALTER TABLE quotes ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('german', content || ' ' || coalesce(speaker_name, ''))) STORED;
CREATE INDEX quotes_search ON quotes USING GIN (search);
""",
    ),
    Migration(
        2,
        "articles indexed for full-text search by the writer",
        common="",
        # The writer inserts each batch's articles into articles_fts with one statement; the
        # trigger per article cost twice as much. Updates and deletes keep their triggers.
        sqlite="DROP TRIGGER IF EXISTS articles_fts_insert;",
    ),
]

MIGRATIONS.append(Migration(
    3,
    "quote addressees",
    # One column per statement: SQLite's ALTER TABLE adds one at a time.
    common="""
ALTER TABLE quotes ADD COLUMN addressee_text TEXT;
ALTER TABLE quotes ADD COLUMN addressee_start INTEGER;
ALTER TABLE quotes ADD COLUMN addressee_end INTEGER;
ALTER TABLE quotes ADD COLUMN addressee_name TEXT;
ALTER TABLE quotes ADD COLUMN addressee_local_id TEXT;
ALTER TABLE quotes ADD COLUMN addressee_entity_id {bigint};
""",
))

MIGRATIONS.append(Migration(
    4,
    "publication time on quotes",
    # A speaker's quotes in date order, read from one index and stopped after a page: before, the
    # order was the article's publication time, so a limited query joined and sorted every quote
    # of the speaker first (274 ms for the first 100 of 94,640 on 1,000,000 articles). The writer
    # fills the column from the article; here it is copied for the quotes already stored. The
    # index on the speaker alone is a prefix of the new one and goes.
    common="""
ALTER TABLE quotes ADD COLUMN published_utc TEXT;
UPDATE quotes SET published_utc = (SELECT a.published_utc FROM articles a WHERE a.id = quotes.article_id);
DROP INDEX quotes_speaker;
CREATE INDEX quotes_speaker_published ON quotes (speaker_entity_id, published_utc, article_id, position);
CREATE INDEX quotes_published ON quotes (published_utc, article_id, position);
""",
))

#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version
