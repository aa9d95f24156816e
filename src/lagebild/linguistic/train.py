"""Train lagebild's German tagger (STTS tags + UPOS) with spaCy's training loop.

:func:`train_tagger` reads EmpiriST train and the *train* part of UD German GSD dev
(:func:`lagebild.linguistic.corpora.gsd_dev_parts`), writes DocBins, trains the pipeline of
``training/tagger/config.cfg`` (a small CNN tok2vec shared by a ``tagger`` and a UPOS-only
``morphologizer``) on one thread, picks the checkpoint with the best tune-part score, and writes
the pipeline to ``output_dir`` together with ``training_scores.json``.

The training pipeline tokenises with lagebild's own tokenizer rules
(:func:`lagebild.pipeline.tokens.german_nlp`), so the model learns on the tokens it later sees.
The heldout part of GSD dev is only scored at the end, never used for a choice.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lagebild.training import train_loop
from lagebild.linguistic import corpora

#: Repository location of the training config.
DEFAULT_CONFIG = Path(__file__).resolve().parents[3] / "training" / "tagger" / "config.cfg"

#: Where the shipped weights live inside the package.
SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "tagger_de"

#: How often each corpus is repeated in the training data (GSD is the target annotation scheme).
DEFAULT_MIX: dict[str, int] = {"empirist": 1, "gsd_train": 2}


def training_sentences(data_root: Path, mix: Mapping[str, int] | None = None) -> dict[str, list]:
    """The gold training sentences per corpus and the GSD tune part, read from ``data_root``."""
    data_root = Path(data_root)
    gsd = corpora.gsd_dev_parts(corpora.read_conllu(data_root / corpora.GSD_DEV))
    empirist = corpora.read_empirist(data_root / corpora.EMPIRIST_TRAIN)
    mix = dict(DEFAULT_MIX if mix is None else mix)
    return {
        "empirist": empirist * mix.get("empirist", 1),
        "gsd_train": gsd["train"] * mix.get("gsd_train", 1),
        "tune": gsd["tune"],
    }


#: Unlabelled German text tagged for self-training: source -> licence.
SILVER_SOURCES = {
    "smartdata": "CC BY 4.0 (DFKI SmartData news and RSS, train file)",
    "parliament": "CC BY-SA 4.0 (SpkAtt-2023 task 1 Bundestag speeches, train)",
}


def silver_texts(data_root: Path, sources: Iterable[str] = ("smartdata",)) -> list[tuple[str, list]]:
    """Running texts (with person/location spans where the corpus has them) for self-training."""
    from lagebild.ner.corpora import join_tokens, read_smartdata

    texts: list[tuple[str, list]] = []
    for source in sources:
        if source == "smartdata":
            for text, spans in read_smartdata(Path(data_root) / "smartdata_corpus", splits=("train",)):
                if len(text.split()) >= 4:
                    texts.append((text, spans))
        elif source == "parliament":
            for path in sorted((Path(data_root) / "spkatt2023_task1_parliament" / "train").glob("*.json")):
                with open(path, encoding="utf-8") as handle:
                    speech = json.load(handle)
                for sentence in speech.get("Sentences", []):
                    tokens = sentence.get("Tokens") or []
                    if len(tokens) >= 4:
                        texts.append((join_tokens(tokens)[0], []))
        else:
            raise ValueError(f"unknown silver source {source!r}; known: {', '.join(SILVER_SOURCES)}")
    return texts


def silver_docs(nlp, texts: list[tuple[str, list]], *, threshold: float = 0.9) -> list:
    """Texts tagged by ``nlp`` for one round of self-training.

    Tokens keep the model's STTS tag and UPOS only where its probability is at least
    ``threshold``; the rest are left unannotated (missing). The corpus's person annotations
    correct the commonest error of a model trained on little data, names tagged as nouns:
    capitalised tokens inside a person span, and single-token capitalised location spans that
    are not derived adjectives ("Berliner", "dänischen"), are set to ``NE``/``PROPN``.
    """
    tok2vec, tagger, morphologizer = (nlp.get_pipe(n) for n in ("tok2vec", "tagger", "morphologizer"))
    docs = []
    for start in range(0, len(texts), 256):
        batch = texts[start : start + 256]
        batch_docs = [tok2vec(nlp.make_doc(text)) for text, _ in batch]
        tag_probs = [_softmax(x) for x in tagger.model.predict(batch_docs)]
        pos_probs = [_softmax(x) for x in morphologizer.model.predict(batch_docs)]
        for (text, spans), doc, tp, pp in zip(batch, batch_docs, tag_probs, pos_probs):
            silver = nlp.make_doc(text)
            names = _name_tokens(doc, spans)
            for i, token in enumerate(silver):
                if i in names:
                    token.tag_, token.pos_ = "NE", "PROPN"
                    continue
                if float(tp[i].max()) >= threshold:
                    token.tag_ = tagger.labels[int(tp[i].argmax())]
                if float(pp[i].max()) >= threshold:
                    label = morphologizer.labels[int(pp[i].argmax())]
                    token.pos_ = label.split("POS=", 1)[1].split("|", 1)[0] if "POS=" in label else ""
            docs.append(silver)
    return docs


def _softmax(scores):
    """Row-wise softmax (spaCy's ``Tagger.v2`` returns unnormalised scores at inference)."""
    import numpy

    scores = numpy.asarray(scores, dtype="float32")
    exp = numpy.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _name_tokens(doc, spans) -> set[int]:
    """Indices of tokens that the corpus's PER/LOC spans say are proper names (see silver_docs)."""
    names: set[int] = set()
    for start, end, label in spans:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or label not in ("PER", "LOC"):
            continue
        if label == "LOC" and (len(span) != 1 or span.text.endswith(("er", "sche", "schen", "schem", "scher", "sches"))):
            continue
        names.update(t.i for t in span if t.text[:1].isupper() and t.is_alpha)
    return names


def mood_augmented(sentences: Iterable[corpora.TaggedSentence]) -> list[corpora.TaggedSentence]:
    """Copies of gold sentences with their 3rd person finite verbs put into the subjunctive.

    The gold data has few Konjunktiv forms (EmpiriST is chat and web text), so a tagger trained
    on it tags "fordere", "erhöhe" as adjectives or adverbs. Each 3rd person indicative verb is
    replaced by its Konjunktiv I form ("gibt" -> "gebe", "ist" -> "sei"), or by Konjunktiv II
    where Konjunktiv I would look indicative (plural "haben" -> "hätten", past "kam" -> "käme");
    tags, UPOS and lemmas stay. Sentences without such a verb are left out.
    """
    from lagebild.linguistic import verbs

    out = []
    for sentence in sentences:
        tokens, changed = [], False
        for token in sentence.tokens:
            new = None
            if token.tag in ("VVFIN", "VAFIN", "VMFIN") and token.lemma:
                reading = verbs.choose(verbs.analyse(token.form, token.lemma), "3")
                if reading and reading.mood == "Ind" and reading.person == "3":
                    if reading.tense == "Pres" and reading.number == "Sing":
                        new = verbs.form_for(reading.lemma, "Sub", "Pres", "3", "Sing")
                    else:
                        new = verbs.form_for(reading.lemma, "Sub", "Past", "3", reading.number)
                    if new and token.form[:1].isupper():
                        new = new[:1].upper() + new[1:]
                    if new == token.form:
                        new = None
            if new:
                changed = True
                tokens.append(corpora.TaggedToken(new, token.lemma, token.upos, token.tag, "", token.space_after))
            else:
                tokens.append(token)
        if changed:
            out.append(corpora.TaggedSentence(sentence.id + "#sub", tokens))
    return out


def write_docbin(docs: Iterable, path: Path) -> Path:
    """Serialise docs with their tags, UPOS and lemmas to a ``.spacy`` DocBin file."""
    from spacy.tokens import DocBin

    db = DocBin(attrs=["ORTH", "SPACY", "TAG", "POS", "LEMMA", "MORPH"], store_user_data=False)
    for doc in docs:
        db.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return path


def init_pipeline(config):
    """Initialise the pipeline from a config and give its tokenizer lagebild's special cases."""
    from spacy.training.initialize import init_nlp

    from lagebild.pipeline.tokens import german_nlp

    nlp = init_nlp(config)
    nlp.tokenizer.rules = german_nlp().tokenizer.rules
    return nlp


def _round(config_path: Path, docs: list, tune_docs: list, work: Path, name: str, *, seed: int,
           overrides: Mapping[str, Any], max_seconds: float | None, stdout):
    """One training run of the config on ``docs``; returns the best pipeline (by the tune part)."""
    import spacy
    from spacy.util import load_config

    train_path = write_docbin(docs, work / name / "train.spacy")
    dev_path = write_docbin(tune_docs, work / name / "tune.spacy")
    config = load_config(
        config_path,
        overrides={"paths.train": str(train_path), "paths.dev": str(dev_path), "system.seed": seed, **dict(overrides)},
        interpolate=False,
    )
    nlp = init_pipeline(config)
    stdout.write(f"{name}: {len(docs)} docs, {sum(len(d) for d in docs)} tokens\n")
    best = train_loop(nlp, work / name / "checkpoints", max_seconds, stdout,
                      progress=lambda info: (f"epoch {info['epoch']:>3} step {info['step']:>6} "
                      f"tag {info['other_scores'].get('tag_acc', 0):.4f} pos {info['other_scores'].get('pos_acc', 0):.4f}"))
    final = spacy.load(best)
    final.tokenizer.rules = nlp.tokenizer.rules
    return final


def train_tagger(
    output_dir: Path | str,
    data_root: Path | str,
    max_minutes: float | None = None,
    *,
    seed: int = 0,
    config_path: Path | str | None = None,
    mix: Mapping[str, int] | None = None,
    augment: bool = True,
    silver: Iterable[str] = ("smartdata",),
    silver_threshold: float = 0.9,
    steps: tuple[int, int] = (2000, 3000),
    overrides: Mapping[str, Any] | None = None,
    work_dir: Path | str | None = None,
    stdout=sys.stdout,
) -> dict[str, Any]:
    """Train the tagger on ``data_root`` (the shared data folder) and write it to ``output_dir``.

    Two rounds (one if ``silver`` is empty):

    1. train on the gold sentences (EmpiriST train, GSD dev train part, :data:`DEFAULT_MIX`)
       plus, with ``augment``, their subjunctive copies (:func:`mood_augmented`);
    2. tag the ``silver`` texts with that model (:func:`silver_docs`) and train a fresh model
       on gold + augmented + silver.

    Args:
        output_dir: Folder the spaCy pipeline is written to (replaced if it exists).
        data_root: The shared data folder with ``empirist_pos/``, ``ud_german_gsd/`` and the
            silver sources (:data:`SILVER_SOURCES`).
        max_minutes: Wall-clock limit for the whole run; each round gets its share
            (None: the step counts alone decide).
        seed: Random seed for initialisation and batching.
        config_path: spaCy config (default ``training/tagger/config.cfg``).
        mix: Corpus repetitions (default :data:`DEFAULT_MIX`).
        augment: Add the subjunctive copies of the gold sentences.
        silver: Sources of unlabelled text for the self-training round.
        silver_threshold: Minimum probability of a silver tag.
        steps: ``training.max_steps`` of round 1 and round 2.
        overrides: Extra spaCy config overrides (dotted keys) for both rounds.
        work_dir: Where DocBins and checkpoints go (default: a temporary folder, removed after).
        stdout: Where progress lines are written.

    Returns:
        The training-data counts, timings and the heldout scores of the written pipeline
        (:func:`lagebild.linguistic.evaluate.evaluate_ud` on the heldout half of GSD dev with the
        full morphology stage); the same dict is written to ``output_dir/training_scores.json``.
    """
    import spacy

    from lagebild.linguistic.evaluate import evaluate_ud
    from lagebild.pipeline.morphology import make_stage

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    t0 = time.monotonic()
    data_root, output_dir = Path(data_root), Path(output_dir)
    config_path = Path(config_path) if config_path else DEFAULT_CONFIG
    silver = tuple(silver)
    random.seed(seed)
    parts = training_sentences(data_root, mix)
    gold = parts["empirist"] + parts["gsd_train"]
    augmented = mood_augmented(gold) if augment else []
    counts = {name: {"sentences": len(v), "tokens": sum(len(x.tokens) for x in v)} for name, v in parts.items()}
    counts["augmented"] = {"sentences": len(augmented), "tokens": sum(len(x.tokens) for x in augmented)}
    stdout.write(f"training data: {counts}\n")
    share = None if max_minutes is None else max_minutes * 60 / (2 if silver else 1)
    cleanup = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="lagebild-tagger-")) if work_dir is None else Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        vocab = spacy.blank("de").vocab
        gold_docs = list(corpora.iter_docs(vocab, gold + augmented))
        tune_docs = list(corpora.iter_docs(vocab, parts["tune"]))
        base = dict(overrides or {})
        t1 = time.monotonic()
        model = _round(config_path, gold_docs, tune_docs, work, "round1", seed=seed,
                       overrides={**base, "training.max_steps": steps[0]}, max_seconds=share, stdout=stdout)
        if silver:
            texts = silver_texts(data_root, silver)
            silver_set = silver_docs(model, texts, threshold=silver_threshold)
            counts["silver"] = {"texts": len(silver_set), "tokens": sum(len(d) for d in silver_set),
                                "tagged": sum(1 for d in silver_set for t in d if t.tag_)}
            stdout.write(f"silver: {counts['silver']}\n")
            docs = list(corpora.iter_docs(vocab, gold + augmented)) + [_rebind(d, vocab) for d in silver_set]
            model = _round(config_path, docs, tune_docs, work, "round2", seed=seed,
                           overrides={**base, "training.max_steps": steps[1]}, max_seconds=share, stdout=stdout)
        t_train = time.monotonic() - t1
        model.meta.update(
            {
                "name": "lagebild_tagger_de",
                "version": "1.0.0",
                "description": "German STTS tagger and UPOS morphologizer for lagebild's morphology stage",
                "license": "CC BY-SA 4.0 (trained on EmpiriST 2.0 and UD German GSD); see docs/model-card-tagger.md",
                "sources": ["EmpiriST 2.0 train (CC BY-SA 4.0)", "UD German GSD dev, train part (CC BY-SA 4.0)"]
                + [f"self-training text: {SILVER_SOURCES[name]}" for name in silver],
            }
        )
        _prune_strings(model)
        if output_dir.exists():
            shutil.rmtree(output_dir)
        model.to_disk(output_dir)
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)

    gsd_path = data_root / corpora.GSD_DEV
    heldout = evaluate_ud(make_stage(output_dir, fresh=True), gsd_path, sentence_ids=corpora.gsd_dev_ids(gsd_path, "heldout"))
    result = {
        "heldout": heldout,
        "train_data": counts,
        "seconds_train": round(t_train, 1),
        "seconds_total": round(time.monotonic() - t0, 1),
        "seed": seed,
        "augment": augment,
        "silver": list(silver),
        "steps": list(steps),
        "overrides": dict(overrides or {}),
    }
    with open(output_dir / "training_scores.json", "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    return result


def _prune_strings(nlp) -> None:
    """Keep only the label strings in the vocabulary that is written with the weights.

    The training vocabulary holds every word of the training texts; the shipped pipeline runs
    with lagebild's own vocabulary and needs only its labels, so the word list is not shipped.
    """
    tagger, morphologizer = nlp.get_pipe("tagger"), nlp.get_pipe("morphologizer")
    keep = set(tagger.labels) | set(morphologizer.labels)
    for label in morphologizer.labels:
        keep.update(label.split("|"))
    nlp.vocab.strings._reset_and_load(sorted(keep))


def _rebind(doc, vocab):
    """A copy of ``doc`` in ``vocab`` (silver docs are made in the round-1 model's vocab)."""
    from spacy.tokens import Doc

    copy = Doc(vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    for source, target in zip(doc, copy):
        if source.tag_:
            target.tag_ = source.tag_
        if source.pos_:
            target.pos_ = source.pos_
    return copy
