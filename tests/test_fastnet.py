"""The fast forward passes of the shipped tagger and NER give exactly spaCy's own results."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest

from lagebild import _fastnet
from lagebild.api import article_from
from lagebild.pipeline import Pipeline
from lagebild.reader import read_bytes, read_path
from lagebild.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "Frankreichs Präsident François Hollande hat sich in Moskau mit Wladimir Putin getroffen.",
    "Die Opposition fordere Neuwahlen, sagte ein Sprecher der SPD am Mittwoch in Berlin.",
    "„Wir müssen handeln“, erklärte die Ministerin. Die Vereinten Nationen, die NATO und die EU schwiegen.",
    "Komm her! Geben Sie uns eine Chance! Hört auf!",
    "DIE BUNDESREGIERUNG IN BERLIN UND DER KREML IN MOSKAU",
    "Hamburg",
    "12 345 678 9,5 % 2024 -- 1.000 Euro",
    "Angela Merkel\n\nsprach mit Emmanuel Macron über die Europäische Zentralbank in Frankfurt am Main.",
]


@pytest.fixture(scope="module")
def docs():
    """Article ``Doc`` objects after the ``tokens`` stage: the texts above and the sample corpus."""
    pipeline = Pipeline(Settings(stages=["extract", "structure", "language", "tokens"]))
    raws = [read_path(p, max_bytes=2_000_000) for d in ("corpora/samples", "corpora/extraction/dev")
            for p in sorted((ROOT / d).glob("*.txt"))]
    raws = [read_bytes(text.encode("utf-8"), source="<text>") for text in TEXTS] + raws
    articles = [pipeline(article_from(raw)) for raw in raws]
    return [a.doc for a in articles if a.doc is not None and len(a.doc)]


@pytest.fixture(scope="module")
def annotator():
    from lagebild.pipeline.morphology import load_tagger

    return load_tagger()


@pytest.fixture(scope="module")
def backend():
    from lagebild.pipeline.entities import make_backend

    return make_backend("shipped")


def _tagging(doc):
    from spacy.attrs import MORPH, POS, TAG

    return [(t.tag_, t.pos_, str(t.morph)) for t in doc], doc.to_array([TAG, POS, MORPH]).tolist()


def test_shipped_models_have_the_fast_shape(annotator, backend):
    assert annotator.fast is not None
    assert backend.fast_ner is not None


def test_tok2vec_equals_thinc(annotator, backend, docs):
    """The token vectors themselves are the same floats, not only the tags and entities read off them."""
    tok2vec_pipe = annotator.nlp.get_pipe("tok2vec")
    ner_vectors = backend.nlp.get_pipe("ner").model.layers[0]  # tok2vec >> list2array >> linear
    for doc in docs[:20]:
        expected = tok2vec_pipe.model.predict([doc])[0]
        got = annotator.fast.tok2vec(doc.to_array(annotator.fast.column_ids))
        assert got.dtype == expected.dtype and numpy.array_equal(got, expected)
        copy = _ner_input(backend, doc)
        assert numpy.array_equal(backend.fast_ner.token_vectors(copy), ner_vectors.predict([copy]))


def test_tagger_fast_pass_equals_spacy(annotator, docs):
    assert len(docs) > 30
    for doc in docs:
        plain, fast = annotator.tag_plain(doc.copy()), annotator.tag(doc.copy())
        assert _tagging(fast) == _tagging(plain)
        assert numpy.array_equal(fast.tensor, plain.tensor)


def test_embedding_cache_starts_afresh_when_full(annotator, docs, monkeypatch):
    monkeypatch.setattr(_fastnet, "MAX_ROWS", 200)
    heads = _fastnet.TaggerHeads.from_nlp(annotator.nlp)
    longest = max(docs, key=len)  # more distinct tokens than the cache holds
    assert len(set(map(tuple, longest.to_array(heads.column_ids).tolist()))) > 200
    for doc in docs[:8] + [longest] + docs[8:12]:
        assert _tagging(heads(doc.copy())) == _tagging(annotator.tag_plain(doc.copy()))
        assert len(heads.tok2vec.embeddings.index) <= max(200, len(doc))


def _ner_input(backend, doc):
    """The copy of an article Doc the NER sees: gazetteer classes in TAG (SpacyBackend.doc_spans)."""
    from spacy.attrs import ORTH, TAG

    copy = doc.copy()
    classes = backend.token_classes
    tags = numpy.fromiter((classes.get(o, 0) for o in copy.to_array(ORTH).tolist()), dtype="uint64", count=len(copy))
    copy.from_array([TAG], tags.reshape(-1, 1))
    return copy


def test_greedy_ner_equals_spacy(annotator, backend, docs):
    ner = backend.nlp.get_pipe("ner")
    declined = 0
    for doc in docs:
        annotator(doc)
        copy = _ner_input(backend, doc)
        expected = [(e.start, e.end, e.label_) for e in ner(copy.copy()).ents]
        found = backend.fast_ner.entities(copy)
        if found is None:
            declined += 1
            continue
        assert found == expected
    assert declined <= len(docs) // 10  # near-ties are rare; they go through spaCy
    assert sum(len(backend.fast_ner.entities(_ner_input(backend, d)) or ()) for d in docs) > 100


def test_backend_spans_equal_plain_spans(backend, docs):
    for doc in docs:
        assert backend.doc_spans(doc) == backend.doc_spans(doc, plain=True)
    for text in TEXTS:
        assert backend(text) == backend(text, plain=True)


def test_near_tie_and_preset_entities_go_through_spacy(backend, docs, monkeypatch):
    from spacy.tokens import Span

    doc = _ner_input(backend, docs[0])
    expected = [(e.start, e.end, e.label_) for e in backend.nlp.get_pipe("ner")(doc.copy()).ents]
    monkeypatch.setattr(_fastnet, "TIE_MARGIN", 1e9)  # every decision is a "near tie"
    assert backend.fast_ner.entities(doc.copy()) is None
    assert [(e.start, e.end, e.label_) for e in backend.fast_ner(doc.copy()).ents] == expected
    monkeypatch.undo()
    preset = doc.copy()
    preset.set_ents([Span(preset, 0, 1, label="ORG")])
    assert backend.fast_ner.entities(preset) is None


def test_models_multiplying_with_blis_get_no_fast_pass():
    """The same floats as thinc only where thinc multiplies with numpy (lagebild._spacy.numpy_matmul)."""
    import spacy

    from lagebild.linguistic.annotate import MODEL_PATH

    assert _fastnet.TaggerHeads.from_nlp(spacy.load(MODEL_PATH)) is None


def test_other_shapes_get_no_fast_pass(annotator, backend):
    assert _fastnet.TaggerHeads.from_nlp(backend.nlp) is None  # no tok2vec component first
    assert _fastnet.GreedyNer.from_pipe(annotator.nlp.get_pipe("tagger")) is None
    assert _fastnet.Tok2Vec.from_model(annotator.nlp.get_pipe("tagger").model) is None  # a listener, not a tok2vec


def test_fast_passes_on_odd_input(annotator, backend):
    """Whitespace tokens, a 5,000-token "sentence" without punctuation, all caps, number tables."""
    from lagebild.pipeline.tokens import german_nlp

    words = ("Berlin Merkel sagte dass die Regierung in Paris mit Putin über Syrien sprach und "
             "die NATO in Brüssel wartete ").split()
    texts = [
        "Angela  Merkel \n\n  sprach\tmit   Emmanuel Macron \n in Paris.  ",
        " ".join(words[i % len(words)] for i in range(5000)),
        "DIE BUNDESKANZLERIN ANGELA MERKEL TRAF IN MOSKAU WLADIMIR PUTIN.",
        "\n".join(" ".join(str(100 * r + c) for c in range(8)) for r in range(40)),
        " ",
    ]
    nlp = german_nlp()
    for text in texts:
        doc = nlp.make_doc(text)
        if not len(doc):
            continue
        assert _tagging(annotator.tag(doc.copy())) == _tagging(annotator.tag_plain(doc.copy()))
        tagged = annotator(doc.copy())
        assert backend.doc_spans(tagged) == backend.doc_spans(tagged, plain=True)
        copy = _ner_input(backend, tagged)
        found = backend.fast_ner.entities(copy)
        if found is not None:
            assert found == [(e.start, e.end, e.label_) for e in backend.nlp.get_pipe("ner")(copy.copy()).ents]
