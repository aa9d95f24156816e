"""GermEval 2014 NER: reading, strict outer-chunk scoring and prediction output.

The GermEval 2014 TSV layout: comment lines start with ``#``; token lines are
``index<TAB>token<TAB>outer BIO<TAB>inner BIO``; a blank line ends a sentence.
Labels are PER/LOC/ORG/OTH, each also as ``*deriv`` and ``*part``.

Scoring is *strict outer-chunk* scoring: a predicted chunk counts only if its
token boundaries and its label equal those of a gold outer chunk.  The model
predicts ``PER``, ``LOC``, ``ORG`` and ``MISC``; ``MISC`` is compared with the
gold label ``OTH``.  Gold ``*deriv`` / ``*part`` chunks are never matched by a
prediction (the model has no such labels), so e.g. ``deutschen``
(``LOCderiv``) tagged as ``LOC`` is a false positive for ``LOC``.

The evaluation protocol of this project: GermEval dev is the only GermEval file
available.  Its first :data:`TUNE_SIZE` sentences ("tune" half) may be used for
training and model selection: sentences 1-:data:`TUNE_TRAIN_SIZE` ("tune-train")
are training data, the rest of the tune half ("tune-dev") picks the checkpoint.
The remaining sentences ("test" half) are only scored for reporting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from lagebild.ner.corpora import bio_to_spans, guess_spaces

#: Number of sentences in the "tune" half of GermEval dev (the rest is "test").
TUNE_SIZE = 1100

#: The first sentences of the tune half that are training data ("tune-train");
#: the rest of the tune half ("tune-dev") is for checkpoint selection.
TUNE_TRAIN_SIZE = 900

PARTS: tuple[str, ...] = ("full", "tune", "test", "tune-train", "tune-dev")

#: Labels scored per label, in GermEval naming.
SCORED_LABELS: tuple[str, ...] = ("PER", "LOC", "ORG", "OTH")

#: Model label -> GermEval label.
MODEL_TO_GERMEVAL: dict[str, str] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "OTH"}

#: GermEval outer label -> model label for building reference docs
#: (``*deriv`` / ``*part`` are not entities for the model).
GERMEVAL_TO_MODEL: dict[str, str] = {v: k for k, v in MODEL_TO_GERMEVAL.items()}


@dataclass
class GermEvalSentence:
    """One GermEval sentence: its comment line(s), tokens and BIO tag columns."""

    tokens: list[str]
    outer: list[str]
    inner: list[str]
    comments: list[str] = field(default_factory=list)


def read_germeval(path: Path) -> list[GermEvalSentence]:
    """Read a GermEval 2014 TSV file into sentences."""
    sentences: list[GermEvalSentence] = []
    cur = GermEvalSentence([], [], [])
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if line.startswith("#"):
                if cur.tokens:
                    sentences.append(cur)
                    cur = GermEvalSentence([], [], [])
                cur.comments.append(line)
                continue
            if not line.strip():
                if cur.tokens:
                    sentences.append(cur)
                    cur = GermEvalSentence([], [], [])
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise ValueError(f"{path}: malformed line {line!r}")
            cur.tokens.append(cols[1])
            cur.outer.append(cols[2])
            cur.inner.append(cols[3] if len(cols) > 3 else "O")
    if cur.tokens:
        sentences.append(cur)
    return sentences


def select_part(sentences: Sequence[GermEvalSentence], part: str) -> list[GermEvalSentence]:
    """Return the ``"tune"`` half, the ``"test"`` half, the ``"full"`` set, or the
    ``"tune-train"`` / ``"tune-dev"`` parts of the tune half."""
    if part == "full":
        return list(sentences)
    if part == "tune":
        return list(sentences[:TUNE_SIZE])
    if part == "test":
        return list(sentences[TUNE_SIZE:])
    if part == "tune-train":
        return list(sentences[:TUNE_TRAIN_SIZE])
    if part == "tune-dev":
        return list(sentences[TUNE_TRAIN_SIZE:TUNE_SIZE])
    raise ValueError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")


def make_doc(nlp: Language, tokens: Sequence[str]) -> Doc:
    """Build a ``Doc`` from given tokens, guessing the whitespace between them."""
    words = [t if t else "_" for t in tokens]
    return Doc(nlp.vocab, words=words, spaces=guess_spaces(words))


def annotate(nlp: Language, token_lists: Iterable[Sequence[str]], batch_size: int = 256) -> list[Doc]:
    """Run all pipeline components on pre-tokenised sentences."""
    docs = [make_doc(nlp, toks) for toks in token_lists]
    for _name, proc in nlp.pipeline:
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
    return docs


def doc_to_bio(doc: Doc) -> list[str]:
    """Outer BIO tags (GermEval label names) for the entities of a doc."""
    tags = ["O"] * len(doc)
    for ent in doc.ents:
        label = MODEL_TO_GERMEVAL.get(ent.label_, ent.label_)
        tags[ent.start] = f"B-{label}"
        for i in range(ent.start + 1, ent.end):
            tags[i] = f"I-{label}"
    return tags


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def score_bio(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Strict chunk P/R/F1 between gold and predicted BIO sequences.

    Returns ``{"per_label": {label: {p, r, f, tp, fp, fn}}, "micro_PER_LOC_ORG":
    {...}, "micro_all": {...}}``, labels in GermEval naming (``OTH`` for MISC).
    """
    counts = {lab: [0, 0, 0] for lab in SCORED_LABELS}
    for gold_tags, pred_tags in zip(gold, pred, strict=True):
        gold_spans = set(bio_to_spans(gold_tags))
        pred_spans = set(bio_to_spans(pred_tags))
        for lab in SCORED_LABELS:
            g = {s for s in gold_spans if s[2] == lab}
            p = {s for s in pred_spans if s[2] == lab}
            tp = len(g & p)
            counts[lab][0] += tp
            counts[lab][1] += len(p) - tp
            counts[lab][2] += len(g) - tp

    def micro(labels: Sequence[str]) -> dict[str, float]:
        return _prf(*(sum(counts[lab][i] for lab in labels) for i in range(3)))

    return {
        "per_label": {lab: _prf(*counts[lab]) for lab in SCORED_LABELS},
        "micro_PER_LOC_ORG": micro(("PER", "LOC", "ORG")),
        "micro_all": micro(SCORED_LABELS),
    }


def write_predictions(
    sentences: Sequence[GermEvalSentence], pred: Sequence[Sequence[str]], path: Path
) -> None:
    """Write predictions in GermEval TSV layout (inner column always ``O``)."""
    with open(path, "w", encoding="utf-8") as fh:
        for sent, tags in zip(sentences, pred, strict=True):
            for comment in sent.comments:
                fh.write(comment + "\n")
            for i, (tok, tag) in enumerate(zip(sent.tokens, tags), start=1):
                fh.write(f"{i}\t{tok}\t{tag}\tO\n")
            fh.write("\n")


def evaluate_germeval(
    nlp: Language,
    path: Path,
    predictions: Path | None = None,
    *,
    part: str = "full",
) -> dict[str, Any]:
    """Evaluate ``nlp`` on a GermEval 2014 file with strict outer-chunk scoring.

    Each sentence is processed from its given tokens.  ``part`` selects
    ``"full"``, ``"tune"`` (first :data:`TUNE_SIZE` sentences) or ``"test"``
    (the rest).  If ``predictions`` is given, the predicted tags are written
    there in GermEval layout.  Returns the dict of :func:`score_bio` plus
    ``"sentences"`` and ``"tokens"`` counts.
    """
    sentences = select_part(read_germeval(Path(path)), part)
    docs = annotate(nlp, (s.tokens for s in sentences))
    pred = [doc_to_bio(doc) for doc in docs]
    scores = score_bio([s.outer for s in sentences], pred)
    scores["sentences"] = len(sentences)
    scores["tokens"] = sum(len(s.tokens) for s in sentences)
    if predictions is not None:
        write_predictions(sentences, pred, Path(predictions))
    return scores


def reference_docs(nlp: Language, sentences: Sequence[GermEvalSentence]) -> list[Doc]:
    """Gold docs (model labels) for spaCy's own scorer, e.g. as a dev corpus.

    Outer PER/LOC/ORG/OTH chunks become PER/LOC/ORG/MISC entities; ``*deriv``
    and ``*part`` chunks become ``O``, matching strict outer-chunk scoring.
    """
    docs = []
    for sent in sentences:
        doc = make_doc(nlp, sent.tokens)
        ents = []
        for start, end, lab in bio_to_spans(sent.outer):
            if lab in GERMEVAL_TO_MODEL:
                ents.append(Span(doc, start, end, label=GERMEVAL_TO_MODEL[lab]))
        doc.set_ents(ents, default="outside")
        docs.append(doc)
    return docs


def format_scores(scores: dict[str, Any]) -> str:
    """A small Markdown table of P/R/F1 per label and the micro averages."""
    rows = ["| label | P | R | F1 | gold | pred |", "|---|---:|---:|---:|---:|---:|"]
    items = list(scores["per_label"].items()) + [
        ("micro PER/LOC/ORG", scores["micro_PER_LOC_ORG"]),
        ("micro all 4", scores["micro_all"]),
    ]
    for name, s in items:
        rows.append(
            f"| {name} | {s['p']:.4f} | {s['r']:.4f} | {s['f']:.4f} "
            f"| {s['tp'] + s['fn']} | {s['tp'] + s['fp']} |"
        )
    return "\n".join(rows)
