"""Scores of the linguistic layer: UPOS, STTS, lemma and verb mood against gold annotations.

* :func:`evaluate_ud` scores against a CoNLL-U file (UD German GSD dev; its heldout half is the
  figure in docs/eval-linguistic.md). The text of each sentence is run through lagebild's own
  tokenizer, and a gold token counts as correct only if a predicted token has exactly its
  character span *and* the right value, so tokenisation errors count against every score.
  A multi-word token ("zum") is one surface token with UPOS ``ADP``, tag ``APPRART`` and the
  lemma of its first word ("zu"), see :mod:`lagebild.linguistic.corpora`.
* :func:`evaluate_mood` scores the finite verbs of a hand-written mood test set
  (``tests/linguistic/data/mood_gold.tsv``) as ``Ind``/``KI``/``KII``/``Imp``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lagebild.linguistic.annotate import mood_label
from lagebild.linguistic.corpora import TaggedSentence, read_conllu
from lagebild.model import Article, Paragraph


def _runner(nlp_or_stage) -> Callable[[str], Any]:
    """A function text -> Doc for a spaCy ``Language`` or an ``Article -> Article`` stage."""
    from spacy.language import Language

    if isinstance(nlp_or_stage, Language):
        return nlp_or_stage
    from lagebild.pipeline.tokens import make_tokens
    from lagebild.settings import Settings

    tokens = make_tokens(Settings())

    def run(text: str):
        article = Article(id="eval", source=None, raw=text, text=text, paragraphs=[Paragraph(0, len(text), "body")])
        return nlp_or_stage(tokens(article)).doc

    return run


def _gold_spans(sentence: TaggedSentence, text: str) -> list[tuple[int, int]] | None:
    spans, position = [], 0
    for token in sentence.tokens:
        start = text.find(token.form, position)
        if start < 0:
            return None
        spans.append((start, start + len(token.form)))
        position = start + len(token.form)
    return spans


def _ratio(right: int, total: int) -> float:
    return round(right / total, 4) if total else 0.0


def evaluate_ud(nlp_or_stage, conllu_path: Path | str, sentence_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """Score UPOS, STTS tags, lemmas and verb features against a CoNLL-U file.

    Args:
        nlp_or_stage: A spaCy ``Language`` (called on each sentence's text), or a stage
            ``Article -> Article`` (such as ``make_stage()`` of the morphology stage) that is run
            after lagebild's ``tokens`` stage.
        conllu_path: The gold CoNLL-U file.
        sentence_ids: ``sent_id`` values to score, in any order (None: every sentence).

    Returns:
        ``tokens`` (gold surface tokens), ``aligned`` (share with an identically spanned predicted
        token), accuracies ``upos``, ``tag``, ``lemma`` (over all gold tokens), ``lemma_by_upos``,
        and ``mood``: over gold tokens with a ``Mood`` feature, the accuracy of Mood and of the
        finer Ind/KI/KII/Imp label, precision/recall of ``Mood=Sub`` over all tokens, and the
        accuracy of Person, Number, Tense on gold finite verbs. Also ``seconds`` and
        ``tokens_per_second`` (tokenisation included).
    """
    sentences = read_conllu(conllu_path)
    if sentence_ids is not None:
        wanted = set(sentence_ids)
        sentences = [s for s in sentences if s.id in wanted]
    run = _runner(nlp_or_stage)
    counts: Counter = Counter()
    lemma_by_upos: dict[str, Counter] = {}
    started = time.perf_counter()
    n_predicted = 0
    for sentence in sentences:
        text = sentence.to_text()
        spans = _gold_spans(sentence, text)
        if spans is None:  # "# text" does not contain the forms: rebuild it from them
            text = "".join(t.form + (" " if t.space_after else "") for t in sentence.tokens).rstrip()
            spans = _gold_spans(sentence, text)
        doc = run(text)
        n_predicted += len(doc)
        predicted = {(t.idx, t.idx + len(t.text)): t for t in doc}
        for gold, span in zip(sentence.tokens, spans):
            token = predicted.get(span)
            counts["tokens"] += 1
            by_upos = lemma_by_upos.setdefault(gold.upos or "_", Counter())
            by_upos["tokens"] += 1
            gold_feats = dict(f.split("=", 1) for f in gold.feats.split("|") if "=" in f)
            pred_feats = {}
            if token is not None:
                counts["aligned"] += 1
                counts["upos"] += token.pos_ == gold.upos
                counts["tag"] += token.tag_ == gold.tag
                right_lemma = token.lemma_ == gold.lemma
                counts["lemma"] += right_lemma
                by_upos["lemma"] += right_lemma
                pred_feats = token.morph.to_dict()
            gold_sub = gold_feats.get("Mood") == "Sub"
            pred_sub = pred_feats.get("Mood") == "Sub"
            counts["sub_gold"] += gold_sub
            counts["sub_pred"] += pred_sub
            counts["sub_both"] += gold_sub and pred_sub
            if "Mood" in gold_feats:
                counts["mood_tokens"] += 1
                counts["mood"] += pred_feats.get("Mood") == gold_feats["Mood"]
                counts["mood_label"] += _label(pred_feats) == _label(gold_feats)
                for feature in ("Person", "Number", "Tense"):
                    counts[f"{feature}_total"] += 1
                    counts[feature] += pred_feats.get(feature) == gold_feats.get(feature)
    seconds = time.perf_counter() - started
    precision = _ratio(counts["sub_both"], counts["sub_pred"])
    recall = _ratio(counts["sub_both"], counts["sub_gold"])
    return {
        "sentences": len(sentences),
        "tokens": counts["tokens"],
        "aligned": _ratio(counts["aligned"], counts["tokens"]),
        "upos": _ratio(counts["upos"], counts["tokens"]),
        "tag": _ratio(counts["tag"], counts["tokens"]),
        "lemma": _ratio(counts["lemma"], counts["tokens"]),
        "lemma_by_upos": {upos: _ratio(c["lemma"], c["tokens"]) for upos, c in sorted(lemma_by_upos.items())},
        "mood": {
            "tokens": counts["mood_tokens"],
            "accuracy": _ratio(counts["mood"], counts["mood_tokens"]),
            "label_accuracy": _ratio(counts["mood_label"], counts["mood_tokens"]),
            "sub_gold": counts["sub_gold"],
            "sub_predicted": counts["sub_pred"],
            "sub_precision": precision,
            "sub_recall": recall,
            "sub_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
            "person": _ratio(counts["Person"], counts["Person_total"]),
            "number": _ratio(counts["Number"], counts["Number_total"]),
            "tense": _ratio(counts["Tense"], counts["Tense_total"]),
        },
        "seconds": round(seconds, 3),
        "tokens_per_second": round(n_predicted / seconds) if seconds else 0,
    }


def _label(feats: dict[str, str]) -> str | None:
    mood = feats.get("Mood")
    if mood == "Sub":
        return "KII" if feats.get("Tense") == "Past" else "KI"
    return mood


# --------------------------------------------------------------------------- mood test set

MOOD_LABELS = ("Ind", "KI", "KII", "Imp")


def read_mood_gold(path: Path | str) -> list[dict[str, str]]:
    """Rows of a mood test set: ``id``, ``sentence``, ``verb`` (form, ``@n`` for its n-th occurrence), ``mood``, ``note``."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 4:
                raise ValueError(f"{path}:{number}: expected id, sentence, verb, mood[, note]")
            if parts[3] not in MOOD_LABELS:
                raise ValueError(f"{path}:{number}: mood must be one of {', '.join(MOOD_LABELS)}, not {parts[3]!r}")
            rows.append({"id": parts[0], "sentence": parts[1], "verb": parts[2], "mood": parts[3],
                         "note": parts[4] if len(parts) > 4 else ""})
    return rows


def _find_verb(doc, verb: str):
    form, _, nth = verb.partition("@")
    wanted = int(nth) if nth else 1
    seen = 0
    for token in doc:
        if token.text == form:
            seen += 1
            if seen == wanted:
                return token
    return None


def evaluate_mood(path: Path | str, nlp_or_stage=None) -> dict[str, Any]:
    """Accuracy of the Ind/KI/KII/Imp label of the marked finite verb in each sentence of ``path``.

    Args:
        path: A mood test set (see :func:`read_mood_gold`).
        nlp_or_stage: As for :func:`evaluate_ud`; default: the morphology stage with the shipped weights.

    Returns:
        ``sentences``, ``accuracy``, per-label ``precision``/``recall``, the ``confusion`` counts
        (``"gold>predicted"``) and the ``errors`` (id, verb, gold, predicted).
    """
    if nlp_or_stage is None:
        from lagebild.pipeline.morphology import make_stage

        nlp_or_stage = make_stage()
    run = _runner(nlp_or_stage)
    rows = read_mood_gold(path)
    confusion: Counter = Counter()
    errors = []
    for row in rows:
        doc = run(row["sentence"])
        token = _find_verb(doc, row["verb"])
        predicted = mood_label(token) if token is not None else None
        predicted = predicted or "-"
        confusion[(row["mood"], predicted)] += 1
        if predicted != row["mood"]:
            errors.append({"id": row["id"], "verb": row["verb"], "gold": row["mood"], "predicted": predicted,
                           "sentence": row["sentence"]})
    right = sum(n for (gold, pred), n in confusion.items() if gold == pred)
    per_label = {}
    for label in MOOD_LABELS:
        gold_n = sum(n for (g, _p), n in confusion.items() if g == label)
        pred_n = sum(n for (_g, p), n in confusion.items() if p == label)
        both = confusion[(label, label)]
        if gold_n or pred_n:
            per_label[label] = {"gold": gold_n, "precision": _ratio(both, pred_n), "recall": _ratio(both, gold_n)}
    return {
        "sentences": len(rows),
        "accuracy": _ratio(right, len(rows)),
        "labels": per_label,
        "confusion": {f"{g}>{p}": n for (g, p), n in sorted(confusion.items())},
        "errors": errors,
    }


# --------------------------------------------------------------------------- throughput


def throughput(texts: Iterable[str], *, seconds: float = 10.0, nlp_or_stage=None) -> dict[str, Any]:
    """Tokens per second of the ``tokens`` stage and of the morphology stage on ``texts``.

    Each text is one article (its paragraphs separated by blank lines). The texts are analysed
    in a loop for at least ``seconds`` after one warm-up pass; run with ``OMP_NUM_THREADS=1``
    for a one-core figure. Each stage is timed in CPU time of the process (``time.process_time``),
    as the benchmarks in ``benchmarks/`` do: wall-clock time moves with other jobs on the machine.

    Returns:
        ``articles``, ``tokens``, ``tokens_per_second`` of the morphology stage alone and
        ``layer_tokens_per_second`` of tokenisation + sentence split + morphology together.
    """
    from lagebild.pipeline.tokens import make_tokens
    from lagebild.settings import Settings

    if nlp_or_stage is None:
        from lagebild.pipeline.morphology import make_stage

        nlp_or_stage = make_stage()
    tokens_stage = make_tokens(Settings())
    articles = []
    for number, text in enumerate(texts):
        paragraphs, offset = [], 0
        for block in text.split("\n\n"):
            if block.strip():
                paragraphs.append(Paragraph(offset, offset + len(block), "body"))
            offset += len(block) + 2
        articles.append((f"a{number}", text, paragraphs))
    if not articles:
        raise ValueError("throughput needs at least one text")

    def one(article_id, text, paragraphs):
        article = Article(id=article_id, source=None, raw=text, text=text, paragraphs=list(paragraphs))
        t0 = time.process_time()
        article = tokens_stage(article)
        t1 = time.process_time()
        nlp_or_stage(article)
        t2 = time.process_time()
        return len(article.doc), t1 - t0, t2 - t1

    for item in articles:
        one(*item)
    n_tokens = n_articles = 0
    tokenising = tagging = 0.0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for item in articles:
            count, t_tok, t_morph = one(*item)
            n_tokens += count
            n_articles += 1
            tokenising += t_tok
            tagging += t_morph
    return {
        "articles": n_articles,
        "tokens": n_tokens,
        "tokens_per_second": round(n_tokens / tagging) if tagging else 0,
        "layer_tokens_per_second": round(n_tokens / (tagging + tokenising)) if tagging + tokenising else 0,
    }
