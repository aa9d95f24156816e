"""Golden files: whole-article output for sample articles (regenerate with tests/golden/update.py)."""

import json
from pathlib import Path

import pytest

from tests.golden.update import SAMPLES, golden

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("relative", SAMPLES, ids=[Path(s).name for s in SAMPLES])
def test_sample_article_matches_golden_file(relative):
    expected = json.loads((ROOT / "tests" / "golden" / (Path(relative).name + ".json")).read_text(encoding="utf-8"))
    actual = golden(ROOT / relative)
    for key in expected:
        if key == "warnings":  # the file's mtime can change relative-date warnings; compare codes
            assert [w[:4] for w in actual[key]] == [w[:4] for w in expected[key]]
        else:
            assert actual[key] == expected[key], key
