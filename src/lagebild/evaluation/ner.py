"""Score the ``entities`` stage (backend + gazetteers + consistency) on GermEval 2014.

Each GermEval sentence is rebuilt from its given tokens (joined with the whitespace the tokens
imply), the stage's span logic runs on that text, and every token that a predicted span covers
gets the span's label (BIO, GermEval naming: MISC is OTH). Scoring is strict outer-chunk
P/R/F1 (:func:`lagebild.ner.germeval.score_bio`); country adjectives (``derived`` mentions) are
not predicted, as GermEval counts them as LOCderiv, not LOC.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from lagebild.ner.corpora import guess_spaces
from lagebild.ner.germeval import MODEL_TO_GERMEVAL, read_germeval, score_bio, select_part, write_predictions
from lagebild.pipeline.entities import EntityRecognizer
from lagebild.settings import Settings


def sentence_text(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as text, and each token's character offsets in it."""
    parts, offsets, cursor = [], [], 0
    for token, space in zip(tokens, guess_spaces(tokens)):
        offsets.append((cursor, cursor + len(token)))
        parts.append(token + (" " if space else ""))
        cursor += len(token) + (1 if space else 0)
    return "".join(parts), offsets


def spans_to_bio(offsets: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(offsets)
    for start, end, label in sorted(spans):
        covered = [i for i, (s, e) in enumerate(offsets) if s < end and start < e]
        if not covered or any(tags[i] != "O" for i in covered):
            continue
        name = MODEL_TO_GERMEVAL.get(label, label)
        tags[covered[0]] = f"B-{name}"
        for i in covered[1:]:
            tags[i] = f"I-{name}"
    return tags


def evaluate_germeval_file(path: Path, settings: Settings | None = None, *, predictions: Path | None = None,
                           part: str = "full") -> dict[str, Any]:
    recognizer = EntityRecognizer(settings or Settings())
    sentences = select_part(read_germeval(path), part)
    predicted, n_tokens = [], 0
    started = time.perf_counter()
    for sentence in sentences:
        text, offsets = sentence_text(sentence.tokens)
        predicted.append(spans_to_bio(offsets, recognizer.spans(text)))
        n_tokens += len(sentence.tokens)
    elapsed = time.perf_counter() - started
    scores = score_bio([s.outer for s in sentences], predicted)
    scores.update(sentences=len(sentences), tokens=n_tokens, tokens_per_second=n_tokens / elapsed if elapsed else 0.0,
                  backend=recognizer.backend.name, part=part)
    if predictions is not None:
        write_predictions(sentences, predicted, predictions)
    return scores


def render_markdown(scores: dict[str, Any], path: Path) -> str:
    backend = str(scores["backend"]).replace(str(Path(__file__).resolve().parents[1]), "lagebild")
    rows = [f"# NER on GermEval 2014 (`{path.name}`, part: {scores['part']})", "",
            f"Backend: `{backend}` plus gazetteers, rules and document-level consistency. "
            f"{scores['sentences']} sentences, {scores['tokens']} tokens; {scores['tokens_per_second']:,.0f} tokens/s.",
            f"Command: `lagebild eval ner --germeval FILE --part {scores['part']}`", "",
            "| label | precision | recall | F1 | gold | predicted |", "|---|---|---|---|---|---|"]
    items = list(scores["per_label"].items()) + [("PER/LOC/ORG (micro)", scores["micro_PER_LOC_ORG"]),
                                                  ("all four (micro)", scores["micro_all"])]
    for name, s in items:
        rows.append(f"| {name} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} | {s['tp'] + s['fn']} | {s['tp'] + s['fp']} |")
    return "\n".join(rows) + "\n"
