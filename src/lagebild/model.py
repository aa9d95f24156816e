"""The one data model: an :class:`Article` owns the clean text, every annotation is a span.

Every annotation (paragraph, sentence, entity, quote part, event evidence) carries ``start``/``end``
character offsets into :attr:`Article.text`; :meth:`Article.span` is the one helper that builds
them, and it refuses offsets that do not fit the text, so nothing is stored that cannot be traced
back to its source. Furniture and metadata lines that are not part of ``text`` are kept in
:attr:`Article.boilerplate` with the index of the input line they came from.

The JSON form (:meth:`Article.to_dict`) is schema ``lagebild.article/1``, documented field by
field in ``docs/schema.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lagebild.errors import SpanError

SCHEMA = "lagebild.article/1"

CONTENT_KINDS = ("headline", "lead", "body", "subheading")


@dataclass(frozen=True)
class Span:
    """A stretch ``text[start:end]`` of an article's clean text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Paragraph:
    """A block of the clean text: the headline, the lead, a body paragraph or a subheading."""

    start: int
    end: int
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Boilerplate:
    """An input line that is not part of the article text: furniture or a metadata line."""

    text: str
    kind: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "line": self.line}


@dataclass(frozen=True)
class Image:
    caption: str | None
    credit: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"caption": self.caption, "credit": self.credit}


@dataclass(frozen=True)
class Entity:
    """A mention of a named entity; mentions of one entity share ``id`` and canonical ``name``."""

    start: int
    end: int
    text: str
    label: str
    id: str | None = None
    name: str | None = None
    kind: str = "name"  # "name", or "derived" for a country adjective or demonym

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label, "id": self.id,
                "name": self.name, "kind": self.kind}


@dataclass(frozen=True)
class Speaker:
    """A person or organisation a quote names: its speaker or its addressee (span, canonical name, entity id)."""

    start: int
    end: int
    text: str
    name: str | None
    entity: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "name": self.name, "entity": self.entity}


@dataclass(frozen=True)
class Quote:
    kind: str
    content: Span
    cue: Span | None
    speaker: Speaker | None
    #: Who was spoken to, where the text says so ("sagte der Zeitung X", "forderte die Regierung
    #: auf"): a span like the speaker's, with the entity when it names one.
    addressee: Speaker | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
        }


@dataclass(frozen=True)
class Event:
    type: str
    source: dict[str, Any] | None
    target: dict[str, Any] | None
    location: dict[str, Any] | None
    date: dict[str, Any] | None
    negated: bool
    mode: str
    evidence: Span
    pattern: str
    trigger: Span | None = None
    attribution: dict[str, Any] | None = None  # the speaker of a quote the event is reported in

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "location": self.location,
            "date": self.date,
            "negated": self.negated,
            "mode": self.mode,
            "evidence": self.evidence.to_dict(),
            "trigger": self.trigger.to_dict() if self.trigger else None,
            "pattern": self.pattern,
            "attribution": self.attribution,
        }


@dataclass(frozen=True)
class Line:
    """One line of the input as the structure stage sees it, with optional hints from HTML markup."""

    index: int
    text: str
    hint: str | None = None


@dataclass
class Article:
    """One news article: the input, the clean text and every annotation as spans into that text."""

    id: str
    source: str | None
    raw: str
    input_kind: str = "text"
    encoding: str | None = None
    reference_time: str | None = None
    language: str | None = None
    headline: str | None = None
    section: str | None = None
    published: str | None = None
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pipeline: list[str] = field(default_factory=list)
    # Working state shared between stages; never serialised.
    lines: list[Line] | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    doc: Any = None

    def span(self, start: int, end: int) -> Span:
        """Build a span over ``text[start:end]``; the one way annotations are made."""
        if not (0 <= start <= end <= len(self.text)):
            raise SpanError(start, end, len(self.text))
        return Span(start, end, self.text[start:end])

    def to_dict(self) -> dict[str, Any]:
        """The article as schema ``lagebild.article/1`` (see docs/schema.md)."""
        return {
            "schema": SCHEMA,
            "id": self.id,
            "source": self.source,
            "input_kind": self.input_kind,
            "encoding": self.encoding,
            "language": self.language,
            "headline": self.headline,
            "section": self.section,
            "published": self.published,
            "updated": self.updated,
            "authors": list(self.authors),
            "agencies": list(self.agencies),
            "images": [image.to_dict() for image in self.images],
            "text": self.text,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "boilerplate": [b.to_dict() for b in self.boilerplate],
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "warnings": list(self.warnings),
            "pipeline": list(self.pipeline),
        }
