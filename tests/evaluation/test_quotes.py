"""The SpkAtt quotation evaluator on a tiny hand-made task-2 file, with figures computed by hand."""

import json

import pytest

from lagebild.evaluation.quotes import evaluate_spkatt, rebuild, render_markdown, split_files
from lagebild.settings import Settings

DOCUMENT = {
    "DocumentName": "tiny",
    "Sentences": [
        {"SentenceId": 0, "Tokens": ["Maria", "Keller", "sagte", ",", "die", "Lage", "sei", "ernst", "."]},
        {"SentenceId": 1, "Tokens": ["Der", "Hafen", "wird", "ausgebaut", "."]},
        {"SentenceId": 2, "Tokens": ["Thomas", "Berger", "sagte", ",", "das", "Wetter", "sei", "gut", "."]},
    ],
    "Annotations": [
        # Found: message 0:4-0:7, cue 0:2, source 0:0-0:1.
        {"Form": "Indirect", "STWR": "Speech", "Cue": ["0:2"], "Source": ["0:0", "0:1"],
         "Message": ["0:4", "0:5", "0:6", "0:7"], "Addr": [], "Frame": [], "HasNested": False, "IsNested": False},
        # Missed: a reported statement without a cue.
        {"Form": "Reported", "STWR": "Speech", "Cue": [], "Source": [],
         "Message": ["1:0", "1:1", "1:2", "1:3"], "Addr": [], "Frame": [], "HasNested": False, "IsNested": False},
        # Sentence 2 has no annotation: its predicted quote (4 message tokens, cue 2:2) is false.
    ],
}


def test_rebuild_keeps_token_offsets():
    article, offsets = rebuild(DOCUMENT)
    assert article.text.startswith("Maria Keller sagte , die Lage sei ernst . Der Hafen")
    start, end = offsets["1:1"]
    assert article.text[start:end] == "Hafen"
    assert len(rebuild(DOCUMENT, "sentence")[0].paragraphs) == 3


@pytest.mark.parametrize("paragraphs", ["document", "sentence"])
def test_figures(tmp_path, paragraphs):
    (tmp_path / "a.json").write_text(json.dumps(DOCUMENT), encoding="utf-8")
    result = evaluate_spkatt(tmp_path, split="all", settings=Settings(ner_backend="none", quote_model="none"), paragraphs=paragraphs,
                             predictions=tmp_path / "out")
    assert result["files"] == 1
    message = result["message"]
    assert (message["tp"], message["fp"], message["fn"]) == (4, 4, 4)
    assert message["precision"] == message["recall"] == message["f1"] == 0.5
    assert (result["quotes"]["tp"], result["quotes"]["fp"], result["quotes"]["fn"]) == (1, 1, 1)
    cue = result["cue"]
    assert (cue["tp"], cue["fp"], cue["fn"]) == (1, 1, 0)
    assert cue["f1"] == pytest.approx(2 / 3)
    assert result["speaker"] == {"accuracy": 1.0, "matched": 1}
    end_to_end = result["end_to_end"]  # the matched quote has the right speaker: 1 of 2 predicted, 1 of 2 gold
    assert (end_to_end["tp"], end_to_end["fp"], end_to_end["fn"]) == (1, 1, 1)
    assert result["forms"] == {
        "Indirect": {"gold": 1, "quote_recall": 1.0, "end_to_end_recall": 1.0, "message_recall": 1.0},
        "Reported": {"gold": 1, "quote_recall": 0.0, "end_to_end_recall": 0.0, "message_recall": 0.0},
    }
    written = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert written["DocumentName"] == "tiny" and written["Sentences"] == DOCUMENT["Sentences"]
    assert [(a["Form"], a["Cue"], a["Source"], a["Message"]) for a in written["Annotations"]] == [
        ("Indirect", ["0:2"], ["0:0", "0:1"], ["0:4", "0:5", "0:6", "0:7"]),
        ("Indirect", ["2:2"], ["2:0", "2:1"], ["2:4", "2:5", "2:6", "2:7"]),
    ]
    assert written["Annotations"][0]["SpeakerName"] == "Maria Keller"
    text = render_markdown(result, tmp_path)
    assert "| message tokens | 0.500 | 0.500 | 0.500 |" in text and "| Reported | 1 | 0.000 |" in text


def test_nested_annotations_count_only_when_asked(tmp_path):
    document = json.loads(json.dumps(DOCUMENT))
    document["Annotations"].append({"Form": "Direct", "Cue": [], "Source": [], "Message": ["0:5"], "IsNested": True})
    (tmp_path / "a.json").write_text(json.dumps(document), encoding="utf-8")
    settings = Settings(ner_backend="none", quote_model="none")
    top = evaluate_spkatt(tmp_path, split="all", settings=settings)
    every = evaluate_spkatt(tmp_path, split="all", settings=settings, nested=True)
    assert top["quotes"]["fn"] == 1 and every["quotes"]["fn"] == 2


def test_held_apart_split(tmp_path):
    for name in "abcdefghij":
        (tmp_path / f"{name}.json").write_text("{}", encoding="utf-8")
    assert [p.stem for p in split_files(tmp_path, "test")] == ["i", "j"]
    assert len(split_files(tmp_path, "dev")) == 8 and len(split_files(tmp_path, "all")) == 10
    with pytest.raises(ValueError):
        split_files(tmp_path, "train")
