"""Redewiedergabe TSV -> SpkAtt-style document -> token labels, on a tiny TSV written here."""

import pytest

from lagebild.evaluation.quotes import rebuild
from lagebild.pipeline.morphology import make_stage
from lagebild.pipeline.tokens import make_tokens
from lagebild.quotes.labels import gold_labels
from lagebild.quotes.redewiedergabe import documents, news_files, read_rows, to_document
from lagebild.quotes.train import parse_extra
from lagebild.settings import Settings

HEADER = "tok\tnormtok\tlemma\tpos\trfpos\tsentstart\tstwr\tframe\tspeaker\tintexpr\tnote"
# (tok, normtok, sentstart, stwr, frame, speaker, intexpr); sentences made up for this test.
ROWS = [
    ("Der", "Der", "yes", "-", "frame.1", "-", "-"),
    ("Rath", "Rat", "no", "-", "frame.1", "speaker.1", "-"),
    ("sagte", "sagte", "no", "-", "frame.1", "-", "intexpr.1"),
    (",", ",", "no", "-", "frame.1", "-", "-"),
    ("die", "die", "no", "indirect.speech.1", "-", "-", "-"),
    ("Brücke", "Brücke", "no", "indirect.speech.1", "-", "-", "-"),
    ("sey", "sei", "no", "indirect.speech.1|direct.speech.4", "-", "-", "-"),
    ("fertig", "fertig", "no", "indirect.speech.1", "-", "-", "-"),
    (".", ".", "no", "-", "-", "-", "-"),
    ("Er", "Er", "yes", "-", "-", "speaker.2_3", "-"),
    ("lobte", "lobte", "no", "reported.speech.2", "-", "-", "intexpr.2"),
    ("die", "die", "no", "reported.speech.2", "-", "-", "-"),
    ("Arbeiter", "Arbeiter", "no", "reported.speech.2", "-", "-", "-"),
    (".", ".", "no", "reported.speech.2", "-", "-", "-"),
    ("Er", "Er", "yes", "-", "-", "-", "-"),
    ("dachte", "dachte", "no", "-", "-", "-", "intexpr.5"),
    ("an", "an", "no", "reported.thought.5", "-", "-", "-"),
    ("Urlaub", "Urlaub", "no", "reported.thought.5", "-", "-", "-"),
    ("und", "und", "no", "reported.speech.6.nonfact", "-", "-", "-"),
    ("&quot;", "&quot;", "no", "direct.speech writing.7", "-", "-", "-"),
    ("schwieg", "schwieg", "no", "direct.speech writing.7", "-", "-", "-"),
    ("&quot;", "&quot;", "no", "direct.speech writing.7", "-", "-", "-"),
    (".", ".", "no", "-", "-", "-", "-"),
]


def _write(path):
    lines = [HEADER] + ["\t".join((tok, norm, "x", "X", "X", start, stwr, frame, speaker, intexpr, "-"))
                        for tok, norm, start, stwr, frame, speaker, intexpr in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_to_document_maps_spans_cues_and_speakers(tmp_path):
    _write(tmp_path / "sample.tsv")
    document = to_document(read_rows(tmp_path / "sample.tsv"), "sample")
    assert [s["Tokens"][:3] for s in document["Sentences"]] == [["Der", "Rat", "sagte"], ["Er", "lobte", "die"],
                                                               ["Er", "dachte", "an"]]
    assert document["Sentences"][2]["Tokens"][5] == '"'  # &quot; unescaped
    by_id = {a["STWR"]: a for a in document["Annotations"]}
    # thought (5) and non-factual speech (6) are dropped; the frame is no part of the message
    assert set(by_id) == {"1", "2", "4", "7"}
    assert by_id["1"] == {"Form": "Indirect", "IsNested": False, "Message": ["0:4", "0:5", "0:6", "0:7"],
                          "Cue": ["0:2"], "Source": ["0:1"], "STWR": "1"}
    assert by_id["4"]["IsNested"] and by_id["4"]["Form"] == "Direct"
    # reported speech: no cue (as in SpkAtt); speaker.2_3 is the source of 2
    assert by_id["2"]["Cue"] == [] and by_id["2"]["Source"] == ["1:0"] and by_id["2"]["Form"] == "Reported"
    assert by_id["7"]["Form"] == "Direct" and by_id["7"]["Message"] == ["2:5", "2:6", "2:7"]
    assert to_document(read_rows(tmp_path / "sample.tsv"), spelling="orig")["Sentences"][0]["Tokens"][1] == "Rath"


def test_forms_filter_keeps_whole_sentences_of_those_forms(tmp_path):
    _write(tmp_path / "sample.tsv")
    document = to_document(read_rows(tmp_path / "sample.tsv"), forms=["Reported"])
    assert [s["Tokens"][:2] for s in document["Sentences"]] == [["Er", "lobte"]]
    assert [(a["Form"], a["Message"], a["Source"]) for a in document["Annotations"]] == [
        ("Reported", ["0:1", "0:2", "0:3", "0:4"], ["0:0"])]


def test_labels_follow_the_spkatt_scheme(tmp_path):
    _write(tmp_path / "sample.tsv")
    document = to_document(read_rows(tmp_path / "sample.tsv"))
    article, offsets = rebuild(document)
    article = make_stage()(make_tokens(Settings())(article))
    labels = gold_labels(document, article.doc, offsets)
    pairs = [(t.text, label) for t, label in zip(article.doc, labels)]
    assert pairs[:14] == [("Der", "O"), ("Rat", "S"), ("sagte", "C"), (",", "O"), ("die", "B-I"), ("Brücke", "I-I"),
                          ("sei", "I-I"), ("fertig", "I-I"), (".", "O"), ("Er", "S"), ("lobte", "B-R"),
                          ("die", "I-R"), ("Arbeiter", "I-R"), (".", "I-R")]
    assert [label for _, label in pairs[14:19]] == ["O"] * 5  # thought and non-factual speech stay O


def test_news_files_and_parse_extra(tmp_path):
    (tmp_path / "tsv").mkdir()
    _write(tmp_path / "tsv" / "b.tsv")
    (tmp_path / "news_nonfiction_files.txt").write_text("b.tsv\tmkhz\tNachrichten\nmissing.tsv\tgrenz\tKommentar\n",
                                                        encoding="utf-8")
    assert [p.name for p in news_files(tmp_path)] == ["b.tsv"]
    assert len(documents(tmp_path)) == 1 and documents(tmp_path, forms=["FreeIndirect"]) == []
    assert parse_extra("redewiedergabe") == {"name": "redewiedergabe", "weight": 1.0, "forms": None}
    assert parse_extra("redewiedergabe:0.5:RF") == {"name": "redewiedergabe", "weight": 0.5,
                                                    "forms": ["Reported", "FreeIndirect"]}
    for bad in ("wikipedia", "redewiedergabe:0", "redewiedergabe:1:X"):
        with pytest.raises(ValueError):
            parse_extra(bad)
