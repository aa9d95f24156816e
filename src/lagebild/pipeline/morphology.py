"""Stage ``morphology``: lemma, UPOS, STTS tag and UD features for every token of ``article.doc``.

Runs :class:`lagebild.linguistic.annotate.Annotator` on the ``Doc`` the ``tokens`` stage made:
the shipped tagger (``models/tagger_de``, STTS + UPOS) and a rule layer for lemmas and verb
features. Above all it gives finite verbs their mood, as later stages need it for indirect
speech: Konjunktiv I is ``Mood=Sub|Tense=Pres`` ("Assad müsse gehen", "man habe vereinbart"),
Konjunktiv II ``Mood=Sub|Tense=Past`` ("hätte", "wäre", "würde"), and a form that is indicative
for its subject stays ``Mood=Ind`` ("ich habe", "sie haben"). Use
:func:`lagebild.linguistic.annotate.mood_label` to read ``Ind``/``KI``/``KII`` off a token.

The annotations live on the spaCy tokens (``token.lemma_``, ``pos_``, ``tag_``, ``morph``); they
are not part of the article's JSON.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild.model import Article
from lagebild.pipeline import stage
from lagebild.settings import Settings


@lru_cache(maxsize=4)
def _cached_tagger(model_path: str | None):
    from lagebild.linguistic.annotate import Annotator

    return Annotator(model_path)


def load_tagger(model_path: Path | str | None = None, *, fresh: bool = False):
    """The :class:`~lagebild.linguistic.annotate.Annotator` for ``model_path`` (default: shipped weights).

    Loaded once per path and shared between stages; ``fresh=True`` loads it anew (for code that
    has just rewritten the weights on disk, such as training).
    """
    from lagebild.linguistic.annotate import Annotator

    if fresh:
        return Annotator(model_path)
    return _cached_tagger(str(model_path) if model_path else None)


def make_stage(model_path: Path | str | None = None, *, fresh: bool = False):
    """The stage function for the weights in ``model_path`` (default: shipped weights)."""
    annotator = load_tagger(model_path, fresh=fresh)

    def morphology(article: Article) -> Article:
        if article.doc is not None:
            annotator(article.doc)
        return article

    return morphology


@stage("morphology", version=1, requires=("tokens",), assigns=("lemmas", "pos", "morph"))
def make_morphology(settings: Settings):
    """Lemmas, UPOS/STTS tags and UD features (verb mood: Konjunktiv I/II) for every token."""
    return make_stage()
