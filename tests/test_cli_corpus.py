"""The corpus commands: ingest, questions in three formats, show, export, errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lagebild.cli import app
from lagebild.store.db import Database

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory, root):
    path = tmp_path_factory.mktemp("cli") / "corpus.db"
    result = runner.invoke(app, ["ingest", str(root / "corpora" / "samples"), "--db", str(path), "--no-progress",
                                 "--reference-time", "2024-03-05T12:00:00+01:00", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["processed"] == 23 and summary["skipped"] == 1
    return str(path)


def test_questions_in_three_formats(db):
    rows = json.loads(runner.invoke(app, ["quotes", "--db", db, "--format", "json", "--limit", "0"]).stdout)
    assert len(rows) > 100 and {"speaker", "content", "article_id", "source", "pipeline"} <= set(rows[0])
    speaker = rows[0]["speaker"]
    mine = json.loads(runner.invoke(app, ["quotes", "--speaker", speaker, "--db", db, "--format", "json"]).stdout)
    assert mine and all(speaker.lower() in r["speaker"].lower() for r in mine)
    csv_out = runner.invoke(app, ["entities", "--type", "PER", "--top", "5", "--db", db, "--format", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("entity_id,name,label,mentions") and len(csv_out.splitlines()) == 6
    table = runner.invoke(app, ["speakers", "--db", db]).stdout
    assert "most quoted" in table
    found = json.loads(runner.invoke(app, ["search", "Waffenruhe", "--db", db, "--format", "json"]).stdout)
    assert found[0]["headline"] == "Eine Waffenruhe auf Bewährung"
    shown = runner.invoke(app, ["show", str(found[0]["article_id"]), "--db", db])
    assert shown.exit_code == 0 and "Eine Waffenruhe auf Bewährung" in shown.stdout
    assert runner.invoke(app, ["events", "--db", db, "--format", "json"]).exit_code == 0


def test_quotes_come_a_page_at_a_time(db):
    everything = json.loads(runner.invoke(app, ["quotes", "--db", db, "--format", "json", "--limit", "0"]).stdout)
    first = runner.invoke(app, ["quotes", "--db", db, "--format", "json"])
    assert json.loads(first.stdout) == everything[:100]
    assert f"quotes 1-100 of {len(everything)}; --offset 100 for the next 100, --limit 0 for all" in first.stderr
    rest = runner.invoke(app, ["quotes", "--db", db, "--format", "json", "--offset", "100"])
    assert json.loads(rest.stdout) == everything[100:200] and f"of {len(everything)}" in rest.stderr


def test_search_says_when_a_word_is_too_common_to_rank(db):
    ranked = runner.invoke(app, ["search", "Regierung", "--db", db, "--format", "json"])
    assert {r["order"] for r in json.loads(ranked.stdout)} == {"relevance"} and "too common" not in ranked.stderr
    newest = runner.invoke(app, ["search", "Regierung", "--db", db, "--format", "json", "--limit", "3", "--rank-limit", "1"])
    rows = json.loads(newest.stdout)
    assert len(rows) == 3 and {r["order"] for r in rows} == {"stored"}
    assert [r["article_id"] for r in rows] == sorted((r["article_id"] for r in rows), reverse=True)
    assert "'Regierung' matches more than 1 articles: too common to rank, last stored first" in newest.stderr
    always = runner.invoke(app, ["search", "Regierung", "--db", db, "--format", "json", "--limit", "3", "--rank-limit", "0"])
    assert {r["order"] for r in json.loads(always.stdout)} == {"relevance"}


def test_ingest_again_adds_nothing(db, root):
    result = runner.invoke(app, ["ingest", str(root / "corpora" / "samples"), "--db", db, "--no-progress", "--format", "json"])
    assert json.loads(result.stdout)["unchanged"] == 24


def test_export(db, tmp_path):
    result = runner.invoke(app, ["export", "quotes", str(tmp_path / "q.parquet"), "--db", db])
    assert result.exit_code == 0 and (tmp_path / "q.parquet").stat().st_size > 0
    result = runner.invoke(app, ["export", "articles", str(tmp_path / "a.jsonl"), "--format", "jsonl", "--db", db])
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 23


def test_errors_are_coded(tmp_path, db):
    result = runner.invoke(app, ["quotes", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "E060" in result.output
    result = runner.invoke(app, ["show", "12345", "--db", db])
    assert result.exit_code == 2 and "E066" in result.output
    result = runner.invoke(app, ["quotes", "--from", "gestern", "--db", db])
    assert result.exit_code == 2 and "E021" in result.output


def test_failed_input_exits_1(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n" + bytes(300))
    result = runner.invoke(app, ["ingest", str(tmp_path / "binary.txt"), "--db", str(tmp_path / "c.db"), "--no-progress"])
    assert result.exit_code == 1


def test_ingest_from_stdin(tmp_path, root):
    text = (root / "corpora" / "samples" / "05-broadsheet-waffenruhe.txt").read_bytes()
    result = runner.invoke(app, ["ingest", "-", "--db", str(tmp_path / "c.db"), "--no-progress", "--stages", "structure",
                                 "--format", "json"], input=text)
    assert result.exit_code == 0 and json.loads(result.stdout)["processed"] == 1
    rows = json.loads(runner.invoke(app, ["search", "Waffenruhe", "--db", str(tmp_path / "c.db"), "--format", "json"]).stdout)
    assert rows[0]["source"] == "<stdin>"


def test_reanalyze_reruns_articles_of_another_pipeline(tmp_path, root):
    db = str(tmp_path / "r.db")
    samples = root / "corpora" / "samples"
    files = [str(samples / name) for name in ("05-broadsheet-waffenruhe.txt", "07-broadsheet-verfassungsgericht.txt")]
    result = runner.invoke(app, ["ingest", *files, "--db", db, "--no-progress", "--stages", "structure", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["processed"] == 2
    result = runner.invoke(app, ["reanalyze", "--db", db, "--stages", "tokens", "--no-progress", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["processed"] == 2
    again = runner.invoke(app, ["reanalyze", "--db", db, "--stages", "tokens", "--no-progress", "--format", "json"])
    assert json.loads(again.stdout)["processed"] == 0
    with Database(db) as store:
        assert {row[0] for row in store.rows("SELECT pipeline FROM articles")} == {
            "extract.v1,structure.v1,language.v1,tokens.v1"}
