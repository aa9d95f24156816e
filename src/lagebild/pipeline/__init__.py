"""Pipeline stages registered by name and version, and the runner that checks their order.

A stage is a factory ``(settings) -> callable(Article) -> Article`` registered with
:func:`stage`, which records what it needs (``requires``) and what it adds (``assigns``). The
:class:`Pipeline` checks before running that every need is met by an earlier stage (E011), and
appends ``name.vN`` to :attr:`Article.pipeline` so results say what produced them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lagebild.errors import Errors, PipelineError
from lagebild.model import Article
from lagebild.settings import Settings

StageFn = Callable[[Article], Article]

#: Modules that register the built-in stages, in their usual order.
BUILTIN_MODULES = (
    "lagebild.pipeline.extract",
    "lagebild.pipeline.structure",
    "lagebild.pipeline.language",
    "lagebild.pipeline.tokens",
    "lagebild.pipeline.morphology",
    "lagebild.pipeline.entities",
    "lagebild.pipeline.quotes",
    "lagebild.pipeline.events",
)


#: Built-in stages that run without spaCy: a pipeline of only these never imports it (about a
#: second of start-up saved for ``ingest --stages structure``). Any other stage may use spaCy.
SPACY_FREE_STAGES = frozenset({"extract", "structure", "language"})


def needs_spacy(names: Iterable[str]) -> bool:
    """Whether a pipeline of these stages may use spaCy (any stage not in :data:`SPACY_FREE_STAGES`)."""
    return any(name.split(".v")[0] not in SPACY_FREE_STAGES for name in names)


def import_spacy_for(settings: Settings) -> None:
    """Import spaCy now if the configured stages may need it, torch hidden from thinc unless the
    NER backend may need torch (see :mod:`lagebild._spacy`); nothing for a spaCy-free pipeline."""
    if needs_spacy(settings.stages):
        from lagebild._spacy import import_spacy

        import_spacy(allow_torch=settings.ner_backend.startswith(("spacy:", "hf:")))


@dataclass(frozen=True)
class StageInfo:
    name: str
    version: int
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    factory: Callable[[Settings], StageFn]
    doc: str

    @property
    def qualified(self) -> str:
        return f"{self.name}.v{self.version}"


_REGISTRY: dict[str, StageInfo] = {}


def stage(name: str, *, version: int, requires: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Register a stage factory under ``name`` (decorator)."""

    def decorator(factory: Callable[[Settings], StageFn]) -> Callable[[Settings], StageFn]:
        doc = (factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else ""
        _REGISTRY[name] = StageInfo(name, version, tuple(requires), tuple(assigns), factory, doc)
        return factory

    return decorator


def registry() -> dict[str, StageInfo]:
    """All registered stages (the built-in ones are imported on first use)."""
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def check_order(names: list[str]) -> list[StageInfo]:
    """Resolve stage names and check that each stage's needs are assigned earlier (E010, E011)."""
    known = registry()
    infos: list[StageInfo] = []
    assigned: set[str] = set()
    for name in names:
        info = known.get(name.split(".v")[0])
        if info is None:
            raise PipelineError(Errors.E010.format(name=name, known=", ".join(sorted(known))))
        for need in info.requires:
            if need not in assigned:
                providers = [s.name for s in known.values() if need in s.assigns] or ["none registered"]
                raise PipelineError(Errors.E011.format(stage=name, need=need, providers=", ".join(providers)))
        assigned.update(info.assigns)
        infos.append(info)
    return infos


class Pipeline:
    """Stages built from settings, run in order on one article at a time."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        import_spacy_for(self.settings)
        self.infos = check_order(list(self.settings.stages))
        self._stages = [(info.qualified, info.factory(self.settings)) for info in self.infos]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._stages]

    def __call__(self, article: Article) -> Article:
        for name, run in self._stages:
            article = run(article)
            article.pipeline.append(name)
        return article
