"""Figures of the shipped tagger + rules, pinned a little below docs/eval-linguistic.md (never trains)."""

from pathlib import Path

import pytest

from lagebild.linguistic.annotate import MODEL_PATH
from lagebild.linguistic.corpora import GSD_DEV, gsd_dev_ids
from lagebild.linguistic.evaluate import evaluate_mood, evaluate_ud
from lagebild.pipeline.morphology import make_stage

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def stage():
    return make_stage()


def test_weights_are_small_and_carry_their_licence():
    size = sum(p.stat().st_size for p in MODEL_PATH.rglob("*") if p.is_file())
    assert size < 25 * 1024 * 1024
    assert "CC BY-SA 4.0" in (MODEL_PATH / "meta.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name,floor", [("mood_gold.tsv", 0.97), ("mood_blind.tsv", 0.95)])
def test_mood_sets(stage, name, floor):
    result = evaluate_mood(DATA / name, stage)
    assert result["accuracy"] >= floor, result["errors"]


def test_heldout_half_of_gsd_dev(stage, shared):
    path = shared / GSD_DEV
    scores = evaluate_ud(stage, path, sentence_ids=gsd_dev_ids(path, "heldout"))
    assert scores["tokens"] == 6184
    assert scores["upos"] >= 0.89 and scores["tag"] >= 0.89
    assert scores["lemma"] >= 0.95
    assert scores["mood"]["accuracy"] >= 0.94
