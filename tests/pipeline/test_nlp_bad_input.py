"""Pathological text through the NLP stages: no crash, no blow-up in time or memory."""

import time

import pytest

from lagebild.api import analyze_text
from lagebild.pipeline.entities import SHIPPED_MODEL
from lagebild.settings import Settings

BACKENDS = ["none"] + (["shipped"] if SHIPPED_MODEL.is_dir() else [])
STAGES = ["extract", "structure", "language", "tokens", "morphology", "entities"]

CASES = {
    "5000 tokens without punctuation": "Überschrift\n\n" + " ".join(["Frankreich und Russland verhandeln weiter"] * 1000),
    "table of numbers": "Tabelle\n\n" + "\n".join(" ".join(str(i * j) for j in range(12)) for i in range(400)),
    "all caps": "EILMELDUNG\n\n" + "DIE REGIERUNG IN BERLIN HAT DEN RÜCKTRITT ERKLÄRT. FRANKREICH REAGIERT. " * 200,
    "single character lines": "\n".join("x" for _ in range(3000)),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(CASES))
def test_pathological_text_is_analysed_in_bounded_time(name, backend):
    started = time.perf_counter()
    article = analyze_text(CASES[name], settings=Settings(stages=STAGES, ner_backend=backend, force_language=True))
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"{name} took {elapsed:.1f} s"
    for entity in article.entities:
        assert article.text[entity.start : entity.end] == entity.text
    if name == "5000 tokens without punctuation":
        assert len(article.sentences) <= 2  # one long sentence (and a headline if one is recognised)
        assert sum(e.text == "Frankreich" for e in article.entities) == 1000
