"""Benchmark: what the quotes stage adds to the time of the linguistic layer, on one core.

Analyses the sample corpus and the extraction sets (``bench_nlp.corpus``) with the stages up to
``quotes`` for a fixed time, timing each stage separately, and reports the quotes stage's time
as a share of the time of ``morphology`` + ``entities`` (issue 4: at most 30 %), for the rules
alone (``quote_model = "none"``) and with the shipped quote tagger. Stages are timed in CPU time
of this process (``time.process_time``, one thread), so other jobs on a shared machine distort
the figure less than wall-clock time would.

    python benchmarks/bench_quotes.py --report docs/performance.md
"""

from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench_nlp import BASE, corpus  # noqa: E402  (benchmarks/bench_nlp.py)
from report import timed_articles, write_block  # noqa: E402  (benchmarks/report.py)

from lagebild.pipeline import Pipeline  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

LAYER = ("morphology", "entities")


def measure(quote_model: str, seconds: float) -> dict:
    """Tokens/s of the linguistic layer and of the quotes stage, and the quotes stage's share."""
    settings = Settings(stages=BASE + [*LAYER, "quotes"], reference_time="2024-01-01T12:00:00+01:00",
                        quote_model=quote_model)
    pipeline = Pipeline(settings)
    raws = corpus()
    by_version: dict[str, float] = {}
    tokens = quotes = 0
    for article in timed_articles(pipeline, raws, seconds, by_version):
        tokens += len(article.doc)
        quotes += len(article.quotes)
    timed = {name.split(".v")[0]: v for name, v in by_version.items()}
    layer = sum(timed[name] for name in LAYER)
    return {"quote_model": quote_model, "tokens": tokens, "quotes": quotes,
            "layer_tokens_per_s": tokens / layer, "quotes_tokens_per_s": tokens / timed["quotes"],
            "share": timed["quotes"] / layer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    lines = []
    for quote_model in ("none", "shipped"):
        r = measure(quote_model, args.seconds)
        lines.append(f"| `{quote_model}` | {r['layer_tokens_per_s']:,.0f} | {r['quotes_tokens_per_s']:,.0f} "
                     f"| {r['share']:.0%} | {r['tokens']:,} | {r['quotes']:,} |")
        print(lines[-1])
    if args.report:
        write_block(args.report, "bench_quotes", [
            "", "## Quotes stage (issue 4: adds at most 30 % to the time of the linguistic layer)", "",
            f"Measured on {platform.machine()}, Python {platform.python_version()}, one core, each stage timed in "
            "CPU time of the process (`python benchmarks/bench_quotes.py`), on the same inputs as the NLP benchmark; the linguistic "
            "layer is morphology + entities (shipped NER). The quote tagger runs only on candidate "
            "sentences (a quotation mark, a cue word or a Konjunktiv verb) that hold no quote the rules found. "
            "The machine is shared, so absolute tokens/s vary between runs; the share of time is the figure.", "",
            "| quote_model | layer tokens/s | quotes stage tokens/s | quotes time / layer time | tokens | quotes |",
            "|---|---:|---:|---:|---:|---:|", *lines])


if __name__ == "__main__":
    main()
