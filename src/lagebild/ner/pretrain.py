"""Pretrain the NER's own tok2vec on raw text (spaCy's ``pretrain``, characters objective).

The shipped NER has a small CNN tok2vec (``training/ner/config.cfg``) that is otherwise
initialised at random. :func:`pretrain_tok2vec` trains exactly that tok2vec (same
architecture, same features, so no speed cost) on unlabelled text with spaCy's
characters objective (``spacy.PretrainCharacters.v1``): 15 % of the tokens are masked
(80 % ``[MASK]``, 10 % a random corpus word, 10 % unchanged) and the network predicts the
first and last characters of each masked word from its context. The weights it writes
are loaded into the NER before training with ``spacy.training.initialize.init_tok2vec``
(``train_ner(..., pretrained_tok2vec=PATH)``).

Two deliberate differences from ``spacy pretrain``:

* the raw text goes through the pipeline's ``attribute_ruler`` first and the masking
  keeps the gazetteer class (``TAG``) of the unmasked tokens, so the tok2vec is
  pretrained with the same five features the NER sees (spaCy's masking rebuilds the
  docs from words and would drop ``TAG``);
* a wall-clock limit instead of a number of epochs, and one thread.

Raw text comes only from commercially usable sources (:data:`RAW_SOURCES`); GermEval 2014
contributes only its training sentences 1-900, never the tune-dev part or the test half.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy

#: Raw-text sources for pretraining -> licence. All commercially usable; GermEval 2014
#: only with its training part (dev sentences 1-900).
RAW_SOURCES: dict[str, str] = {
    "germeval2014_ner": "CC BY 4.0 (dev sentences 1-900 only)",
    "smartdata_corpus": "CC BY 4.0",
    "mobie_ner": "CC BY 4.0",
    "europeana_newspapers_ner_de": "CC0 1.0",
}


def raw_texts(data_root: Path, sources: Iterable[str] = RAW_SOURCES) -> Iterator[tuple[str, str]]:
    """``(source, text)`` for every distinct text of the raw-text sources (labels ignored)."""
    from lagebild.ner.train import load_corpus

    seen: set[str] = set()
    for name in sources:
        if name not in RAW_SOURCES:
            raise ValueError(f"{name!r} is not a raw-text source for pretraining (see RAW_SOURCES)")
        for text, _spans in load_corpus(name, Path(data_root)):
            text = text.strip()
            if text and text not in seen:
                seen.add(text)
                yield name, text


class _CorpusWords:
    """Random replacement words for masking, drawn by corpus frequency."""

    def __init__(self, words: Sequence[str], rng: numpy.random.Generator) -> None:
        self.words = list(words)
        self.rng = rng

    def next(self) -> str:
        return self.words[int(self.rng.integers(len(self.words)))]


def _mask_docs(docs, words: _CorpusWords, rng: numpy.random.Generator, mask_prob: float = 0.15):
    """Masked copies of ``docs`` and the keep-mask (1 = unmasked) over all tokens.

    Like spaCy's ``_apply_mask``, but the unmasked tokens keep their ``TAG`` (gazetteer class).
    """
    from spacy.attrs import TAG
    from spacy.tokens import Doc

    n = sum(len(doc) for doc in docs)
    keep = rng.uniform(0.0, 1.0, (n,)) >= mask_prob
    masked = []
    i = 0
    for doc in docs:
        tokens = []
        for j, token in enumerate(doc):
            if keep[i + j]:
                tokens.append(token.text)
            else:
                roll = rng.random()
                tokens.append("[MASK]" if roll < 0.8 else words.next() if roll < 0.9 else token.text)
        new = Doc(doc.vocab, words=tokens, spaces=[bool(t.whitespace_) for t in doc])
        tags = doc.to_array([TAG]).reshape((-1, 1)).copy()
        tags[~keep[i : i + len(doc)]] = 0
        new.from_array([TAG], tags)
        masked.append(new)
        i += len(doc)
    return keep, masked


def build_characters_model(tok2vec, words: _CorpusWords, rng: numpy.random.Generator, *,
                           hidden_size: int = 300, maxout_pieces: int = 3, n_characters: int = 4,
                           mask_prob: float = 0.15):
    """spaCy's cloze characters model around ``tok2vec`` (``spacy.PretrainCharacters.v1``)."""
    from spacy.ml.models.multi_task import get_characters_loss
    from thinc.api import LayerNorm, Maxout, Model, MultiSoftmax, chain

    # the NER's "tok2vec" ref is chain(Tok2Vec, list2array, Linear): it already returns one array
    output_layer = chain(Maxout(nO=hidden_size, nP=maxout_pieces), LayerNorm(nI=hidden_size),
                         MultiSoftmax([256] * n_characters, nI=hidden_size))
    wrapped = chain(tok2vec, output_layer)

    def forward(model, docs, is_train):
        keep, masked = _mask_docs(docs, words, rng, mask_prob)
        keep = model.ops.asarray(keep, dtype="f").reshape((-1, 1))
        output, backprop = model.layers[0](masked, is_train)

        def backward(d_output):
            return backprop(d_output * (1 - keep))

        return output, backward

    def init(model, X=None, Y=None):
        model.layers[0].initialize(X=X, Y=Y)

    model = Model("masked-characters", forward, layers=[wrapped], init=init)
    model.set_ref("tok2vec", tok2vec)
    model.attrs["loss"] = partial(get_characters_loss, nr_char=n_characters)
    return model


def pretrain_tok2vec(
    output: Path,
    data_root: Path,
    *,
    max_minutes: float = 45.0,
    seed: int = 0,
    sources: Iterable[str] = RAW_SOURCES,
    config_path: Path | None = None,
    batch_words: int = 3000,
    dropout: float = 0.2,
    save_minutes: float = 5.0,
    texts: Iterable[tuple[str, str]] | None = None,
    resume: Path | None = None,
    stdout=sys.stdout,
) -> dict[str, Any]:
    """Pretrain the NER tok2vec of ``config_path`` on raw text; write its weights to ``output``.

    Runs epochs over the raw-text corpus until ``max_minutes`` have passed (the weights,
    averaged parameters, are also saved every ``save_minutes``). ``texts`` replaces the
    shared corpora by given ``(source, text)`` pairs (tests); ``resume`` continues from
    weights this function wrote before (with a fresh optimizer). Returns the corpus counts
    per source, the number of words seen and the timings.
    """
    import spacy
    from spacy.training.pretrain import make_update
    from spacy.util import load_config, load_model_from_config
    from thinc.api import Adam, fix_random_seed, set_dropout_rate

    from lagebild.ner.gazetteers import token_feature_patterns
    from lagebild.ner.train import DEFAULT_CONFIG

    t0 = time.monotonic()
    fix_random_seed(seed)
    rng = numpy.random.default_rng(seed)
    config = load_config(Path(config_path) if config_path else DEFAULT_CONFIG, interpolate=False)
    nlp = load_model_from_config(config, auto_fill=True)
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add_patterns(token_feature_patterns())
    # the layer spaCy's init_tok2vec loads with [pretraining] component = "ner", layer = "tok2vec":
    # the NER's chain(Tok2Vec, list2array, Linear) in front of its state features
    tok2vec = nlp.get_pipe("ner").model.get_ref("tok2vec")

    counts: dict[str, dict[str, int]] = {}
    docs = []
    for source, text in raw_texts(data_root, sources) if texts is None else texts:
        doc = ruler(nlp.make_doc(text))
        if len(doc) < 3:
            continue
        docs.append(doc)
        c = counts.setdefault(source, {"texts": 0, "tokens": 0})
        c["texts"] += 1
        c["tokens"] += len(doc)
    n_tokens = sum(c["tokens"] for c in counts.values())
    stdout.write(f"pretraining corpus: {len(docs)} texts, {n_tokens} tokens {counts}\n")
    words = _CorpusWords([t.text for doc in docs for t in doc if t.is_alpha], rng)

    sample = [nlp.make_doc("Angela Merkel besucht am Montag Paris.")]
    tok2vec.initialize(X=sample)
    if resume is not None:
        tok2vec.from_bytes(Path(resume).read_bytes())
    model = build_characters_model(tok2vec, words, rng)
    model.initialize(X=sample)
    set_dropout_rate(model, dropout)
    optimizer = Adam(0.001, beta1=0.9, beta2=0.999, L2_is_weight_decay=True, L2=0.01, grad_clip=1.0,
                     use_averages=True, eps=1e-8)
    objective = model.attrs["loss"]

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        with model.use_params(optimizer.averages):
            output.write_bytes(tok2vec.to_bytes())

    order = random.Random(seed)
    start = last_save = time.monotonic()
    limit = max_minutes * 60
    epoch = n_words = 0
    epoch_losses: list[float] = []
    done = False
    while not done:
        order.shuffle(docs)
        loss_sum, epoch_words = 0.0, 0
        batch, size = [], 0
        for doc in docs:
            batch.append(doc)
            size += len(doc)
            if size < batch_words:
                continue
            loss_sum += make_update(model, batch, optimizer, objective)
            n_words += size
            epoch_words += size
            batch, size = [], 0
            now = time.monotonic()
            if now - last_save > save_minutes * 60:
                save()
                last_save = now
                stdout.write(f"epoch {epoch} words {n_words} loss/word {loss_sum / max(1, epoch_words):.3f} "
                             f"({int(now - start)} s)\n")
                stdout.flush()
            if now - start > limit:
                done = True
                break
        epoch_losses.append(round(loss_sum, 1))
        epoch += 1
    save()
    return {
        "output": str(output),
        "sources": {name: {**counts[name], "licence": RAW_SOURCES.get(name, "?")} for name in counts},
        "texts": len(docs),
        "tokens": n_tokens,
        "epochs": epoch,
        "words_seen": n_words,
        "epoch_losses": epoch_losses,
        "seed": seed,
        "resumed_from": str(resume) if resume else None,
        "seconds": round(time.monotonic() - t0, 1),
        "spacy_version": spacy.__version__,
    }
