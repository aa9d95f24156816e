"""Benchmark: what the events stage adds to the analysis time, and articles/s of the whole pipeline.

Runs the default pipeline (structure, linguistic layer, entities, quotes, events) on the sample
corpus, the extraction sets and the event dev set on one core for a fixed time, timing every stage
separately. Reports:

* the events stage's share: its time divided by the time of all other stages (issue 5: <= 30 %);
* articles/s of the whole pipeline, measured, and scaled to 400-word articles (words of clean text
  per second divided by 400; the cost per article grows with its length, so this is an estimate);
* events coded per article.

    python benchmarks/bench_events.py --report docs/performance.md
"""

from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from report import timed_articles, write_block  # noqa: E402  (benchmarks/report.py)

from lagebild.pipeline import Pipeline  # noqa: E402
from lagebild.reader import read_path  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("corpora/samples", "corpora/extraction/dev", "corpora/extraction/heldout", "corpora/extraction/blind",
           "corpora/events/dev")


def corpus() -> list:
    files = sorted(p for d in FOLDERS for p in (ROOT / d).glob("*.txt"))
    return [read_path(p, max_bytes=20_000_000) for p in files]


def measure(seconds: float) -> dict:
    pipeline = Pipeline(Settings(reference_time="2024-01-01T12:00:00+01:00"))
    raws = corpus()
    timed = {name: 0.0 for name, _ in pipeline._stages}
    articles = words = events = 0
    for article in timed_articles(pipeline, raws, seconds, timed):
        articles += 1
        words += len(article.text.split())
        events += len(article.events)
    total = sum(timed.values())
    events_time = sum(v for k, v in timed.items() if k.startswith("events."))
    return {
        "inputs": len(raws), "articles": articles, "total_s": total,
        "share": events_time / (total - events_time),
        "articles_per_s": articles / total,
        "words_per_article": words / articles,
        "articles_per_s_400": words / total / 400,
        "events_per_article": events / articles,
        "per_stage_ms": {k: 1000 * v / articles for k, v in timed.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    r = measure(args.seconds)
    per_stage = ", ".join(f"{k} {v:.2f}" for k, v in r["per_stage_ms"].items())
    line = (f"| {r['share'] * 100:.1f} % | {r['articles_per_s']:.1f} | {r['words_per_article']:.0f} | "
            f"{r['articles_per_s_400']:.1f} | {r['events_per_article']:.1f} | {per_stage} | "
            f"{r['inputs']} inputs, {r['articles']} runs |")
    print(line)
    if args.report:
        write_block(args.report, "bench_events", [
            "", "## Events (issue 5: events add <= 30 % to the analysis time; whole pipeline >= 50 articles/s "
            "on one core for 400-word articles)", "",
            f"Measured on {platform.machine()}, Python {platform.python_version()}, one process, one core "
            "(`python benchmarks/bench_events.py`), default stages, every stage timed separately in CPU time of the process (`time.process_time`).", "",
            "| events time / rest of the pipeline | articles/s (whole pipeline) | words per article | "
            "articles/s scaled to 400 words | events per article | ms per article per stage | runs |",
            "|---|---|---|---|---|---|---|", line])


if __name__ == "__main__":
    main()
