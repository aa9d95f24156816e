"""Score tokenisation and sentence segmentation against a UD German treebank (CoNLL-U).

The treebank's sentences are joined in runs of ten, with one space between sentences, into
paragraphs; the ``tokens`` stage then has to find the sentence boundaries again. Figures:

* sentence boundaries: precision, recall, F1 of sentence end offsets (character level);
* tokens: precision, recall, F1 of token spans, against the treebank's surface tokens (multi-word
  tokens such as "zum" count once, as written).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from lagebild.evaluation.extraction import prf
from lagebild.model import Article, Paragraph
from lagebild.paths import shared_data
from lagebild.pipeline.tokens import make_tokens
from lagebild.settings import Settings

RUN = 10


def default_conllu() -> Path | None:
    """The UD German GSD dev file under ../shared/data (or $LAGEBILD_SHARED_DATA)."""
    root = shared_data()
    matches = sorted((root / "ud_german_gsd").glob("*dev*.conllu")) if root else []
    return matches[0] if matches else None


def read_conllu(path: Path) -> list[tuple[str, list[str]]]:
    """(text, surface tokens) per sentence."""
    sentences: list[tuple[str, list[str]]] = []
    text, tokens, skip_until = None, [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            text = line[len("# text = "):]
        elif not line.strip():
            if text is not None and tokens:
                sentences.append((text, tokens))
            text, tokens, skip_until = None, [], 0
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0]:
                tokens.append(cols[1])
                skip_until = int(cols[0].split("-")[1])
            elif "." in cols[0]:
                continue
            elif int(cols[0]) > skip_until:
                tokens.append(cols[1])
    if text is not None and tokens:
        sentences.append((text, tokens))
    return sentences


@dataclass
class SentenceResult:
    sentences: int
    boundary: tuple[float, float, float]
    token: tuple[float, float, float]
    tokens_per_second: float


def _gold_token_spans(text: str, tokens: list[str], offset: int) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for token in tokens:
        found = text.find(token, cursor)
        if found < 0:
            continue
        spans.append((offset + found, offset + found + len(token)))
        cursor = found + len(token)
    return spans


def evaluate_conllu(path: Path) -> SentenceResult:
    sentences = read_conllu(path)
    run = make_tokens(Settings())
    gold_ends, pred_ends = set(), set()
    gold_tokens, pred_tokens = set(), set()
    n_tokens, elapsed = 0, 0.0
    for chunk_start in range(0, len(sentences), RUN):
        chunk = sentences[chunk_start : chunk_start + RUN]
        parts, offset = [], 0
        for text, tokens in chunk:
            gold_ends.add((chunk_start, offset + len(text)))
            gold_tokens.update((chunk_start, s, e) for s, e in _gold_token_spans(text, tokens, offset))
            parts.append(text)
            offset += len(text) + 1
        text = " ".join(parts)
        article = Article(id=str(chunk_start), source=None, raw=text, text=text, paragraphs=[Paragraph(0, len(text), "body")])
        started = time.perf_counter()
        run(article)
        elapsed += time.perf_counter() - started
        n_tokens += len(article.doc)
        pred_ends.update((chunk_start, s.end) for s in article.sentences)
        pred_tokens.update((chunk_start, t.idx, t.idx + len(t.text)) for t in article.doc if not t.is_space)

    def score(gold: set, pred: set) -> tuple[float, float, float]:
        tp = len(gold & pred)
        return prf(tp, len(pred - gold), len(gold - pred))

    return SentenceResult(len(sentences), score(gold_ends, pred_ends), score(gold_tokens, pred_tokens),
                          n_tokens / elapsed if elapsed else 0.0)


def render_markdown(result: SentenceResult, path: Path) -> str:
    bp, br, bf = result.boundary
    tp, tr, tf = result.token
    return "\n".join([
        "# Tokenisation and sentence segmentation",
        "",
        f"Gold: `{path.name}` ({result.sentences} sentences), joined in runs of {RUN} sentences per paragraph.",
        "Command: `lagebild eval sentences`",
        "",
        "| figure | precision | recall | F1 |",
        "|---|---|---|---|",
        f"| sentence ends | {bp:.3f} | {br:.3f} | {bf:.3f} |",
        f"| tokens | {tp:.3f} | {tr:.3f} | {tf:.3f} |",
        "",
        f"Speed of the `tokens` stage here: {result.tokens_per_second:,.0f} tokens/s (one core).",
        "",
    ])
