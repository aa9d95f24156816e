"""Benchmark the corpus store: ingest throughput, worker scaling, memory, queries on 1,000,000 articles.

Inputs are made from lagebild's own fictional pages (``corpora/samples`` and
``corpora/extraction/{dev,heldout}``, plain text with their furniture): each generated page keeps
the furniture and short lines of one of them and gets its long prose lines replaced by sentences
drawn at random from all of them, so pages look like real scraped pages and no two are copies
(the store would otherwise, rightly, record them as duplicates and not analyse them).

* ``ingest``: N generated pages in a folder, ``ingest --stages structure`` (extract, structure,
  language) into a new SQLite store, one process; articles/s over the whole call.
* ``workers``: the full pipeline with 1 and with 2 workers on the same pages; the speed-up, and
  the peak resident memory of the largest worker process.
* ``query``: a store of ``--articles`` (default 1,000,000) generated articles written directly
  through the store writer (no pipeline: headline, paragraphs of sample sentences, quotes by
  speakers whose names are drawn from 200 given names x 100 surnames with a Zipf-like skew,
  entity mentions at their offsets); then "all quotes of speaker X", a page of them with the
  total as ``lagebild quotes`` shows it, and full-text searches (ranked, and too common to rank),
  each the median of 5 runs after a warm-up. The store is built once under ``--store`` and
  reused (a store of an older schema is migrated first, and the time it took reported); it is not
  committed.

Run: ``python benchmarks/bench_ingest.py --report docs/performance.md`` (``make bench``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from report import write_block  # noqa: E402  (benchmarks/report.py)

from lagebild.reader import read_path  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "2024-03-05T12:00:00+01:00"


def _pages() -> list[list[str]]:
    pages = []
    for folder in ("corpora/samples", "corpora/extraction/dev", "corpora/extraction/heldout"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            if "englisch" in path.name:
                continue
            pages.append(read_path(path, max_bytes=20_000_000).text.splitlines())
    return pages


def _sentences(pages: list[list[str]]) -> list[str]:
    pool = []
    for lines in pages:
        for line in lines:
            if len(line.split()) >= 25:
                pool += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])", line) if len(s.split()) >= 6]
    return pool


def generated_pages(count: int, seed: int = 0) -> list[str]:
    """Pages with real furniture and random prose (see the module docstring)."""
    rng = random.Random(seed)
    pages = _pages()
    pool = _sentences(pages)
    result = []
    for number in range(count):
        lines = pages[number % len(pages)]
        out = []
        for line in lines:
            words = len(line.split())
            if words >= 25:
                out.append(" ".join(rng.sample(pool, max(2, min(5, words // 20)))))
            else:
                out.append(line)
        result.append("\n".join(out) + "\n")
    return result


def _write(folder: Path, texts: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(texts):
        (folder / f"p{number:06d}.txt").write_text(text, encoding="utf-8")


def bench_ingest(count: int, work: Path) -> dict:
    from lagebild.store.ingest import ingest

    folder = work / "ingest"
    _write(folder, generated_pages(count, seed=1))
    db = work / "ingest.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest([folder], str(db), Settings(stages=["structure"], reference_time=REFERENCE))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    from lagebild.store.db import Database

    with Database(db) as store:
        words = store.one("SELECT AVG(LENGTH(text) - LENGTH(REPLACE(text, ' ', '')) + 1) FROM articles")[0]
    return {"inputs": count, "seconds": seconds, "per_s": count / seconds, "counts": dict(report.counts),
            "words": words, "cpu": cpu, "per_cpu_s": count / cpu}


def stage_costs(count: int) -> dict[str, float]:
    """CPU ms per article of each step of a structure-only ingest, outside the store's writer."""
    import zlib

    from lagebild.api import article_from
    from lagebild.pipeline import Pipeline
    from lagebild.reader import read_bytes
    from lagebild.store import dedup
    from lagebild.store.ingest import _fewer_collections

    settings = Settings(stages=["extract", "structure", "language"], reference_time=REFERENCE)
    pipeline = Pipeline(settings)  # imports spaCy only if the stages may need it
    warm = [text.encode("utf-8") for text in generated_pages(count, seed=11)]
    datas = [text.encode("utf-8") for text in generated_pages(count, seed=1)]  # the pages bench_ingest ingests
    costs: dict[str, float] = {}

    def run(record: bool) -> None:
        for data in datas if record else warm:
            clock = time.process_time()

            def tick(step: str) -> None:
                nonlocal clock
                now = time.process_time()
                if record:
                    costs[step] = costs.get(step, 0.0) + now - clock
                clock = now

            dedup.sha256(data)
            article = article_from(read_bytes(data, source="bench"))
            tick("read and hash")
            for name, stage_fn in pipeline._stages:
                article = stage_fn(article)
                tick(name)
            dedup.sha256(article.text)
            dedup.signature(article.text)
            zlib.compress(article.raw.encode("utf-8"), 1)
            tick("MinHash and compression")

    clear_line_caches()  # bench_ingest has just analysed these very pages
    with _fewer_collections():  # the garbage collector as ingest sets it
        run(False)  # warm-up on other pages: imports, compiled patterns, the furniture lines they share
        run(True)
    result = {step: seconds / len(datas) * 1000 for step, seconds in costs.items()}
    # The structure stage again, each page with empty per-line caches: what a page costs whose
    # lines the process has never seen (the generated pages share their furniture lines).
    cold = 0.0
    with _fewer_collections():
        for data in datas:
            article = article_from(read_bytes(data, source="bench"))
            for name, stage_fn in pipeline._stages:
                if name.startswith("structure"):
                    clear_line_caches()
                    clock = time.process_time()
                    article = stage_fn(article)
                    cold += time.process_time() - clock
                else:
                    article = stage_fn(article)
    result["cold"] = cold / len(datas) * 1000
    return result


def clear_line_caches() -> None:
    """Empty the structure stage's per-line caches (features, lexicon, relative dates, bylines,
    captions, agency names)."""
    from lagebild import agencies
    from lagebild.dates import resolve_relative
    from lagebild.pipeline import structure

    for cached in (structure._line_features, structure.lexicon_kind, structure._authors, structure.split_caption,
                   agencies._agencies_in, resolve_relative):
        cached.cache_clear()


def bench_workers(count: int, work: Path) -> dict:
    from lagebild.store.ingest import ingest

    folder = work / "workers"
    _write(folder, generated_pages(count, seed=2))
    result = {"inputs": count}
    for workers in (1, 2):
        db = work / f"workers{workers}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        before = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        started = time.perf_counter()
        report = ingest([folder], str(db), Settings(reference_time=REFERENCE), workers=workers)
        result[workers] = time.perf_counter() - started
        after = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
        result[f"cores{workers}"] = cpu / result[workers]  # CPU seconds per wall second the run got
        result[f"counts{workers}"] = dict(report.counts)
    result["speedup"] = result[1] / result[2]
    result["worker_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["main_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# -- the query store ---------------------------------------------------------------------------


def _names() -> list[str]:
    from lagebild.resources import given_names

    given = sorted(given_names())[:200]
    stems = ["Berg", "Brand", "Feld", "Hof", "Lind", "Mohr", "Rein", "Stein", "Wald", "Wolf"]
    endings = ["er", "mann", "ner", "inger", "hausen", "mayr", "ke", "stedt", "bach", "loh"]
    surnames = [stem + ending for stem in stems for ending in endings]
    rng = random.Random(3)
    names = [f"{g} {s}" for g in given for s in surnames]
    rng.shuffle(names)
    return names


def synthetic_articles(count: int, seed: int = 4):
    """Articles with quotes and entities at known offsets, built without the pipeline."""
    from lagebild.model import Article, Entity, Paragraph, Quote, Speaker

    rng = random.Random(seed)
    pool = _sentences(_pages())
    names = _names()
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(names))]
    places = ["Berlin", "Wien", "Zürich", "Hamburg", "Brüssel", "München", "Bern", "Köln"]
    for number in range(count):
        speakers = rng.choices(names, weights, k=3)
        parts, paragraphs, entities, quotes = [], [], [], []
        offset = 0

        def add(text: str, kind: str) -> int:
            nonlocal offset
            start = offset
            parts.append(text)
            paragraphs.append(Paragraph(start, start + len(text), kind))
            offset += len(text) + 2
            return start

        place = rng.choice(places)
        add(f"{speakers[0]} in {place}: " + " ".join(rng.choice(pool).split()[:6]).rstrip(".,"), "headline")
        for n, speaker in enumerate(speakers):
            add(" ".join(rng.sample(pool, 2)), "lead" if n == 0 else "body")
            said = rng.choice(pool).rstrip(".")
            text = f"„{said}“, sagte {speaker} in {place}."
            start = add(text, "body")
            name_at = start + text.index(speaker)
            place_at = start + text.rindex(place)
            entity = f"e{n + 1}"
            entities.append(Entity(name_at, name_at + len(speaker), speaker, "PER", entity, speaker))
            entities.append(Entity(place_at, place_at + len(place), place, "LOC", f"l{n}", place))
            cue_at = start + text.index("sagte")
            from lagebild.model import Span

            quotes.append(Quote("direct", Span(start + 1, start + 1 + len(said), said),
                                Span(cue_at, cue_at + 5, "sagte"),
                                Speaker(name_at, name_at + len(speaker), speaker, speaker, entity)))
        body = "\n\n".join(parts)
        day = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}T{number % 24:02d}:00:00+01:00"
        yield Article(id=f"s{number}", source=f"synthetic:{number}", raw="", text=body, headline=parts[0],
                      published=day, language="de", paragraphs=paragraphs, entities=entities, quotes=quotes,
                      pipeline=["synthetic.v1"])


def build_store(path: Path | str, count: int) -> dict:
    """Write ``count`` synthetic articles through the store writer, 5,000 per transaction (a SQLite
    path or a PostgreSQL URL)."""
    from lagebild.store.db import Database
    from lagebild.store.writer import Outcome, Writer

    started = time.perf_counter()
    with Database(path) as db:
        writer = Writer(db)
        batch = []
        for article in synthetic_articles(count):
            batch.append(Outcome(source=article.source, status="processed", content_hash=article.id,
                                 text_hash=article.id, article=article))
            if len(batch) == 5000:
                with db.transaction():
                    for outcome in batch:
                        writer.record(outcome, None)
                batch = []
                done = int(article.id[1:]) + 1
                if done % 100000 == 0:
                    print(f"  {done:,} articles, {time.perf_counter() - started:,.0f} s", file=sys.stderr)
        with db.transaction():
            for outcome in batch:
                writer.record(outcome, None)
        if db.dialect == "sqlite":
            db.execute("PRAGMA optimize")
            size = Path(path).stat().st_size
        else:
            with db.transaction():
                db.execute("ANALYZE")  # what autovacuum does after a large write, without waiting for it
            size = db.one("SELECT pg_database_size(current_database())")[0]
    return {"seconds": time.perf_counter() - started, "bytes": size}


def _median_ms(call, runs: int = 5) -> tuple[float, int]:
    rows = call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(rows)


def bench_query(path: Path | str, count: int) -> dict:
    """The queries on a store at ``path`` (a SQLite file, or a PostgreSQL URL), built first if it
    has no articles."""
    from lagebild.corpus import Corpus
    from lagebild.store.db import Database, is_url
    from lagebild.store.query import RANK_LIMITS

    import json

    dialect = "postgresql" if is_url(path) else "sqlite"
    RANK_LIMIT = RANK_LIMITS[dialect]
    if dialect == "postgresql":
        with Database(path) as db:
            built = build_store(path, count) if not db.one("SELECT COUNT(*) FROM articles")[0] else None
    else:
        sidecar = Path(str(path) + ".build.json")  # the build's figures, kept next to the reused store
        if not Path(path).exists():
            sidecar.write_text(json.dumps(build_store(path, count)), encoding="utf-8")
        built = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else None
    with Database(path, migrate=False) as db:
        before = db.schema_version()
    started = time.perf_counter()
    with Database(path) as db:  # a store of an older schema is migrated here
        stored = db.one("SELECT COUNT(*) FROM articles")[0]
        after = db.schema_version()
    migrated = (before, after, time.perf_counter() - started) if after != before else None
    names = _names()
    corpus = Corpus(path)
    result = {"articles": stored, "built": built, "queries": [], "migrated": migrated, "dialect": dialect}
    # What ranking costs per match: words in about 10,000, 30,000 (the rank limit) and 100,000 articles.
    rare, rare_docs = _word_near(path, RANK_LIMIT // 3)
    common, common_docs = _word_near(path, RANK_LIMIT)
    many, many_docs = _word_near(path, RANK_LIMIT * 10 // 3)
    newest = corpus.search("Regierung")[0]["order"] == "stored"

    def page(**filters):
        """A page as `lagebild quotes` shows it: the first 100 and, the page being full, the total."""
        rows = corpus.quotes(**filters, limit=100)
        corpus.count_quotes(**filters)
        return rows

    for label, call in [
        (f"all quotes of a speaker of rank 1,000 ({names[999]})", lambda: corpus.quotes(speaker=names[999])),
        (f"all quotes of a speaker of rank 100 ({names[99]})", lambda: corpus.quotes(speaker=names[99])),
        (f"all quotes of the most quoted speaker ({names[0]})", lambda: corpus.quotes(speaker=names[0])),
        (f"the first 100 quotes of the most quoted speaker ({names[0]})", lambda: corpus.quotes(speaker=names[0], limit=100)),
        (f"`lagebild quotes --speaker` page: the first 100 quotes of the most quoted speaker ({names[0]}) and their "
         f"total ({corpus.count_quotes(speaker=names[0]):,})", lambda: page(speaker=names[0])),
        ("the same, quotes 10,001-10,100 (`--offset 10000`)",
         lambda: corpus.quotes(speaker=names[0], limit=100, offset=10000)),
        (f"the same in one month (`--from 2024-05-01 --to 2024-05-31`; "
         f"{corpus.count_quotes(speaker=names[0], date_from='2024-05-01', date_to='2024-05-31'):,} quotes), first 100 "
         "and the total", lambda: page(speaker=names[0], date_from="2024-05-01", date_to="2024-05-31")),
        (f"full-text search for a surname ({names[999].split()[1]}), best 20", lambda: corpus.search(names[999].split()[1])),
        (f"full-text search for a name ({names[999]} as two words), best 20", lambda: corpus.search(names[999])),
        (f"full-text search for a phrase (\"{names[999]}\"), best 20", lambda: corpus.search(f'"{names[999]}"')),
        ("full-text search for a common word (Regierung), best 20 ranked (`rank_limit=0`: every match scored)",
         lambda: corpus.search("Regierung", rank_limit=0)),
        ("full-text search for a common word (Regierung) as `lagebild search` does it: " + (
            f"more than {RANK_LIMIT:,} matches, too common to rank, last 20 stored" if newest else "best 20"),
         lambda: corpus.search("Regierung")),
        (f"full-text search for a word in {rare_docs:,} articles ({rare}), best 20", lambda: corpus.search(rare)),
        (f"full-text search for a word in {common_docs:,} articles, just under the rank limit ({common}), best 20",
         lambda: corpus.search(common)),
        (f"full-text search for a word in {many_docs:,} articles ({many}), best 20 ranked (`rank_limit=0`)",
         lambda: corpus.search(many, rank_limit=0)),
        (f"quotes of {names[999]} containing a common word (Regierung)",
         lambda: corpus.quotes(speaker=names[999], search="Regierung")),
    ]:
        ms, rows = _median_ms(call)
        result["queries"].append((label, ms, rows))
    corpus.close()
    return result


def _word_near(path: Path | str, most: int) -> tuple[str, int]:
    """The word of the store's full-text index found in the most articles, but in at most ``most``,
    and the articles a search for it matches."""
    from lagebild.store.db import Database

    with Database(path) as db:
        if db.dialect == "sqlite":
            db.execute("CREATE VIRTUAL TABLE temp.article_terms USING fts5vocab(main, articles_fts, row)")
            term, docs = db.one("SELECT term, doc FROM temp.article_terms WHERE doc <= ? AND term GLOB '[a-z][a-z][a-z]*' "
                                "ORDER BY doc DESC LIMIT 1", [most])
            return term, int(docs)
        # PostgreSQL indexes stems: the search for one is counted again as the search runs it.
        term = db.one("SELECT word FROM ts_stat('SELECT search FROM articles') WHERE ndoc <= ? AND word ~ '^[a-z]{3,}$' "
                      "ORDER BY ndoc DESC LIMIT 1", [most])[0]
        docs = db.one("SELECT COUNT(*) FROM articles WHERE search @@ websearch_to_tsquery('german', ?)", [term])[0]
    return term, int(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ingest", type=int, default=20000, help="pages for the structure-only ingest")
    parser.add_argument("--workers", type=int, default=300, help="pages for the 1-vs-2-worker full pipeline run")
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles in the query store")
    parser.add_argument("--store", default=str(Path(tempfile.gettempdir()) / "lagebild-bench-1m.db"),
                        help="SQLite file, or a postgresql:// URL of an existing database (report block bench_query_postgresql)")
    parser.add_argument("--only", choices=["ingest", "workers", "query"], action="append")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    only = set(args.only or ["ingest", "workers", "query"])
    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores"
    with tempfile.TemporaryDirectory(prefix="lagebild-bench-") as tmp:
        work = Path(tmp)
        if "ingest" in only or "workers" in only:
            lines = [f"Measured on {machine} (`python benchmarks/bench_ingest.py`):", "",
                     "| what | inputs | seconds | articles/s | result |", "|---|---|---|---|---|"]
            if "ingest" in only:
                r = bench_ingest(args.ingest, work)
                lines.append(f"| `ingest --stages structure` (extract, structure, language), 1 process, into SQLite | "
                             f"{r['inputs']:,} | {r['seconds']:.1f} | {r['per_s']:,.0f} | {r['counts']}; "
                             f"{r['words']:.0f} words of clean text per article; {r['cpu']:.1f} CPU seconds, "
                             f"{r['per_cpu_s']:,.0f} articles per CPU second |")
                costs = stage_costs(min(args.ingest, 2000))
                cold = costs.pop("cold")
                lines.append("")
                lines.append("CPU ms per article of each step before the writer (same pages): " + ", ".join(
                    f"{step} {ms:.2f}" for step, ms in costs.items()) + f"; together {sum(costs.values()):.2f} ms "
                    f"(the structure stage with its per-line caches emptied before each page: {cold:.2f} ms). "
                    f"The rest of the {1000 / r['per_cpu_s']:.2f} CPU ms per article of the whole call is the "
                    f"start-up (imports, pipeline), listing and reading the files, and the writer (SQLite rows, "
                    f"FTS5 indexing, duplicate lookups, per-input state).")
                lines.append("")
                lines.append("| what | inputs | seconds | articles/s | result |")
                lines.append("|---|---|---|---|---|")
                print("\n".join(lines[-5:]))
            if "workers" in only:
                r = bench_workers(args.workers, work)
                lines.append(f"| `ingest` full pipeline, 1 worker | {r['inputs']:,} | {r[1]:.1f} | {r['inputs'] / r[1]:,.1f} | "
                             f"{r['counts1']}; the run got {r['cores1']:.2f} cores of CPU time, "
                             f"{r['cores1'] * r[1] / r['inputs'] * 1000:.0f} CPU ms per article |")
                lines.append(f"| `ingest` full pipeline, 2 workers | {r['inputs']:,} | {r[2]:.1f} | {r['inputs'] / r[2]:,.1f} | "
                             f"speed-up {r['speedup']:.2f}x; the run got {r['cores2']:.2f} cores of CPU time, "
                             f"{r['cores2'] * r[2] / r['inputs'] * 1000:.0f} CPU ms per article; peak memory "
                             f"of the largest worker {r['worker_peak_mb']:.0f} MB, of the main process "
                             f"{r['main_peak_mb']:.0f} MB |")
                print("\n".join(lines[-2:]))
            if args.report:
                write_block(args.report, "bench_ingest", lines)
        if "query" in only:
            from lagebild.store.db import _display, is_url

            r = bench_query(args.store if is_url(args.store) else Path(args.store), args.articles)
            lines = [f"Measured on {machine} (`python benchmarks/bench_ingest.py --only query`), a "
                     + ("SQLite store" if r["dialect"] == "sqlite" else "PostgreSQL database") + " of "
                     f"{r['articles']:,} generated articles at `{_display(args.store)}`"
                     + (f", built in {r['built']['seconds']:,.0f} s ({r['built']['bytes'] / 1e9:.1f} GB)" if r["built"] else "")
                     + (f"; migrated from schema {r['migrated'][0]} to {r['migrated'][1]} by this run in "
                        f"{r['migrated'][2]:,.0f} s" if r["migrated"] else "")
                     + "; median of 5 runs after a warm-up:", "",
                     "| query | ms | rows |", "|---|---|---|"]
            lines += [f"| {label} | {ms:.1f} | {rows:,} |" for label, ms, rows in r["queries"]]
            print("\n".join(lines))
            if args.report:
                write_block(args.report, "bench_query" if r["dialect"] == "sqlite" else "bench_query_postgresql", lines)


if __name__ == "__main__":
    main()
