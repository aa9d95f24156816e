"""The events stage's plain token copies (lagebild.events.words) read what spaCy's tokens hold."""

from __future__ import annotations

import pytest

from lagebild.api import analyze_path, analyze_text
from lagebild.events.words import words_of
from lagebild.pipeline.events import code_events

ATTRIBUTES = ("text", "lower_", "lemma_", "pos_", "tag_", "idx", "i", "is_punct", "is_space", "is_sent_start")
FEATURES = ("Number", "Gender", "Case", "Mood", "Tense", "Person")


@pytest.fixture(scope="module")
def article(root):
    return analyze_path(root / "corpora" / "samples" / "01-tabloid-energiegipfel.txt")


def test_words_hold_the_tokens_attributes(article):
    doc = article.doc
    words = words_of(doc, article.text)
    assert len(words) == len(doc) and words.text == doc.text
    for token, word in zip(doc, words):
        assert tuple(getattr(word, a) for a in ATTRIBUTES) == tuple(getattr(token, a) for a in ATTRIBUTES), token.text
        assert [word.morph.get(f) for f in FEATURES] == [token.morph.get(f) for f in FEATURES], token.text
        assert word.sent == token.sent and word.doc[word.i] is word


def test_words_of_another_doc_after_the_quotes_stage_cached_one():
    # the array the quotes stage keeps is for the last Doc only: another Doc reads its own
    first = analyze_text("Die Polizei nahm drei Männer fest.")
    second = analyze_text("Russland drohte der Ukraine mit Vergeltung.")
    words = words_of(first.doc, first.text)
    assert [w.text for w in words] == [t.text for t in first.doc]
    assert [w.text for w in words_of(second.doc, second.text)] == [t.text for t in second.doc]


def test_events_are_the_same_on_spacy_tokens(article, monkeypatch):
    # the plain copies change nothing: the coder run on spaCy's own tokens gives the same events
    fast = [e.to_dict() for e in code_events(article)]
    monkeypatch.setattr("lagebild.pipeline.events.words_of", lambda doc, text=None: doc)
    assert [e.to_dict() for e in code_events(article)] == fast and fast


def test_verb_index_keeps_every_candidate():
    # the trigger search skips a verb only when no lexicon lemma is its lemma with a clause word before it
    from lagebild.events.lexicon import lexicon
    from lagebild.pipeline.events import _verb_possible, _verb_suffixes

    index = _verb_suffixes()
    for key in list(lexicon().verbs) + list(lexicon().lvcs):
        key = key.replace("ß", "ss")
        assert _verb_possible(index.get(key), set())
        for k in range(1, len(key)):
            assert _verb_possible(index.get(key[k:]), {key[:k]})
    assert not _verb_possible(index.get("sagen"), {"dass", "er"})  # "sagen" alone is no trigger
