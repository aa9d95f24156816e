"""German verb morphology by rule: which cells (mood, tense, person, number) a verb form can fill.

Indirect speech in German news is marked by Konjunktiv I ("Assad müsse gehen", "man habe
vereinbart"), and where Konjunktiv I looks like the indicative (3rd person plural "sie haben")
by Konjunktiv II ("sie hätten"). A tagger trained on a few thousand sentences cannot learn that
from examples, but the paradigms are closed, so this module derives them:

1. :func:`analyse` returns every :class:`Reading` of a form: lemma, VerbForm, and for finite
   forms Mood (``Ind``/``Sub``), Tense (``Pres``/``Past``; with ``Sub`` this is Konjunktiv I/II
   as in UD German), Person and Number. "habe" has three readings: Ind 1 Sing, Sub Pres 1 Sing,
   Sub Pres 3 Sing.
2. :func:`choose` picks the reading that fits the subject's person and number; where a form is
   both indicative and subjunctive for that person ("sie haben", "er sollte", "sie sagten"), the
   indicative wins, since the form itself does not mark indirect speech.

Paradigms come from three data files in ``resources/mood/`` (each with a header saying where its
entries come from): ``irregular_verbs.tsv`` (sein, haben, werden, wissen, tun, the modal verbs,
listed form by form), ``strong_verbs.tsv`` (five principal parts per strong or mixed verb) and
``prefixes.tsv`` (prefixes stripped to reach a listed base: vorschlagen = vor + schlagen).
Every other verb is conjugated as a weak verb from its infinitive, which is either the
lemmatiser's guess or read off the form's ending ("brauche" -> brauchen).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lagebild.resources import load_rows

VOWELS = set("aeiouäöüy")


@dataclass(frozen=True)
class Reading:
    """One analysis of a verb form; mood, tense, person and number are None for non-finite forms."""

    lemma: str
    verbform: str  # "Fin", "Inf" or "Part"
    mood: str | None = None  # "Ind" or "Sub"
    tense: str | None = None  # "Pres" or "Past"
    person: str | None = None  # "1", "2", "3"
    number: str | None = None  # "Sing" or "Plur"

    @property
    def label(self) -> str | None:
        """``Ind``, ``KI`` (Sub + Pres), ``KII`` (Sub + Past), or None for non-finite forms."""
        if self.mood == "Sub":
            return "KI" if self.tense == "Pres" else "KII"
        return self.mood

    def feats(self) -> str:
        """UD features in canonical order, e.g. ``Mood=Sub|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin``."""
        parts = []
        if self.mood:
            parts.append(f"Mood={self.mood}")
        if self.number:
            parts.append(f"Number={self.number}")
        if self.person:
            parts.append(f"Person={self.person}")
        if self.tense:
            parts.append(f"Tense={self.tense}")
        parts.append(f"VerbForm={self.verbform}")
        return "|".join(parts)


_CELLS = (("1", "Sing"), ("2", "Sing"), ("3", "Sing"), ("1", "Plur"), ("2", "Plur"), ("3", "Plur"))


def _add(paradigm: dict[str, set[Reading]], form: str, reading: Reading) -> None:
    if form:
        paradigm.setdefault(form, set()).add(reading)


def _add_row(paradigm, lemma: str, mood: str, tense: str, forms: tuple[str | tuple[str, ...], ...]) -> None:
    """Add six forms (1-3 Sing, 1-3 Plur) of one mood and tense; a cell may have variants."""
    for (person, number), variants in zip(_CELLS, forms):
        for form in (variants,) if isinstance(variants, str) else variants:
            _add(paradigm, form, Reading(lemma, "Fin", mood, tense, person, number))


def _needs_e(stem: str) -> bool:
    """Whether endings -t, -st, -te take a linking e: "arbeitet", "rechnet", "öffnet" (not "lernt", "wohnt")."""
    if stem.endswith(("t", "d")):
        return True
    if len(stem) >= 3 and stem[-1] in "mn":
        before = stem[-2]
        if before in VOWELS or before in "lrmn":
            return False
        if before == "h" and stem[-3] in VOWELS:  # "wohnt", "lehnt"; but "zeichnet"
            return False
        return True
    return False


def _stem(infinitive: str) -> str | None:
    if infinitive.endswith(("eln", "ern")):
        return infinitive[:-1]
    if infinitive.endswith("en"):
        return infinitive[:-2]
    return None


def _second_singular(stem: str) -> str:
    if _needs_e(stem):
        return stem + "est"
    if stem.endswith(("s", "ß", "z", "x")):
        return stem + "t"
    return stem + "st"


def weak_paradigm(infinitive: str) -> dict[str, set[Reading]]:
    """All finite and non-finite forms of a weak verb (sagen, arbeiten, ändern, sammeln)."""
    stem = _stem(infinitive)
    if not stem or len(stem) < 2:
        return {}
    e = "e" if _needs_e(stem) else ""
    p: dict[str, set[Reading]] = {}
    # "sammeln": ich samm(e)le, er sammelt; "ändern": ich ändere, er ändert
    first = (stem + "e", stem[:-2] + "le") if stem.endswith("el") else stem + "e"
    _add_row(p, infinitive, "Ind", "Pres", (first, _second_singular(stem), stem + e + "t", infinitive, stem + e + "t", infinitive))
    past = stem + e + "te"
    # Weak past and Konjunktiv II are the same forms ("sagte"); both readings are kept.
    for mood in ("Ind", "Sub"):
        _add_row(p, infinitive, mood, "Past", (past, past + "st", past, past + "n", past + "t", past + "n"))
    _add_row(p, infinitive, "Sub", "Pres", (first, stem + "est", first, infinitive, stem + "et", infinitive))
    _add(p, infinitive, Reading(infinitive, "Inf"))
    participle = stem + e + "t"
    _add(p, participle if infinitive.endswith("ieren") else "ge" + participle, Reading(infinitive, "Part"))
    return p


def strong_paradigm(infinitive: str, present3: str, past: str, konjunktiv2: str, participle: str) -> dict[str, set[Reading]]:
    """All forms of a strong or mixed verb from its five principal parts (see strong_verbs.tsv)."""
    stem = _stem(infinitive) or infinitive[:-1]
    e = "e" if _needs_e(stem) else ""
    p: dict[str, set[Reading]] = {}
    if present3.endswith("et") and e:  # bietet -> bietest
        second = present3[:-1] + "st"
    elif present3.endswith(("st", "ßt", "zt", "xt")) and stem.endswith(("s", "ß", "z", "x")):  # liest, heißt
        second = present3
    elif stem.endswith(("t", "d")) and not present3.endswith("et"):  # hält -> hältst, lädt -> lädst
        second = present3 + "st" if present3.endswith("t") and not present3.endswith("dt") else present3[:-1] + "st"
    else:
        second = present3[:-1] + "st"
    _add_row(p, infinitive, "Ind", "Pres", (stem + "e", second, present3, infinitive, stem + e + "t", infinitive))
    if past.endswith("e"):  # mixed verbs: brachte, dachte
        _add_row(p, infinitive, "Ind", "Past", (past, past + "st", past, past + "n", past + "t", past + "n"))
    else:
        # du fandest/fandst, ihr fandet; du lasest, ihr last; du gabst, ihr gabt
        second = (past + "est", past + "st") if past.endswith(("t", "d")) else past + "est" if past.endswith(("s", "ß", "z", "x")) else past + "st"
        plural2 = past + "et" if past.endswith(("t", "d")) else past + "t"
        _add_row(p, infinitive, "Ind", "Past", (past, second, past, past + "en", plural2, past + "en"))
    _add_row(p, infinitive, "Sub", "Pres", (stem + "e", stem + "est", stem + "e", infinitive, stem + "et", infinitive))
    k = konjunktiv2[:-1] if konjunktiv2.endswith("e") else konjunktiv2
    _add_row(p, infinitive, "Sub", "Past", (k + "e", (k + "est", k + "st"), k + "e", k + "en", (k + "et", k + "t"), k + "en"))
    _add(p, infinitive, Reading(infinitive, "Inf"))
    _add(p, participle, Reading(infinitive, "Part"))
    return p


@lru_cache(maxsize=1)
def _tables():
    """Base-verb index (form -> readings of listed verbs), prefixes and weak exceptions."""
    index: dict[str, set[Reading]] = {}
    listed: dict[str, dict[str, set[Reading]]] = {}
    for form, lemma, verbform, mood, tense, person, number in load_rows("mood/irregular_verbs.tsv", 7):
        reading = Reading(lemma, verbform, *(None if v == "-" else v for v in (mood, tense, person, number)))
        index.setdefault(form, set()).add(reading)
        listed.setdefault(lemma, {}).setdefault(form, set()).add(reading)
    for row in load_rows("mood/strong_verbs.tsv", 5):
        for form, readings in strong_paradigm(*row).items():
            index.setdefault(form, set()).update(readings)
            listed.setdefault(row[0], {}).setdefault(form, set()).update(readings)
    prefixes: dict[str, str] = {}
    weak: set[str] = set()
    for kind, form in load_rows("mood/prefixes.tsv", 2):
        if kind == "weak":
            weak.add(form)
        else:
            prefixes[form] = kind
    ordered = tuple(sorted(prefixes, key=len, reverse=True))
    return index, listed, prefixes, ordered, frozenset(weak)


def is_listed(lemma: str) -> bool:
    """Whether ``lemma`` is one of the irregular or strong verbs of the data files."""
    return lemma in _tables()[1]


def _prefixed(form: str, depth: int = 0) -> set[Reading]:
    """Readings of ``form`` as prefix + listed verb ("schlug vor" parts, "vorgeschlagen", "bekam")."""
    index, _listed, prefixes, ordered, weak = _tables()
    found: set[Reading] = set()
    for prefix in ordered:
        if not form.startswith(prefix) or len(form) - len(prefix) < 3:
            continue
        core = form[len(prefix):]
        kind = prefixes[prefix]
        readings = set(index.get(core, ()))
        if depth < 2:
            readings |= _prefixed(core, depth + 1)
        if kind in ("sep", "both") and core.startswith("zu"):  # anzurufen, vorzuschlagen
            readings |= {Reading(r.lemma, "Inf") for r in index.get(core[2:], ()) if r.verbform == "Inf"}
        for reading in readings:
            if reading.verbform == "Part":
                participle_has_ge = core.startswith("ge") or reading.lemma.endswith("ieren")
                if kind == "insep" and core.startswith("ge") and not reading.lemma.startswith("ge"):
                    continue  # "begegeben" is no form; inseparable prefixes take no ge
                if kind == "sep" and not participle_has_ge and not _has_insep_prefix(reading.lemma):
                    continue
            lemma = prefix + reading.lemma
            if lemma in weak:
                continue
            found.add(Reading(lemma, reading.verbform, reading.mood, reading.tense, reading.person, reading.number))
        if kind in ("insep", "both"):  # bekommen (Part) = be + kommen (Inf form without ge)
            for reading in index.get("ge" + core, ()):
                if reading.verbform == "Part" and prefix + reading.lemma not in weak:
                    found.add(Reading(prefix + reading.lemma, "Part"))
    return found


def _has_insep_prefix(lemma: str) -> bool:
    _index, _listed, prefixes, ordered, _weak = _tables()
    return any(lemma.startswith(p) and prefixes[p] != "sep" for p in ordered)


#: Endings stripped to guess the infinitive of an unknown weak verb, longest first.
_ENDINGS = ("etest", "etet", "eten", "test", "tet", "ten", "ete", "est", "te", "et", "en", "st", "e", "t")


def _guesses(form: str) -> list[str]:
    """Infinitives a weak verb form may come from: "brauchte" -> brauchen, "änderte" -> ändern."""
    out = []
    for ending in _ENDINGS:
        if form.endswith(ending) and len(form) - len(ending) >= 2:
            stem = form[: -len(ending)]
            out.append(stem + "n" if stem.endswith(("el", "er")) else stem + "en")
    return out


def _weak_readings(form: str, infinitive: str) -> set[Reading]:
    """Readings of ``form`` in the weak paradigm of ``infinitive`` (prefixed participles included)."""
    readings = set(weak_paradigm(infinitive).get(form, ()))
    _index, _listed, prefixes, ordered, _weak = _tables()
    for prefix in ordered:
        if infinitive.startswith(prefix) and len(infinitive) - len(prefix) >= 4:
            base = infinitive[len(prefix):]
            kind = prefixes[prefix]
            base_forms = weak_paradigm(base)
            if kind in ("insep", "both"):  # verkauft, beantragt: no ge
                for reading in base_forms.get("ge" + form[len(prefix):], ()) if form.startswith(prefix) else ():
                    if reading.verbform == "Part":
                        readings.add(Reading(infinitive, "Part"))
            if kind in ("sep", "both") and form.startswith(prefix):  # abgestimmt, abzustimmen
                core = form[len(prefix):]
                for reading in base_forms.get(core, ()):
                    if reading.verbform == "Part":
                        readings.add(Reading(infinitive, "Part"))
                if core.startswith("zu") and core[2:] == base:
                    readings.add(Reading(infinitive, "Inf"))
                # verb-final finite forms keep the particle: "dass er zustimme"
                for reading in base_forms.get(core, ()):
                    if reading.verbform == "Fin":
                        readings.add(Reading(infinitive, "Fin", reading.mood, reading.tense, reading.person, reading.number))
    if infinitive.endswith("ieren"):
        readings.discard(Reading(infinitive, "Part")) if form.startswith("ge") else None
    return readings


@lru_cache(maxsize=65536)
def analyse(form: str, lemma_hint: str | None = None) -> tuple[Reading, ...]:
    """Every reading of a German verb form, most trustworthy source first.

    The cascade:

    1. sein, haben, werden, wissen, tun, modal verbs and strong verbs (``irregular_verbs.tsv``,
       ``strong_verbs.tsv``), also behind prefixes (``prefixes.tsv``: "vorgeschlagen", "bekam");
    2. the weak paradigm of ``lemma_hint`` (the lemmatiser's infinitive), if the form is in it;
    3. the weak paradigm of infinitives guessed from the form's ending ("brauche" -> brauchen).

    When several lemmas remain, the hint's lemma is preferred. Returns an empty tuple when no
    paradigm contains the form.
    """
    form = form.lower()
    index = _tables()[0]
    readings = set(index.get(form, ())) | _prefixed(form)
    hint = lemma_hint.lower() if lemma_hint else None
    if hint and hint.endswith("n") and not is_listed(hint):
        weak = _weak_readings(form, hint)
        if weak and not any(r.lemma == hint for r in readings):
            readings |= weak
    if readings:
        if hint and any(r.lemma == hint for r in readings):
            readings = {r for r in readings if r.lemma == hint}
        return _ordered(readings)
    fallback: set[Reading] = set()
    for guess in _guesses(form):
        weak = _weak_readings(form, guess)
        if weak and _is_lemma(guess):
            return _ordered(weak)
        fallback = fallback or weak
    return _ordered(fallback)


def _is_lemma(word: str) -> bool:
    """Whether simplemma knows ``word`` as a lemma: "arbeiten" yes, "arbeien" and "sagten" no."""
    import simplemma

    return simplemma.is_known(word, lang="de") and simplemma.lemmatize(word, lang="de") == word


def forms_of(lemma: str) -> dict[str, set[Reading]]:
    """The paradigm of ``lemma``: listed (irregular, strong, prefix + strong) or weak."""
    _index, listed, prefixes, ordered, weak = _tables()
    if lemma in listed:
        return listed[lemma]
    if lemma not in weak:
        for prefix in ordered:
            base = lemma[len(prefix):]
            if lemma.startswith(prefix) and base in listed:
                out: dict[str, set[Reading]] = {}
                for form, readings in listed[base].items():
                    for r in readings:
                        if r.verbform == "Fin":
                            out.setdefault(prefix + form, set()).add(Reading(lemma, "Fin", r.mood, r.tense, r.person, r.number))
                return out
    return weak_paradigm(lemma)


def form_for(lemma: str, mood: str, tense: str, person: str, number: str) -> str | None:
    """One form of ``lemma`` for a cell, e.g. ``form_for("geben", "Sub", "Pres", "3", "Sing")`` -> "gebe"."""
    candidates = sorted(
        form for form, readings in forms_of(lemma).items()
        if any(r.verbform == "Fin" and (r.mood, r.tense, r.person, r.number) == (mood, tense, person, number) for r in readings)
    )
    return min(candidates, key=len) if candidates else None


_MOOD_ORDER = {"Ind": 0, "Sub": 1, None: 2}
_TENSE_ORDER = {"Pres": 0, "Past": 1, None: 2}
_FORM_ORDER = {"Fin": 0, "Part": 1, "Inf": 2}


def _ordered(readings: set[Reading]) -> tuple[Reading, ...]:
    return tuple(
        sorted(
            readings,
            key=lambda r: (_FORM_ORDER[r.verbform], _MOOD_ORDER[r.mood], _TENSE_ORDER[r.tense], r.person or "", r.number or "", r.lemma),
        )
    )


def choose(readings: tuple[Reading, ...], person: str | None = "3", number: str | None = None, *, finite: bool = True) -> Reading | None:
    """The reading that fits a subject of ``person``/``number`` (None: unknown), indicative first.

    "habe" with "ich" is Ind 1 Sing; with "er", "man" or a noun subject ("Der Minister habe") it
    is Sub Pres 3 Sing (Konjunktiv I). "haben" with a 3rd person plural subject is Ind: the
    Konjunktiv I form equals the indicative, so the form does not mark indirect speech.
    With ``finite`` only finite readings are considered (if any exist).
    """
    if finite:
        readings = tuple(r for r in readings if r.verbform == "Fin") or readings
    if not readings:
        return None
    pool = readings
    if person is not None:
        pool = tuple(r for r in readings if r.person == person) or readings
    if number is not None:
        pool = tuple(r for r in pool if r.number == number) or pool
    return pool[0]
