"""The German event trigger lexicon and the actor nouns (data in ``resources/events/``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from lagebild.resources import load_rows

#: The PLOVER categories the stage codes.
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE", "DEMAND",
         "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "FIGHT")


@dataclass(frozen=True)
class Trigger:
    """One lexicon row: a verb, light-verb construction or noun with its type and argument roles."""

    id: str
    type: str
    kind: str  # verb | lvc | noun
    lemma: str  # verb lemma, noun lemma, or for lvc the verb lemma
    noun: str | None  # lvc: the noun lemma
    reflexive: bool
    roles: tuple[tuple[str, str], ...]  # (slot, role)
    flags: frozenset[str]

    @cached_property
    def noun_lower(self) -> str | None:
        return self.noun.lower() if self.noun else None

    @cached_property
    def noun_plurals(self) -> tuple[str, ...]:
        """Umlaut plurals of an lvc noun ("Zoll" -> "zölle", "Rat" -> "räte"), for compounds too."""
        noun = self.noun_lower
        if not noun:
            return ()
        for k in range(len(noun) - 1, -1, -1):
            if noun[k] in "aou":
                if k > 0 and noun[k - 1] == "a" and noun[k] == "u":  # "Baum" -> "Bäume"
                    umlaut = noun[:k - 1] + "ä" + noun[k:]
                else:
                    umlaut = noun[:k] + {"a": "ä", "o": "ö", "u": "ü"}[noun[k]] + noun[k + 1:]
                return (umlaut + "e", umlaut + "er")
            if noun[k] in "eiäöü":
                return ()
        return ()

    @cached_property
    def needs_words(self) -> frozenset[str]:
        """The words of a ``needs:`` flag (any of them must be in the clause)."""
        return frozenset(self.needs.split("|")) if self.needs else frozenset()

    @cached_property
    def object_roles(self) -> frozenset[str]:
        """The sectors of an ``objrole:`` flag (the object must be an actor of one of them)."""
        value = self.flag("objrole")
        return frozenset(value.split("|")) if value else frozenset()

    @cached_property
    def unless_words(self) -> frozenset[str]:
        """The words of an ``unless:`` flag (none of them may be in the clause)."""
        value = self.flag("unless")
        return frozenset(value.split("|")) if value else frozenset()

    def slots(self, role: str) -> list[str]:
        return [slot for slot, r in self.roles if r == role]

    @property
    def needs(self) -> str | None:
        return next((f.split(":", 1)[1] for f in self.flags if f.startswith("needs:")), None)

    def flag(self, name: str) -> str | None:
        """The value of a ``name:VALUE`` flag."""
        return next((f.split(":", 1)[1] for f in self.flags if f.startswith(name + ":")), None)

    @property
    def civil_type(self) -> str | None:
        return next((f.split(":", 1)[1] for f in self.flags if f.startswith("civil:")), None)

    @property
    def force_type(self) -> str | None:
        return next((f.split(":", 1)[1] for f in self.flags if f.startswith("force:")), None)


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, list[Trigger]]  # verb lemma -> rows (kind verb)
    lvcs: dict[str, list[Trigger]]  # verb lemma -> rows (kind lvc)
    nouns: dict[str, list[Trigger]]  # lower-case noun lemma or form -> rows (kind noun)
    lvc_nouns: frozenset[str]  # lower-case nouns of light-verb constructions


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger lexicon from ``resources/events/triggers.tsv`` (see its header)."""
    verbs: dict[str, list[Trigger]] = {}
    lvcs: dict[str, list[Trigger]] = {}
    nouns: dict[str, list[Trigger]] = {}
    for row_id, type_, kind, trigger, roles, flags in load_rows("events/triggers.tsv", 6):
        if type_ not in TYPES or kind not in ("verb", "lvc", "noun"):
            raise ValueError(f"events/triggers.tsv: bad type or kind in row {row_id}")
        words = trigger.split()
        reflexive = words[0] == "sich"
        words = words[1:] if reflexive else words
        noun = words[0] if kind == "lvc" else None
        lemma = words[-1]
        parsed = tuple(tuple(pair.split(":", 1)) for pair in roles.split())
        entry = Trigger(row_id, type_, kind, lemma, noun, reflexive, parsed,  # type: ignore[arg-type]
                        frozenset(f for f in flags.split(",") if f and f != "-"))
        table = {"verb": verbs, "lvc": lvcs, "noun": nouns}[kind]
        table.setdefault(lemma.lower() if kind == "noun" else lemma, []).append(entry)
    lvc_nouns = frozenset(t.noun.lower() for rows in lvcs.values() for t in rows if t.noun)
    return Lexicon(verbs, lvcs, nouns, lvc_nouns)


@lru_cache(maxsize=65536)
def noun_rows(word: str, lemma: str) -> tuple[Trigger, ...]:
    """Rows of an event noun, also as the last part of a compound ("Drohnenangriff" -> Angriff,
    "Krisentreffen" -> Treffen, "Bauernprotest" -> Protest)."""
    return tuple(_noun_rows(word, lemma))


def _noun_rows(word: str, lemma: str) -> list[Trigger]:
    table = lexicon().nouns
    rows = list(table.get(word.lower()) or table.get(lemma.lower()) or [])
    if word.endswith("en") and len(word) > 5:
        # the dative plural: "bei Gefechten", "nach Kämpfen" (also after the singular's rows)
        rows += [r for r in table.get(word.lower()[:-1], []) if r not in rows]
    if rows:
        return rows
    # a compound, also in the plural: "Drohnenangriffe" is a "Drohnenangriff"
    return _compound_rows(word.lower()) or (_compound_rows(lemma.lower()) if lemma and lemma.lower() != word.lower() else [])


#: Inseparable prefixes that make a new word of a noun, not a compound: "Vereinigung" is no
#: "Einigung", "Entspannung" no "Spannung" (also inside a compound: "Landesvereinigung").
_WORD_PREFIXES = ("ver", "ent", "zer", "miss", "emp")


@lru_cache(maxsize=65536)
def _compound_rows(lower: str) -> list[Trigger]:
    for key in _noun_tails():
        prefix = lower[: len(lower) - len(key)]
        if lower.endswith(key) and len(prefix) >= 3 and prefix not in _WORD_PREFIXES and not prefix.endswith(("ver", "zer")):
            return lexicon().nouns[key]
    return []


@lru_cache(maxsize=1)
def _noun_tails() -> tuple[str, ...]:
    return tuple(sorted((k for k in lexicon().nouns if len(k) >= 5), key=len, reverse=True))


#: Inseparable prefixes: their participle has no "ge-" ("beschossen", "verboten").
_INSEPARABLE = ("be", "er", "ver", "ent", "zer", "miss", "emp", "ge")


@lru_cache(maxsize=1)
def strong_forms() -> dict[str, str]:
    """Preterite and participle forms of the lexicon's strong verbs -> lemma ("beschossen" ->
    beschießen, "griff" -> greifen, "festgenommen" -> festnehmen), from ``strong_verbs.tsv``."""
    bases = load_rows("events/strong_verbs.tsv", 3)
    table = lexicon()
    lemmas = set(table.verbs) | set(table.lvcs)
    out: dict[str, str] = {}
    for infinitive, preterite, participle in bases:
        out.setdefault(preterite, infinitive)
        out.setdefault(preterite + ("en" if not preterite.endswith("e") else "n"), infinitive)
        out.setdefault(participle, infinitive)
        for lemma in lemmas:
            if lemma.endswith(infinitive) and lemma != infinitive:
                prefix = lemma[: -len(infinitive)]
                if prefix in _INSEPARABLE:
                    out.setdefault(prefix + participle[2:], lemma)
                    out.setdefault(prefix + preterite, lemma)
                    out.setdefault(prefix + preterite + "en", lemma)
                else:
                    out.setdefault(prefix + participle, lemma)
                    out.setdefault(prefix + "zu" + infinitive, lemma)
    return out


@dataclass(frozen=True)
class ActorNoun:
    role: str
    country: str | None
    compounds: bool


@lru_cache(maxsize=1)
def actor_nouns() -> tuple[dict[str, ActorNoun], tuple[tuple[str, ActorNoun], ...]]:
    """(exact form -> noun, (lower-case compound tail, noun) longest first) from actor_nouns.tsv."""
    exact: dict[str, ActorNoun] = {}
    tails: list[tuple[str, ActorNoun]] = []
    for role, forms, country, compounds in load_rows("events/actor_nouns.tsv", 4):
        noun = ActorNoun(role, None if country == "-" else country, compounds == "yes")
        for form in (f.strip() for f in forms.split(",")):
            exact.setdefault(form, noun)
            if noun.compounds and len(form) >= 5:
                tails.append((form.lower(), noun))
    tails.sort(key=lambda item: -len(item[0]))
    return exact, tuple(tails)


@lru_cache(maxsize=65536)
def actor_noun(word: str) -> ActorNoun | None:
    """The actor noun a word is, or ends with ("Regierungstruppen" -> Truppen, MIL)."""
    exact, tails = actor_nouns()
    found = exact.get(word)
    if found is None and word.endswith("n") and len(word) > 5 and word[-2] in "er":
        found = exact.get(word[:-1])  # the dative plural: "den Landwirten", "den Demonstrierenden"
    if found is None and word.endswith("es") and len(word) > 7:
        found = exact.get(word[:-2])  # the genitive: "des Verbandes"
        if found is None and word[:1].isupper():
            return actor_noun(word[:-2])  # "des Umweltverbandes"
    if found is None and word.endswith("s") and not word.endswith("ss") and len(word) > 7 and word[:1].isupper():
        shorter = actor_noun(word[:-1])  # "des Bundesamts", "des Staatssekretariats"
        if shorter is not None:
            return shorter
    if found is not None or not word[:1].isupper():
        return found
    lower = word.lower()
    for tail, noun in tails:
        if lower.endswith(tail) and len(lower) > len(tail) + 2:
            return noun
    return None
