"""lagebild's linguistic layer: POS tags, lemmas and UD features, above all the mood of verbs.

* :mod:`lagebild.linguistic.annotate` -- :class:`Annotator` (tagger + rules) that the
  ``morphology`` stage runs on a ``Doc``; :func:`mood_label` reads Ind/KI/KII/Imp off a token.
* :mod:`lagebild.linguistic.verbs` -- German verb paradigms by rule (Konjunktiv I and II).
* :mod:`lagebild.linguistic.corpora` -- readers for UD German GSD and EmpiriST.
* :mod:`lagebild.linguistic.train` -- :func:`train_tagger`, which reproduces the shipped weights.
* :mod:`lagebild.linguistic.evaluate` -- :func:`evaluate_ud`, :func:`evaluate_mood`,
  :func:`throughput`.

``python -m lagebild.linguistic --help`` runs training, evaluation and the speed measurement.
"""

from __future__ import annotations

from lagebild.linguistic.annotate import Annotator, mood_label
from lagebild.linguistic.verbs import Reading, analyse, choose

__all__ = ["Annotator", "Reading", "analyse", "choose", "mood_label"]
