"""Ingest into SQLite and PostgreSQL: counts, idempotence, changed inputs, duplicates, reanalyze."""

from __future__ import annotations

import shutil

from lagebild.settings import Settings
from lagebild.store.db import Database
from lagebild.store.ingest import ingest, reanalyze, resolve_stages
from tests.store.conftest import SAMPLES, generated_articles

STRUCTURE = Settings(stages=["structure"], reference_time="2024-03-05T12:00:00+01:00")


def counts(store: str) -> dict[str, int]:
    with Database(store) as db:
        return db.counts()


def test_resolve_stages_adds_what_a_stage_needs():
    assert resolve_stages(["structure"]) == ["extract", "structure", "language"]
    assert resolve_stages(["quotes"])[:3] == ["extract", "structure", "language"]
    assert resolve_stages(["extract"]) == ["extract"]


def test_samples_full_pipeline(store):
    report = ingest([SAMPLES], store, Settings(reference_time="2024-03-05T12:00:00+01:00"))
    assert report.counts["processed"] == 23
    assert report.reasons[("skipped", "not German")] == 1  # the English sample
    stored = counts(store)
    assert stored["articles"] == 23 and stored["quotes"] > 100 and stored["mentions"] > 300
    assert stored["inputs"] == 24 and stored["failures"] == 1
    with Database(store) as db:
        # Every row traces back to its input and the pipeline that made it.
        source, content_hash, pipeline = db.one("SELECT source, content_hash, pipeline FROM articles ORDER BY id LIMIT 1")
        assert source.endswith("01-tabloid-energiegipfel.txt") and len(content_hash) == 64
        assert pipeline.startswith("extract.v1,structure.v1,language.v1") and "quotes.v" in pipeline and "events.v2" in pipeline
        text, start, end, content = db.one(
            "SELECT a.text, q.content_start, q.content_end, q.content FROM quotes q JOIN articles a ON a.id = q.article_id "
            "ORDER BY q.id LIMIT 1")
        assert text[start:end] == content
        # Mentions of one canonical name and type share one corpus entity.
        assert db.one("SELECT COUNT(*) FROM (SELECT name, label FROM entities GROUP BY name, label HAVING COUNT(*) > 1) x")[0] == 0


def test_same_input_again_adds_nothing(store, corpus_dir):
    first = ingest([corpus_dir], store, STRUCTURE)
    before = counts(store)
    second = ingest([corpus_dir], store, STRUCTURE)
    assert first.counts["processed"] == 30
    assert second.counts == {"unchanged": 30}
    assert counts(store) == before


def test_changed_input_replaces_its_rows(store, corpus_dir):
    ingest([corpus_dir], store, STRUCTURE)
    before = counts(store)
    path = corpus_dir / "a000.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("POLITIK\nMeldung 0:", "POLITIK\nGeänderte Meldung 0:"),
                    encoding="utf-8")
    report = ingest([corpus_dir], store, STRUCTURE)
    assert report.counts == {"processed": 1, "unchanged": 29}
    assert counts(store) == before
    with Database(store) as db:
        assert db.one("SELECT headline FROM articles WHERE source = ?", (str(path.resolve()),))[0].startswith("Geänderte")


def test_exact_and_near_copies_are_recorded_not_stored(store, corpus_dir, tmp_path):
    copies = tmp_path / "copies"
    copies.mkdir()
    shutil.copy(corpus_dir / "a001.txt", copies / "same-bytes.txt")
    # The same story on another site: other furniture, same text.
    text = (corpus_dir / "a002.txt").read_text(encoding="utf-8")
    (copies / "other-site.txt").write_text("ANDERE ZEITUNG\n" + text + "\nMehr zum Thema\n", encoding="utf-8")
    # An edited wire copy: one sentence added.
    text = (corpus_dir / "a003.txt").read_text(encoding="utf-8")
    (copies / "edited.txt").write_text(text + "\nDie Beratungen sollen am Freitag fortgesetzt werden, hieß es am Abend.\n",
                                       encoding="utf-8")
    ingest([corpus_dir], store, STRUCTURE)
    before = counts(store)
    report = ingest([copies], store, STRUCTURE)
    assert report.counts == {"duplicate": 3}
    after = counts(store)
    assert after["articles"] == before["articles"] and after["duplicates"] == 3
    with Database(store) as db:
        rows = {source.rsplit("/", 1)[1]: (kind, original.rsplit("/", 1)[1]) for source, kind, original in db.rows(
            "SELECT d.source, d.kind, a.source FROM duplicates d JOIN articles a ON a.id = d.copy_of")}
    assert rows == {"same-bytes.txt": ("exact", "a001.txt"), "other-site.txt": ("exact", "a002.txt"),
                    "edited.txt": ("near", "a003.txt")}


def test_copies_within_one_batch(store, corpus_dir):
    shutil.copy(corpus_dir / "a004.txt", corpus_dir / "z-copy.txt")
    report = ingest([corpus_dir], store, STRUCTURE)
    assert report.counts == {"processed": 30, "duplicate": 1}


def test_reanalyze_reruns_other_pipeline_versions(store, corpus_dir):
    ingest([corpus_dir], store, Settings(stages=["extract", "structure"]))
    with Database(store) as db:
        assert db.one("SELECT COUNT(*) FROM articles WHERE pipeline = 'extract.v1,structure.v1,language.v1'")[0] == 30
    before = counts(store)
    settings = Settings(stages=["tokens"])
    assert reanalyze(store, settings, count_only=True) == 30
    report = reanalyze(store, settings)
    assert report.counts == {"processed": 30}
    assert counts(store) == before
    with Database(store) as db:
        assert db.one("SELECT DISTINCT pipeline FROM articles")[0] == "extract.v1,structure.v1,language.v1,tokens.v1"
        assert db.one("SELECT COUNT(*) FROM articles WHERE crawled IS NOT NULL")[0] == 0  # files have no crawl date
    assert reanalyze(store, settings, count_only=True) == 0


def test_two_workers_store_the_same_as_one(store, tmp_path, corpus_dir):
    shutil.copy(corpus_dir / "a005.txt", corpus_dir / "z-copy.txt")
    one = str(tmp_path / "one.db")
    assert ingest([corpus_dir], one, STRUCTURE).counts == ingest([corpus_dir], store, STRUCTURE, workers=2).counts
    assert counts(one) == counts(store)


def _stored(store: str) -> dict[str, set]:
    """What a store holds, by source (ids and times differ between stores that hold the same)."""
    from lagebild.store.query import search

    with Database(store) as db:
        return {
            "articles": set(db.rows("SELECT source, content_hash, text_hash, headline, published_utc FROM articles")),
            "paragraphs": set(db.rows("SELECT a.source, p.position, p.kind, p.char_start, p.char_end FROM paragraphs p "
                                      "JOIN articles a ON a.id = p.article_id")),
            "boilerplate": set(db.rows("SELECT a.source, b.position, b.kind, b.text FROM boilerplate b "
                                       "JOIN articles a ON a.id = b.article_id")),
            "bands": set(db.rows("SELECT a.source, b.band_key FROM minhash_bands b JOIN articles a ON a.id = b.article_id")),
            "inputs": set(db.rows("SELECT source, content_hash, status FROM inputs")),
            "duplicates": set(db.rows("SELECT d.source, d.kind, d.similarity, a.source FROM duplicates d "
                                      "JOIN articles a ON a.id = d.copy_of")),
            "failures": set(db.rows("SELECT source, status, code FROM failures")),
            "search": {(word, row["source"]) for word in ("Meldung", "Beratungen", "ZEITUNG")
                       for row in search(db, word, limit=None)},
        }


def test_batches_store_what_one_input_at_a_time_stores(store, corpus_dir, tmp_path):
    """The writer's batches (one lookup per kind of check, one statement per table) against
    batches of one input: copies of every kind whose original is in the same batch, then a run
    that changes inputs (a batch that replaces rows is written one input after the other)."""
    shutil.copy(corpus_dir / "a001.txt", corpus_dir / "b-same-bytes.txt")
    text = (corpus_dir / "a002.txt").read_text(encoding="utf-8")
    (corpus_dir / "b-other-site.txt").write_text("ANDERE ZEITUNG\n" + text + "\nMehr zum Thema\n", encoding="utf-8")
    text = (corpus_dir / "a003.txt").read_text(encoding="utf-8")
    (corpus_dir / "b-edited.txt").write_text(
        text + "\nDie Beratungen sollen am Freitag fortgesetzt werden, hieß es am Abend.\n", encoding="utf-8")
    (corpus_dir / "b-empty.txt").write_text("", encoding="utf-8")
    one = str(tmp_path / "one.db")
    batched = ingest([corpus_dir], store, STRUCTURE)
    assert batched.counts == {"processed": 30, "duplicate": 3, "skipped": 1}
    assert ingest([corpus_dir], one, STRUCTURE, batch_size=1).counts == batched.counts
    stored = _stored(store)
    assert {kind for _, kind, _, _ in stored["duplicates"]} == {"exact", "near"}
    assert {word for word, _ in stored["search"]} == {"Meldung"}  # the words of copies are not stored
    assert _stored(one) == stored
    # A changed original, a former copy that is now an article of its own, a new copy of it.
    path = corpus_dir / "a004.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("POLITIK\nMeldung 4:", "POLITIK\nGeänderte Meldung 4:"),
                    encoding="utf-8")
    (corpus_dir / "b-other-site.txt").write_text(
        generated_articles(1, seed=99)[0] + "\nDie Beratungen sollen am Freitag fortgesetzt werden.\n", encoding="utf-8")
    shutil.copy(corpus_dir / "b-other-site.txt", corpus_dir / "c-copy.txt")
    again = ingest([corpus_dir], store, STRUCTURE)
    assert again.counts == ingest([corpus_dir], one, STRUCTURE, batch_size=1).counts
    assert again.counts == {"processed": 2, "duplicate": 1, "unchanged": 32}
    stored = _stored(store)
    assert {word for word, _ in stored["search"]} == {"Meldung", "Beratungen"}
    assert _stored(one) == stored


def test_collector_runs_less_often_during_an_ingest_only(sqlite_store, corpus_dir):
    import gc

    from lagebild.store.ingest import GC_THRESHOLD

    before = gc.get_threshold()
    during = []
    ingest([corpus_dir], sqlite_store, STRUCTURE, on_outcome=lambda outcome: during.append(gc.get_threshold()[0]))
    assert set(during) == {GC_THRESHOLD} and GC_THRESHOLD > before[0]
    assert gc.get_threshold() == before


# A structure-only ingest, as a user runs it, then which heavy modules the process imported.
NO_SPACY = """
import sys
from lagebild.cli import app
try:
    app(["ingest", sys.argv[1], "--db", sys.argv[2], "--stages", "structure", "--no-progress", "--format", "json"])
except SystemExit as exit:
    assert not exit.code, exit.code
print(sorted({name.split(".")[0] for name in sys.modules} & {"spacy", "thinc", "torch", "lagebild"}))
"""


def test_structure_only_ingest_never_imports_spacy(tmp_path, corpus_dir):
    """spaCy and thinc cost about a second of start-up; stages that do not use them must not import them,
    directly or through another module (the stage registry imports every stage's module)."""
    import subprocess
    import sys

    db = tmp_path / "structure.db"
    result = subprocess.run([sys.executable, "-c", NO_SPACY, str(corpus_dir), str(db)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['lagebild']"
    assert counts(str(db))["articles"] == 30
    # The full pipeline still gets spaCy (imported once, before the stages are built).
    from lagebild.pipeline import needs_spacy

    assert not needs_spacy(resolve_stages(["structure"]))
    assert needs_spacy(resolve_stages(["tokens"])) and needs_spacy(resolve_stages(["quotes"]))
