"""Score the structure stage on a folder of (input, expected) pairs.

Each pair is ``NAME.txt`` or ``NAME.html`` with ``NAME.expected.json`` (format in
``corpora/extraction/README.md``). Three kinds of figures:

* **line labels** (plain-text inputs with a gold ``lines`` list): precision, recall and F1 per
  label, and for the decision that matters most, content (headline, lead, body, subheading) vs
  everything else;
* **content paragraphs** (every input): precision and recall of the kept paragraphs against the
  gold content, compared as whitespace-normalised strings;
* **metadata fields**: share of articles whose headline, section, published, updated, agencies,
  authors and image count equal the gold values exactly.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lagebild.api import analyze_path
from lagebild.errors import LagebildError
from lagebild.model import CONTENT_KINDS
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings

FIELDS = ("headline", "section", "published", "updated", "agencies", "authors", "images")
_SPACE = re.compile(r"\s+")


@dataclass
class ExtractionResult:
    articles: int = 0
    failures: list[str] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> lines
    content: Counter = field(default_factory=Counter)  # tp, fp, fn of content lines
    paragraphs: Counter = field(default_factory=Counter)  # tp, fp, fn of content paragraphs
    fields: Counter = field(default_factory=Counter)  # field -> correct
    field_totals: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def per_label(self) -> dict[str, tuple[float, float, float, int]]:
        labels = sorted({g for g, _ in self.confusion} | {p for _, p in self.confusion})
        table = {}
        for label in labels:
            tp = self.confusion[(label, label)]
            fp = sum(v for (g, p), v in self.confusion.items() if p == label and g != label)
            fn = sum(v for (g, p), v in self.confusion.items() if g == label and p != label)
            table[label] = (*prf(tp, fp, fn), tp + fn)
        return table

    def accuracy(self) -> float:
        total = sum(self.confusion.values())
        return sum(v for (g, p), v in self.confusion.items() if g == p) / total if total else 0.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip()


def _same_instant(got: str | None, gold: str | None) -> bool:
    """Dates match when they name the same instant ("13:48+00:00" is "15:48+02:00")."""
    if got is None or gold is None:
        return got is gold
    return datetime.fromisoformat(got) == datetime.fromisoformat(gold)


def predicted_line_labels(article) -> dict[int, str]:
    """Input line index -> predicted label, rebuilt from the article's boilerplate and paragraphs."""
    labels = {b.line: b.kind for b in article.boilerplate if b.line is not None}
    content_lines = [line.index for line in article.lines or [] if line.index not in labels]
    for index, paragraph in zip(content_lines, article.paragraphs):
        labels[index] = paragraph.kind
    return labels


def evaluate_pair(input_path: Path, expected: dict, result: ExtractionResult, pipeline: Pipeline) -> None:
    settings = Settings(reference_time=expected.get("reference_time"))
    local = Pipeline(settings) if expected.get("reference_time") else pipeline
    try:
        article = analyze_path(input_path, pipeline=local)
    except LagebildError as exc:
        result.failures.append(f"{input_path.name}: {exc.message}")
        return
    result.articles += 1
    name = input_path.name
    gold_content: list[str] = [_norm(t) for t in expected.get("content", [])]
    if "lines" in expected:
        predicted = predicted_line_labels(article)
        gold_lines = expected["lines"]
        ours = article.lines or []
        if len(ours) != len(gold_lines):
            result.errors.append(f"{name}: {len(ours)} input lines but {len(gold_lines)} gold lines; aligned by position")
        gold_content = []
        for line, gold in zip(ours, gold_lines):
            label = predicted.get(line.index, "other")
            result.confusion[(gold["label"], label)] += 1
            gold_is, ours_is = gold["label"] in CONTENT_KINDS, label in CONTENT_KINDS
            result.content["tp" if gold_is and ours_is else "fp" if ours_is else "fn" if gold_is else "tn"] += 1
            if gold_is:
                gold_content.append(_norm(gold["text"]))
            if gold["label"] != label:
                result.errors.append(f"{name}:{line.index + 1}: gold {gold['label']}, got {label}: {line.text[:80]}")
    kept = [_norm(article.text[p.start : p.end]) for p in article.paragraphs]
    gold_counter, kept_counter = Counter(gold_content), Counter(kept)
    overlap = sum((gold_counter & kept_counter).values())
    result.paragraphs["tp"] += overlap
    result.paragraphs["fp"] += sum(kept_counter.values()) - overlap
    result.paragraphs["fn"] += sum(gold_counter.values()) - overlap
    for field_name in FIELDS:
        if field_name not in expected:
            continue
        gold = expected[field_name]
        if field_name == "images":
            ok = len(gold) == len(article.images)
            got = len(article.images)
            gold = len(gold)
        elif field_name == "agencies":
            got = sorted(article.agencies, key=str.lower)
            ok = got == sorted(gold, key=str.lower)
        elif field_name in ("published", "updated"):
            got = getattr(article, field_name)
            ok = _same_instant(got, gold)
        else:
            got = getattr(article, field_name)
            ok = (_norm(got) if isinstance(got, str) else got) == (_norm(gold) if isinstance(gold, str) else gold)
        result.field_totals[field_name] += 1
        result.fields[field_name] += int(ok)
        if not ok:
            result.errors.append(f"{name}: {field_name}: gold {gold!r}, got {got!r}")


def evaluate_folder(directory: Path) -> ExtractionResult:
    """Score every pair in ``directory`` (see the module docstring)."""
    result = ExtractionResult()
    pipeline = Pipeline(Settings())
    for expected_path in sorted(directory.glob("*.expected.json")):
        stem = expected_path.name[: -len(".expected.json")]
        inputs = [p for p in expected_path.parent.glob(stem + ".*") if p != expected_path]
        if not inputs:
            result.failures.append(f"{expected_path.name}: no input file {stem}.txt or {stem}.html")
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        evaluate_pair(inputs[0], expected, result, pipeline)
    return result


def render_markdown(result: ExtractionResult, directory: Path, *, show_errors: bool = False) -> str:
    out = [f"# Extraction evaluation: `{directory}`", ""]
    out.append(f"Articles scored: {result.articles}; failed to analyse: {len(result.failures)}.")
    out.append("Command: `lagebild eval extraction " + str(directory) + "`")
    out.append("")
    if result.confusion:
        p, r, f = prf(result.content["tp"], result.content["fp"], result.content["fn"])
        total = sum(result.confusion.values())
        out += ["## Line classification", "",
                f"Lines: {total}; label accuracy: {result.accuracy():.3f}.", "",
                f"Content (headline, lead, body, subheading) vs the rest: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}.",
                "", "| label | precision | recall | F1 | gold lines |", "|---|---|---|---|---|"]
        for label, (lp, lr, lf, support) in result.per_label().items():
            out.append(f"| {label} | {lp:.3f} | {lr:.3f} | {lf:.3f} | {support} |")
        out.append("")
    pp, pr, pf = prf(result.paragraphs["tp"], result.paragraphs["fp"], result.paragraphs["fn"])
    out += ["## Content paragraphs", "",
            f"Precision {pp:.3f}, recall {pr:.3f}, F1 {pf:.3f} "
            f"({result.paragraphs['tp']} matched, {result.paragraphs['fp']} extra, {result.paragraphs['fn']} missed).", "",
            "## Metadata fields (exact match)", "", "| field | correct | articles | accuracy |", "|---|---|---|---|"]
    for name in FIELDS:
        if result.field_totals[name]:
            out.append(f"| {name} | {result.fields[name]} | {result.field_totals[name]} | "
                       f"{result.fields[name] / result.field_totals[name]:.3f} |")
    if result.failures:
        out += ["", "## Failures", ""] + [f"- {f}" for f in result.failures]
    if show_errors and result.errors:
        out += ["", "## Errors", ""] + [f"- {e}" for e in result.errors]
    return "\n".join(out) + "\n"


def figures(result: ExtractionResult) -> dict[str, float]:
    """The headline figures, as pinned by the evaluation gate."""
    content = prf(result.content["tp"], result.content["fp"], result.content["fn"])
    paragraphs = prf(result.paragraphs["tp"], result.paragraphs["fp"], result.paragraphs["fn"])
    out = {"line_accuracy": result.accuracy(), "content_f1": content[2], "paragraph_f1": paragraphs[2]}
    for name in FIELDS:
        if result.field_totals[name]:
            out[f"{name}_accuracy"] = result.fields[name] / result.field_totals[name]
    return out
