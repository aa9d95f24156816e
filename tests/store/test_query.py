"""Questions and exports, on SQLite and PostgreSQL, over hand-built articles with known quotes and events."""

from __future__ import annotations

import json

import pytest

from lagebild.corpus import Corpus
from lagebild.errors import StoreError
from lagebild.model import Article, Entity, Event, Paragraph, Quote, Speaker
from lagebild.store.db import Database
from lagebild.store.query import fts5_query, search
from lagebild.store.schema import MIGRATIONS, SCHEMA_VERSION
from lagebild.store.writer import Outcome, Writer


def build(number: int, speaker: str, said: str, published: str, event_type: str = "ACCUSE") -> Article:
    """An article in which ``speaker`` says ``said`` and accuses the Opposition."""
    text = f"Streit um den Haushalt {number}\n\n{speaker} sagte: „{said}“ Er warf der Opposition Blockade vor."
    article = Article(id=f"a{number}", source=f"mem:{number}", raw=text, text=text, published=published,
                      headline=f"Streit um den Haushalt {number}", language="de",
                      pipeline=["extract.v1", "structure.v1", "entities.v1", "quotes.v1", "events.v1"])
    head = text.index("\n\n")
    article.paragraphs = [Paragraph(0, head, "headline"), Paragraph(head + 2, len(text), "lead")]
    start = text.index(speaker)
    article.entities = [Entity(start, start + len(speaker), speaker, "PER", "e1", speaker),
                        Entity(text.index("Opposition"), text.index("Opposition") + 10, "Opposition", "ORG", "e2", "Opposition")]
    content = article.span(text.index("„") + 1, text.index("“"))
    cue = article.span(text.index("sagte"), text.index("sagte") + 5)
    article.quotes = [Quote("direct", content, cue, Speaker(start, start + len(speaker), speaker, speaker, "e1"))]
    evidence = article.span(text.index("Er warf"), len(text))
    article.events = [Event(event_type, {"text": "Er", "name": speaker, "entity": "e1"},
                            {"text": "der Opposition", "name": "Opposition", "entity": "e2"}, None,
                            {"text": "Montag", "value": published[:10]}, False, "asserted", evidence, "vorwerfen")]
    return article


ARTICLES = [
    build(1, "Anna Beispiel", "Wir werden den Haushalt nicht blockieren.", "2024-03-01T09:00:00+01:00"),
    build(2, "Anna Beispiel", "Die Schuldenbremse bleibt.", "2024-03-05T23:30:00+01:00"),
    build(3, "Bernd Muster", "Die Gipfel der Regierung bringen nichts.", "2024-03-09T12:00:00+01:00", "THREATEN"),
]


@pytest.fixture
def corpus(store):
    with Database(store) as db:
        writer = Writer(db)
        with db.transaction():
            for article in ARTICLES:
                writer.record(Outcome(source=article.source, status="processed", content_hash=article.id,
                                      article=article), None)
    with Corpus(store) as corpus:
        yield corpus


def test_quotes_by_speaker_text_and_date(corpus):
    assert [q["content"] for q in corpus.quotes(speaker="beispiel")] == [
        "Wir werden den Haushalt nicht blockieren.", "Die Schuldenbremse bleibt."]
    assert corpus.quotes(speaker="Nobody") == []
    assert [q["speaker"] for q in corpus.quotes(search="Schuldenbremse")] == ["Anna Beispiel"]
    assert len(corpus.quotes(speaker="Beispiel", search="Schuldenbremse")) == 1
    assert corpus.quotes(speaker="Muster", search="Schuldenbremse") == []
    # 2024-03-05T23:30+01:00 is 22:30 UTC on the 5th: inside --to 2024-03-05
    assert len(corpus.quotes(date_from="2024-03-02", date_to="2024-03-05")) == 1
    quote = corpus.quotes(speaker="Muster")[0]
    article = corpus.article(quote["article_id"])
    assert article["text"][quote["content_start"]:quote["content_end"]] == quote["content"]


def test_entities_events_search_and_show(corpus):
    top = corpus.entities()
    assert top[0]["name"] == "Opposition" and top[0]["mentions"] == 3
    assert {e["name"] for e in corpus.entities(type="PER")} == {"Anna Beispiel", "Bernd Muster"}
    assert [s["speaker"] for s in corpus.speakers()] == ["Anna Beispiel", "Bernd Muster"]
    events = corpus.events()
    assert [(e["type"], e["source_actor"], e["target_actor"]) for e in events] == [
        ("ACCUSE", "Anna Beispiel", "Opposition"), ("ACCUSE", "Anna Beispiel", "Opposition"),
        ("THREATEN", "Bernd Muster", "Opposition")]
    assert len(corpus.events(type="threaten")) == 1 and len(corpus.events(actor="opposition")) == 3
    assert [e["event_date"] for e in corpus.events(date_from="2024-03-05")] == ["2024-03-05", "2024-03-09"]
    assert events[0]["evidence"].startswith("Er warf") and events[0]["negated"] == 0
    assert [r["headline"] for r in corpus.search("Schuldenbremse")] == ["Streit um den Haushalt 2"]
    assert len(corpus.search("Haushalt")) == 3 and corpus.search("Quantenphysik") == []
    shown = corpus.article(events[2]["article_id"])
    assert shown["quotes"][0]["speaker"] == "Bernd Muster" and shown["events"][0]["type"] == "THREATEN"
    assert [e["name"] for e in shown["entities"]] == ["Bernd Muster", "Opposition"]
    with pytest.raises(StoreError):
        corpus.article(999)


def test_frames_and_exports(corpus, tmp_path):
    import pandas

    frame = corpus.quotes(frame=True)
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 3 and "speaker" in frame.columns
    for table, rows in (("articles", 3), ("quotes", 3), ("entities", 3), ("events", 3)):
        assert corpus.export(table, tmp_path / f"{table}.parquet", "parquet") == rows
        assert len(pandas.read_parquet(tmp_path / f"{table}.parquet")) == rows
        corpus.export(table, tmp_path / f"{table}.csv", "csv")
        assert len(pandas.read_csv(tmp_path / f"{table}.csv")) == rows
        corpus.export(table, tmp_path / f"{table}.jsonl", "jsonl")
        lines = (tmp_path / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == rows and json.loads(lines[0])
    events = pandas.read_parquet(tmp_path / "events.parquet")
    assert list(events["type"]) == ["ACCUSE", "ACCUSE", "THREATEN"]


def test_every_question_returns_a_data_frame_on_request(corpus):
    """The Python API mirrors the CLI's questions; each gives the same rows as a list or a DataFrame."""
    import pandas

    for ask in (lambda **kw: corpus.quotes(speaker="Anna", **kw), lambda **kw: corpus.speakers(**kw),
                lambda **kw: corpus.entities(type="PER", **kw), lambda **kw: corpus.events(actor="Bernd", **kw),
                lambda **kw: corpus.event_types(**kw), lambda **kw: corpus.search("Haushalt", **kw)):
        rows, frame = ask(), ask(frame=True)
        assert isinstance(frame, pandas.DataFrame) and rows and len(frame) == len(rows)
        assert list(frame.columns) == list(rows[0]) and frame.iloc[0].to_dict() == pytest.approx(rows[0])


@pytest.mark.parametrize("text, query", [
    ("Merz Macron", '"Merz" "Macron"'),
    ('"Anti-IS Koalition" Putin', '"Anti-IS Koalition" "Putin"'),
    ("title:x OR", '"title:x" "OR"'),
    ('"', ""),
])
def test_search_text_never_reads_as_fts5_syntax(text, query):
    assert fts5_query(text) == query


def test_schema_migrations_are_recorded(store):
    with Database(store) as db:
        assert db.rows("SELECT version, name FROM migrations ORDER BY version") == [
            (1, "corpus tables"), (2, "articles indexed for full-text search by the writer"), (3, "quote addressees"),
            (4, "publication time on quotes")]
    with Database(store) as db:  # opening again applies nothing twice
        assert db.schema_version() == SCHEMA_VERSION == 4


def test_a_version_1_store_upgrades_and_keeps_its_quotes(store, monkeypatch):
    """A store written before quote addressees gets the new columns; its rows stay as they were."""
    import lagebild.store.db as store_db
    from lagebild.store.schema import MIGRATIONS

    with monkeypatch.context() as patch:
        patch.setattr(store_db, "MIGRATIONS", MIGRATIONS[:1])
        patch.setattr(store_db, "SCHEMA_VERSION", 1)
        with Database(store) as db:
            assert db.schema_version() == 1
            with db.transaction():
                db.execute("INSERT INTO quotes (article_id, position, kind, content, content_start, content_end, "
                           "speaker_name) VALUES (?, ?, ?, ?, ?, ?, ?)", (7, 0, "direct", "Alt.", 0, 4, "Anna Alt"))
    with Database(store) as db:
        assert db.schema_version() == SCHEMA_VERSION
        assert db.rows("SELECT content, speaker_name, addressee_text, addressee_name, addressee_entity_id FROM quotes") == [
            ("Alt.", "Anna Alt", None, None, None)]


def test_a_version_3_store_gets_the_publication_time_on_its_quotes(store, monkeypatch):
    """Migration 4 copies each article's publication time onto its quotes and indexes it by speaker."""
    import lagebild.store.db as store_db

    with monkeypatch.context() as patch:
        patch.setattr(store_db, "MIGRATIONS", MIGRATIONS[:3])
        patch.setattr(store_db, "SCHEMA_VERSION", 3)
        with Database(store) as db, db.transaction():
            assert db.schema_version() == 3
            for number, published in ((1, "2024-03-09T11:00:00"), (2, "2024-03-01T08:00:00"), (3, None)):
                db.execute("INSERT INTO articles (id, source, content_hash, text_hash, pipeline, ingested, published_utc, "
                           "text) VALUES (?, ?, ?, ?, 'x', 'now', ?, 'Text')", (number, f"mem:{number}", f"h{number}",
                                                                               f"h{number}", published))
            db.execute("INSERT INTO entities (id, name, label) VALUES (1, 'Anna Alt', 'PER')")
            for article_id in (1, 2, 3, 1):
                db.execute("INSERT INTO quotes (article_id, position, kind, content, content_start, content_end, "
                           "speaker_name, speaker_entity_id) VALUES (?, ?, 'direct', ?, 0, 4, 'Anna Alt', 1)",
                           (article_id, article_id, f"Satz {article_id}."))
    with Database(store) as db:
        assert db.schema_version() == SCHEMA_VERSION
        assert sorted(db.rows("SELECT q.published_utc, a.published_utc FROM quotes q JOIN articles a ON a.id = q.article_id "
                              "WHERE q.published_utc IS NOT NULL OR a.published_utc IS NOT NULL")) == [
            ("2024-03-01T08:00:00",) * 2, ("2024-03-09T11:00:00",) * 2, ("2024-03-09T11:00:00",) * 2]
        assert db.one("SELECT COUNT(*) FROM quotes WHERE published_utc IS NULL")[0] == 1
        indexes = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'quotes'" if db.dialect == "sqlite"
                   else "SELECT indexname FROM pg_indexes WHERE tablename = 'quotes'")
        names = {name for (name,) in db.rows(indexes)}
        assert {"quotes_speaker_published", "quotes_published"} <= names and "quotes_speaker" not in names
    with Corpus(store) as corpus:
        assert [q["content"] for q in corpus.quotes(speaker="alt", date_from="2024-03-02")] == ["Satz 1.", "Satz 1."]
        assert corpus.count_quotes(speaker="alt") == 4


def test_quotes_carry_the_publication_time_of_their_article_after_every_write(store):
    """New, changed and reanalysed (forced) articles: the quote rows follow the article's date."""
    article = build(5, "Anna Beispiel", "Der Haushalt steht.", "2024-03-02T09:00:00+01:00")
    moved = build(5, "Anna Beispiel", "Der Haushalt steht.", "2024-04-10T23:30:00-02:00")
    reanalysed = build(5, "Anna Beispiel", "Der Haushalt steht.", "2024-05-01T12:00:00+00:00")

    def stored(db):
        return db.rows("SELECT q.published_utc, a.published_utc FROM quotes q JOIN articles a ON a.id = q.article_id")

    with Database(store) as db:
        writer = Writer(db)
        with db.transaction():
            writer.record(Outcome(source="mem:5", status="processed", content_hash="v1", article=article), None)
        assert stored(db) == [("2024-03-02T08:00:00", "2024-03-02T08:00:00")]
        with db.transaction():  # a changed input
            writer.record(Outcome(source="mem:5", status="processed", content_hash="v2", article=moved), None)
        assert stored(db) == [("2024-04-11T01:30:00", "2024-04-11T01:30:00")]
        with db.transaction():  # reanalyze: the same input again, forced, with a date read anew
            writer.record(Outcome(source="mem:5", status="processed", content_hash="v2", article=reanalysed,
                                  force=True), None)
        assert stored(db) == [("2024-05-01T12:00:00", "2024-05-01T12:00:00")]


def test_quotes_come_a_page_at_a_time_with_their_total(corpus):
    everything = corpus.quotes()
    assert [q["published"][:10] for q in everything] == ["2024-03-01", "2024-03-05", "2024-03-09"]
    assert corpus.quotes(limit=2) == everything[:2] and corpus.quotes(limit=2, offset=2) == everything[2:]
    assert corpus.quotes(offset=1) == everything[1:]
    assert corpus.quotes(speaker="Beispiel", limit=1, offset=1) == everything[1:2]
    assert corpus.count_quotes() == 3 and corpus.count_quotes(speaker="beispiel") == 2
    assert corpus.count_quotes(speaker="Beispiel", date_to="2024-03-04") == 1
    assert corpus.count_quotes(search="Schuldenbremse") == 1 and corpus.count_quotes(speaker="Nobody") == 0


def test_a_page_of_a_speakers_quotes_is_read_from_the_speaker_and_time_index(sqlite_store):
    """The page's quote ids come from one covering index, without joining the articles first."""
    from lagebild.store.query import _limit, _quote_filters

    with Database(sqlite_store) as db:
        where, params = _quote_filters(db, "Beispiel", None, "2024-03-01", None)
        page = "SELECT q.id FROM quotes q" + where + " ORDER BY q.published_utc, q.article_id, q.position" + _limit(100)
        plan = " ".join(row[-1] for row in db.rows("EXPLAIN QUERY PLAN " + page, params))
    assert "COVERING INDEX quotes_speaker_published (speaker_entity_id=? AND published_utc>?)" in plan
    assert "articles" not in plan


def test_a_search_too_common_to_rank_lists_the_last_stored_matches(corpus):
    ranked = corpus.search("Haushalt")
    assert len(ranked) == 3 and {r["order"] for r in ranked} == {"relevance"}
    newest = corpus.search("Haushalt", rank_limit=2)
    assert [r["headline"] for r in newest] == [f"Streit um den Haushalt {n}" for n in (3, 2, 1)]
    assert {r["order"] for r in newest} == {"stored"} and newest[0]["snippet"]
    assert [r["order"] for r in corpus.search("Haushalt", rank_limit=3)] == ["relevance"] * 3  # not more than 3
    assert [r["headline"] for r in corpus.search("Haushalt", limit=2, rank_limit=1)] == [
        "Streit um den Haushalt 3", "Streit um den Haushalt 2"]
    assert corpus.search("Haushalt", limit=None, rank_limit=1)[0]["order"] == "relevance"  # all of them: ranked
    assert corpus.search("Haushalt", rank_limit=0)[0]["order"] == "relevance"  # 0: always rank
    assert corpus.search("Quantenphysik", rank_limit=1) == []


def test_too_common_counts_up_to_the_limit_or_asks_the_planner(store, monkeypatch):
    """SQLite counts the matches; PostgreSQL takes a common word's count from the statistics of the
    analysed table, without a count that would visit every match (the other search tests run
    before any statistics: PostgreSQL counts there)."""
    from lagebild.store.query import too_common

    with Database(store) as db:
        writer = Writer(db)
        with db.transaction():
            for number in range(40):
                article = build(number, "Anna Beispiel", "Der Haushalt steht.", "2024-03-01T09:00:00+01:00")
                writer.record(Outcome(source=article.source, status="processed", content_hash=str(number),
                                      article=article), None)
            db.execute("ANALYZE articles")
        word = '"Haushalt"' if db.dialect == "sqlite" else "Haushalt"
        assert too_common(db, word, 39) and not too_common(db, word, 40)
        asked = []
        one = db.one
        monkeypatch.setattr(db, "one", lambda sql, params=(): asked.append(sql) or one(sql, params))
        assert too_common(db, word, 30)
        counts = [sql for sql in asked if sql.startswith("SELECT COUNT(*) FROM (")]
        assert len(counts) == (1 if db.dialect == "sqlite" else 0)


def test_quote_addressee_is_stored(store):
    article = build(9, "Anna Beispiel", "Der Haushalt steht.", "2024-03-02T09:00:00+01:00")
    text = article.text
    start = text.index("Opposition")
    quote = article.quotes[0]
    article.quotes = [Quote(quote.kind, quote.content, quote.cue, quote.speaker,
                            Speaker(start - 4, start + 10, "der Opposition", "Opposition", "e2"))]
    with Database(store) as db:
        writer = Writer(db)
        with db.transaction():
            writer.record(Outcome(source=article.source, status="processed", content_hash=article.id, article=article),
                          None)
        (row,) = db.rows("SELECT addressee_text, addressee_start, addressee_end, addressee_name, addressee_local_id, "
                         "addressee_entity_id FROM quotes")
        (opposition,) = db.one("SELECT id FROM entities WHERE name = ?", ["Opposition"])
    assert row[:5] == ("der Opposition", start - 4, start + 10, "Opposition", "e2") and row[5] == opposition
    with Corpus(store) as corpus:
        (found,) = corpus.quotes(speaker="Beispiel")
    assert found["addressee"] == "Opposition" and found["addressee_text"] == "der Opposition"


def test_store_of_schema_1_is_migrated_and_keeps_its_search(sqlite_store, monkeypatch):
    """Schema 1 indexed articles for full-text search by trigger, schema 2 by the writer."""
    import lagebild.store.db as store_db

    monkeypatch.setattr(store_db, "MIGRATIONS", MIGRATIONS[:1])
    with Database(sqlite_store) as db, db.transaction():  # an article as schema 1 stored it: the trigger indexed it
        assert db.schema_version() == 1
        db.execute("INSERT INTO articles (source, content_hash, text_hash, pipeline, ingested, headline, text) "
                   "VALUES ('mem:1', 'h1', 'h1', 'x', 'now', ?, ?)", (ARTICLES[0].headline, ARTICLES[0].text))
    monkeypatch.setattr(store_db, "MIGRATIONS", MIGRATIONS)
    with Database(sqlite_store) as db:
        assert db.schema_version() == SCHEMA_VERSION
        assert db.one("SELECT COUNT(*) FROM sqlite_master WHERE name = 'articles_fts_insert'")[0] == 0
        Writer(db).record(Outcome(source="mem:2", status="processed", content_hash="h2", article=ARTICLES[1]), None)
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises when out of step
        assert sorted(row["source"] for row in search(db, "Haushalt", limit=None)) == ["mem:1", "mem:2"]


def test_newer_schema_is_refused(sqlite_store):
    with Database(sqlite_store) as db:
        db.execute("INSERT INTO migrations (version, name, applied) VALUES (99, 'future', 'x')")
    with pytest.raises(StoreError) as error:
        Database(sqlite_store)
    assert error.value.code == "E062"


def test_new_sqlite_stores_get_8k_pages_and_old_ones_keep_theirs(tmp_path):
    import sqlite3

    from lagebild.store.db import PAGE_SIZE

    with Database(tmp_path / "new.db") as db:
        assert db.one("PRAGMA page_size")[0] == PAGE_SIZE == 8192
    old = sqlite3.connect(tmp_path / "old.db")
    old.execute("PRAGMA page_size = 4096")
    old.execute("CREATE TABLE unrelated (x)")
    old.close()
    with Database(tmp_path / "old.db") as db:
        assert db.one("PRAGMA page_size")[0] == 4096 and db.schema_version() == SCHEMA_VERSION
