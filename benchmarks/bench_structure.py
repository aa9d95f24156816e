"""Benchmark: articles/s for structure + tokenisation on one core.

Reads the bundled sample corpus and the extraction sets (plain-text inputs), analyses them in a
loop for a fixed time with the stages extract, structure and tokens, and reports articles/s and
tokens/s. Run: `make bench` (or `python benchmarks/bench_structure.py --report docs/performance.md`).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from report import write_block  # noqa: E402  (benchmarks/report.py)

from bench_ingest import clear_line_caches  # noqa: E402  (benchmarks/bench_ingest.py)

from lagebild.api import article_from  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402
from lagebild.reader import read_path  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def corpus() -> list:
    files = sorted(p for d in ("corpora/samples", "corpora/extraction/dev", "corpora/extraction/heldout")
                   for p in (ROOT / d).glob("*.txt"))
    raws = []
    for path in files:
        try:
            raws.append(read_path(path, max_bytes=20_000_000))
        except Exception:  # noqa: BLE001 - a broken sample is not the benchmark's business
            continue
    return raws


def run(seconds: float) -> dict:
    raws = corpus()
    pipeline = Pipeline(Settings(stages=["extract", "structure", "language", "tokens"], reference_time="2024-01-01T12:00:00+01:00"))
    for raw in raws:  # warm-up: lazy imports, regex compilation, vocabulary
        pipeline(article_from(raw))
    done = tokens = words = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        # The structure stage caches per-line work; without emptying the caches every pass after
        # the first would measure cache hits on the same 80 inputs.
        clear_line_caches()
        for raw in raws:
            article = pipeline(article_from(raw))
            done += 1
            tokens += len(article.doc)
            words += len(article.text.split())
    elapsed = time.perf_counter() - started
    return {"articles": done, "seconds": elapsed, "articles_per_s": done / elapsed, "tokens_per_s": tokens / elapsed,
            "words_per_article": words / done if done else 0, "distinct_inputs": len(raws)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    result = run(args.seconds)
    per_400 = result["articles_per_s"] * result["words_per_article"] / 400
    line = (f"| extract + structure + language + tokens | {result['articles_per_s']:,.0f} | {result['tokens_per_s']:,.0f} | "
            f"{result['words_per_article']:.0f} | {per_400:,.0f} | {result['distinct_inputs']} inputs, {result['articles']} runs |")
    print(line)
    if args.report:
        write_block(args.report, "bench_structure", [
            f"Measured on {platform.processor() or platform.machine()}, Python {platform.python_version()}, one process, "
            "one core (`python benchmarks/bench_structure.py`; the structure stage's per-line caches are emptied "
            "before each pass over the inputs):", "",
            "| stages | articles/s | tokens/s | words of clean text per article | articles/s scaled to 400 words | runs |",
            "|---|---|---|---|---|---|", line])


if __name__ == "__main__":
    main()
