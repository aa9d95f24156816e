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


def test_batch_lookup_finds_what_one_at_a_time_finds(tmp_path):
    """Copies whose original is stored earlier in the same batch, also an original the writer was
    given without hashes (it stores the hashes it computes), as batches of one find them."""
    from lagebild.model import Article, Paragraph
    from lagebild.store.db import Database
    from lagebild.store.writer import Outcome, Writer

    def outcome(source: str, text: str, hashes: bool = True) -> Outcome:
        article = Article(id=source, source=source, raw=text, text=text, paragraphs=[Paragraph(0, len(text), "body")])
        sig = dedup.signature(text)
        return Outcome(source=source, status="processed", article=article,
                       content_hash=dedup.sha256(text + "<html>" + source) if hashes else None,
                       text_hash=dedup.sha256(text) if hashes else None, signature=sig if hashes else None)

    long = TEXTS[2] + " " + TEXTS[0]
    edited = long + " Eine Einigung wird bis zum Sommer erwartet."
    batch = lambda: [outcome("a", TEXTS[0], hashes=False), outcome("b", long), outcome("c", TEXTS[0]),
                     outcome("d", edited), outcome("e", TEXTS[1]), outcome("f", long)]  # noqa: E731
    found = []
    for size in (6, 1):
        with Database(tmp_path / f"batches-of-{size}.db") as db:
            writer = Writer(db)
            outcomes = batch()
            with db.transaction():
                for start in range(0, len(outcomes), size):
                    writer.record_batch(outcomes[start:start + size], None)
            ids = dict(db.rows("SELECT id, source FROM articles"))
            found.append([(o.status, o.kind, ids.get(o.copy_of)) for o in outcomes])
    assert found[0] == found[1] == [("processed", None, None), ("processed", None, None), ("duplicate", "exact", "a"),
                                    ("duplicate", "near", "b"), ("processed", None, None), ("duplicate", "exact", "b")]
