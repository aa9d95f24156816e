"""Rule components of the ``entities`` stage that raise recall on top of the NER model.

Each function returns character spans ``(start, end, label)`` or rewrites a list of them; the
stage (:meth:`lagebild.pipeline.entities.EntityRecognizer.spans`) calls them in this order:

1. :func:`title_person_spans` – a person title, office or profession right before capitalised
   words ("Rapper Alpa Gun", "Trainer Jürgen Klopp"): the words are a person.
2. :func:`genitive_person_spans` – a name in the prenominal genitive ("Kádárs Werke") is a
   person, a known city's a place ("Erfurts Trainer").
   Both fill gaps between the model's spans and fix the type of a model span they match exactly
   (:func:`lagebild.pipeline.entities.merge`).
3. :func:`extend_persons` – a name that starts with a known given name replaces a shorter
   person span with the same end ("Anna Beispiel" over the model's "Beispiel").
   :func:`cut_genitive_persons` – a person ends with a surname in the genitive ("Heidi Klums
   Modelsuche" is "Heidi Klums").
4. :func:`abbreviation_spans` – an abbreviation in brackets after an organisation's name is an
   organisation too ("Deutsche Vermögensberatung (DVAG)").
5. :func:`list_spans` – items of an enumeration take the type the other items have
   ("Avignon, Darmstadt, Berlin und Warschau").

Measured on GermEval 2014 in docs/eval-ner.md ("Recall round"); each was analysed on the tune
half only.

GermEval 2014 conventions are kept: titles are not part of a name; derived forms and compound
parts ("deutschen", "EU-Staaten") are never produced.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lagebild.resources import given_names, load_lines

Spans = list[tuple[int, int, str]]

# Words that start sentences or clauses capitalised but are no names.
_STOP = frozenset(
    "Der Die Das Den Dem Des Ein Eine Einer Eines Einem Einen Und Oder Aber Im In Am An Auf Aus Für Mit Von Vom "
    "Zu Zum Zur Vor Nach Bei Beim Über Unter Es Er Sie Wir Ich Ihr Man Als Wie Auch Dass Wenn Weil Doch Noch "
    "Nun So Da Dann Denn Seit Bis Laut Gegen Ohne Um Durch Sein Seine Ihre Ihren Dieser Diese Dieses Jetzt "
    "Heute Gestern Morgen Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar März April "
    "Mai Juni Juli August September Oktober November Dezember Herr Frau Herrn Dr Prof St".split()
)
_NAME_WORD = r"[A-ZÄÖÜÉÁÓÍÚČŠŽŁ][\w'’-]*"
_PARTICLE = r"(?:von der|von|van der|van|de|del|da|di|du|le|la|al|el|bin|ibn|zu|ter|ten)"


@lru_cache(maxsize=1)
def _title_pattern() -> re.Pattern:
    titles = sorted(map(re.escape, load_lines("person_titles.txt")), key=len, reverse=True)
    return re.compile(
        r"(?<![\w.-])(?:" + "|".join(titles) + r")\s+(?P<name>" + _NAME_WORD
        + r"(?:\s+(?:" + _PARTICLE + r"\s+)?" + _NAME_WORD + r"){0,2})(?P<after>\s*\S?)"
    )


def title_person_spans(text: str, known: frozenset[str] = frozenset()) -> Spans:
    """Persons named right after a title, office or profession (``person_titles.txt``).

    The name is the run of one to three capitalised words after the title; it must end before a
    lower-case word or punctuation (so "Trainer Klopp Montag" is not a name), and none of its
    words may be a function word or a name in ``known`` (places and organisations from the
    gazetteers: "Präsident Frankreichs" is no person).
    """
    spans: Spans = []
    for match in _title_pattern().finditer(text):
        after = match.group("after").strip()
        if after[:1].isupper() or after[:1].isdigit():
            continue
        words = match.group("name").split()
        if any(w in _STOP or w in known or w.rstrip("s") in known for w in words):
            continue
        start = match.start("name")
        spans.append((start, match.end("name"), "PER"))
    return spans


def extend_persons(spans: Spans, person_hits: Spans) -> Spans:
    """A person name found by its given name or title replaces the shorter person spans it
    contains when they end where it ends ("Percy Heath" over "Heath"; a match that runs on into
    the next noun, "Matthew Williams Liebeskummer", does not); a span that crosses its boundary
    keeps it out."""
    out = list(spans)
    for s, e, label in person_hits:
        inside = [x for x in out if s <= x[0] and x[1] <= e]
        if not inside or any(x[2] != "PER" for x in inside) or (s, e, label) in inside or max(x[1] for x in inside) != e:
            continue
        if any(x[0] < e and s < x[1] and x not in inside for x in out):
            continue
        out = [x for x in out if x not in inside] + [(s, e, label)]
    return sorted(out)


_BRACKETED = re.compile(r"\s\((?P<abbr>[A-ZÄÖÜ][A-Za-zÄÖÜäöü&-]{1,9})\)")


def abbreviation_spans(text: str, spans: Spans) -> Spans:
    """Abbreviations defined in brackets right after an organisation are organisations:
    "der Deutschen Presse-Agentur (dpa)", "Deutsche Vermögensberatung (DVAG)"; not after a place
    ("Genf (AFP)" is a dateline). Without a span
    before the brackets, the abbreviation must spell the initials of the capitalised words
    before it; then both the name and the abbreviation are organisations."""
    ends = {e: (s, label) for s, e, label in spans}
    out: Spans = []
    for match in _BRACKETED.finditer(text):
        abbr = match.group("abbr")
        if sum(ch.isupper() for ch in abbr) < 2:
            continue
        before = ends.get(match.start())
        if before is not None:
            if before[1] == "ORG":  # "Genf (AFP)": a dateline's place is no name of the agency
                out.append((match.start("abbr"), match.end("abbr"), before[1]))
            continue
        initials = [ch for ch in abbr if ch.isupper()]
        words = list(re.finditer(r"[\w-]+", text[max(0, match.start() - 120) : match.start()]))
        offset = max(0, match.start() - 120)
        taken: list[re.Match] = []
        for word in reversed(words):
            if len(taken) == len(initials) or not (word.group(0)[:1].isupper() or word.group(0) in ("für", "der", "des", "und")):
                break
            taken.append(word)
        capitals = [w for w in reversed(taken) if w.group(0)[:1].isupper()]
        while capitals and capitals[0].group(0) in _STOP:
            capitals.pop(0)
        if capitals and [w.group(0)[0] for w in capitals] == initials:
            out.append((offset + capitals[0].start(), match.start(), "ORG"))
            out.append((match.start("abbr"), match.end("abbr"), "ORG"))
    return out


_ITEM = _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2}"
_LIST = re.compile(r"(?<![\w-])" + _ITEM + r"(?:\s*,\s*" + _ITEM + r")+(?:\s*,?\s+(?:und|oder|sowie)\s+" + _ITEM + r")?")
_ITEM_RE = re.compile(_ITEM)


def list_spans(text: str, spans: Spans) -> Spans:
    """Untagged items of an enumeration of three or more capitalised names take the type of the
    others when at least two of them have it and no item has another type ("die Dörfer
    Hokkala, Kumpula, Oikari und Pölkki"). The first item is never added: it may be the end of
    the phrase before ("13 der 15 Mitglieder, Russland und China")."""
    by_start = {s: (e, label) for s, e, label in spans}
    out: Spans = []
    for match in _LIST.finditer(text):
        items = [(match.start() + m.start(), match.start() + m.end()) for m in _ITEM_RE.finditer(match.group(0))]
        first_start, first_end = items[0]
        last_word = text.rfind(" ", first_start, first_end)  # "Die Dörfer Hokkala": the item is "Hokkala"
        items[0] = (last_word + 1 if last_word != -1 else first_start, first_end)
        items = [(s, e) for s, e in items if text[s:e] not in _STOP]
        if len(items) < 3:
            continue
        labels = Counter()
        free = []
        for position, (s, e) in enumerate(items):
            hit = by_start.get(s)
            if hit and hit[0] == e:
                labels[hit[1]] += 1
            elif any(x[0] < e and s < x[1] for x in spans):
                labels["?"] += 1
            elif position:  # the first item may end the phrase before ("13 der 15 Mitglieder, Russland und China")
                free.append((s, e))
        if len(labels) == 1 and "?" not in labels and free:
            (label, count), = labels.items()
            if count >= 2 and label != "MISC":
                out += [(s, e, label) for s, e in free]
    return out


_GENITIVE = re.compile(r"(?<![\w.-])(?P<name>[A-ZÄÖÜ][a-zäöüßàáâãçèéêëìíîïñòóôõùúûýćčęłńśšźž]+s)\s+(?=[A-ZÄÖÜ][a-zäöüß]{2,}\b)")
_DETERMINERS = ("des eines seines ihres dieses jenes jedes meines deines unseres eures keines welches manches alles "
                "am im vom beim zum zur").split()
# Before a genitive that belongs to a common noun: a sentence start, a determiner ("des Malers"),
# an inflected adjective ("großen Malers").
_DETERMINER_BEFORE = re.compile(
    r"(?:^|[.!?:;\"„“]\s*|\b(?:" + "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in _DETERMINERS) + r")\s+"
    r"|\b[a-zäöüß]+(?:en|er|es|em)\s+)$"
)
_WORD_BEFORE = re.compile(r"([\w'’.-]+)\s+$")
_ADVERBS_IN_S = frozenset("Anfangs Abends Morgens Mittags Nachts Eingangs Seitens Teils Rechts Links Bereits Stets Jenseits "
                          "Abseits Mittels Namens Falls Eigens Vergebens Übrigens Bestens Mindestens Höchstens Spätestens "
                          "Frühestens Meistens Wenigstens Zumindest Erstens Zweitens Drittens Andererseits Einerseits "
                          "Diesseits Keineswegs Unterwegs Tags Sonntags Montags Dienstags Mittwochs Donnerstags Freitags "
                          "Samstags Werktags Feiertags Rings Flugs Stracks Nirgends Vorwärts Rückwärts Aufwärts Abwärts".split())


def genitive_person_spans(text: str, known: frozenset[str] = frozenset(), places: frozenset[str] = frozenset()) -> Spans:
    """A name in the prenominal genitive right before a noun is a person ("Kádárs Werke",
    "Critchlows Stil"): German puts only proper names there, common nouns take an article
    ("des Malers Werke"). Not after a determiner or an inflected adjective, not at the start of a
    sentence, not adverbs in -s ("Anfangs"), not places or organisations in ``known``
    ("Deutschlands Zukunft" is LOC, from the gazetteer). A known city in ``places`` is a place
    ("Erfurts Trainer"). Not a given name before a surname ("Hans Krankl") and not inside a
    longer name ("Dow Jones Index": a capitalised word before it)."""
    given = given_names()
    spans: Spans = []
    for match in _GENITIVE.finditer(text):
        name = match.group("name")
        if name in _ADVERBS_IN_S or name in _STOP or name[:-1] in known or name in known:
            continue
        if name.endswith(("ss", "us", "is", "as", "os", "ys")) or len(name) > 12:
            continue  # "Beweis", "Business", "Softwareprimus"; long words are compounds ("Spitzenreitertrikots")
        if _DETERMINER_BEFORE.search(text, max(0, match.start() - 30), match.start()):
            continue
        before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
        if before and before.group(1)[:1].isupper() and before.group(1) not in _STOP:
            continue  # inside a longer name: "Dow Jones Index", "Heidi Klums Show"
        if name in given:
            continue  # a given name before the surname: "Johannes Brahms", "Hans Krankl"
        if name[:-1] in places:
            spans.append((match.start("name"), match.end("name"), "LOC"))
            continue
        spans.append((match.start("name"), match.end("name"), "PER"))
    return spans


def cut_genitive_persons(text: str, spans: Spans) -> Spans:
    """A person ends with a surname in the genitive: "Heidi Klums Modelsuche" is "Heidi Klums"
    (the noun after the genitive is what belongs to her). Only for a genitive after another
    name word; given names in -s ("Klaus", "Thomas", "Andreas") are not cut at."""
    given = given_names()
    out: Spans = []
    for s, e, label in spans:
        if label == "PER":
            words = list(re.finditer(r"\S+", text[s:e]))
            for i, word in enumerate(words[1:-1], start=1):
                form = word.group(0)
                if (form.endswith("s") and not form.endswith(("ss", "us", "is", "as", "os", "ys")) and form not in given
                        and form[:1].isupper() and words[i + 1].group(0)[:1].isupper()):
                    e = s + word.end()
                    break
        out.append((s, e, label))
    return out
