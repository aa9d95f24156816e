"""Train the quote tagger (``models/quotes_de``) on SpkAtt-2023 task 2 with spaCy's training loop.

:func:`train_quotes` reads the *dev* split of SpkAtt task 2 (the first 80 % of the files by name;
the last 20 % stay held apart for ``lagebild eval quotes``), rebuilds each article, runs the
``tokens`` and ``morphology`` stages on it so the model learns on the tokens and features it
later sees, labels the tokens (:func:`lagebild.quotes.labels.gold_labels`), keeps the last tenth
of those files for choosing the checkpoint, and trains ``training/quotes/config.cfg`` with
:func:`lagebild.training.train_loop` on one thread.

SpkAtt-2023 is CC BY-NC-SA 4.0: the weights are for non-commercial use (docs/model-card-quotes.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lagebild.training import train_loop

DEFAULT_CONFIG = Path(__file__).resolve().parents[3] / "training" / "quotes" / "config.cfg"
SPKATT = "spkatt2023_task2_news/train"
#: Share of the training files kept for choosing the checkpoint.
TUNE_SHARE = 0.1


def _register_reader() -> None:
    """Register ``lagebild.quote_corpus.v1``: DocBin docs as examples whose predicted side keeps the features."""
    from spacy.util import registry

    if "lagebild.quote_corpus.v1" in registry.readers:
        return

    @registry.readers("lagebild.quote_corpus.v1")
    def quote_corpus(path: str):
        from spacy.tokens import Doc, DocBin
        from spacy.training import Example

        def read(nlp):
            for reference in DocBin().from_disk(path).get_docs(nlp.vocab):
                predicted = Doc(nlp.vocab, words=[t.text for t in reference],
                                spaces=[bool(t.whitespace_) for t in reference],
                                pos=[t.pos_ for t in reference], lemmas=[t.lemma_ for t in reference],
                                morphs=[str(t.morph) for t in reference], deps=[t.dep_ for t in reference])
                yield Example(predicted, reference)

        return read


def labelled_docs(files: list[Path] | list[dict[str, Any]], vocab) -> list:
    """Feature docs with gold labels (in ``tag_``) for SpkAtt task-2 files (or documents already read)."""
    from lagebild.evaluation.quotes import rebuild
    from lagebild.pipeline.morphology import make_stage
    from lagebild.pipeline.quotes import quotation_pairs
    from lagebild.pipeline.tokens import make_tokens
    from lagebild.quotes.labels import gold_labels
    from lagebild.quotes.tagger import feature_doc, token_flags
    from lagebild.settings import Settings

    tokens, morphology = make_tokens(Settings()), make_stage()
    docs = []
    for path in files:
        document = path if isinstance(path, dict) else json.loads(path.read_text(encoding="utf-8"))
        article, offsets = rebuild(document)
        article = morphology(tokens(article))
        doc = article.doc
        labels = gold_labels(document, doc, offsets)
        docs.append(feature_doc(vocab, doc, token_flags(doc, quotation_pairs(article)), tags=labels))
    return docs


#: Extra training sources for ``--extra NAME[:WEIGHT[:FORMS]]``: name -> folder under the shared data.
EXTRA_SOURCES = {"redewiedergabe": "redewiedergabe"}
#: SpkAtt form letters for the FORMS part of an extra source.
FORM_LETTERS = {"D": "Direct", "I": "Indirect", "M": "IndirectFreeIndirect", "F": "FreeIndirect", "R": "Reported"}


def parse_extra(spec: str) -> dict[str, Any]:
    """``redewiedergabe[:WEIGHT[:FORMS]]`` -> {"name", "weight", "forms"}.

    WEIGHT below 1 keeps that share of the source's documents (a seeded sample), above 1 repeats them
    (rounded); FORMS is a string of form letters (D direct, I indirect, M indirect-or-free-indirect,
    F free indirect, R reported) and keeps only the sentences whose messages all have those forms.
    """
    parts = spec.split(":")
    name = parts[0].strip().lower()
    if name not in EXTRA_SOURCES or len(parts) > 3:
        raise ValueError(f"unknown extra source {spec!r}: use {', '.join(EXTRA_SOURCES)}[:WEIGHT[:FORMS]]")
    weight = float(parts[1]) if len(parts) > 1 and parts[1] else 1.0
    letters = parts[2].upper() if len(parts) > 2 else ""
    if weight <= 0 or any(c not in FORM_LETTERS for c in letters):
        raise ValueError(f"bad extra source {spec!r}: WEIGHT > 0, FORMS of {''.join(FORM_LETTERS)}")
    return {"name": name, "weight": weight, "forms": [FORM_LETTERS[c] for c in letters] or None}


def extra_documents(data_root: Path, spec: str, seed: int = 0) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The training documents of one extra source (weighted) and their counts."""
    import random

    from lagebild.quotes import redewiedergabe

    parsed = parse_extra(spec)
    documents = redewiedergabe.documents(Path(data_root) / EXTRA_SOURCES[parsed["name"]], forms=parsed["forms"])
    weight = parsed["weight"]
    if weight < 1:
        chosen = sorted(random.Random(seed).sample(range(len(documents)), round(len(documents) * weight)))
        documents = [documents[i] for i in chosen]
    else:
        documents = documents * max(1, round(weight))
    return documents, {"spec": spec, "documents": len(documents)}


def train_quotes(output_dir: Path | str, data_root: Path | str, max_minutes: float | None = 20, *,
                 seed: int = 0, config_path: Path | str | None = None, overrides: dict[str, Any] | None = None,
                 rare_repeat: int = 1, extra: list[str] | None = None,
                 work_dir: Path | str | None = None, stdout=sys.stdout) -> dict[str, Any]:
    """Train the quote tagger on ``data_root`` (the shared data folder) and write it to ``output_dir``.

    Args:
        output_dir: Folder the spaCy pipeline is written to (replaced if it exists).
        data_root: The shared data folder with ``spkatt2023_task2_news/train``.
        max_minutes: Wall-clock limit of the training loop (None: ``training.max_steps`` decides).
        seed: Random seed for initialisation and batching.
        config_path: spaCy config (default ``training/quotes/config.cfg``).
        overrides: Extra spaCy config overrides (dotted keys).
        rare_repeat: How often a training article with reported or free indirect speech (the rare
            forms) is used per epoch.
        extra: Extra training sources (:func:`parse_extra`, e.g. ``["redewiedergabe:0.5"]``), added
            to the training part only; the checkpoint is still chosen on SpkAtt alone.
        work_dir: Where DocBins and checkpoints go (default: a temporary folder, removed after).
        stdout: Where progress lines are written.

    Returns:
        Training-data counts, timings and the tune-part token accuracy; also written to
        ``output_dir/training_scores.json``.
    """
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import load_config

    from lagebild.evaluation.quotes import split_files
    from lagebild.linguistic.train import init_pipeline

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _register_reader()
    t0 = time.monotonic()
    output_dir, data_root = Path(output_dir), Path(data_root)
    files = split_files(data_root / SPKATT, "dev")
    cut = len(files) - round(len(files) * TUNE_SHARE)
    vocab = spacy.blank("de").vocab
    train_docs, tune_docs = labelled_docs(files[:cut], vocab), labelled_docs(files[cut:], vocab)
    rare = [d for d in train_docs if any(t.tag_[-2:] in ("-R", "-F") for t in d)]
    train_docs = train_docs + rare * (rare_repeat - 1)
    extra_counts = []
    for spec in extra or []:
        documents, info = extra_documents(data_root, spec, seed)
        docs = labelled_docs(documents, vocab)
        info["tokens"] = sum(len(d) for d in docs)
        extra_counts.append(info)
        train_docs = train_docs + docs
    counts = {"train_files": cut, "rare_repeat": rare_repeat, "rare_files": len(rare), "tune_files": len(files) - cut,
              "train_tokens": sum(len(d) for d in train_docs), "tune_tokens": sum(len(d) for d in tune_docs)}
    if extra_counts:
        counts["extra"] = extra_counts
    stdout.write(f"training data: {counts} ({time.monotonic() - t0:.0f} s)\n")
    cleanup = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="lagebild-quotes-")) if work_dir is None else Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        paths = {}
        for name, docs in (("train", train_docs), ("tune", tune_docs)):
            bin_ = DocBin(attrs=["ORTH", "SPACY", "TAG", "POS", "LEMMA", "MORPH", "DEP", "HEAD"], store_user_data=False)
            for doc in docs:
                bin_.add(doc)
            paths[name] = work / f"{name}.spacy"
            bin_.to_disk(paths[name])
        config = load_config(config_path or DEFAULT_CONFIG, interpolate=False, overrides={
            "paths.train": str(paths["train"]), "paths.dev": str(paths["tune"]), "system.seed": seed,
            **dict(overrides or {})})
        nlp = init_pipeline(config)
        t1 = time.monotonic()
        best = train_loop(nlp, work / "checkpoints", None if max_minutes is None else max_minutes * 60, stdout,
                          progress=lambda info: (f"epoch {info['epoch']:>3} step {info['step']:>6} "
                                                 f"loss {info['losses'].get('tagger', 0):.1f} "
                                                 f"acc {info['other_scores'].get('tag_acc', 0):.4f}"))
        t_train = time.monotonic() - t1
        model = spacy.load(best)
        model.meta.update({
            "name": "lagebild_quotes_de",
            "version": "1.0.0",
            "description": "Token labels for lagebild's quotes stage: message (with form), cue, source",
            "license": "CC BY-NC-SA 4.0 (trained on SpkAtt-2023 task 2); non-commercial use only; "
                       "see docs/model-card-quotes.md",
            "sources": ["SpkAtt-2023 task 2 (German Wikinews), first 80 % of train by file name (CC BY-NC-SA 4.0)"]
            + (["Redewiedergabe main corpus, non-fiction news/magazine samples of its training portion "
                "(CC BY-NC-SA 4.0)"] if extra else []),
        })
        tagger = model.get_pipe("tagger")
        model.vocab.strings._reset_and_load(sorted(set(tagger.labels)))
        if output_dir.exists():
            shutil.rmtree(output_dir)
        model.to_disk(output_dir)
        meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)
    result = {
        "train_data": counts,
        "tune_tag_acc": meta.get("performance", {}).get("tag_acc"),
        "seconds_train": round(t_train, 1),
        "seconds_total": round(time.monotonic() - t0, 1),
        "seed": seed,
        "rare_repeat": rare_repeat,
        **({"extra": list(extra)} if extra else {}),
        "overrides": dict(overrides or {}),
    }
    with open(output_dir / "training_scores.json", "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    return result
