"""The quote tagger's fast path: feature arrays built from the article equal those of a feature Doc."""

import numpy
import pytest
from spacy.attrs import DEP, LEMMA, MORPH, NORM, POS, SUFFIX

from lagebild.api import analyze_text
from lagebild.pipeline.quotes import quotation_pairs
from lagebild.quotes.tagger import (COLUMNS, _after_features, candidate_sentences, context_features, feature_arrays,
                                    feature_doc, load_model, token_flags)
from lagebild.settings import Settings

TEXTS = [
    "Der Hafen wird ausgebaut. Maria Keller sagte: „Das dauert.“ Es gebe Streit, hieß es. Der Bus fährt.",
    "Die Ministerin warf der Regierung vor, sie habe zu spät gehandelt. „Wir sind müde“, sagte er.",
    "z. B. 3,5 Prozent — ohne Verb",  # tokens without lemma or morphology
]


@pytest.fixture(scope="module")
def tagger():
    return load_model(None)


@pytest.mark.parametrize("text", TEXTS)
def test_feature_arrays_equal_the_feature_doc(tagger, text):
    article = analyze_text(text, settings=Settings(stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    flags = token_flags(doc, quotation_pairs(article))
    ranges = [(s.start, s.end) for s in doc.sents]
    context = context_features(doc, flags, ranges)
    arrays = feature_arrays(tagger.vocab, doc, flags, context, ranges)
    assert len(arrays) == len(ranges)
    for (start, end), rows in zip(ranges, arrays):
        copy = feature_doc(tagger.vocab, doc[start:end], flags[start:end], context=context[start:end])
        expected = copy.to_array([NORM, SUFFIX, LEMMA, POS, MORPH, DEP]).astype("uint64")
        assert numpy.array_equal(rows, expected)
    assert COLUMNS == tuple(tagger.get_pipe("tagger").model.layers[0].layers[0].layers[0].attrs["columns"])


def test_tagger_scores_equal_the_spacy_path(tagger):
    """Running the layers after the feature extractor on the arrays gives spaCy's own scores."""
    article = analyze_text(TEXTS[0] + " " + TEXTS[1], settings=Settings(
        stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    flags = token_flags(doc, quotation_pairs(article))
    ranges = candidate_sentences(doc, flags)
    assert ranges
    context = context_features(doc, flags, ranges)
    model = tagger.get_pipe("tagger").model
    expected = model.predict([feature_doc(tagger.vocab, doc[s:e], flags[s:e], context=context[s:e]) for s, e in ranges])
    got = feature_arrays(tagger.vocab, doc, flags, context, ranges)
    for layer in _after_features(model):
        got = layer.predict(got)
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert numpy.allclose(a, b, atol=1e-6)


def test_fast_forward_equals_thinc(tagger):
    """The tagger's own forward pass (without thinc's layer dispatch) gives thinc's scores."""
    from lagebild.quotes.tagger import _forward, _plan

    article = analyze_text(" ".join(TEXTS[:2]) + " Er sagte, die Lage sei ernst. Der Bus fährt.", settings=Settings(
        stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    flags = token_flags(doc, quotation_pairs(article))
    ranges = [(s.start, s.end) for s in doc.sents]
    context = context_features(doc, flags, ranges)
    model = tagger.get_pipe("tagger").model
    plan = _plan(model)
    assert plan is not None
    for chosen in (ranges, ranges[:1], ranges[1:3]):
        arrays = feature_arrays(tagger.vocab, doc, flags, context, chosen)
        expected = arrays
        for layer in _after_features(model):
            expected = layer.predict(expected)
        got = _forward(plan, arrays)
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            assert a.shape == b.shape and numpy.allclose(a, b, atol=1e-5)


def _plain_maxout_norm(ops, X, layer):
    """Maxout then layer norm as thinc's layers compute them (the reference for ``_maxout_norm``)."""
    W, b, nO, nP, G, shift = layer
    Y = X @ W.reshape(nO * nP, W.shape[-1]).T
    Y += b.reshape(nO * nP)
    best, _which = ops.maxout(ops.reshape3f(Y, Y.shape[0], nO, nP))
    mu = best.mean(axis=1, keepdims=True)
    var = best.var(axis=1, keepdims=True) + 1e-08
    out = (best - mu) * var ** (-1.0 / 2.0)
    out = out * G
    out += shift
    return out


def test_maxout_norm_is_bitwise_thincs(tagger):
    from lagebild.quotes.tagger import _maxout_norm, _plan

    plan = _plan(tagger.get_pipe("tagger").model)
    rng = numpy.random.default_rng(0)
    for layer in [plan.reduce, *plan.blocks]:
        for rows in (1, 2, 7, 60, 301):
            X = (rng.normal(size=(rows, layer[0].shape[-1])) * 3).astype("float32")
            expected, got = _plain_maxout_norm(plan.ops, X, layer), _maxout_norm(plan.ops, X, layer)
            assert got.dtype == expected.dtype and numpy.array_equal(got.view("uint32"), expected.view("uint32"))


def test_kept_embeddings_are_bitwise_gather_add(tagger, monkeypatch):
    """The embeddings kept across articles (one row per token) are the rows thinc's HashEmbed computes,
    column by column, also after a reset."""
    from lagebild import _fastnet
    from lagebild.quotes import tagger as module

    plan = module._plan(tagger.get_pipe("tagger").model)
    ops = plan.ops
    rng = numpy.random.default_rng(1)
    monkeypatch.setattr(_fastnet, "MAX_ROWS", 10)
    known = _fastnet._Embeddings(ops, [(seed, table) for _column, seed, table in plan.embeds])
    fresh = rng.integers(0, 2**64 - 1, size=(20, len(plan.embeds)), dtype="uint64", endpoint=True)
    fresh[5, :3] = fresh[0, :3]  # a token sharing some values with another
    # New rows with a repeat; kept ones; more than MAX_ROWS with kept ones among them (a reset).
    for rows in (fresh[[0, 1, 2, 0, 3, 4, 5, 6]], fresh[[6, 5, 0]], fresh[[0, 1, 7, 8, 9, 10, 11]], fresh[12:]):
        expected = numpy.hstack([ops.gather_add(table, ops.hash(ops.as_contig(rows[:, column], dtype="uint64"), seed)
                                                % table.shape[0]) for column, seed, table in plan.embeds])
        got = known(rows)
        assert numpy.array_equal(numpy.asarray(got).view("uint32"), numpy.asarray(expected).view("uint32"))


def test_labels_equal_those_decoded_range_by_range(tagger):
    """predict_labels decodes all candidate rows at once; range by range gives the same labels."""
    from lagebild.quotes.tagger import (CONTEXT, MESSAGE_SHARE, _forward, _plan, predict_labels, sentence_bounds)

    article = analyze_text(" ".join(TEXTS[:2]) + " Er sagte, die Lage sei ernst. Assad müsse gehen. Der Bus fährt.",
                           settings=Settings(stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    assert sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]
    pairs = quotation_pairs(article)
    flags = token_flags(doc, pairs)
    ranges = candidate_sentences(doc, flags, CONTEXT)
    assert len(ranges) >= 2
    context = context_features(doc, flags, ranges)
    labels = list(tagger.get_pipe("tagger").labels)
    message = numpy.array([label[:2] in ("B-", "I-") for label in labels])
    expected = ["O"] * len(doc)
    for (start, _end), rows in zip(ranges, _forward(_plan(tagger.get_pipe("tagger").model),
                                                     feature_arrays(tagger.vocab, doc, flags, context, ranges))):
        probs = numpy.exp(rows - rows.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        best = probs.argmax(axis=1)
        lean = (best == labels.index("O")) & (probs[:, message].sum(axis=1) >= MESSAGE_SHARE)
        best = numpy.where(lean, numpy.where(message, probs, -1).argmax(axis=1), best)
        expected[start:start + len(best)] = [labels[k] for k in best.tolist()]
    assert predict_labels(doc, pairs) == expected
    assert any(label != "O" for label in expected)


def test_kept_lexemes_after_a_reset(tagger, monkeypatch):
    """NORM and SUFFIX kept per word are the lexeme's, also for words kept before the cache starts afresh."""
    from lagebild.quotes import tagger as module

    monkeypatch.setattr(module, "MAX_LEXEMES", 6)
    article = analyze_text(TEXTS[0], settings=Settings(stages=["extract", "structure", "language", "tokens"]))
    doc = article.doc
    orths = [t.orth for t in doc]
    known = module._Lexemes(tagger.vocab)
    for chosen in (orths[:4], orths[:8], orths[2:12], orths):
        got = known.norm_suffix(chosen, doc.vocab.strings)
        expected = [(tagger.vocab[doc.vocab.strings[o]].norm, tagger.vocab[doc.vocab.strings[o]].suffix) for o in chosen]
        assert got.tolist() == [list(e) for e in expected]


def test_feature_arrays_from_other_flags_equal_the_feature_doc(tagger):
    """Flags that are not token_flags' own list take the plain path, with the same result."""
    article = analyze_text(TEXTS[1], settings=Settings(stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    flags = list(token_flags(doc, quotation_pairs(article)))  # a copy
    ranges = [(s.start, s.end) for s in doc.sents]
    context = context_features(doc, flags, ranges)
    for (start, end), rows in zip(ranges, feature_arrays(tagger.vocab, doc, flags, context, ranges)):
        copy = feature_doc(tagger.vocab, doc[start:end], flags[start:end], context=context[start:end])
        assert numpy.array_equal(rows, copy.to_array([NORM, SUFFIX, LEMMA, POS, MORPH, DEP]).astype("uint64"))
