"""Score the ``events`` stage against hand-coded gold events (docs/eval-events.md).

A gold folder holds pairs ``NAME.txt`` (the article as plain text with its page furniture) and
``NAME.events.json`` (``{"article", "published", "events": [...]}``; each event has ``type``,
``source`` and ``target`` ({``name``, ``alt``, ``country``, ``role``} or null), ``evidence`` (an
exact substring of the article), ``trigger``, ``negated``, ``mode``, ``date``,
``date_granularity``, ``location``, ``attribution``).

Each article runs through lagebild's normal pipeline, with relative dates counted from the gold
``published``. A predicted event **matches** a gold event when

* the types are equal,
* the predicted evidence span overlaps the sentence(s) of the clean text that contain the gold
  evidence, and
* the sources match: the predicted source's canonical name or surface text equals (ignoring
  case) the gold name or one of its ``alt`` forms, or the last tokens are equal;

for the strict figure (type, source, target) the targets must also match the same way, where
two nulls match. Matching is greedy and one-to-one, in text order. On the events matched by
(type, source) the report also gives the accuracy of ``negated``, ``mode`` and the date (value
and granularity equal; a week matches any day of the same ISO week, a month any day of it).
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from lagebild.evaluation.extraction import prf
from lagebild.events.lexicon import TYPES
from lagebild.model import Article, Event
from lagebild.settings import Settings


def gold_files(directory: Path) -> list[Path]:
    return sorted(Path(directory).glob("*.events.json"))


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def _last(text: str) -> str:
    words = re.findall(r"[\w-]+", text)
    return words[-1].casefold() if words else ""


def actor_matches(predicted: dict[str, Any] | None, gold: dict[str, Any] | None) -> bool:
    """Case-insensitive equality of name or surface text with the gold name or an alt; or equal
    last tokens. Two nulls match."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    mine = [v for v in (predicted.get("name"), predicted.get("text")) if v]
    theirs = [v for v in [gold.get("name")] + list(gold.get("alt") or []) if v]
    if {_words(v) for v in mine} & {_words(v) for v in theirs}:
        return True
    return bool({_last(v) for v in mine} & {_last(v) for v in theirs} - {""})


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    """Where the gold evidence is in the clean text: exact, else with any whitespace."""
    start = text.find(evidence)
    if start >= 0:
        return start, start + len(evidence)
    pattern = r"\s+".join(re.escape(word) for word in evidence.split())
    match = re.search(pattern, text) if pattern else None
    return (match.start(), match.end()) if match else None


def sentence_span(article: Article, start: int, end: int) -> tuple[int, int]:
    """The sentences overlapping ``text[start:end]``, as one span."""
    hit = [s for s in article.sentences if s.start < end and start < s.end]
    if not hit:
        return start, end
    return min(s.start for s in hit), max(s.end for s in hit)


def _date_equal(value: str | None, granularity: str | None, predicted: dict | None) -> bool:
    if not value:
        return predicted is None
    if predicted is None:
        return False
    try:
        gold_day, mine = date.fromisoformat(value[:10]), date.fromisoformat(predicted["value"][:10])
    except ValueError:
        return False
    granularity = granularity or "day"
    if granularity != predicted.get("granularity"):
        return False
    if granularity == "week":
        return gold_day.isocalendar()[:2] == mine.isocalendar()[:2]
    if granularity == "month":
        return (gold_day.year, gold_day.month) == (mine.year, mine.month)
    if granularity == "year":
        return gold_day.year == mine.year
    return gold_day == mine


def match(article: Article, gold: list[dict], predicted: list[Event], *, strict: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one (gold index, predicted index) pairs (see the module docstring)."""
    spans = []
    for event in gold:
        found = locate(article.text, event.get("evidence") or "")
        spans.append(sentence_span(article, *found) if found else None)
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for g, event in enumerate(gold):
        span = spans[g]
        if span is None:
            continue
        for p, mine in enumerate(predicted):
            if p in used or mine.type != event["type"]:
                continue
            if not (mine.evidence.start < span[1] and span[0] < mine.evidence.end):
                continue
            if not actor_matches(mine.source, event.get("source")):
                continue
            if strict and not actor_matches(mine.target, event.get("target")):
                continue
            pairs.append((g, p))
            used.add(p)
            break
    return pairs


def _pipeline(settings: Settings | None):
    from lagebild.pipeline import Pipeline

    return Pipeline(settings or Settings())


def analyse(path: Path, published: str | None, pipeline) -> Article:
    from lagebild.api import article_from
    from lagebild.reader import read_path

    raw = read_path(path, max_bytes=pipeline.settings.max_input_bytes)
    article = article_from(raw, published)
    return pipeline(article)


def evaluate_folder(directory: Path, *, settings: Settings | None = None) -> dict[str, Any]:
    """P/R/F1 for (type, source) and (type, source, target), per type, and attribute accuracy.

    Args:
        directory: folder of ``NAME.txt`` + ``NAME.events.json`` pairs.
        settings: pipeline settings (default stages); default settings if None.

    Returns:
        A dict with ``articles``, ``gold``, ``predicted``, ``seconds``, ``type_source`` and
        ``type_source_target`` ({precision, recall, f1, tp, fp, fn}), ``per_type`` (type ->
        the (type, source) figures), ``attributes`` (negated, mode, date: correct / matched) and
        ``errors`` (per article: missed gold events and spurious predictions).
    """
    pipeline = _pipeline(settings)
    started = time.perf_counter()
    totals = {"type_source": [0, 0, 0], "type_source_target": [0, 0, 0]}
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    attributes = {"negated": [0, 0], "mode": [0, 0], "date": [0, 0]}
    errors: list[dict[str, Any]] = []
    n_gold = n_predicted = 0
    files = gold_files(directory)
    for gold_path in files:
        record = json.loads(gold_path.read_text(encoding="utf-8"))
        article = analyse(gold_path.parent / record["article"], record.get("published"), pipeline)
        gold = record.get("events", [])
        predicted = article.events
        n_gold += len(gold)
        n_predicted += len(predicted)
        loose = match(article, gold, predicted, strict=False)
        strict = match(article, gold, predicted, strict=True)
        for key, pairs in (("type_source", loose), ("type_source_target", strict)):
            totals[key][0] += len(pairs)
            totals[key][1] += len(predicted) - len(pairs)
            totals[key][2] += len(gold) - len(pairs)
        matched_gold = {g for g, _ in loose}
        matched_predicted = {p for _, p in loose}
        for g, event in enumerate(gold):
            per_type[event["type"]][0 if g in matched_gold else 2] += 1
        for p, event in enumerate(predicted):
            if p not in matched_predicted:
                per_type[event.type][1] += 1
        for g, p in loose:
            event, mine = gold[g], predicted[p]
            attributes["negated"][0] += bool(event.get("negated", False)) == mine.negated
            attributes["mode"][0] += (event.get("mode") or "happened") == mine.mode
            attributes["date"][0] += _date_equal(event.get("date"), event.get("date_granularity"), mine.date)
            for key in attributes:
                attributes[key][1] += 1
        errors.append({
            "article": record["article"],
            "missed": [f"{e['type']} {(e.get('source') or {}).get('name')} -> {(e.get('target') or {}).get('name')}: "
                       f"{(e.get('evidence') or '')[:80]}" for g, e in enumerate(gold) if g not in matched_gold],
            "spurious": [f"{e.type} {(e.source or {}).get('name')} -> {(e.target or {}).get('name')} ({e.pattern}): "
                         f"{e.evidence.text[:80]}" for p, e in enumerate(predicted) if p not in matched_predicted],
        })
    result: dict[str, Any] = {"articles": len(files), "gold": n_gold, "predicted": n_predicted,
                              "seconds": round(time.perf_counter() - started, 2)}
    for key, (tp, fp, fn) in totals.items():
        precision, recall, f1 = prf(tp, fp, fn)
        result[key] = {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    result["per_type"] = {}
    for type_ in TYPES:
        if type_ in per_type:
            tp, fp, fn = per_type[type_]
            precision, recall, f1 = prf(tp, fp, fn)
            result["per_type"][type_] = {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    result["attributes"] = {k: {"correct": c, "matched": n, "accuracy": c / n if n else 0.0} for k, (c, n) in attributes.items()}
    result["errors"] = errors
    return result


def render_markdown(result: dict[str, Any], directory: Path, *, show_errors: bool = False) -> str:
    """The figures of :func:`evaluate_folder` as a Markdown report."""
    lines = [
        "# Events: PLOVER event coding",
        "",
        f"Data: `{directory}` ({result['articles']} articles, {result['gold']} gold events, "
        f"{result['predicted']} predicted); {result['seconds']} s. Matching rule: docs/eval-events.md.",
        "",
        "| figure | precision | recall | F1 | tp | fp | fn |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in (("type_source", "(type, source)"), ("type_source_target", "(type, source, target)")):
        f = result[key]
        lines.append(f"| {label} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['tp']} | {f['fp']} | {f['fn']} |")
    lines += ["", "Per type, (type, source):", "", "| type | precision | recall | F1 | tp | fp | fn |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for type_, f in result["per_type"].items():
        lines.append(f"| {type_} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['tp']} | {f['fp']} | {f['fn']} |")
    lines += ["", "On events matched by (type, source):", "", "| attribute | accuracy | correct / matched |",
              "|---|---:|---:|"]
    for key, f in result["attributes"].items():
        lines.append(f"| {key} | {f['accuracy']:.3f} | {f['correct']} / {f['matched']} |")
    if show_errors:
        lines += ["", "## Errors", ""]
        for item in result["errors"]:
            if item["missed"] or item["spurious"]:
                lines.append(f"### {item['article']}")
                lines += [f"- missed: {m}" for m in item["missed"]]
                lines += [f"- spurious: {s}" for s in item["spurious"]]
                lines.append("")
    return "\n".join(lines) + "\n"
