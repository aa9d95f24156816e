"""Named-entity recognition for lagebild: PER, LOC, ORG, MISC with character offsets.

The shipped pipeline (``lagebild/models/ner_de``) is ``spacy.blank("de")`` plus an
``attribute_ruler`` (gazetteer token features), the trained ``ner`` and an
``entity_ruler`` for MISC names, so it runs on raw text::

    from lagebild.ner import load_model
    doc = load_model()("Olaf Scholz traf in Paris Emmanuel Macron.")
    [(e.start_char, e.end_char, e.label_) for e in doc.ents]

Submodules: :mod:`~lagebild.ner.corpora` (training corpora readers),
:mod:`~lagebild.ner.gazetteers`, :mod:`~lagebild.ner.germeval` (evaluation),
:mod:`~lagebild.ner.rules` (rule components of the ``entities`` stage) and
:mod:`~lagebild.ner.train` (``train_ner``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

#: Directory of the shipped German NER pipeline.
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner_de"


def load_model(path: Path | None = None) -> Language:
    """Load the shipped NER pipeline (or the one at ``path``)."""
    import spacy

    return spacy.load(path or MODEL_DIR)
