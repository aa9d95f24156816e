"""The morphology rules on token columns give what the Token-by-Token version gave.

``_reference_first_constituent_end`` and ``_reference_rescue_finite`` are the plain versions of
:func:`lagebild.linguistic.annotate.rescue_finite` (one ``Token`` per word, tags read from the
``Doc``), kept here as the reference for the column version.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.api import article_from
from lagebild.linguistic import annotate
from lagebild.linguistic.annotate import (_ALONE, _DETERMINERS, _MODIFIERS, _NOT_RESCUED, _NOUNS, _SUBORDINATORS,
                                          FINITE_TAGS, _can_be_finite, _column, _finite_tag)
from lagebild.pipeline import Pipeline
from lagebild.reader import read_bytes, read_path
from lagebild.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Die Opposition fordere Neuwahlen, erwarten Analysten. Die Polizei nahm drei Verdächtige fest.",
    "Unklar ist, ob der Vertrag noch gelte und die Zahl der Arbeitslosen steige.",
    "Man habe vereinbart, das Verfahren einzustellen; der Minister machte keine Angaben.",
    "Komm her! Hört auf! Geben Sie uns eine Chance!",
]


def _reference_first_constituent_end(doc, start: int, end: int) -> int | None:
    """Index after a simple first constituent at ``start`` ("Die neue Regierung", "Wir", "Heute")."""
    i = start
    while i < end and doc[i].tag_ in ("$(",):
        i += 1
    if i >= end:
        return None
    if doc[i].tag_ in _ALONE:
        return i + 1
    if doc[i].tag_ in _DETERMINERS:
        i += 1
    while i < end and doc[i].tag_ in _MODIFIERS:
        i += 1
    if i < end and doc[i].tag_ in _NOUNS:
        while i < end and doc[i].tag_ in _NOUNS:
            i += 1
        if i < end and doc[i].tag_ in _DETERMINERS and doc[i].lower_ in ("der", "des"):  # "Die Zahl der Arbeitslosen"
            j = i + 1
            while j < end and doc[j].tag_ in _MODIFIERS:
                j += 1
            if j < end and doc[j].tag_ in _NOUNS:
                while j < end and doc[j].tag_ in _NOUNS:
                    j += 1
                i = j
        return i
    return None



def _reference_rescue_finite(doc, clauses) -> None:
    """Give a clause without a finite verb the finite verb a tagger missed (see step 2).

    Tried in order, and only on tokens that :func:`_can_be_finite`: the last word of a clause
    opened by a subordinating conjunction or relative pronoun ("ob der Vertrag noch gelte"); the
    first word of a clause after a comma ("..., erwarten Analysten"); the word after a simple
    first constituent ("Die Polizei nahm drei Verdächtige fest"). A clause with a zu-infinitive
    is left alone ("..., das Verfahren einzustellen").
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, TAG

    tags = _column(doc, TAG)
    skip = (doc.to_array(IS_PUNCT) | doc.to_array(IS_SPACE)).tolist()
    for start, end in clauses:
        # cheap test on the columns first: most clauses have a finite verb or nothing to rescue
        if any(not skip[j] and tags[j] in _NOT_RESCUED for j in range(start, end)):
            continue
        tokens = [t for t in doc[start:end] if not t.is_punct and not t.is_space]
        if not tokens or any(t.tag_ in FINITE_TAGS or t.tag_ in ("VVIZU", "PTKZU", "VVIMP") for t in tokens):
            continue
        candidates = []
        if tokens[0].tag_ in _SUBORDINATORS and len(tokens) > 1:
            candidates.append(tokens[-1])
        if start > 0 and doc[start].text == "," or (start > 0 and doc[start - 1].text == ","):
            candidates.append(tokens[0])
        after = _reference_first_constituent_end(doc, tokens[0].i, end)
        if after is not None and after < end:
            candidates.append(doc[after])
        for token in candidates:
            reading = _can_be_finite(token)
            if reading is not None:
                token.tag_ = _finite_tag(reading.lemma)
                token.pos_ = "AUX" if token.tag_ in ("VAFIN", "VMFIN") else "VERB"
                break



@pytest.fixture(scope="module")
def tagged_docs():
    """Article Docs after the tokens stage and the tagger (before the rules)."""
    from lagebild.pipeline.morphology import load_tagger

    pipeline = Pipeline(Settings(stages=["extract", "structure", "language", "tokens"]))
    raws = [read_bytes(text.encode("utf-8"), source="<text>") for text in TEXTS]
    raws += [read_path(p, max_bytes=2_000_000) for d in ("corpora/samples", "corpora/extraction/dev", "corpora/events/dev")
             for p in sorted((ROOT / d).glob("*.txt"))]
    tagger = load_tagger()
    docs = []
    for raw in raws:
        doc = pipeline(article_from(raw)).doc
        if doc is not None and len(doc):
            docs.append(tagger.tag(doc))
    return docs


def _annotations(doc):
    return [(t.tag_, t.pos_, t.lemma_, str(t.morph)) for t in doc]


def test_rules_on_columns_equal_the_token_version(tagged_docs, monkeypatch):
    from spacy.attrs import TAG

    def plain(doc, clauses, tags=None, texts=None, lowers=None):
        _reference_rescue_finite(doc, clauses)
        if tags is not None:  # the column version keeps the caller's tags up to date
            tags[:] = annotate._column(doc, TAG)

    rescued = 0
    for doc in tagged_docs:
        fast, reference = doc.copy(), doc.copy()
        annotate.annotate_rules(fast)
        with monkeypatch.context() as patch:
            patch.setattr(annotate, "rescue_finite", plain)
            annotate.annotate_rules(reference)
        assert _annotations(fast) == _annotations(reference)
        rescued += sum(a.tag_ != b.tag_ for a, b in zip(doc, fast))
    assert len(tagged_docs) > 50 and rescued > 20  # the rules did change tags here


def test_rescue_finite_without_columns_reads_them(tagged_docs):
    for doc in tagged_docs[:10]:
        a, b = doc.copy(), doc.copy()
        clauses = annotate._clauses(a)
        annotate.rescue_finite(a, clauses)
        _reference_rescue_finite(b, clauses)
        assert [t.tag_ for t in a] == [t.tag_ for t in b]


def test_lemma_ids_are_the_lemmas_of_lemma_of(tagged_docs, monkeypatch):
    """Lemmas looked up by (ORTH id, tag, UPOS id) are what lemma_of gives, also after the table starts afresh."""
    from lagebild.linguistic.annotate import INFINITE_TAGS, lemma_of

    monkeypatch.setattr(annotate, "MAX_LEMMA_IDS", 500)
    checked = 0
    for doc in tagged_docs + tagged_docs[:5]:
        doc = doc.copy()
        annotate.annotate_rules(doc)
        for token in doc:
            if token.tag_ in FINITE_TAGS or token.tag_ in INFINITE_TAGS or token.tag_ == "VVIMP":
                continue
            assert token.lemma_ == lemma_of(token.text, token.tag_, token.pos_)
            checked += 1
    assert checked > 5000
    assert len(annotate._lemma_ids(tagged_docs[0].vocab.strings)) <= 500 + max(len(d) for d in tagged_docs)


def test_lemma_ids_belong_to_their_string_store():
    from lagebild.pipeline.tokens import german_nlp

    other = german_nlp().vocab.strings.__class__()
    assert annotate._lemma_ids(other) is not annotate._lemma_ids(german_nlp().vocab.strings)
    assert annotate._lemma_ids(other) is annotate._lemma_ids(other)
