"""Stage ``entities``: named entities (PER, LOC, ORG, MISC) with linking inside the article.

Cascade in :meth:`EntityRecognizer.__call__`:

1. **Backend** (configurable, :func:`make_backend`): the shipped spaCy model
   (``lagebild/models/ner_de``), any spaCy pipeline the user installed (``spacy:de_core_news_lg``
   or a path), or a local Hugging Face token-classification model directory (``hf:/path``, the
   optional ``hf`` extra). Each returns character spans.
2. **Gazetteers** (``resources/gazetteers/``): countries, German exonyms of world places,
   international organisations, parties, ministries, armed groups, news agencies and media,
   well-known companies, clubs and institutions add what the model missed and fix types the
   model confused (a country is LOC, as in GermEval); organisations recognisable by their form
   ("VfL Osnabrück", "Audi AG": :func:`org_pattern_spans`) replace the model's shorter spans.
   Rules over the text's form (:mod:`lagebild.ner.rules`) add persons after a title ("Rapper
   Alpa Gun"), names in the prenominal genitive ("Kádárs Werke"), abbreviations defined in
   brackets ("Deutsche Vermögensberatung (DVAG)") and the remaining items of enumerations.
3. **Document consistency**: a name tagged once is tagged at its other mentions too, and a
   person's last name alone ("Putin" after "Wladimir Putin") is the same person.
4. **Linking**: mentions of one entity share an ``id`` and a canonical ``name``, the longest full
   form ("Wladimir Putin" <- "Putin"; "Baschar al-Assad" <- "Assad"; "Islamischer Staat" <- "IS"
   <- "Terrormiliz Islamischer Staat"); a short form in brackets right after a name is that
   name ("Österreichischer Gewerkschaftsbund (ÖGB)"). Country adjectives and demonyms ("französischen",
   "Russen") are mentions of kind ``derived`` linked to their country.

German NER runs only on German text unless the setting ``force_language`` is true (W006).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from lagebild.errors import ConfigError, Errors
from lagebild.model import Article, Entity
from lagebild.ner import rules
from lagebild.pipeline import stage
from lagebild.resources import given_names, load_rows
from lagebild.settings import Settings

SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "ner_de"
LABELS = ("PER", "LOC", "ORG", "MISC")
_LABEL_MAP = {
    "PER": "PER", "PERSON": "PER", "B-PER": "PER", "I-PER": "PER",
    "LOC": "LOC", "GPE": "LOC", "LOCATION": "LOC",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "MISC": "MISC", "OTH": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
}

Spans = list[tuple[int, int, str]]


class Backend(Protocol):
    """Anything that turns a text into (start, end, label) character spans."""

    name: str

    def __call__(self, text: str) -> Spans: ...


def _label(raw: str) -> str | None:
    raw = raw.upper().split("-", 1)[-1] if raw[:2] in ("B-", "I-", "E-", "S-") else raw.upper()
    return _LABEL_MAP.get(raw)


class SpacyBackend:
    """A spaCy pipeline with an ``ner`` component, by package name or path.

    With ``vocab`` (the shipped model shares the ``tokens`` stage's vocabulary) the pipeline can
    also run on the article's own ``Doc`` (:meth:`doc_spans`), which saves tokenising the text a
    second time.
    """

    def __init__(self, name_or_path: str | Path, vocab=None):
        import spacy

        self.name = f"spacy:{name_or_path}"
        try:
            self.nlp = spacy.load(name_or_path, vocab=vocab) if vocab is not None else spacy.load(name_or_path)
        except OSError as exc:
            raise ConfigError(Errors.E030.format(backend=self.name, reason=exc)) from exc
        from lagebild._spacy import numpy_matmul

        numpy_matmul(self.nlp)
        if "ner" not in self.nlp.pipe_names and not any("ruler" in p for p in self.nlp.pipe_names):
            raise ConfigError(Errors.E030.format(backend=self.name, reason="the pipeline has no 'ner' component"))
        self.token_classes = _token_classes(self.nlp)
        from lagebild._fastnet import GreedyNer

        #: spaCy's greedy NER without thinc's dispatch and the per-token state machine, where the
        #: model has the shipped shape (:mod:`lagebild._fastnet`); used by :meth:`doc_spans`.
        self.fast_ner = GreedyNer.from_pipe(self.nlp.get_pipe("ner")) if "ner" in self.nlp.pipe_names else None

    def __call__(self, text: str, *, plain: bool = False) -> Spans:
        """Spans of ``text``; the ``ner`` component runs through :attr:`fast_ner` where there is one
        (``plain=True``: the whole spaCy pipeline as it is, for tests)."""
        if self.fast_ner is None or plain:
            doc = self.nlp(text)
        else:
            doc = self.nlp.make_doc(text)
            for name, proc in self.nlp.pipeline:
                doc = self.fast_ner(doc) if name == "ner" else proc(doc)
        return [(e.start_char, e.end_char, label) for e in doc.ents if (label := _label(e.label_))]

    def doc_spans(self, doc, *, plain: bool = False) -> Spans:
        """Spans for an already tokenised ``Doc``; its annotations are left as they are.

        The pipeline runs on a copy (the shipped ``attribute_ruler`` writes gazetteer classes into
        ``TAG``, where the morphology stage keeps STTS tags). A gazetteer ``attribute_ruler`` is
        replaced by one table lookup per token (same classes, no ``Matcher``); every token without
        a class gets an empty ``TAG``, as on a freshly tokenised text. The ``ner`` component runs
        through :attr:`fast_ner` where there is one (``plain=True``: spaCy's own, for tests).
        """
        import numpy
        from spacy.attrs import ORTH, TAG

        if doc.vocab is not self.nlp.vocab:
            return self(doc.text, plain=plain)
        copy = doc.copy()
        for name, proc in self.nlp.pipeline:
            if name == "attribute_ruler" and self.token_classes is not None:
                classes = self.token_classes
                tags = numpy.fromiter((classes.get(orth, 0) for orth in copy.to_array(ORTH).tolist()),
                                      dtype="uint64", count=len(copy))
                copy.from_array([TAG], tags.reshape(-1, 1))
            elif name == "ner" and self.fast_ner is not None and not plain:
                copy = self.fast_ner(copy)
            else:
                copy = proc(copy)
        return [(e.start_char, e.end_char, label) for e in copy.ents if (label := _label(e.label_))]


def _token_classes(nlp) -> dict[int, int] | None:
    """ORTH hash -> TAG hash of an ``attribute_ruler`` made only of one-token ``ORTH`` patterns
    that set ``TAG`` (the shipped gazetteer features); None for any other ruler."""
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    strings = nlp.vocab.strings
    table: dict[int, int] = {}
    for entry in nlp.get_pipe("attribute_ruler").patterns:
        if set(entry.get("attrs", {})) != {"TAG"} or entry.get("index", 0) != 0:
            return None
        tag = strings.add(entry["attrs"]["TAG"])
        for pattern in entry["patterns"]:
            if len(pattern) != 1 or set(pattern[0]) != {"ORTH"}:
                return None
            value = pattern[0]["ORTH"]
            forms = value["IN"] if isinstance(value, dict) and set(value) == {"IN"} else [value] if isinstance(value, str) else None
            if forms is None:
                return None
            for form in forms:
                table.setdefault(strings.add(form), tag)
    return table


class HuggingFaceBackend:
    """A local Hugging Face token-classification model directory (needs ``pip install lagebild[hf]``)."""

    def __init__(self, path: str | Path, max_chars: int = 1500):
        self.name = f"hf:{path}"
        try:
            from transformers import pipeline
        except ImportError as exc:
            raise ConfigError(Errors.E030.format(backend=self.name, reason="transformers is not installed: pip install 'lagebild[hf]'")) from exc
        if not Path(path).is_dir():
            raise ConfigError(Errors.E030.format(backend=self.name, reason="no such model directory"))
        self.pipe = pipeline("token-classification", model=str(path), tokenizer=str(path), aggregation_strategy="simple", device=-1)
        self.max_chars = max_chars

    def __call__(self, text: str) -> Spans:
        spans: Spans = []
        for start, chunk in _chunks(text, self.max_chars):
            for item in self.pipe(chunk):
                label = _label(item.get("entity_group") or item.get("entity", ""))
                if label:
                    spans.append((start + int(item["start"]), start + int(item["end"]), label))
        return spans


class NoBackend:
    """Gazetteers and document consistency only."""

    name = "none"

    def __call__(self, text: str) -> Spans:
        return []


def _chunks(text: str, size: int):
    """Paragraph-aligned pieces of at most ``size`` characters (transformers have a token limit)."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(". ", start, end))
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def make_backend(spec: str) -> Backend:
    """``shipped`` | ``spacy:NAME_OR_PATH`` | ``hf:PATH`` | ``none`` (setting ``ner_backend``)."""
    kind, _, target = spec.partition(":")
    if kind == "shipped":
        if not SHIPPED_MODEL.is_dir():
            raise ConfigError(Errors.E030.format(backend=spec, reason=f"no shipped model at {SHIPPED_MODEL}; run `lagebild train ner`"))
        from lagebild.pipeline.tokens import german_nlp

        return SpacyBackend(SHIPPED_MODEL, vocab=german_nlp().vocab)
    if kind == "spacy" and target:
        return SpacyBackend(target)
    if kind == "hf" and target:
        return HuggingFaceBackend(target)
    if kind == "none":
        return NoBackend()
    raise ConfigError(Errors.E020.format(name="ner_backend", reason=f"'{spec}' is not shipped, spacy:NAME, hf:PATH or none"))


# ---------------------------------------------------------------------------------------------
# Gazetteers


@dataclass(frozen=True)
class GazetteerEntry:
    label: str
    key: str  # canonical key: ISO3 code for places, short name for organisations


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, GazetteerEntry]:
    """Surface form -> entry, from the gazetteer files (their headers give origin and licence)."""
    table: dict[str, GazetteerEntry] = {}
    for name, code in load_rows("gazetteers/countries_de.tsv", 2):
        table[name] = GazetteerEntry("LOC", code)
    for name, country in load_rows("gazetteers/exonyms_de.tsv", 2):
        table.setdefault(name, GazetteerEntry("LOC", name))
    for name, short in load_rows("gazetteers/international_orgs.tsv", 2):
        table[name] = GazetteerEntry("ORG", short)
    for name, _country, short in load_rows("gazetteers/parties.tsv", 3):
        table[name] = GazetteerEntry("ORG", short)
    for name, short in load_rows("gazetteers/armed_groups.tsv", 2):
        table[name] = GazetteerEntry("ORG", short)
    for row in load_rows("gazetteers/ministries.tsv", 2):
        table[row[0]] = GazetteerEntry("ORG", row[1] or row[0])
    for name, short in load_rows("gazetteers/companies.tsv", 2):
        table.setdefault(name, GazetteerEntry("ORG", short))
    for name, short in load_rows("gazetteers/news_agencies.tsv", 2):
        if name not in _AMBIGUOUS_MEDIA:
            table.setdefault(name, GazetteerEntry("ORG", short))
    return table


@lru_cache(maxsize=1)
def _non_person_names() -> frozenset[str]:
    """Gazetteer names of places and organisations: words that cannot be a person's name."""
    return frozenset(name for name, entry in gazetteer().items() if entry.label != "PER")


@lru_cache(maxsize=1)
def _city_names() -> frozenset[str]:
    """City names (gazetteers/cities.tsv), for the rules that tell a place's genitive from a person's."""
    return frozenset(row[0] for row in load_rows("gazetteers/cities.tsv", 3))


# Media names that are also common words or phrases ("Die Welt" at the start of a sentence,
# "Bild", "Spiegel"): left to the model.
_AMBIGUOUS_MEDIA = frozenset({"Bild", "Spiegel", "Die Welt", "Die Zeit", "Die Presse", "sid", "AP", "Tass"})


@lru_cache(maxsize=1)
def derived_forms() -> dict[str, str]:
    """Lower-cased country adjectives and demonyms -> ISO3 code ("französischen" -> FRA)."""
    return {form.lower(): code for form, code, _kind in load_rows("gazetteers/demonyms.tsv", 3)}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO3 code -> a German country name to use as canonical name when only adjectives occur."""
    names: dict[str, str] = {}
    for name, code in load_rows("gazetteers/countries_de.tsv", 2):
        if len(name) > 3 and code not in names:
            names[code] = name
    return names


_TOKEN = re.compile(r"[\w][\w'’.-]*[\w]|\w", re.UNICODE)


@lru_cache(maxsize=1)
def _gazetteer_lengths() -> dict[str, int]:
    """First word of each gazetteer name (as :data:`_TOKEN` splits it) -> most words of a name
    that starts with it, so that the matcher tries only lengths that can match."""
    lengths: dict[str, int] = {}
    for name in gazetteer():
        words = _TOKEN.findall(name)
        if words:
            lengths[words[0]] = max(lengths.get(words[0], 1), len(words))
    return lengths


@lru_cache(maxsize=1)
def _gazetteer_initials() -> frozenset[str]:
    """First characters of the gazetteer names."""
    return frozenset(name[0] for name in gazetteer() if name)


def gazetteer_spans(text: str) -> Spans:
    """Longest gazetteer matches on word boundaries, case-sensitive (names are capitalised)."""
    table = gazetteer()
    lengths = _gazetteer_lengths()
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    spans: Spans = []
    initials = _gazetteer_initials()
    i = 0
    while i < len(tokens):
        first_start, first_end = tokens[i]
        if text[first_start] not in initials:  # most words: no name starts with their letter case
            i += 1
            continue
        first = text[first_start:first_end]
        longest = lengths.get(first)
        if longest is None:  # no name starts with this word: only a genitive ("Syriens") can match
            entry = table.get(first[:-1]) if first.endswith("s") else None
            if entry:
                spans.append((first_start, first_end, entry.label))
            i += 1
            continue
        for n in range(min(longest, len(tokens) - i), 0, -1):
            start, end = first_start, tokens[i + n - 1][1]
            surface = text[start:end]
            entry = table.get(surface) or (table.get(surface[:-1]) if surface.endswith("s") and n == 1 else None)
            if entry:
                spans.append((start, end, entry.label))
                i += n
                break
        else:
            i += 1
    return spans


# "Wladimir Putin", "Baschar al-Assad", "Ursula von der Leyen", "Jean-Claude Juncker": a known
# given name, then capitalised name words, with the particles German news keeps lower case.
_PERSON = re.compile(
    r"\b(?P<given>[A-ZÄÖÜ][\w-]+)((?:\s+(?:von der|von|van der|van|de|del|da|di|du|le|la|al|el|bin|ibn|zu))?"
    r"\s+(?:(?:al|el)-)?[A-ZÄÖÜ][\w'’-]+)+"
)
_NOT_SURNAME = frozenset("Der Die Das Und Im In Am An Auf Für Mit Von Zu Vor Nach Bei Über Ein Eine Es Er Sie Wir".split())


def person_spans(text: str) -> Spans:
    """Person names that start with a known given name (resources/given_names.txt)."""
    names = given_names()
    spans: Spans = []
    position = 0
    while (match := _PERSON.search(text, position)) is not None:
        position = match.end("given")  # a non-name must not swallow the name after it
        if match.group("given") not in names:
            continue
        words = match.group(0).split()
        while len(words) > 1 and (words[-1] in _NOT_SURNAME or words[-1].rstrip("s") in names and len(words) > 2):
            words.pop()
        if len(words) < 2 or words[1] in _NOT_SURNAME:
            continue
        surface = " ".join(words)
        spans.append((match.start(), match.start() + len(surface), "PER"))
        position = match.start() + len(surface)
    return spans


@lru_cache(maxsize=1)
def _org_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(club prefix + name, legal form) patterns from gazetteers/org_patterns.tsv."""
    rows = load_rows("gazetteers/org_patterns.tsv", 2)
    forms = {kind: sorted((re.escape(form) for k, form in rows if k == kind), key=len, reverse=True)
             for kind in ("club", "legal")}
    name_word = r"(?:[A-ZÄÖÜ][\w'’.-]*[\w]|[A-ZÄÖÜ]|\d{2,4})"
    # no look-behind at the start: a pattern that starts with literal text is searched much faster
    club = re.compile(r"(?:" + "|".join(forms["club"]) + r")(?:\s+" + name_word + r"){1,3}(?![\w-])")
    legal = re.compile(r"\s(?:" + "|".join(forms["legal"]) + r")(?![\w-])")
    return club, legal


@lru_cache(maxsize=1)
def _org_descriptors() -> frozenset[str]:
    """Nouns that describe an organisation before its name ("Firma", "Konzern"): not part of it."""
    return frozenset(form for kind, form in load_rows("gazetteers/org_patterns.tsv", 2) if kind == "descriptor")


_ORG_STOP = _NOT_SURNAME | frozenset("Den Dem Des Einer Eines Einem Bei Beim Vom Zum Zur Laut Wie Als Auch Dass".split())
_WORD_BEFORE = re.compile(r"([A-ZÄÖÜ0-9][\w&'’.-]*)\s+$")


def org_pattern_spans(text: str) -> Spans:
    """Organisations recognisable by their form: a sports-club prefix before a name ("VfL
    Osnabrück", "1. FC Nürnberg", "TSV 1860 München") or a legal form after up to three
    capitalised words ("Audi AG", "Deutsche Bank AG", "Google Inc.", "JFE Holdings"). Function
    words at the start of a sentence ("Die Siemens AG"), descriptors ("Firma", "Konzern") and
    compound heads ("Zulieferer-Unternehmen") are not part of the name; country adjectives are
    kept ("Deutsche Bank AG")."""
    club, legal = _org_patterns()
    descriptors = _org_descriptors()
    spans: Spans = []
    for match in club.finditer(text):
        if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] in "_.-"):
            continue  # "ASC Göttingen" is not "SC Göttingen"
        words = match.group(0).split()
        cut = next((i for i, w in enumerate(words) if i and w in _ORG_STOP), len(words))
        words = words[:cut]
        if len(words) > 1 and any(w[:1].isupper() for w in words[1:]) and words[1] not in _ORG_STOP:
            spans.append((match.start(), match.start() + len(" ".join(words)), "ORG"))
    for match in legal.finditer(text):
        start = match.start() + 1
        for _ in range(3):
            before = _WORD_BEFORE.search(text, max(0, start - 60), start)
            if before is None or before.group(1) in _ORG_STOP or before.group(1).rsplit("-", 1)[-1] in descriptors:
                break  # "die Firma Läpple AG", "das Zulieferer-Unternehmen Läpple AG": the name is "Läpple AG"
            start = before.start(1)
        if start < match.start() + 1:
            spans.append((start, match.end(), "ORG"))
    return spans


def apply_org_patterns(spans: Spans, org_spans: Spans) -> Spans:
    """ORG pattern spans replace the spans they contain ("Audi" LOC inside "Audi AG" becomes the
    ORG "Audi AG") and fill gaps; a span that crosses a pattern's boundary wins over it."""
    out = list(spans)
    for s, e, label in sorted(org_spans, key=lambda x: (x[0], -x[1])):
        inside = [x for x in out if s <= x[0] and x[1] <= e]
        crossing = [x for x in out if x[0] < e and s < x[1] and x not in inside]
        if crossing:
            continue
        out = [x for x in out if x not in inside] + [(s, e, label)]
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# Merging, consistency and linking


class Occupied:
    """Which characters of a text are covered by a mention already: O(span length) checks, so
    that articles with thousands of mentions stay linear."""

    def __init__(self, length: int, spans=()):
        self.mask = bytearray(length)
        for start, end, *_ in spans:
            self.take(start, end)

    def free(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) == -1

    def take(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)


def merge(model: Spans, gazetteer_hits: Spans) -> Spans:
    """Model spans win; gazetteer hits fill gaps and fix the type of exact matches."""
    gazetteer_hits = sorted(gazetteer_hits, key=lambda s: (s[0], -(s[1] - s[0])))
    table = {(s, e): label for s, e, label in gazetteer_hits}
    merged = [(s, e, table.get((s, e), label) if label != "PER" else label) for s, e, label in model]
    occupied = Occupied(max([e for _, e, _ in merged + gazetteer_hits], default=0), merged)
    for s, e, label in gazetteer_hits:
        if occupied.free(s, e):
            merged.append((s, e, label))
            occupied.take(s, e)
    return sorted(merged)


def propagate(text: str, spans: Spans) -> Spans:
    """Tag other mentions of names tagged once; a person's last name alone is that person."""
    forms: dict[str, str] = {}
    for s, e, label in spans:
        surface = text[s:e]
        if len(surface) >= 2:
            forms.setdefault(surface, label)
        if label == "PER" and " " in surface:
            last = surface.split()[-1]
            forms.setdefault(last, "PER")
            if last.startswith(("al-", "el-", "Al-", "El-")):
                forms.setdefault(last[3:], "PER")
    # One name, one type: a surface form the model labelled differently at different mentions
    # gets its majority label ("Putin" PER six times and LOC once is PER).
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s, e, label in spans:
        votes[text[s:e]][label] += 1
    majority = {surface: max(counts, key=lambda lab: (counts[lab], lab == "PER")) for surface, counts in votes.items()}
    spans = [(s, e, majority[text[s:e]]) for s, e, _ in spans]
    forms = {surface: majority.get(surface, label) for surface, label in forms.items()}
    out = list(spans)
    occupied = Occupied(len(text), spans)
    for surface, label in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        if len(surface) < 3 and not surface.isupper():
            continue
        for start, end in _mentions(text, surface):
            if occupied.free(start, end):
                out.append((start, end, label))
                occupied.take(start, end)
    return sorted(out)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def _mentions(text: str, surface: str):
    """(start, end) of each stand-alone occurrence of ``surface``, also with a genitive "s"
    ("Putins"; the "s" is not part of the mention). The same matches as the regular expression
    ``(?<![\\w-])SURFACE s?(?![\\w-])``, found with ``str.find`` (no pattern compiled per name)."""
    position = 0
    size = len(surface)
    while (start := text.find(surface, position)) != -1:
        end = start + size
        if start > 0 and _word_char(text[start - 1]):
            position = start + 1
            continue
        if end < len(text) and text[end] == "s" and (end + 1 == len(text) or not _word_char(text[end + 1])):
            yield start, end + 1 if surface.endswith("s") else end
            position = end + 1
        elif end == len(text) or not _word_char(text[end]):
            yield start, end
            position = end
        else:
            position = start + 1


def _person_keys(surface: str) -> set[str]:
    words = surface.replace("’s", "").split()
    keys = {surface}
    if words:
        last = words[-1]
        keys.add(last)
        if "-" in last and last.split("-", 1)[0].lower() in ("al", "el", "bin", "abu"):
            keys.add(last.split("-", 1)[1])
    return keys


def link(text: str, spans: Spans) -> list[Entity]:
    """Entities with ids and canonical names (see the module docstring)."""
    table = gazetteer()
    clusters: list[dict] = []

    def find(label: str, keys: set[str]):
        for cluster in clusters:
            if cluster["label"] == label and cluster["keys"] & keys:
                return cluster
        return None

    mention_cluster = []
    previous = None
    for s, e, label in spans:
        surface = text[s:e]
        keys = _person_keys(surface) if label == "PER" else _other_keys(surface, label)
        cluster = find(label, keys)
        if cluster is None:
            cluster = {"label": label, "keys": set(keys), "forms": []}
            clusters.append(cluster)
        else:
            cluster["keys"] |= keys
        cluster["forms"].append(surface)
        if (previous is not None and previous[1] == label and text[previous[0]:s] == " ("
                and text[e:e + 1] == ")" and mention_cluster[-1] is not cluster):
            # "Österreichischer Gewerkschaftsbund (ÖGB)": the short form in brackets is that name
            kept, gone = mention_cluster[-1], cluster
            kept["keys"] |= gone["keys"]
            kept["forms"] += gone["forms"]
            clusters.remove(gone)
            mention_cluster = [kept if c is gone else c for c in mention_cluster]
            cluster = kept
        previous = (e, label)
        mention_cluster.append(cluster)
    for number, cluster in enumerate(clusters, start=1):
        cluster["id"] = f"e{number}"
        cluster["name"] = _canonical(cluster, table)
    return [
        Entity(s, e, text[s:e], label, cluster["id"], cluster["name"], "name")
        for (s, e, label), cluster in zip(spans, mention_cluster)
    ]


@lru_cache(maxsize=4096)
def _other_keys(surface: str, label: str = "") -> frozenset[str]:
    """Keys of a non-person mention: its lower-cased form and the gazetteer entries it names,
    also inside a longer span ("Terrormiliz Islamischer Staat" names "Islamischer Staat"). A name
    inside a longer span counts only as whole words and with the mention's own label: the
    "Österreichische Gewerkschaftsbund" is no mention of "Österreich", nor the "Universität
    Wien" one of "Wien"."""
    table = gazetteer()
    entry = table.get(surface) or (table.get(surface[:-1]) if surface.endswith("s") else None)  # genitive "Syriens"
    keys = {surface.lower()} | ({f"gaz:{entry.key}"} if entry else set())
    if " " in surface and not entry:
        longest = _longest_name()
        breaks = [m.start() for m in re.finditer(r"[ -]", surface)]
        ends = breaks + [len(surface)]
        for i in [0] + [b + 1 for b in breaks]:
            for j in ends:  # every run of whole words of 4+ characters in it
                if 4 <= j - i <= longest:
                    known = table.get(surface[i:j])
                    if known is not None and (not label or known.label == label):
                        keys.add(f"gaz:{known.key}")
    return frozenset(keys)


@lru_cache(maxsize=1)
def _longest_name() -> int:
    return max(map(len, gazetteer()))


@lru_cache(maxsize=1)
def _names_by_key() -> dict[str, list[tuple[int, str]]]:
    """``gaz:KEY`` -> (position in the gazetteer, name) of its names longer than three characters."""
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for position, (name, entry) in enumerate(gazetteer().items()):
        if len(name) > 3:
            names[f"gaz:{entry.key}"].append((position, name))
    return dict(names)


def _canonical(cluster: dict, table: dict[str, GazetteerEntry]) -> str:
    """The longest full form: a gazetteer name beats a descriptor-prefixed one."""
    forms = cluster["forms"]
    known = [f for f in forms if f in table and len(f) > 3]
    if known:
        return max(known, key=len)
    names = _names_by_key()
    keyed = sorted((position, name) for key in cluster["keys"] if key.startswith("gaz:")
                   for position, name in names.get(key, ()) if any(name in f for f in forms))
    if keyed:
        return max((name for _position, name in keyed), key=len)  # ties: the first in the gazetteer
    return max(forms, key=lambda f: (len(f.split()), len(f)))


def derived_mentions(text: str, entities: list[Entity]) -> list[Entity]:
    """Country adjectives and demonyms as ``derived`` mentions linked to their country."""
    forms = derived_forms()
    by_code: dict[str, Entity] = {}
    for entity in entities:
        entry = gazetteer().get(entity.text)
        if entity.label == "LOC" and entry:
            by_code.setdefault(entry.key, entity)
    extra: list[Entity] = []
    next_id = len({e.id for e in entities}) + 1
    new_ids: dict[str, tuple[str, str]] = {}
    occupied = Occupied(len(text), [(e.start, e.end) for e in entities])
    for match in re.finditer(r"\b[A-Za-zÄÖÜäöüß-]{4,}\b", text):
        code = forms.get(match.group(0).lower())
        if not code or not occupied.free(match.start(), match.end()):
            continue
        if code in by_code:
            entity_id, name = by_code[code].id, by_code[code].name
        else:
            if code not in new_ids:
                new_ids[code] = (f"e{next_id}", country_names().get(code, code))
                next_id += 1
            entity_id, name = new_ids[code]
        extra.append(Entity(match.start(), match.end(), match.group(0), "LOC", entity_id, name, "derived"))
    return extra


@lru_cache(maxsize=1)
def role_table() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(form -> role, role -> implied (role, country)) from resources/role_nouns.tsv."""
    forms: dict[str, str] = {}
    implied: dict[str, tuple[str, str]] = {}
    from lagebild.resources import read_text

    for line in read_text("role_nouns.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        for form in parts[1].split(","):
            forms[form.strip()] = parts[0]
        if len(parts) > 2 and parts[2].strip():
            role, country = parts[2].split()
            implied[parts[0]] = (role, country)
    return forms, implied


_ARTICLE = r"(?:[Dd]er|[Dd]ie|[Dd]en|[Dd]em|[Dd]es)"


@lru_cache(maxsize=1)
def _role_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(role noun right before a name, role noun after an article), compiled once."""
    forms = role_table()[0]
    form_pattern = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    apposition = re.compile(r"(?:(\w+)\s+)?\b(" + form_pattern + r")\s+$")
    phrase = re.compile(r"\b" + _ARTICLE + r"\s+(?:(\w+)\s+)?(" + form_pattern + r")\b(?!\s+[A-ZÄÖÜ]\w+)")
    return apposition, phrase


def role_mentions(text: str, entities: list[Entity]) -> list[Entity]:
    """Role nouns linked to the person the article names in that role.

    "des französischen Präsidenten François Hollande" teaches (Präsident, FRA) -> Hollande; a later
    "der französische Präsident" or "der Präsident" (when only one person holds that role in the
    article) becomes a mention of kind ``role`` with Hollande's id. "Kremlchef" stands for
    (Präsident, RUS) and is linked only if the article names Russia's president.
    """
    forms, implied = role_table()
    demonyms = derived_forms()
    apposition, phrase = _role_patterns()
    people = [e for e in entities if e.label == "PER" and e.kind == "name"]
    holders: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for person in people:
        match = apposition.search(text[max(0, person.start - 60) : person.start])
        if match:
            role = forms[match.group(2)]
            country = demonyms.get((match.group(1) or "").lower())
            holders[(role, country)].add(person.id)
            holders[(role, None)].add(person.id)
            names[person.id] = person.name or person.text
    out: list[Entity] = []
    if not holders:  # nobody is named in a role: no role noun can be linked
        return out
    occupied = Occupied(len(text), [(e.start, e.end) for e in entities])
    for match in phrase.finditer(text):
        role = forms[match.group(2)]
        country = demonyms.get((match.group(1) or "").lower())
        key = implied.get(role, (role, country))
        candidates = holders.get(key, set())
        if len(candidates) != 1 or not occupied.free(match.start(), match.end()):
            continue
        (entity_id,) = candidates
        start = match.start(1) if match.group(1) and country else match.start(2)
        out.append(Entity(start, match.end(2), text[start : match.end(2)], "PER", entity_id, names[entity_id], "role"))
    return out


class EntityRecognizer:
    """Backend + gazetteers + consistency + linking, as one stage callable."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.backend = make_backend(settings.ner_backend)

    def spans(self, text: str, doc=None) -> Spans:
        """Backend, gazetteer and consistency spans of ``text`` (``doc``: its tokens, if made already)."""
        found = self.backend.doc_spans(doc) if doc is not None and hasattr(self.backend, "doc_spans") else self.backend(text)
        model = [(s, e, label) for s, e, label in found if label in LABELS and e > s]
        known, places = _non_person_names(), _city_names()
        people = person_spans(text) + rules.title_person_spans(text, known)
        hits = gazetteer_spans(text) + people + rules.genitive_person_spans(text, known, places)
        merged = rules.extend_persons(merge(_strip_roles(text, _trim(text, model)), hits), people)
        merged = rules.cut_genitive_persons(text, merged)
        merged = apply_org_patterns(merged, org_pattern_spans(text))
        merged = merge(merged, rules.abbreviation_spans(text, merged))
        spans = propagate(text, merged)
        return merge(spans, rules.list_spans(text, spans))

    def __call__(self, article: Article) -> Article:
        if article.language not in (None, "de") and not self.settings.force_language:
            article.warnings.append(Errors.W006.format(language=article.language))
            return article
        text = article.text
        doc = article.doc if _tokenises(article.doc, text) else None
        entities = link(text, self.spans(text, doc))
        entities += derived_mentions(text, entities)
        entities += role_mentions(text, entities)
        article.entities = sorted(entities, key=lambda e: (e.start, e.end))
        return article


def _strip_roles(text: str, spans: Spans) -> Spans:
    """Drop a role noun the model put at the start of a person's name: in "Kanzler Rüdiger
    Hallwachs" the person is "Rüdiger Hallwachs" (GermEval leaves titles out of PER), and
    "Kanzler" becomes a role mention linked to him (:func:`role_mentions`)."""
    forms = role_table()[0]
    out = []
    for s, e, label in spans:
        if label == "PER":
            first, space, rest = text[s:e].partition(" ")
            if space and first in forms and rest[:1].isupper():
                s += len(first) + 1
        out.append((s, e, label))
    return out


def _tokenises(doc, text: str) -> bool:
    """Whether ``doc`` (the ``tokens`` stage's) covers exactly ``text`` (cheap: no ``Doc.text``)."""
    if doc is None:
        return False
    if not len(doc):
        return not text
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and doc[0].idx == 0


def _trim(text: str, spans: Spans) -> Spans:
    """Strip quotes, brackets and spaces a model left at span edges."""
    out = []
    for s, e, label in spans:
        while s < e and text[s] in " \n\"'„“”»«‚‘(":
            s += 1
        while e > s and text[e - 1] in " \n\"'„“”»«‚‘),.:;":
            e -= 1
        if e > s:
            out.append((s, e, label))
    return out


@stage("entities", version=1, requires=("text", "tokens", "language"), assigns=("entities",))
def make_entities(settings: Settings):
    """Named entities with ids and canonical names (pluggable backend, gazetteers, linking)."""
    return EntityRecognizer(settings)


def entity_index(entities: list[Entity]) -> dict[str, dict]:
    """id -> {name, label, mentions}: the article's entities, for summaries and the store."""
    index: dict[str, dict] = defaultdict(lambda: {"mentions": 0})
    for entity in entities:
        item = index[entity.id]
        item.update(name=entity.name, label=entity.label)
        item["mentions"] += 1
    return dict(index)
