"""Benchmark: tokens/s and peak memory of the NLP stages on one core.

Analyses the sample corpus and the extraction sets with the given stages for a fixed time and
reports tokens/s of the stages after `tokens` (linguistic layer, entities, ...), measured by
timing each stage separately in CPU time of this process (``time.process_time``: one thread, so
other processes on a shared machine do not distort it), plus the process's peak resident memory.

    python benchmarks/bench_nlp.py --stages morphology,entities --report docs/performance.md
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from report import timed_articles, write_block  # noqa: E402  (benchmarks/report.py)

from lagebild.pipeline import Pipeline  # noqa: E402
from lagebild.reader import read_path  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BASE = ["extract", "structure", "language", "tokens"]


def corpus() -> list:
    files = sorted(p for d in ("corpora/samples", "corpora/extraction/dev", "corpora/extraction/heldout",
                               "corpora/extraction/blind") for p in (ROOT / d).glob("*.txt"))
    return [read_path(p, max_bytes=20_000_000) for p in files]


def measure(stages: list[str], seconds: float, backend: str = "shipped") -> dict:
    if backend.startswith("hf:"):  # torch only when the backend needs it: it costs ~300 MB of memory
        import torch

        torch.set_num_threads(1)
    pipeline = Pipeline(Settings(stages=BASE + stages, reference_time="2024-01-01T12:00:00+01:00", ner_backend=backend))
    raws = corpus()
    timed = {name: 0.0 for name, _ in pipeline._stages}
    tokens = articles = 0
    for article in timed_articles(pipeline, raws, seconds, timed):
        tokens += len(article.doc)
        articles += 1
    nlp_seconds = sum(v for k, v in timed.items() if k.split(".v")[0] in stages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stages": stages, "articles": articles, "tokens": tokens,
            "tokens_per_s": tokens / nlp_seconds if nlp_seconds else float("inf"),
            "per_stage": {k: tokens / v for k, v in timed.items() if v}, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stages", default="entities")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--backend", default="shipped", help="setting ner_backend")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    result = measure(args.stages.split(","), args.seconds, args.backend)
    per_stage = ", ".join(f"{k} {v:,.0f}" for k, v in result["per_stage"].items())
    line = f"| {' + '.join(result['stages'])} (NER backend `{args.backend}`) | {result['tokens_per_s']:,.0f} | {result['peak_mb']:,.0f} MB | {per_stage} |"
    print(line)
    if args.report:
        write_block(args.report, "bench_nlp", [
            "", "## NLP stages (issue 3: >= 20,000 tokens/s on one core, peak memory <= 500 MB)", "",
            f"Measured on {platform.machine()}, Python {platform.python_version()}, one core "
            f"(`python benchmarks/bench_nlp.py --stages {args.stages}`); tokens/s of the named stages together, "
            "per-stage tokens/s of every stage (both in CPU time of the process, one thread), peak resident "
            "memory of the whole process.", "",
            "| stages | tokens/s | peak memory | tokens/s per stage |", "|---|---|---|---|", line])


if __name__ == "__main__":
    main()
