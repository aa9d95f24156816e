"""A tiny training run of the quote tagger on hand-made SpkAtt files (the shipped weights are never retrained here)."""

import json

from lagebild.quotes.labels import LABELS
from lagebild.quotes.train import train_quotes

SENTENCES = [
    (["Maria", "Keller", "sagte", ",", "die", "Lage", "sei", "ernst", "."], "Indirect"),
    (["„", "Wir", "kommen", "“", ",", "sagte", "Thomas", "Berger", "."], "Direct"),
]


def _document(n: int) -> dict:
    tokens, form = SENTENCES[n % 2]
    message = ["0:4", "0:5", "0:6", "0:7"] if form == "Indirect" else ["0:0", "0:1", "0:2", "0:3"]
    cue, source = (["0:2"], ["0:0", "0:1"]) if form == "Indirect" else (["0:5"], ["0:6", "0:7"])
    return {"DocumentName": f"doc{n}", "Sentences": [{"SentenceId": 0, "Tokens": tokens}],
            "Annotations": [{"Form": form, "Cue": cue, "Source": source, "Message": message, "IsNested": False}]}


def test_train_quotes_smoke(tmp_path):
    folder = tmp_path / "data" / "spkatt2023_task2_news" / "train"
    folder.mkdir(parents=True)
    for n in range(20):  # 16 dev files (15 to train on, 1 to choose the checkpoint), 4 held apart
        (folder / f"{n:02d}.json").write_text(json.dumps(_document(n)), encoding="utf-8")
    result = train_quotes(tmp_path / "model", tmp_path / "data", None, work_dir=tmp_path / "work",
                          overrides={"training.max_steps": 4, "training.eval_frequency": 2}, stdout=open("/dev/null", "w"))
    assert result["train_data"]["train_files"] == 14 and result["train_data"]["tune_files"] == 2
    scores = json.loads((tmp_path / "model" / "training_scores.json").read_text(encoding="utf-8"))
    assert scores["train_data"] == result["train_data"]

    import spacy

    nlp = spacy.load(tmp_path / "model")
    assert set(nlp.get_pipe("tagger").labels) <= set(LABELS)
    assert "non-commercial" in nlp.meta["license"]
