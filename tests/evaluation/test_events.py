"""The event evaluator: actor matching, the sentence rule, greedy one-to-one matching, figures."""

import json
import shutil
from pathlib import Path

import pytest

from lagebild.evaluation.events import _date_equal, actor_matches, evaluate_folder, locate, render_markdown

ROOT = Path(__file__).resolve().parents[2]

ARTICLE = """Politik
12.03.2024, 10:00 Uhr

Polen bestellt Botschafter ein

Warschau (dpa) - Polen hat den russischen Botschafter einbestellt. Russland wies die Vorwürfe zurück. Die Sonne schien.

Weitere Meldungen
Bahn: Lokführer streiken
"""


def gold_event(type_, source, target, evidence, **extra):
    event = {"type": type_, "source": {"name": source, "alt": [], "country": None, "role": None},
             "target": None if target is None else {"name": target, "alt": [], "country": None, "role": None},
             "evidence": evidence, "trigger": "", "negated": False, "mode": "happened", "date": None,
             "date_granularity": None, "location": None, "attribution": None}
    event.update(extra)
    return event


@pytest.mark.parametrize("predicted, gold, expected", [
    ({"name": "François Hollande", "text": "Hollande"}, {"name": "Hollande", "alt": []}, True),
    ({"name": "Die Polizei", "text": "Die Polizei"}, {"name": "polizei", "alt": []}, True),  # last token
    ({"name": "Frankreich", "text": "Ihre Länder"}, {"name": "Russland", "alt": ["ihre Länder"]}, True),  # alt
    ({"name": "Frankreich", "text": "Frankreich"}, {"name": "Russland", "alt": []}, False),
    (None, None, True),
    (None, {"name": "Russland", "alt": []}, False),
])
def test_actor_matching(predicted, gold, expected):
    assert actor_matches(predicted, gold) is expected


def test_locate_tolerates_whitespace():
    assert locate("Er sagte:\n  Wir kommen.", "sagte: Wir kommen") == (3, 22)
    assert locate("Er kam.", "Sie ging") is None


@pytest.mark.parametrize("value, granularity, predicted, expected", [
    ("2024-03-04", "day", {"value": "2024-03-04", "granularity": "day"}, True),
    ("2024-03-06", "week", {"value": "2024-03-04", "granularity": "week"}, True),  # same ISO week
    ("2024-03-15", "month", {"value": "2024-03-01", "granularity": "month"}, True),
    ("2024-03-04", "day", {"value": "2024-03-05", "granularity": "day"}, False),
    ("2024-03-04", "day", None, False),
    (None, None, None, True),
])
def test_date_equality(value, granularity, predicted, expected):
    assert _date_equal(value, granularity, predicted) is expected


def test_figures_on_a_hand_made_folder(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    gold = {"article": "a.txt", "published": "2024-03-12T10:00:00+01:00", "events": [
        # found with the right target: tp for both figures
        gold_event("DISAPPROVE", "Polen", "Russland", "Polen hat den russischen Botschafter einbestellt",
                   date="2024-03-12", date_granularity="day"),
        # found, target null on both sides
        gold_event("REJECT", "Russland", None, "Russland wies die Vorwürfe zurück"),
        # not found: a wrong source
        gold_event("REJECT", "Belarus", None, "Russland wies die Vorwürfe zurück"),
    ]}
    (tmp_path / "a.events.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = evaluate_folder(tmp_path)
    predicted = result["predicted"]
    loose, strict = result["type_source"], result["type_source_target"]
    assert (loose["tp"], loose["fn"]) == (2, 1) and loose["fp"] == predicted - 2
    assert strict["tp"] <= loose["tp"]
    assert result["per_type"]["REJECT"]["fn"] == 1
    assert result["attributes"]["negated"]["matched"] == 2
    assert "| (type, source) |" in render_markdown(result, tmp_path)
    # nothing is matched from the furniture line "Bahn: Lokführer streiken"
    assert not any("Lokführer" in s for e in result["errors"] for s in e["spurious"])


def test_dev_set_is_well_formed_and_scored():
    folder = ROOT / "corpora" / "events" / "dev"
    for path in folder.glob("*.events.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        text = (folder / record["article"]).read_text(encoding="utf-8")
        assert all(event["evidence"] in text for event in record["events"]), path.name
    result = evaluate_folder(folder)
    assert result["articles"] >= 10 and result["gold"] >= 80
    assert 0.0 < result["type_source"]["f1"] <= 1.0


def test_evaluation_runs_on_the_seed(seed, tmp_path):
    shutil.copy(seed, tmp_path / "seed.txt")
    gold = {"article": "seed.txt", "published": "2015-11-27T04:36:00+01:00", "events": [
        gold_event("THREATEN", "Frankreich", None, "drohten Frankreich und Russland"),
        gold_event("THREATEN", "Russland", None, "drohten Frankreich und Russland"),
        gold_event("CONSULT", "François Hollande", "Wladimir Putin", "Bei einem Besuch des französischen Präsidenten",
                   date="2015-11-26", date_granularity="day"),
    ]}
    (tmp_path / "seed.events.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = evaluate_folder(tmp_path)
    assert result["type_source"]["tp"] == 3
    assert result["attributes"]["date"]["correct"] == 3
