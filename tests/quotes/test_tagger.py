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
