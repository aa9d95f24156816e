"""Crash safety: kill -9 during ingest, run the same command again, get what one run gets."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.settings import Settings
from lagebild.store.db import Database
from lagebild.store.ingest import ingest
from tests.store.conftest import ROOT, generated_articles

STRUCTURE = Settings(stages=["structure"], reference_time="2024-03-05T12:00:00+01:00")


def _folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number, text in enumerate(generated_articles(count, seed=5)):
        (folder / f"a{number:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def _committed(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=1) as connection:
            return connection.execute("SELECT COUNT(*) FROM inputs").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_then_rerun_equals_one_uninterrupted_run(tmp_path):
    total = 2500
    folder = _folder(tmp_path, total)
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    command = [sys.executable, "-m", "lagebild", "ingest", str(folder), "--db", str(killed_db), "--stages", "structure",
               "--reference-time", "2024-03-05T12:00:00+01:00", "--batch-size", "25", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _committed(killed_db) < 300 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = _committed(killed_db)
    if not 0 < done < total:
        pytest.fail(f"the ingest was not killed in the middle ({done} of {total} inputs committed)")
    with Database(killed_db) as db:
        assert db.one("SELECT finished FROM runs")[0] is None  # the killed run never finished
    rerun = subprocess.run(command + ["--format", "json"], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f'"unchanged": {done}' in rerun.stdout
    ingest([folder], str(clean_db), STRUCTURE)
    with Database(killed_db) as killed, Database(clean_db) as clean:
        assert killed.counts() == clean.counts()
        assert killed.one("PRAGMA integrity_check")[0] == "ok"
        assert killed.one("SELECT COUNT(*) FROM (SELECT source FROM articles GROUP BY source HAVING COUNT(*) > 1) x")[0] == 0
        killed.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises when broken
        match = "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'Meldung'"
        assert killed.one(match)[0] == clean.one(match)[0] > 0


def test_full_disk_rolls_back_the_batch_and_leaves_the_database_intact(tmp_path, corpus_dir):
    path = tmp_path / "corpus.db"
    first = corpus_dir.parent / "first"
    first.mkdir()
    for name in ("a000.txt", "a001.txt"):
        (corpus_dir / name).rename(first / name)
    ingest([first], str(path), STRUCTURE)
    db = Database(path)
    before = db.counts()
    pages = db.one("PRAGMA page_count")[0]
    db.execute(f"PRAGMA max_page_count = {pages + 3}")  # SQLite's own 'database or disk is full'
    with pytest.raises(StoreError) as error:
        ingest([corpus_dir], db, STRUCTURE, batch_size=50)
    db.close()
    assert error.value.code == "E061" and "full" in error.value.message and "intact" in error.value.message
    with Database(path) as db:
        assert db.one("PRAGMA integrity_check")[0] == "ok"
        assert db.counts() == before
    report = ingest([first, corpus_dir], str(path), STRUCTURE)  # space again: the run completes
    assert report.counts == {"unchanged": 2, "processed": 28}


def test_read_only_store_gives_a_clear_error(tmp_path, corpus_dir):
    path = tmp_path / "corpus.db"
    ingest([corpus_dir], str(path), STRUCTURE)
    db = Database(path)
    db.execute("PRAGMA query_only = 1")
    with pytest.raises(StoreError) as error:
        ingest([corpus_dir], db, STRUCTURE)
    db.close()
    assert error.value.code == "E061" and "readonly" in error.value.message
    with Database(path) as db:
        assert db.one("PRAGMA integrity_check")[0] == "ok"


def test_unopenable_store(tmp_path):
    with pytest.raises(StoreError) as error:
        Database(tmp_path / "no-such-folder" / "corpus.db")
    assert error.value.code == "E060"
    with pytest.raises(StoreError) as error:
        Database(tmp_path / "missing.db", create=False)
    assert error.value.code == "E060"
