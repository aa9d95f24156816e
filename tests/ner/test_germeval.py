"""Tests for the GermEval 2014 reader, strict outer-chunk scorer and the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from lagebild.ner.germeval import (
    TUNE_SIZE,
    TUNE_TRAIN_SIZE,
    evaluate_germeval,
    read_germeval,
    score_bio,
    select_part,
)

MODEL_DIR = Path(__file__).resolve().parents[2] / "src" / "lagebild" / "models" / "ner_de"

# Invented sentences in GermEval layout: (tokens, outer tags, inner tags).
SENTENCES = [
    (["Angela", "Merkel", "besuchte", "Paris", "."], ["B-PER", "I-PER", "O", "B-LOC", "O"], None),
    (
        ["Die", "deutschen", "Grünen", "und", "die", "EU-Staaten", "."],
        ["O", "B-LOCderiv", "B-ORG", "O", "O", "B-ORGpart", "O"],
        None,
    ),
    (["Der", "Euro", "fiel", "."], ["O", "B-OTH", "O", "O"], None),
    (
        ["Peter", "Müller", "lebt", "in", "Bonn", "-", "Beuel", "."],
        ["B-PER", "I-PER", "O", "O", "B-LOC", "I-LOC", "I-LOC", "O"],
        ["O", "O", "O", "O", "B-LOC", "O", "O", "O"],
    ),
]

# Hand-made predictions (outer column) for the sentences above.
PREDICTED = [
    ["B-PER", "I-PER", "O", "B-LOC", "O"],  # PER tp, LOC tp
    ["O", "B-LOC", "B-ORG", "O", "O", "O", "O"],  # LOC fp (deriv), ORG tp
    ["O", "O", "O", "O"],  # OTH fn
    ["B-PER", "O", "O", "O", "B-ORG", "O", "O", "O"],  # PER fp+fn, LOC fn, ORG fp
]


def write_germeval(path: Path) -> Path:
    """Write the invented sentences as a GermEval 2014 TSV file."""
    lines = []
    for n, (tokens, outer, inner) in enumerate(SENTENCES):
        lines.append(f"#\thttp://example.org/{n}\t[2014-01-01]")
        inner = inner or ["O"] * len(tokens)
        for i, (tok, o, e) in enumerate(zip(tokens, outer, inner), start=1):
            lines.append(f"{i}\t{tok}\t{o}\t{e}")
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_germeval(tmp_path: Path) -> None:
    sents = read_germeval(write_germeval(tmp_path / "mini.tsv"))
    assert len(sents) == 4
    assert sents[0].tokens == ["Angela", "Merkel", "besuchte", "Paris", "."]
    assert sents[1].outer[1] == "B-LOCderiv"
    assert sents[3].inner[4] == "B-LOC"
    assert sents[2].comments == ["#\thttp://example.org/2\t[2014-01-01]"]


def test_select_part_halves() -> None:
    items = list(range(TUNE_SIZE * 2))
    assert select_part(items, "tune") == items[:TUNE_SIZE]
    assert select_part(items, "test") == items[TUNE_SIZE:]
    assert select_part(items, "full") == items
    with pytest.raises(ValueError):
        select_part(items, "train")


def test_tune_half_splits_into_training_and_checkpoint_parts() -> None:
    items = list(range(TUNE_SIZE * 2))
    train, dev = select_part(items, "tune-train"), select_part(items, "tune-dev")
    assert train + dev == select_part(items, "tune")
    assert len(train) == TUNE_TRAIN_SIZE and not set(train + dev) & set(select_part(items, "test"))


def check_expected(scores: dict) -> None:
    """Figures computed by hand for PREDICTED against SENTENCES."""
    per, loc, org, oth = (scores["per_label"][k] for k in ("PER", "LOC", "ORG", "OTH"))
    assert (per["tp"], per["fp"], per["fn"]) == (1, 1, 1)
    assert per["p"] == pytest.approx(0.5) and per["r"] == pytest.approx(0.5) and per["f"] == pytest.approx(0.5)
    assert (loc["tp"], loc["fp"], loc["fn"]) == (1, 1, 1)
    assert loc["f"] == pytest.approx(0.5)
    assert (org["tp"], org["fp"], org["fn"]) == (1, 1, 0)
    assert org["p"] == pytest.approx(0.5) and org["r"] == pytest.approx(1.0)
    assert org["f"] == pytest.approx(2 / 3)
    assert (oth["tp"], oth["fp"], oth["fn"]) == (0, 0, 1)
    assert oth["f"] == 0.0
    plo = scores["micro_PER_LOC_ORG"]
    assert (plo["tp"], plo["fp"], plo["fn"]) == (3, 3, 2)
    assert plo["p"] == pytest.approx(0.5)
    assert plo["r"] == pytest.approx(0.6)
    assert plo["f"] == pytest.approx(6 / 11)
    everything = scores["micro_all"]
    assert (everything["tp"], everything["fp"], everything["fn"]) == (3, 3, 3)
    assert everything["f"] == pytest.approx(0.5)


def test_score_bio_hand_made() -> None:
    check_expected(score_bio([s[1] for s in SENTENCES], PREDICTED))


def test_evaluate_germeval_with_rule_pipeline(tmp_path: Path) -> None:
    """A rule-based pipeline that reproduces PREDICTED gives the same figures."""
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Angela Merkel"},
            {"label": "LOC", "pattern": "Paris"},
            {"label": "LOC", "pattern": "deutschen"},
            {"label": "ORG", "pattern": "Grünen"},
            {"label": "PER", "pattern": "Peter"},
            {"label": "ORG", "pattern": "Bonn"},
        ]
    )
    gold = write_germeval(tmp_path / "mini.tsv")
    out = tmp_path / "pred.tsv"
    scores = evaluate_germeval(nlp, gold, predictions=out)
    check_expected(scores)
    assert scores["sentences"] == 4
    # predictions file: same layout, predicted outer column, inner "O"
    pred_sents = read_germeval(out)
    assert [s.outer for s in pred_sents] == PREDICTED
    assert all(tag == "O" for s in pred_sents for tag in s.inner)
    assert [s.tokens for s in pred_sents] == [s[0] for s in SENTENCES]


def test_misc_is_scored_as_oth(tmp_path: Path) -> None:
    nlp = spacy.blank("de")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "MISC", "pattern": "Euro"}])
    scores = evaluate_germeval(nlp, write_germeval(tmp_path / "mini.tsv"))
    assert scores["per_label"]["OTH"]["tp"] == 1
    assert scores["per_label"]["OTH"]["f"] == pytest.approx(1.0)


@pytest.mark.skipif(not (MODEL_DIR / "meta.json").exists(), reason="shipped NER model not present")
def test_shipped_model_finds_per_and_loc() -> None:
    nlp = spacy.load(MODEL_DIR)
    text = "Bundeskanzler Olaf Beispiel traf am Montag in Paris den französischen Präsidenten."
    doc = nlp(text)
    labels = {(ent.text, ent.label_) for ent in doc.ents}
    assert any(label == "PER" and "Beispiel" in ent for ent, label in labels), labels
    assert ("Paris", "LOC") in labels, labels
    assert all(ent.text != "französischen" for ent in doc.ents)
    for ent in doc.ents:  # character offsets round-trip
        assert text[ent.start_char : ent.end_char] == ent.text
