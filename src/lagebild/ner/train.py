"""Train the lagebild German NER pipeline (``spacy.blank("de")`` + ``ner``).

:func:`train_ner` reads the shared corpora (:mod:`lagebild.ner.corpora`),
aligns their character spans to spaCy's blank German tokenizer, writes
training DocBins, trains with spaCy's own training loop and the config in
``training/ner/config.cfg``, optionally adds the gazetteer entity ruler, and
writes a loadable pipeline.

GermEval 2014 dev is split by sentence position (:func:`lagebild.ner.germeval.select_part`):
sentences 1-900 ("tune-train") are in-domain training data, sentences 901-1,100 ("tune-dev")
are spaCy's dev corpus for checkpoint selection, and the *test* half (1,101-2,200) is only
scored at the end.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from lagebild.training import train_loop
from lagebild.ner import corpora
from lagebild.ner.gazetteers import entity_ruler_patterns, load_derived_forms, token_feature_patterns
from lagebild.ner.germeval import evaluate_germeval, read_germeval, reference_docs, select_part

#: Label used inside training for "do not learn this region" spans.
UNKNOWN = "UNK"

#: Default repository location of the training config.
DEFAULT_CONFIG = Path(__file__).resolve().parents[3] / "training" / "ner" / "config.cfg"

#: Default data mix: corpus -> sampling weight (1.0 = every example once,
#: 2.0 = twice, 0.5 = a random half).  Only sources licensed for commercial
#: use (GermEval 2014, SmartData and MobIE: CC BY 4.0; Europeana Newspapers:
#: CC0).  ``germeval2014_ner`` is the tune-train part of GermEval 2014 dev
#: (900 sentences, in-domain), ten times: the weight measured best in
#: docs/eval-ner.md.
DEFAULT_MIX: dict[str, float] = {
    "germeval2014_ner": 10.0,
    "smartdata_corpus": 2.0,
    "mobie_ner": 0.5,
    "europeana_newspapers_ner_de": 1.0,
}

#: Non-commercial sources, added only with ``train_ner(..., noncommercial=True)``.
#: On the GermEval tune half they did not improve the model (see docs/eval-ner.md).
NONCOMMERCIAL_MIX: dict[str, float] = {
    "hipe2022_de_historical_news": 1.0,
    "german_ler": 1.0,
}

GERMEVAL_DEV = Path("germeval2014_ner") / "NER-de-dev.tsv"


def load_corpus(name: str, data_root: Path, *, seed: int = 0, ler_sentences: int = 8000) -> list[corpora.Example]:
    """All examples of one shared corpus, labels mapped (unknown types as ``UNK``)."""
    root = Path(data_root) / name
    if name == "germeval2014_ner":  # the tune-train part only: never the test half
        return list(corpora.read_germeval(root, "tune-train", unknown_label=UNKNOWN))
    if name == "smartdata_corpus":
        return list(corpora.read_smartdata(root, unknown_label=UNKNOWN))
    if name == "mobie_ner":
        return list(corpora.read_mobie(root, unknown_label=UNKNOWN))
    if name == "europeana_newspapers_ner_de":
        return list(corpora.read_europeana(root))
    if name == "hipe2022_de_historical_news":
        return list(corpora.read_hipe(root, empty_keep=0.3, seed=seed))
    if name == "german_ler":
        return list(
            corpora.read_german_ler(root, max_sentences=ler_sentences, seed=seed, unknown_label=UNKNOWN)
        )
    raise ValueError(f"unknown corpus {name!r}")


def sample(examples: Sequence[corpora.Example], weight: float, rng: random.Random) -> list[corpora.Example]:
    """Repeat ``examples`` ``int(weight)`` times plus a random fraction for the rest."""
    whole, frac = int(weight), weight - int(weight)
    out = list(examples) * whole
    if frac > 0:
        out += rng.sample(list(examples), round(len(examples) * frac))
    return out


class EntityReplacer:
    """Entity-replacement augmentation with gazetteer names.

    Returns a copy of an example in which PER spans are replaced by random
    names of the same length in words (given names + surname from
    ``first_names.tsv`` / ``surnames.tsv``) and one-word LOC spans by random
    place names.  This gives the NER many more name surface forms than the
    small corpora contain, so it has to rely on context and word shape.
    """

    def __init__(self, rng: random.Random) -> None:
        from lagebild.ner.gazetteers import load_names

        self.rng = rng
        self.first = load_names("first_names.tsv")
        self.last = load_names("surnames.tsv")
        places = load_names("countries_de.tsv") + load_names("cities.tsv")[:5000]
        self.places = [p for p in places if " " not in p and p[:1].isupper()]

    def person(self, n_words: int) -> str:
        words = [self.rng.choice(self.first) for _ in range(max(0, n_words - 1))]
        return " ".join(words + [self.rng.choice(self.last)])

    def __call__(self, example: corpora.Example) -> corpora.Example | None:
        text, spans = example
        out: list[str] = []
        new_spans: list[corpora.Span] = []
        pos = 0
        changed = False
        for start, end, label in sorted(spans):
            surface = text[start:end]
            replacement = None
            if label == "PER" and 1 <= len(surface.split()) <= 3 and "." not in surface:
                replacement = self.person(len(surface.split()))
            elif label == "LOC" and " " not in surface and self.rng.random() < 0.5:
                replacement = self.rng.choice(self.places)
            out.append(text[pos:start])
            new_start = sum(len(x) for x in out)
            out.append(replacement if replacement is not None else surface)
            new_spans.append((new_start, new_start + len(out[-1]), label))
            pos = end
            changed = changed or replacement is not None
        out.append(text[pos:])
        return ("".join(out), new_spans) if changed else None


def example_to_doc(
    nlp: Language,
    example: corpora.Example,
    derived_forms: frozenset[str] = frozenset(),
) -> Doc:
    """Tokenise an example with the pipeline's tokenizer and attach its entities.

    Spans are aligned with ``char_span(..., alignment_mode="expand")``.  A span
    that covers only part of a word (``EU`` in ``EU-Staaten``) is a GermEval
    ``*part`` and is dropped (tokens stay ``O``).  ``UNK`` spans become
    *missing* annotation.  Derived forms are dropped via
    :func:`corpora.drop_derived_forms`.
    """
    text, spans = corpora.drop_derived_forms(example, derived_forms)
    doc = nlp.make_doc(text)
    ents: list[Span] = []
    unknown: list[Span] = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            continue
        left = text[span.start_char : start]
        right = text[end : span.end_char]
        if any(ch.isalnum() for ch in left + right):
            if label == UNKNOWN:
                unknown.append(span)
            continue  # part of a compound -> not an outer GermEval entity
        (unknown if label == UNKNOWN else ents).append(span)
    ents = filter_spans(ents)
    taken = {i for e in ents for i in range(e.start, e.end)}
    unknown = [u for u in filter_spans(unknown) if not any(i in taken for i in range(u.start, u.end))]
    doc.set_ents(ents, missing=unknown, default="outside")
    return doc


def build_training_docs(
    nlp: Language,
    data_root: Path,
    *,
    mix: Mapping[str, float] = DEFAULT_MIX,
    seed: int = 0,
    ler_sentences: int = 8000,
    derived_forms: frozenset[str] | None = None,
    augment: float = 0.0,
) -> tuple[list[Doc], dict[str, int]]:
    """Docs for training according to ``mix``; also returns example counts per corpus.

    With ``augment`` > 0, that fraction of the examples is added once more with
    entities replaced by :class:`EntityReplacer`.
    """
    rng = random.Random(seed)
    if derived_forms is None:
        derived_forms = load_derived_forms()
    replacer = EntityReplacer(rng) if augment > 0 else None
    docs: list[Doc] = []
    counts: dict[str, int] = {}
    for name, weight in mix.items():
        if weight <= 0:
            continue
        examples = sample(load_corpus(name, data_root, seed=seed, ler_sentences=ler_sentences), weight, rng)
        if replacer is not None:
            extra = [replacer(ex) for ex in examples if rng.random() < augment]
            examples += [ex for ex in extra if ex is not None]
        counts[name] = len(examples)
        docs.extend(example_to_doc(nlp, ex, derived_forms) for ex in examples)
    rng.shuffle(docs)
    return docs, counts


def write_docbin(docs: Iterable[Doc], path: Path) -> Path:
    """Serialise docs (entities only) to a ``.spacy`` DocBin file."""
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for doc in docs:
        db.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return path


def init_pipeline(config) -> Language:
    """Initialise the pipeline from a config (``spacy.training.initialize.init_nlp``).

    If the config has an ``attribute_ruler``, it is filled with the gazetteer
    token-feature patterns (:func:`token_feature_patterns`) after
    initialisation, so that the NER can read the gazetteer class from ``TAG``.
    """
    from spacy.training.initialize import init_nlp

    nlp = init_nlp(config)
    if "attribute_ruler" in nlp.pipe_names:
        nlp.get_pipe("attribute_ruler").add_patterns(token_feature_patterns())
    return nlp


#: Where pretrained weights go: the NER's ``tok2vec`` layer (``[pretraining]`` section of a spaCy config).
PRETRAINED_LAYER = {"component": "ner", "layer": "tok2vec"}


def load_pretrained_tok2vec(nlp: Language, path: Path) -> None:
    """Initialise the NER's tok2vec from a :mod:`lagebild.ner.pretrain` weights file."""
    from spacy.training.initialize import init_tok2vec

    if not Path(path).exists():
        raise FileNotFoundError(f"pretrained tok2vec weights not found: {path}")
    init_tok2vec(nlp, PRETRAINED_LAYER, {"init_tok2vec": str(path)})


def add_entity_ruler(nlp: Language, *, before_ner: bool = False, patterns: list[dict] | None = None) -> Language:
    """Add a gazetteer entity ruler (default: all gazetteer patterns).

    With ``before_ner`` the statistical NER respects the ruler's spans;
    otherwise the ruler runs after the NER and only fills gaps
    (``overwrite_ents=False``).
    """
    if patterns is None:
        patterns = entity_ruler_patterns()
    where = {"before": "ner"} if before_ner else {"after": "ner"}
    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False, "validate": False},
        **where,
    )
    ruler.add_patterns(patterns)
    return nlp


def train_ner(
    output_dir: Path,
    data_root: Path,
    *,
    max_minutes: float | None = None,
    seed: int = 0,
    config_path: Path | None = None,
    mix: Mapping[str, float] | None = None,
    noncommercial: bool = False,
    ler_sentences: int = 8000,
    augment: float = 0.5,
    ruler: str | None = "misc",
    work_dir: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    pretrained_tok2vec: Path | None = None,
    stdout=sys.stdout,
) -> dict[str, Any]:
    """Build training data from ``data_root``, train, and write the pipeline to ``output_dir``.

    ``data_root`` is the shared data folder (with ``germeval2014_ner/`` etc.).
    ``max_minutes`` caps the training loop's wall-clock time; ``seed`` fixes
    sampling and initialisation.  ``mix`` maps corpus names to sampling
    weights (default :data:`DEFAULT_MIX`, commercially usable sources only);
    ``noncommercial=True`` adds German LER and HIPE-2022
    (:data:`NONCOMMERCIAL_MIX`).  ``augment`` is the fraction of examples added
    again with replaced entity names (:class:`EntityReplacer`).  ``ruler``
    adds an entity ruler: ``"misc"`` (default) only the MISC gazetteer after
    the NER (the training data has no MISC annotation); ``"after"`` /
    ``"before"`` all gazetteer patterns after / before the NER (measured to
    hurt PER/LOC/ORG); ``None`` none.  The gazetteers always reach the NER as
    a token feature through the ``attribute_ruler`` of the config.
    ``overrides`` are extra spaCy config overrides (dotted keys).
    ``pretrained_tok2vec`` is a weights file written by
    :func:`lagebild.ner.pretrain.pretrain_tok2vec`: it initialises the NER's tok2vec
    (``spacy.training.initialize.init_tok2vec``) before training.

    Returns a dict with the GermEval scores of the saved pipeline on the
    tune-dev part (checkpoint selection) and the test half (reported), the
    training-data counts and timings.
    """
    from spacy.util import load_config

    t0 = time.monotonic()
    data_root = Path(data_root)
    output_dir = Path(output_dir)
    config_path = Path(config_path) if config_path else DEFAULT_CONFIG
    if not config_path.exists():
        raise FileNotFoundError(f"training config not found: {config_path}")
    mix = dict(DEFAULT_MIX if mix is None else mix)
    if noncommercial:
        mix.update({k: v for k, v in NONCOMMERCIAL_MIX.items() if k not in mix})
    else:
        for name in corpora.NONCOMMERCIAL_SOURCES:
            mix.pop(name, None)
    germeval_path = data_root / GERMEVAL_DEV

    cleanup = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="lagebild-ner-")) if work_dir is None else Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        blank = spacy.blank("de")
        docs, counts = build_training_docs(
            blank, data_root, mix=mix, seed=seed, ler_sentences=ler_sentences, augment=augment
        )
        train_path = write_docbin(docs, work / "train.spacy")
        tune_dev = select_part(read_germeval(germeval_path), "tune-dev")
        dev_path = write_docbin(reference_docs(blank, tune_dev), work / "germeval_tune_dev.spacy")
        n_tokens = sum(len(d) for d in docs)
        stdout.write(f"training docs: {len(docs)} ({n_tokens} tokens) {counts}\n")
        t_data = time.monotonic() - t0

        config = load_config(
            config_path,
            overrides={
                "paths.train": str(train_path),
                "paths.dev": str(dev_path),
                "system.seed": seed,
                **dict(overrides or {}),
            },
            interpolate=False,
        )
        nlp = init_pipeline(config)
        if pretrained_tok2vec is not None:
            load_pretrained_tok2vec(nlp, Path(pretrained_tok2vec))
            stdout.write(f"tok2vec initialised from {pretrained_tok2vec}\n")
        t1 = time.monotonic()
        best = train_loop(nlp, work / "checkpoints", None if max_minutes is None else max_minutes * 60, stdout,
                          progress=lambda info: (f"epoch {info['epoch']:>3} step {info['step']:>6} loss {info['losses'].get('ner', 0.0):10.1f} "
                      f"dev {info['score']:.4f}"))
        t_train = time.monotonic() - t1

        final = spacy.load(best)
        if ruler == "misc":
            add_entity_ruler(final, patterns=entity_ruler_patterns(loc_files=(), org_files=()))
        elif ruler in {"after", "before"}:
            add_entity_ruler(final, before_ner=(ruler == "before"))
        elif ruler is not None:
            raise ValueError(f"unknown ruler mode {ruler!r}")
        final.meta.update(
            {
                "name": "lagebild_ner_de",
                "version": "0.2.0",
                "spacy_version": ">=3.8.0,<3.9.0",
                "description": "German NER (PER/LOC/ORG/MISC) for lagebild, trained on shared corpora",
                "license": "Apache-2.0 (model); training data licences: see docs/model-card-ner.md",
                "sources": sorted(counts),
            }
        )
        # the DocBins were temporary: do not record their paths in the shipped config
        final.config["paths"]["train"] = None
        final.config["paths"]["dev"] = None
        if output_dir.exists():
            shutil.rmtree(output_dir)
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        final.to_disk(output_dir)
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)

    nlp_out = spacy.load(output_dir)
    scores = {part: evaluate_germeval(nlp_out, germeval_path, part=part) for part in ("tune-dev", "test")}
    result = {
        "germeval": scores,
        "train_examples": counts,
        "train_docs": len(docs),
        "train_tokens": n_tokens,
        "seconds_data": round(t_data, 1),
        "seconds_train": round(t_train, 1),
        "seconds_total": round(time.monotonic() - t0, 1),
        "ruler": ruler,
        "augment": augment,
        "noncommercial": noncommercial,
        "seed": seed,
        "pretrained_tok2vec": str(pretrained_tok2vec) if pretrained_tok2vec else None,
    }
    with open(output_dir / "training_scores.json", "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    return result
