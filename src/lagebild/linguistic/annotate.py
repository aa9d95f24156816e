"""Lemmas, UPOS, STTS tags and UD features for the tokens of a spaCy ``Doc``.

:class:`Annotator` is what the ``morphology`` stage runs on :attr:`Article.doc`. Per token:

1. **Tags.** The shipped tagger (``models/tagger_de``: STTS ``tag_`` and UPOS ``pos_``).
2. **Verb fixes.** Forms whose paradigm is closed overrule the tagger: "sei", "hätte", "müsse"
   are always finite verbs, and a form tagged infinitive that does not end in -n ("machte") is
   finite. A clause without a finite verb gets one back (:func:`rescue_finite`) where a token
   that can be a finite verb stands where German puts it: second after a simple first
   constituent ("Die Opposition fordere Neuwahlen"), first after a comma ("..., erwarten
   Analysten") or last in a subordinate clause ("ob der Vertrag noch gelte").
3. **Lemmas.** Verbs from :mod:`lagebild.linguistic.verbs` (which knows "gäbe" -> geben,
   "vorgeschlagen" -> vorschlagen), fused prepositions from ``contractions.tsv`` ("zum" -> zu),
   everything else from simplemma (MIT) with UD German's conventions on top (:func:`lemma_of`):
   nouns keep their capital ("Tat" is not "tun"), names stay as written unless simplemma only
   strips a genitive -s ("Deutschlands"), inflected participle adjectives keep the participle
   ("die bestellten Waren" -> bestellt). Punctuation and numbers stay as they are.
4. **Features.** Finite verbs get ``Mood``, ``Tense``, ``Person``, ``Number`` and
   ``VerbForm=Fin`` from the verb analysis, choosing among a form's readings by the subject of
   its clause (:func:`subject_of`); infinitives and participles get ``VerbForm``; personal
   pronouns get ``PronType=Prs`` with person, number and case where the form decides them.

Konjunktiv I is ``Mood=Sub|Tense=Pres``, Konjunktiv II ``Mood=Sub|Tense=Past`` (UD German);
:func:`mood_label` turns a token's features into ``Ind``/``KI``/``KII``/``Imp``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy

from lagebild.linguistic import verbs
from lagebild.resources import load_rows

#: Where the shipped tagger weights live.
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "tagger_de"

FINITE_TAGS = {"VVFIN", "VAFIN", "VMFIN"}
INFINITE_TAGS = {"VVINF": "Inf", "VAINF": "Inf", "VMINF": "Inf", "VVIZU": "Inf", "VVPP": "Part", "VAPP": "Part", "VMPP": "Part"}
MODALS = {"dürfen", "können", "mögen", "müssen", "sollen", "wollen"}
AUXILIARIES = {"sein", "haben", "werden"}

#: Finite forms of closed paradigms that are never anything but a verb ("weiß" can be the colour).
_NOT_ALWAYS_VERBS = {"weiß", "weiss", "war", "hab", "tu", "ward", "mag"}

#: Tokens that end a clause for the subject search: "Er sagte, man habe ..." has two clauses.
_CLAUSE_BREAKS = {",", ";", ":", "(", ")", "–", "—", "-", "„", "“", "”", "\"", "»", "«", "‚", "‘", "’", "›", "‹", ".", "!", "?"}


def mood_label(token) -> str | None:
    """``Ind``, ``KI`` (Konjunktiv I), ``KII`` (Konjunktiv II), ``Imp`` or None for a token."""
    morph = token.morph
    mood = morph.get("Mood")
    if not mood:
        return None
    if mood[0] == "Sub":
        return "KII" if morph.get("Tense") == ["Past"] else "KI"
    return mood[0]


@lru_cache(maxsize=1)
def _pronouns() -> dict[str, tuple[str, str, str, str]]:
    return {form: (subject, case, person, number) for form, _lemma, subject, case, person, number in load_rows("mood/pronouns.tsv", 6)}


@lru_cache(maxsize=1)
def _contractions() -> dict[str, str]:
    return dict(load_rows("mood/contractions.tsv", 2))


_ADJECTIVE_ENDINGS = ("en", "em", "er", "es", "e")


def lemma_of(text: str, tag: str, pos: str) -> str:
    """The lemma of a token that is not a verb (see step 3 of the module docstring)."""
    import simplemma

    lower = text.lower()
    if pos in ("PUNCT", "NUM", "SYM", "X") or tag in ("CARD", "$.", "$,", "$("):
        return text
    if tag == "APPRART" or pos == "ADP":
        preposition = _contractions().get(lower)
        if preposition:
            return preposition
    if pos == "NOUN":
        form = text if not text.isupper() or len(text) < 4 else text.capitalize()
        lemma = simplemma.lemmatize(form, lang="de")
        return lemma if lemma[:1].isupper() else form
    if pos == "PROPN":
        lemma = simplemma.lemmatize(text, lang="de")
        return lemma if lemma[:1] == text[:1] and text.startswith(lemma) else text
    lemma = simplemma.lemmatize(lower, lang="de")
    if tag == "ADJA" and lemma.endswith("n"):
        for ending in _ADJECTIVE_ENDINGS:
            base = lower[: -len(ending)]
            if lower.endswith(ending) and len(base) > 2 and lemma in (base + "en", base + "n", base[:-1] + "en"):
                return base  # "bestellten" -> bestellt, "tolle" -> toll, not the verb
    return lemma


@lru_cache(maxsize=1)
def _always_finite() -> dict[str, str]:
    """Closed-paradigm forms that are always finite verbs -> their STTS tag (VAFIN/VMFIN/VVFIN)."""
    by_form: dict[str, set] = {}
    for form, lemma, verbform, *_rest in load_rows("mood/irregular_verbs.tsv", 7):
        by_form.setdefault(form, set()).add((lemma, verbform))
    out = {}
    for form, readings in by_form.items():
        if form in _NOT_ALWAYS_VERBS or any(verbform != "Fin" for _lemma, verbform in readings):
            continue
        lemma = next(iter(readings))[0]
        out[form] = "VMFIN" if lemma in MODALS else "VAFIN" if lemma in AUXILIARIES else "VVFIN"
    return out


def subject_of(doc, i: int, clause: tuple[int, int], lowers: list[str] | None = None,
               tags: list[str] | None = None) -> tuple[str | None, str | None]:
    """Person and number of the subject of the finite verb ``doc[i]``, guessed from its clause.

    The nearest pronoun that is always a subject (ich, du, er, wir, man) decides; else the nearest
    that may be one (sie, es, ihr); else the subject is taken to be a noun phrase, 3rd person
    ("Der Bürgerkrieg brauche eine Lösung"). Returns (person, number), None where unknown.
    ``lowers`` and ``tags`` are the lower-case forms and tags of all tokens, if read already.
    """
    pronouns = _pronouns()
    best: tuple[int, int, str | None, str | None] | None = None
    start, end = clause
    for j in range(start, end):
        if j == i:
            continue
        entry = pronouns.get(lowers[j] if lowers is not None else doc[j].lower_)
        if entry is None or entry[0] == "no" or (tags[j] if tags is not None else doc[j].tag_) not in ("PPER", "PIS", ""):
            continue
        rank = (0 if entry[0] == "yes" else 1, abs(j - i))
        if best is None or rank < best[:2]:
            person = None if entry[2] == "-" else entry[2]
            number = None if entry[3] == "-" else entry[3]
            best = (rank[0], rank[1], person, number)
    if best is None:
        return "3", None
    return best[2], best[3]


def _clauses(doc, texts: list[str] | None = None, sent_starts: list[int] | None = None) -> list[tuple[int, int]]:
    """Token ranges between clause breaks, never crossing a sentence start.

    ``texts`` and ``sent_starts`` (the ``ORTH`` strings and ``SENT_START`` values) may be given
    when the caller has read them already: reading a column is much cheaper than a ``Token``
    object per token.
    """
    if texts is None:
        texts = [token.text for token in doc]
    if sent_starts is None:
        from spacy.attrs import SENT_START

        sent_starts = doc.to_array(SENT_START).tolist()
    spans, start = [], 0
    for i in range(1, len(texts)):
        if sent_starts[i] == 1 or texts[i] in _CLAUSE_BREAKS:
            spans.append((start, i))
            start = i
    spans.append((start, len(texts)))
    return spans


class Annotator:
    """Tags, lemmas and features for a ``Doc`` made by lagebild's tokenizer (see module docstring)."""

    def __init__(self, model_path: Path | str | None = None, vocab=None):
        import spacy

        from lagebild.pipeline.tokens import german_nlp

        path = Path(model_path) if model_path else MODEL_PATH
        if not (path / "config.cfg").exists():
            raise FileNotFoundError(
                f"tagger weights not found in {path}; train them with "
                "lagebild.linguistic.train.train_tagger (see docs/model-card-tagger.md)"
            )
        self.vocab = vocab if vocab is not None else german_nlp().vocab
        self.nlp = spacy.load(path, vocab=self.vocab)
        from lagebild._spacy import numpy_matmul

        numpy_matmul(self.nlp)
        self.components = [proc for _name, proc in self.nlp.pipeline]
        self.path = path
        from lagebild._fastnet import TaggerHeads

        #: The same forward pass without thinc's per-layer dispatch (None for weights of another shape).
        self.fast = TaggerHeads.from_nlp(self.nlp)

    def tag(self, doc):
        """Run the statistical components only (tags and UPOS)."""
        if self.fast is not None and len(doc):
            return self.fast(doc)
        return self.tag_plain(doc)

    def tag_plain(self, doc):
        """:meth:`tag` through spaCy's components (the reference for the fast pass)."""
        for proc in self.components:
            doc = proc(doc)
        return doc

    def __call__(self, doc):
        if not len(doc):
            return doc
        self.tag(doc)
        annotate_rules(doc)
        return doc


#: Tags a finite verb is wrongly given by a tagger trained on little data ("fordere/ADJA", "nahm/ADV").
_RESCUABLE = {"VVINF", "VVPP", "ADJA", "ADJD", "ADV", "NN", "NE", "VMINF", "VAINF", "PIS", "PIAT"}
#: Tags that may make up a simple first constituent before a verb-second finite verb.
_DETERMINERS = {"ART", "PDAT", "PPOSAT", "PIAT", "PWAT"}
_MODIFIERS = {"ADJA", "ADJD", "CARD"}
_NOUNS = {"NN", "NE"}
_ALONE = {"PPER", "PIS", "PDS", "ADV", "PAV", "PWS", "PWAV"}
#: Tags that open a verb-final clause.
_SUBORDINATORS = {"KOUS", "PRELS", "PRELAT", "PWAV", "PWS"}


def _finite_tag(lemma: str) -> str:
    return "VMFIN" if lemma in MODALS else "VAFIN" if lemma in AUXILIARIES else "VVFIN"


def _can_be_finite(token) -> verbs.Reading | None:
    """A finite reading of ``token`` if it looks like a verb: a listed verb form, or a form whose
    lemma (simplemma) is a lower-case infinitive other than the form's own adjective reading."""
    import simplemma

    lower = token.lower_
    if token.tag_ not in _RESCUABLE or token.text[:1].isupper() and not token.is_sent_start:
        return None
    hint = simplemma.lemmatize(lower, lang="de")
    if lower.endswith("en") and token.tag_ in ("ADJA", "NN", "NE") and hint != lower:
        return None  # an inflected adjective ("neuen" -> neu), not a plural verb ("fordern")
    readings = [r for r in verbs.analyse(lower, hint) if r.verbform == "Fin"]
    if not readings:
        return None
    if not verbs.is_listed(readings[0].lemma) and not any(verbs.is_listed(r.lemma) for r in readings):
        # a weak verb: only if the lemmatiser itself says it is an infinitive ("fordere" -> fordern)
        if not (hint.endswith("n") and hint != lower and readings[0].lemma == hint):
            if not (token.tag_ in ("VVINF", "VMINF", "VAINF", "ADJA") and lower == hint and lower.endswith("n")):
                return None
    return readings[0]


def _first_constituent_end(doc, start: int, end: int, tags: list[str] | None = None,
                           lowers: list[str] | None = None) -> int | None:
    """Index after a simple first constituent at ``start`` ("Die neue Regierung", "Wir", "Heute").

    ``tags`` and ``lowers`` are the tags and lower-case forms of all tokens, if read already.
    """
    if tags is None:
        tags = [t.tag_ for t in doc]
    if lowers is None:
        lowers = [t.lower_ for t in doc]
    i = start
    while i < end and tags[i] in ("$(",):
        i += 1
    if i >= end:
        return None
    if tags[i] in _ALONE:
        return i + 1
    if tags[i] in _DETERMINERS:
        i += 1
    while i < end and tags[i] in _MODIFIERS:
        i += 1
    if i < end and tags[i] in _NOUNS:
        while i < end and tags[i] in _NOUNS:
            i += 1
        if i < end and tags[i] in _DETERMINERS and lowers[i] in ("der", "des"):  # "Die Zahl der Arbeitslosen"
            j = i + 1
            while j < end and tags[j] in _MODIFIERS:
                j += 1
            if j < end and tags[j] in _NOUNS:
                while j < end and tags[j] in _NOUNS:
                    j += 1
                i = j
        return i
    return None


#: A clause with one of these tags needs no rescue (a finite verb, a zu-infinitive, an imperative).
_NOT_RESCUED = FINITE_TAGS | {"VVIZU", "PTKZU", "VVIMP"}


def _column(doc, attr) -> list[str]:
    """One string attribute (``TAG``, ``POS``, ``ORTH``, ...) of every token, without ``Token`` objects."""
    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array(attr).tolist()]


def rescue_finite(doc, clauses, tags: list[str] | None = None, texts: list[str] | None = None,
                  lowers: list[str] | None = None) -> None:
    """Give a clause without a finite verb the finite verb a tagger missed (see step 2).

    Tried in order, and only on tokens that :func:`_can_be_finite`: the last word of a clause
    opened by a subordinating conjunction or relative pronoun ("ob der Vertrag noch gelte"); the
    first word of a clause after a comma ("..., erwarten Analysten"); the word after a simple
    first constituent ("Die Polizei nahm drei Verdächtige fest"). A clause with a zu-infinitive
    is left alone ("..., das Verfahren einzustellen").

    Works on the token columns (``tags``, ``texts``, ``lowers``: read from ``doc`` unless given);
    a rescued token's new tag is written to ``doc`` and to ``tags``. Clauses do not overlap and a
    rescue changes a token of its own clause only, so the columns stay true for later clauses.
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH, TAG

    if tags is None:
        tags = _column(doc, TAG)
    skip = (doc.to_array(IS_PUNCT) | doc.to_array(IS_SPACE)).tolist()
    # clauses with a finite verb (or a zu-infinitive, an imperative) need nothing: count such
    # words once, so that each clause is one subtraction
    seen = [0]
    for j, tag in enumerate(tags):
        seen.append(seen[-1] + (1 if not skip[j] and tag in _NOT_RESCUED else 0))
    for start, end in clauses:
        if seen[end] != seen[start]:
            continue
        words = [j for j in range(start, end) if not skip[j]]
        if not words:
            continue
        if texts is None:
            texts, lowers = _column(doc, ORTH), _column(doc, LOWER)
        candidates = []
        if tags[words[0]] in _SUBORDINATORS and len(words) > 1:
            candidates.append(words[-1])
        if start > 0 and texts[start] == "," or (start > 0 and texts[start - 1] == ","):
            candidates.append(words[0])
        after = _first_constituent_end(doc, words[0], end, tags, lowers)
        if after is not None and after < end:
            candidates.append(after)
        for i in candidates:
            token = doc[i]
            reading = _can_be_finite(token)
            if reading is not None:
                token.tag_ = _finite_tag(reading.lemma)
                token.pos_ = "AUX" if token.tag_ in ("VAFIN", "VMFIN") else "VERB"
                tags[i] = token.tag_
                break


def _imperatives(doc) -> None:
    """Tag the first word of a sentence ending in "!" as an imperative if it is one.

    "Komm her!" (verb stem), "Hört auf!" (2nd person plural), "Geben Sie uns eine Chance!"
    (infinitive form before "Sie"). The tagger, trained on little data, rarely predicts VVIMP.
    """
    import simplemma

    for sentence in doc.sents:
        words = [t for t in sentence if not t.is_space]
        if len(words) < 2 or words[-1].text != "!" or words[0].tag_ in FINITE_TAGS | {"VVIMP"} and words[0].tag_ != "VVFIN":
            continue
        first = words[0]
        lower = first.lower_
        if not first.is_alpha:
            continue
        readings = verbs.analyse(lower, simplemma.lemmatize(lower, lang="de"))
        polite = len(words) > 2 and words[1].text == "Sie" and any(r.verbform == "Inf" for r in readings)
        plural = any(r.mood == "Ind" and r.person == "2" and r.number == "Plur" for r in readings)
        stem = any(r.verbform == "Inf" for r in verbs.analyse(lower + "en")) and verbs.is_listed(lower + "en")
        if polite or plural or stem:
            first.tag_, first.pos_ = "VVIMP", "VERB"


@lru_cache(maxsize=200_000)
def _cached_lemma(text: str, tag: str, pos: str) -> str:
    """:func:`lemma_of`, memoised: news text repeats its words, simplemma is slow per call."""
    return lemma_of(text, tag, pos)


#: Most (form, tag, UPOS) keys one :func:`_lemma_ids` table keeps before it starts afresh.
MAX_LEMMA_IDS = 200_000
_LEMMA_IDS: dict[int, tuple] = {}


def _lemma_ids(strings) -> dict[tuple[int, str, int], int]:
    """(ORTH id, tag, UPOS id) -> the id of :func:`lemma_of`'s lemma, for lemmas added to ``strings``.

    One table per string store (the store is kept with it, so that its ``id`` is not reused):
    a token seen before gets its lemma id without making its text a Python string or adding
    the lemma to the store again.
    """
    entry = _LEMMA_IDS.get(id(strings))
    if entry is None or entry[0] is not strings:
        if len(_LEMMA_IDS) >= 4:  # a few vocabularies per process at most (tests make more)
            _LEMMA_IDS.clear()
        entry = _LEMMA_IDS[id(strings)] = (strings, {})
    if len(entry[1]) > MAX_LEMMA_IDS:
        entry[1].clear()
    return entry[1]


def annotate_rules(doc) -> None:
    """Steps 2-4 of the module docstring on a tagged ``Doc``.

    Reads the token columns (text, lower case, tags) once and creates ``Token`` objects only for
    the tokens it changes or analyses (verbs, pronouns); lemmas are written in one array.
    """
    import simplemma
    from spacy.attrs import LEMMA, LOWER, ORTH, POS, SENT_START, TAG

    always_finite = _always_finite()
    pronouns = _pronouns()
    texts = _column(doc, ORTH)
    lowers = _column(doc, LOWER)
    tags = _column(doc, TAG)
    clauses = _clauses(doc, texts, doc.to_array(SENT_START).tolist())
    for i, lower in enumerate(lowers):
        fixed = always_finite.get(lower)
        if fixed and tags[i] not in FINITE_TAGS:
            token = doc[i]
            token.tag_ = fixed
            token.pos_ = "AUX" if fixed in ("VAFIN", "VMFIN") else "VERB"
            tags[i] = fixed
        elif tags[i] in ("VVINF", "VAINF", "VMINF") and not lower.endswith("n"):
            tags[i] = tags[i][:2] + "FIN"
            doc[i].tag_ = tags[i]
    if "!" in texts and doc.has_annotation("SENT_START"):
        _imperatives(doc)
        tags = _column(doc, TAG)
    rescue_finite(doc, clauses, tags, texts, lowers)  # keeps ``tags`` up to date
    strings = doc.vocab.strings
    poses = doc.to_array(POS).tolist()  # UPOS ids: only a key of the lemma cache here
    orths = doc.to_array(ORTH).tolist()
    known = _lemma_ids(strings)
    lemma_ids = [0] * len(texts)
    lemmas: dict[int, str] = {}  # token index -> lemma, for the tokens not in ``known``
    clause_index = 0
    for i, tag in enumerate(tags):
        if not (tag in FINITE_TAGS or tag in INFINITE_TAGS or tag == "VVIMP"):
            key = (orths[i], tag, poses[i])
            lemma_id = known.get(key)
            if lemma_id is None:
                lemma_id = known[key] = strings.add(_cached_lemma(texts[i], tag, doc[i].pos_))
            lemma_ids[i] = lemma_id
            if tag == "PPER" or (tag == "PIS" and lowers[i] == "man"):
                entry = pronouns.get(lowers[i])
                if entry:
                    _subject, case, person, number = entry
                    feats = [f for f in (f"Case={case}" if case != "-" else "", f"Number={number}" if number != "-" else "",
                                         f"Person={person}" if person != "-" else "") if f]
                    if tag == "PPER":
                        feats.append("PronType=Prs")
                    doc[i].set_morph("|".join(feats))
            continue
        # 3./4. lemmas and features of verbs
        while clauses[clause_index][1] <= i:
            clause_index += 1
        token = doc[i]
        lower = lowers[i]
        hint = simplemma.lemmatize(lower, lang="de")
        readings = verbs.analyse(lower, hint)
        if tag in FINITE_TAGS:
            person, number = subject_of(doc, i, clauses[clause_index], lowers, tags)
            reading = verbs.choose(readings, person, number)
        elif tag == "VVIMP":
            reading = None
            token.set_morph("Mood=Imp|VerbForm=Fin")
        else:
            wanted = INFINITE_TAGS[tag]
            reading = next((r for r in readings if r.verbform == wanted), None)
            if reading is None:
                token.set_morph(f"VerbForm={wanted}")
        if reading is not None:
            lemmas[i] = reading.lemma
            if tag in FINITE_TAGS and reading.verbform == "Fin":
                token.set_morph(reading.feats())
            elif tag in INFINITE_TAGS:
                token.set_morph(f"VerbForm={INFINITE_TAGS[tag]}")
        else:
            lemmas[i] = hint
        if tag in FINITE_TAGS and (reading is None or reading.verbform != "Fin"):
            token.set_morph("Mood=Ind|VerbForm=Fin")  # no paradigm has the form: the unmarked mood
    for i, lemma in lemmas.items():
        lemma_ids[i] = strings.add(lemma)
    doc.from_array([LEMMA], numpy.array(lemma_ids, dtype="uint64").reshape(-1, 1))
