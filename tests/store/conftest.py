"""Store fixtures: a throwaway PostgreSQL server, a fresh store per test (SQLite and PostgreSQL),
and generated articles.

The PostgreSQL server is Debian's ``postgresql`` package (``.ci/run`` installs it): a cluster made
with ``initdb`` in a temporary folder and started with ``pg_ctl`` on 127.0.0.1 and a free port, as
the ``postgres`` user when the tests run as root. Without the binaries the PostgreSQL variants
skip with the reason.
"""

from __future__ import annotations

import glob
import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from lagebild.reader import read_path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpora" / "samples"


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(re.findall(r"/(\d+)/", p)[0]))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgresql_server():
    """The URL of a running throwaway PostgreSQL server (its ``postgres`` database)."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's 'postgresql' package "
                    "(.ci/run does) to run the PostgreSQL variants")
    base = Path(tempfile.mkdtemp(prefix="lagebild-pg-"))
    os.chmod(base, 0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off -c synchronous_commit=off", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"cannot start a PostgreSQL server: {exc.stderr.strip()[-300:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


_COUNTER = iter(range(1, 1_000_000))


def fresh_postgresql(server: str) -> str:
    """A new empty database on the server; returns its URL."""
    import pg8000.dbapi

    name = f"lagebild_test_{os.getpid()}_{next(_COUNTER)}"
    connection = pg8000.dbapi.connect(user="postgres", host="127.0.0.1", port=int(server.rsplit(":", 1)[1]))
    connection.autocommit = True
    connection.cursor().execute(f"CREATE DATABASE {name}")
    connection.close()
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> str:
    """A fresh, empty store: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return fresh_postgresql(request.getfixturevalue("postgresql_server"))


@pytest.fixture
def sqlite_store(tmp_path) -> str:
    return str(tmp_path / "corpus.db")


def _sentences() -> list[str]:
    """Body sentences of the fictional sample articles (the material generated articles are made of)."""
    sentences = []
    for path in sorted(SAMPLES.glob("*.txt")):
        if "englisch" in path.name:
            continue
        for line in read_path(path, max_bytes=1_000_000).text.splitlines():  # some samples are cp1252
            if len(line.split()) >= 25:
                sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])", line) if len(s.split()) >= 6]
    return sentences


def generated_articles(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct plain-text articles: a headline, a dateline and paragraphs of sentences
    drawn at random from the samples, so no two are near duplicates."""
    rng = random.Random(seed)
    pool = _sentences()
    articles = []
    for number in range(count):
        body = []
        for _ in range(4):
            body.append(" ".join(rng.sample(pool, 3)))
        headline = f"Meldung {number}: " + " ".join(rng.choice(pool).split()[:6]).rstrip(".,")
        day = 1 + number % 28
        articles.append(f"POLITIK\n{headline}\n{day:02d}.03.2024, 10:{number % 60:02d} Uhr\n\n" + "\n\n".join(body) + "\n")
    return articles


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A folder of 30 generated articles."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for number, text in enumerate(generated_articles(30)):
        (folder / f"a{number:03d}.txt").write_text(text, encoding="utf-8")
    return folder
