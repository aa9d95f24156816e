"""SpkAtt annotations -> token labels, and token labels -> quotes (decode), on hand-made articles."""

import pytest

from lagebild.api import analyze_text
from lagebild.evaluation.quotes import rebuild
from lagebild.pipeline.morphology import make_stage
from lagebild.pipeline.tokens import make_tokens
from lagebild.quotes.decode import decode
from lagebild.quotes.labels import LABELS, gold_labels
from lagebild.quotes.tagger import candidate_sentences, context_features, feature_doc, token_flags
from lagebild.pipeline.quotes import quotation_pairs
from lagebild.settings import Settings

DOCUMENT = {
    "DocumentName": "tiny",
    "Sentences": [
        {"SentenceId": 0, "Tokens": ["Die", "Lage", ",", "sagte", "Maria", "Keller", ",", "sei", "ernst", "."]},
        {"SentenceId": 1, "Tokens": ["Der", "Hafen", "wird", "ausgebaut", "."]},
    ],
    "Annotations": [
        {"Form": "Indirect", "Cue": ["0:3"], "Source": ["0:4", "0:5"], "Message": ["0:0", "0:1", "0:7", "0:8"],
         "IsNested": False},
        {"Form": "Direct", "Cue": [], "Source": [], "Message": ["0:8"], "IsNested": True},  # nested: not labelled
    ],
}


def _doc(document):
    article, offsets = rebuild(document)
    article = make_stage()(make_tokens(Settings())(article))
    return article, offsets


def test_gold_labels_follow_the_top_level_annotation():
    article, offsets = _doc(DOCUMENT)
    labels = gold_labels(DOCUMENT, article.doc, offsets)
    assert [(t.text, l) for t, l in zip(article.doc, labels)] == [
        ("Die", "B-I"), ("Lage", "I-I"), (",", "O"), ("sagte", "C"), ("Maria", "S"), ("Keller", "S"), (",", "O"),
        ("sei", "I-I"), ("ernst", "I-I"), (".", "O"), ("Der", "O"), ("Hafen", "O"), ("wird", "O"),
        ("ausgebaut", "O"), (".", "O")]
    assert set(labels) <= set(LABELS)


def test_decode_joins_an_interrupted_message_and_finds_cue_and_source():
    article, offsets = _doc(DOCUMENT)
    doc = article.doc
    (group,) = decode(doc, gold_labels(DOCUMENT, doc, offsets))
    assert group.form == "I"
    assert [doc[i].text for i in group.message] == ["Die", "Lage", "sei", "ernst"]
    assert [doc[i].text for i in group.cue] == ["sagte"]
    assert [doc[i].text for i in group.source] == ["Maria", "Keller"]


#  tokens: Er sagte : Wir kommen . | Sie gehen bald .
@pytest.mark.parametrize(
    "labels, expected",
    [
        # Two sentences, each a message; the second has no cue or source and continues the first's.
        ("S C O B-I I-I O B-F I-F I-F O", [("I", [3, 4], [1], [0]), ("F", [6, 7, 8], [], [0])]),
        # A stray B- inside a run continues the run.
        ("O O O B-D B-D I-D O O O O", [("D", [3, 4, 5], [], [])]),
        # An I- after a short gap in the same sentence continues the message.
        ("B-I O O I-I I-I O O O O O", [("I", [0, 3, 4], [], [])]),
        # Punctuation alone is no message; nothing labelled, nothing found.
        ("O O B-D O O O O O O O", []),
        ("O O O O O O O O O O", []),
    ],
)
def test_decode_by_hand(labels, expected):
    article = analyze_text("Er sagte: Wir kommen. Sie gehen bald.", settings=Settings(
        stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    assert [t.text for t in doc] == ["Er", "sagte", ":", "Wir", "kommen", ".", "Sie", "gehen", "bald", "."]
    got = [(g.form, g.message, g.cue, g.source) for g in decode(doc, labels.split())]
    assert got == expected


def test_features_and_candidates():
    text = "Der Hafen wird ausgebaut. Maria Keller sagte: „Das dauert.“ Es gebe Streit. Der Bus fährt."
    article = analyze_text(text, settings=Settings(stages=["extract", "structure", "language", "tokens", "morphology"]))
    doc = article.doc
    flags = token_flags(doc, quotation_pairs(article))
    assert flags[[t.text for t in doc].index("dauert")] == "Quote=In"
    assert "Cue=Yes" in flags[[t.text for t in doc].index("sagte")]
    # Sentence 1 has no cue, mark or Konjunktiv; 2 has a cue, 3 a Konjunktiv I verb; 4 nothing.
    ranges = candidate_sentences(doc, flags)
    assert [doc[s:e].text for s, e in ranges] == ["Maria Keller sagte: „Das dauert.“ Es gebe Streit."]
    # A sentence that holds a quote found already is skipped.
    taken = [(text.index("Das"), text.index("“"))]
    assert [doc[s:e].text for s, e in candidate_sentences(doc, flags, taken=taken)] == ["Es gebe Streit."]
    context = context_features(doc, flags)
    assert len(context) == len(doc) and context[0] == "---" + "" + "-0"
    copy = feature_doc(doc.vocab, doc, flags, tags=["O"] * len(doc))
    assert [t.text for t in copy] == [t.text for t in doc] and copy[0].dep_ == context[0]
