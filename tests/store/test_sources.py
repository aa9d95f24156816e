"""Inputs: WARC and WARC.gz records, JSONL records, globs, stdin; bad input of every kind."""

from __future__ import annotations

import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.settings import Settings
from lagebild.store.db import Database
from lagebild.store.ingest import ingest
from lagebild.store.sources import iter_units, stdin_units
from tests.store.conftest import SAMPLES, generated_articles

STRUCTURE = Settings(stages=["structure"], reference_time="2024-03-05T12:00:00+01:00")


def write_warc(path, pages: list[tuple[str, bytes, str]], gz: bool = True) -> None:
    """A WARC of response records (url, body, content type), as a crawler such as CC-NEWS writes them."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "lagebild tests"}))
        for url, body, content_type in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"})
            writer.write_record(record)


def pages(count: int) -> list[tuple[str, bytes, str]]:
    html = (SAMPLES / "08-broadsheet-nato-treffen.html").read_bytes()
    texts = generated_articles(count - 1, seed=7)
    return [("https://example.invalid/nato.html", html, "text/html; charset=utf-8")] + [
        (f"https://example.invalid/{n}.txt", text.encode("utf-8"), "text/plain") for n, text in enumerate(texts)]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_records_with_target_uri_and_date(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, pages(4), gz=gz)
    units = list(iter_units([path]))
    assert [u.url for u in units] == ["https://example.invalid/nato.html"] + [f"https://example.invalid/{n}.txt" for n in range(3)]
    assert {u.source for u in units} == {u.url for u in units}
    assert all(u.crawled == "2024-03-05T10:00:00Z" and u.container == str(path.resolve()) for u in units)


def test_truncated_warc_gz_yields_records_before_the_break(store, tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, pages(6))
    data = path.read_bytes()
    (tmp_path / "broken.warc.gz").write_bytes(data[: int(len(data) * 0.7)])
    report = ingest([tmp_path / "broken.warc.gz"], store, STRUCTURE)
    assert report.counts["processed"] >= 2 and report.counts["failed"] == 1
    with Database(store) as db:
        code, reason, source = db.one("SELECT code, reason, source FROM failures")
        urls = [u for (u,) in db.rows("SELECT url FROM articles ORDER BY id")]
    assert code == "E063" and "truncated or broken" in reason and "#" in source
    assert urls == ["https://example.invalid/nato.html"] + [f"https://example.invalid/{n}.txt" for n in range(len(urls) - 1)]


def test_jsonl_records_good_and_bad(store, tmp_path):
    texts = generated_articles(3, seed=3)
    lines = [
        json.dumps({"text": texts[0], "url": "https://example.invalid/a", "published": "2024-02-01T08:00:00+01:00"}),
        "{not json",
        json.dumps({"html": (SAMPLES / "04-tabloid-staatsbesuch.html").read_text(encoding="utf-8")}),
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"text": texts[1]}),
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest([path], store, STRUCTURE)
    assert report.counts == {"processed": 3, "failed": 2}
    from lagebild.store.ingest import reanalyze

    reanalyze(store, Settings(stages=["tokens"]))  # the record's own date survives a new pipeline
    with Database(store) as db:
        assert db.one("SELECT published FROM articles WHERE url = ?", ("https://example.invalid/a",))[0] == "2024-02-01T08:00:00+01:00"
        assert db.one("SELECT input_kind FROM articles WHERE source LIKE ?", ("%articles.jsonl:3",))[0] == "html"
        failures = dict(db.rows("SELECT source, code FROM failures"))
    assert {k.rsplit("/", 1)[1]: v for k, v in failures.items()} == {"articles.jsonl:2": "E064", "articles.jsonl:4": "E064"}


def test_globs_folders_and_missing_paths(tmp_path, corpus_dir):
    units = list(iter_units([str(corpus_dir / "a00*.txt"), str(tmp_path / "nothing-*.txt"), tmp_path / "missing.txt"]))
    assert len(units) == 12
    assert [u.code for u in units[-2:]] == ["E065", "E005"]


def test_stdin_article_jsonl_and_warc(tmp_path):
    assert [u.source for u in stdin_units("Ein Text".encode())] == ["<stdin>"]
    assert len(list(stdin_units(b'{"text": "a"}\n{"text": "b"}\n'))) == 2
    write_warc(tmp_path / "x.warc.gz", pages(2))
    assert len(list(stdin_units((tmp_path / "x.warc.gz").read_bytes()))) == 2


def test_every_bad_input_ends_with_its_reason(store, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n ")
    (folder / "binary.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    (folder / "broken.html").write_text("<html><body><div><p>Nur ein <b>kaputter</b> Satz ohne Ende <p><div>", encoding="utf-8")
    (folder / "menu.txt").write_text("Startseite\nPolitik\nWirtschaft\nSport\nKontakt\n", encoding="utf-8")
    (folder / "english.txt").write_text(
        "Leaders agree on climate deal\n\nThe leaders of the world met in the capital on Monday and they agreed that the "
        "emissions of the industry should be reduced by half before the end of the decade, as the host said.\n\n"
        "It was not clear how the plan would be paid for, and several delegations said that they would need more time.\n",
        encoding="utf-8")
    (folder / "good.txt").write_text(generated_articles(1, seed=11)[0], encoding="utf-8")
    report = ingest([folder], store, STRUCTURE)
    with Database(store) as db:
        failures = {source.rsplit("/", 1)[1]: (status, code) for source, status, code in db.rows(
            "SELECT source, status, code FROM failures")}
        states = dict(db.rows("SELECT source, status FROM inputs"))
    assert failures == {
        "empty.txt": ("skipped", "E001"),
        "blank.txt": ("skipped", "E001"),
        "binary.txt": ("failed", "E002"),
        "broken.html": ("skipped", "W003"),
        "menu.txt": ("skipped", "W003"),
        "english.txt": ("skipped", "W004"),
    }
    assert len(states) == 7 and report.counts == {"processed": 1, "skipped": 5, "failed": 1}
    assert report.reasons[("skipped", "empty")] == 2 and report.reasons[("skipped", "not German")] == 1


def test_a_failing_stage_does_not_stop_the_batch(sqlite_store, corpus_dir, monkeypatch):
    from lagebild.pipeline import structure

    original = structure.classify

    def flaky(infos):
        if any("Meldung 3:" in info.line.text for info in infos):
            raise RuntimeError("boom")
        return original(infos)

    monkeypatch.setattr(structure, "classify", flaky)
    report = ingest([corpus_dir], sqlite_store, STRUCTURE)
    assert report.counts == {"processed": 29, "failed": 1}
    assert report.reasons[("failed", "E013: RuntimeError")] == 1


def test_sources_are_real_paths(tmp_path, corpus_dir, monkeypatch):
    """A file's source is its resolved path, also through a linked folder or a linked file."""
    from pathlib import Path

    (tmp_path / "link").symlink_to(corpus_dir, target_is_directory=True)
    (tmp_path / "file-link.txt").symlink_to(corpus_dir / "a001.txt")
    monkeypatch.chdir(tmp_path)
    given = ["link/a000.txt", str(tmp_path / "file-link.txt"), "articles/../articles/a002.txt", "link"]
    sources = [unit.source for unit in iter_units(given)]
    assert sources[:3] == [str(Path(p).resolve()) for p in given[:3]]
    assert sources[:3] == [str(corpus_dir.resolve() / n) for n in ("a000.txt", "a001.txt", "a002.txt")]
    assert sources[3:] == [str(p.resolve()) for p in sorted((tmp_path / "link").rglob("*.txt"))]


def test_wrong_encodings_are_decoded_or_fail_with_their_reason(store, tmp_path):
    """Windows-1252 bytes (no BOM, not UTF-8) are decoded as such and stored with their umlauts;
    UTF-16 without a BOM (NUL bytes) fails with E002, and the batch goes on."""
    folder = tmp_path / "encodings"
    folder.mkdir()
    text = generated_articles(1, seed=12)[0] + "\nDie Bürgermeisterin äußerte sich später über die Größe des Schadens.\n"
    (folder / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (folder / "utf16.txt").write_bytes(generated_articles(1, seed=13)[0].encode("utf-16-le"))
    report = ingest([folder], store, STRUCTURE)
    assert report.counts == {"processed": 1, "failed": 1}
    with Database(store) as db:
        encoding, stored = db.one("SELECT encoding, text FROM articles")
        failure = db.one("SELECT status, code, reason FROM failures")
    assert encoding == "cp1252" and "Bürgermeisterin äußerte" in stored and "\ufffd" not in stored
    assert failure[:2] == ("failed", "E002") and "NUL" in failure[2]
