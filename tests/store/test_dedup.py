"""MinHash signatures: the same values as datasketch computes, None for short texts."""

from __future__ import annotations

import zlib

import numpy
import pytest

from lagebild.store import dedup

TEXTS = [
    "Die Regierung in Berlin hat am Dienstag neue Regeln für den Wohnungsbau beschlossen. "
    "Mieterverbände kritisierten, die Pläne kämen zu spät, und forderten mehr Geld für Sozialwohnungen.",
    "Ein kurzer Satz mit genau zwölf Wörtern steht hier für die Grenze der Prüfung.",
    "Wien – Der Nationalrat debattiert über das Budget für das kommende Jahr, die Opposition verlangt "
    "Entlastungen bei den Energiepreisen und eine Reform der Pflege.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_signature_equals_datasketch(text):
    from datasketch import MinHash

    words = dedup._WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + dedup.SHINGLE]).encode("utf-8") for i in range(len(words) - dedup.SHINGLE + 1)}
    expected = MinHash(num_perm=dedup.NUM_PERM, seed=1, hashfunc=zlib.crc32, scheme="affine32")
    expected.update_batch(list(shingles))
    assert dedup.signature(text) == expected.hashvalues.astype("<u4").tobytes()


def test_short_text_has_no_signature():
    assert dedup.signature("Nur vier Wörter hier.") is None


def test_similarity_of_a_changed_copy():
    text = TEXTS[0] + " Die Opposition sprach von einem Wahlkampfmanöver und kündigte Widerstand an."
    same = dedup.similarity(dedup.signature(text), dedup.signature(text))
    changed = dedup.similarity(dedup.signature(text), dedup.signature(text + " Ein weiterer Satz folgt hier."))
    other = dedup.similarity(dedup.signature(text), dedup.signature(TEXTS[2]))
    assert same == 1.0
    assert 0.5 < changed < 1.0
    assert other < 0.2
    assert numpy.frombuffer(dedup.signature(text), dtype="<u4").shape == (dedup.NUM_PERM,)
