"""Write a benchmark's table into docs/performance.md between its own markers."""

from __future__ import annotations

from pathlib import Path


def write_block(path: Path, name: str, lines: list[str]) -> None:
    """Replace the block between ``<!-- name -->`` markers in ``path`` (append it if absent)."""
    marker = f"<!-- {name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = "\n".join([marker, *lines, marker])
    if marker in text:
        head, _, rest = text.partition(marker)
        _, _, tail = rest.partition(marker)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def timed_articles(pipeline, raws: list, seconds: float, timed: dict[str, float]):
    """Run ``raws`` through ``pipeline`` once to warm up, then again and again for ``seconds``.

    Yields every analysed article of the timed runs; each stage's CPU time of the process
    (``time.process_time``, one thread: wall-clock time on a shared machine moves by +-30 %) is
    added to ``timed[stage name]``.
    """
    import time

    from lagebild.api import article_from

    for raw in raws:
        pipeline(article_from(raw))
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for raw in raws:
            article = article_from(raw)
            for name, stage in pipeline._stages:
                t = time.process_time()
                article = stage(article)
                timed[name] = timed.get(name, 0.0) + time.process_time() - t
            yield article
