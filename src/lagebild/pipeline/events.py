"""Stage ``events``: who did what to whom, when and where, coded in PLOVER categories.

There is no syntactic parser: the coder reads German clause structure off word order, the
tagger's STTS tags and the entities. The cascade in :func:`code_events`, sentence by sentence:

1. **Clauses**: the stretches between commas, colons and semicolons outside quotation marks
   (as in the quotes stage). Each clause gets its subject: the actor in the prefield before the
   finite verb ("Putin machte ..."), else the first actor after it ("Nach ... drohten Frankreich
   und Russland"); in a verb-final subordinate clause the first actor after the conjunction; in
   a relative clause the antecedent unless the clause has an actor of its own; a zu-infinitive
   or a clause without an actor ("..., um einen Kampf ... zu organisieren") shares the subject of
   the clause before it.
2. **Actors** (:class:`Mention`): entity mentions (persons, organisations, countries, cities)
   with the role noun before a name folded in ("des französischen Präsidenten François
   Hollande"), phrases headed by an actor noun ("die syrische Armee", "Rebellen"), and "er",
   "sie", "wir" (resolved to the last person subject, the last plural subject, or the speaker of
   the enclosing quote). Actors joined by "und", "sowie" or commas are one coordinated group;
   each member becomes a source of its own event.
3. **Triggers** (``resources/events/triggers.tsv``): verbs (a separable particle later in the
   clause is joined: "sicherte ... zu" -> zusichern), light-verb constructions (noun and verb in
   one clause: "Informationen austauschen") and nouns ("Besuch", "Anschlag"). A row's roles map
   the subject, object, genitive and governed prepositions onto source and target; the passive
   ("wurde von X angegriffen") swaps them.
4. **Modality**: negation ("nicht", "kein" before the trigger noun), mode (``hypothetical``
   under "wenn/falls" or with Konjunktiv II, ``planned`` with future "werden", "wollen",
   "sollen", "bereit", a future date, ``demanded`` under a demand), and attribution to the
   speaker of a quote that contains the event.
5. **Time and place**: a time expression of the clause or sentence, else of a photo caption
   that names one of the actors (:mod:`lagebild.events.timex`); "in"/"nach" + a place in the
   sentence, else the dateline place at the start of the text ("Kabul – ...").
6. **Clean-up**: events need a source; repeats (same clause, type, source and target) are
   dropped, and so is a headline event that the body tells again with the same trigger (an event
   is coded once); other headline events are kept. Teaser and liveblog title lines are skipped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache

from lagebild.events.actors import organisations, place_country, places
from lagebild.events.lexicon import ActorNoun, Trigger, actor_noun, actor_nouns, lexicon, noun_rows, strong_forms
from lagebild.events.timex import find_timex
from lagebild.events.words import Words, words_of
from lagebild.linguistic.annotate import mood_label
from lagebild.model import Article, Entity, Event, Quote
from lagebild.pipeline import stage
from lagebild.pipeline.entities import derived_forms
from lagebild.pipeline.quotes import quotation_pairs
from lagebild.settings import Settings

CLAUSE_BREAKS = {",", ":", ";", "–", "—", "-"}
COORDINATORS = {"und", "sowie", "oder", ","}
PREPOSITIONS = {"mit", "gegen", "auf", "an", "für", "zu", "zum", "zur", "nach", "bei", "beim", "von", "vom", "durch",
                "in", "im", "aus", "über", "zwischen", "vor", "unter", "um", "wegen", "trotz", "seit", "ohne", "laut"}
PREP_NORMAL = {"zum": "zu", "zur": "zu", "beim": "bei", "vom": "von", "im": "in", "ins": "in", "ans": "an", "aufs": "auf"}
SUBORDINATORS = {"dass", "daß", "weil", "nachdem", "als", "wenn", "ob", "obwohl", "da", "damit", "während", "bevor",
                 "sodass", "falls", "sofern", "bis", "seit", "seitdem", "indem", "ehe", "wie", "wo", "warum"}
CONDITIONAL = {"wenn", "falls", "sofern"}
NEGATIONS = {"nicht", "nie", "niemals", "keinesfalls", "nirgends"}
PLANNING_VERBS = {"wollen", "sollen", "planen", "beabsichtigen", "ankündigen", "vorhaben", "erwägen", "beschließen"}
#: Verbs and nouns under which an event is only demanded ("forderte, ... abzuziehen").
DEMAND_CUES = {"fordern", "verlangen", "auffordern", "drängen", "appellieren", "aufrufen", "mahnen"}
SINGULAR_PRONOUNS = {"er", "sie", "ihn", "ihm"}
OBLIQUE = {"den", "dem", "einem", "einen", "ihm", "ihn", "ihnen"}
#: Nouns that stand for the actor in their genitive: "mit Vertretern der Gemeinden".
TRANSPARENT = {"vertreter", "vertretern", "vertreterinnen", "spitze", "führung", "chef", "chefs", "delegation",
               "delegationen", "sprecher", "sprecherin", "mitglieder", "mitgliedern", "organisatoren", "veranstalter"}
PLURAL_PRONOUNS = {"sie", "wir"}
#: Lower-case words that can stand for an actor (all other actors are capitalised words).
_LOWER_ACTOR_WORDS = frozenset({"beide", "beider", "ihnen"} | SINGULAR_PRONOUNS | PLURAL_PRONOUNS)
_MONTHS_AND_DAYS = {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "januar", "februar",
                    "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember",
                    "anfang", "ende", "mitte", "jänner", "feber"}
_NAME_LINKS = {"von", "der", "van", "de", "zu", "vom", "den", "la", "le", "di", "da", "dos", "del", "ter"}
#: Numbers written as nouns: an actor on their own ("Zehntausende demonstrierten"), else the number of
#: the noun after them ("Tausende Anhänger der Junta").
QUANTITIES = {"tausende", "zehntausende", "hunderte", "hunderttausende", "dutzende"}
#: Staff nouns: "Ermittler des Bundesamts", "Beamte der Bundespolizei" are that institution.
MEMBERS = {"ermittler", "ermittlern", "beamte", "beamten", "mitarbeiter", "mitarbeitern", "experten", "fahnder",
           "spezialkräfte", "spezialkräften", "einsatzkräfte", "einsatzkräften"}
#: Nouns before a place name that leave it a place: "im Raum Köln", "die Stadt Charkiw".
PLACE_NOUNS = {"raum", "stadt", "region", "provinz", "gemeinde", "hauptstadt", "großraum", "bezirk", "kreis",
               "landkreis", "kanton", "ort", "millionenstadt", "metropole"}
#: Separable verb particles that may end a clause under another tag ("lenkte dann aber ein/ART").
PARTICLES = {"ein", "an", "auf", "aus", "ab", "zu", "zurück", "vor", "fest", "frei", "zusammen", "weiter", "durch",
             "bereit", "entgegen"}  # ("stellte ... Mittel bereit/VERB", "kam den Bauern entgegen/VVINF")
#: Nouns that name the class of a named actor after them: "die Organisation Sea-Watch".
CLASS_NOUNS = {"Organisation", "Hilfsorganisation", "Gruppe", "Miliz", "Terrormiliz", "Partei", "Gewerkschaft",
               "Bewegung", "Vereinigung", "Initiative", "Bündnis", "Rebellengruppe", "Menschenrechtsorganisation"}
#: Institutions that a place after "in" names: "die Regierung in Pjöngjang", "ein Gericht in Istanbul"
#: (a person there is only visiting: "bei einem Besuch des Kanzlers in Paris").
SEATED = ("regierung", "gericht", "führung", "parlament", "polizei", "staatsanwaltschaft", "behörde", "behörden",
          "ministerium", "kabinett", "justiz", "mission", "botschaft", "gendarmerie", "botschafter", "botschafterin",
          "konsul", "gesandte", "gesandter")
COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
#: PLOVER's verbal types: two verbs of one such type in one clause are one speech act.
VERBAL = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN"}
#: Speech acts that a demand's zu-infinitive names without their happening: not coded (meetings and
#: concessions demanded are, with mode ``demanded``).
DEMANDED_SPEECH = {"AGREE", "SUPPORT", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN"}
#: Sectors of the state, parties and armed or international actors; the others act as civilians.
STATE_LIKE = {"GOV", "LEG", "MIL", "POL", "REB", "JUD", "PTY", "OPP", "IGO", "UAF"}
#: Nouns of media people: a court that sentences one coerces a person ("verurteilte den Journalisten"),
#: not an organisation (the media sector's other actors are outlets: "das Gericht verbot die Zeitung").
JOURNALISTS = ("journalist", "reporter", "blogger", "redakteur", "korrespondent", "fotograf", "moderator", "kolumnist")
#: Sectors of armed forces: "angreifen" by them is FIGHT, not ASSAULT (PLOVER: conventional force).
ARMED = {"MIL", "REB"}
#: Lower-case particles of Arabic, Catalan, French or Dutch names: "al-Gaddafi", "d'Esquadra".
_NAME_PARTICLE = re.compile(r"^(?:al|el|as|ad|ar|at|az|asch|ash|ibn|bin|ben|abu|d|l)[-'’][A-ZÄÖÜ]")
_DATELINE = re.compile(r"^(?P<place>[A-ZÄÖÜ][\w.-]+(?:[ /-][A-ZÄÖÜ][\w.-]+)?)\s*(?:\([^()]{1,30}\)\s*)?[–—-]\s")


@dataclass
class Mention:
    """An actor mention: an entity, an actor-noun phrase or a resolved pronoun."""

    start: int  # character offsets of the whole phrase (with a role noun before a name)
    end: int
    first: int  # token indices (into the Doc) of the phrase
    last: int
    text: str
    entity: str | None
    name: str
    country: str | None
    role: str | None
    plural: bool = False
    pronoun: bool = False
    members: list["Mention"] | None = None  # a resolved plural pronoun stands for these
    label: str | None = None  # the entity label (PER, ORG, LOC) of an entity mention

    def actor(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "entity": self.entity, "name": self.name,
                "country": self.country, "role": self.role}


@dataclass(eq=False)  # equality below: by phrase, not by comparing every field of every mention
class Group:
    """Coordinated actor mentions ("Frankreich und Russland") and what stands before them."""

    mentions: list[Mention]
    first: int
    last: int
    prep: str | None = None
    genitive: bool = False

    def __eq__(self, other) -> bool:
        # the same phrase (a resolved copy of a group is equal to it); cheaper than comparing every mention field
        return isinstance(other, Group) and self.first == other.first and self.last == other.last \
            and self.prep == other.prep and len(self.mentions) == len(other.mentions) \
            and all(a.name == b.name and a.start == b.start for a, b in zip(self.mentions, other.mentions))

    __hash__ = object.__hash__

    @property
    def actors(self) -> list[Mention]:
        out: list[Mention] = []
        for mention in self.mentions:
            out += mention.members if mention.members else [mention]
        return out


@dataclass
class Clause:
    tokens: list
    groups: list[Group] = field(default_factory=list)
    subject: Group | None = None
    subordinate: bool = False
    relative: bool = False
    infinitive: bool = False
    quoted: bool = False  # starts inside quotation marks

    @property
    def start(self) -> int:
        return self.tokens[0].idx

    @property
    def end(self) -> int:
        last = self.tokens[-1]
        return last.idx + len(last.text)


# ---------------------------------------------------------------------------------------------
# Actors


@lru_cache(maxsize=1)
def _demonym_kinds() -> dict[str, str]:
    from lagebild.resources import load_rows

    return {form.lower(): kind for form, _code, kind in load_rows("gazetteers/demonyms.tsv", 3)}


@lru_cache(maxsize=1)
def _alpha3() -> frozenset[str]:
    from lagebild.events.actors import countries

    return frozenset(countries()[2])


def _country_of_words(tokens) -> str | None:
    """A country adjective among the tokens ("die syrische Armee" -> SYR)."""
    forms = derived_forms()
    for token in tokens:
        code = forms.get(token.lower_)
        if code and code in _alpha3():  # "europäische" is a region (EUR), not a country
            return code
    return None


@lru_cache(maxsize=1)
def _organisations_lower() -> dict[str, tuple[str, str | None]]:
    return {name.lower(): value for name, value in organisations().items() if len(name) >= 3}


class Actors:
    """Actor mentions of one article and the country and role of every entity."""

    def __init__(self, article: Article, words=None):
        self.article = article
        self.doc = words if words is not None else article.doc  # (:func:`words_of`: the same tokens, cheaper to read)
        self.by_id: dict[str, tuple[str | None, str | None]] = {}
        self.entities = sorted((e for e in article.entities), key=lambda e: e.start)
        self._entity_starts = [e.start for e in self.entities]
        self._appositions: dict[int, tuple[int, str | None, str | None]] = {}
        self._inside_apposition: list[tuple[int, int]] = []
        self.introduced: dict[str, tuple[str, str | None]] = {}  # "ELN" after "die Guerillaorganisation ELN"
        self.by_class: dict[str, tuple[str, str]] = {}  # "Initiative" -> ("Rettet das Klinikum", "NGO")
        self._person_profiles()

    def _apposition(self, entity: Entity) -> tuple[int, str | None, str | None] | None:
        """(first token, role, country) of a role phrase right before a person's name."""
        doc = self.doc
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            return None
        i = span.start - 1
        if i > 0 and doc[i].tag_ == "NE" and doc[i].text[:1].isupper() and actor_noun(doc[i].text) is None \
                and place_country(doc[i].text) is None and actor_noun(doc[i - 1].text) is not None:
            i -= 1  # "US-Vizepräsidentin Kamala Harris" where the NER took only "Harris"
        role = country = None
        first = span.start
        titled = False  # a title was found (its sector may stay open: "Mieterbund-Präsidentin")
        while i >= 0 and span.start - i <= 5:
            token = doc[i]
            noun = actor_noun(token.text)
            if noun is not None and not titled and token.text[:1].isupper():
                titled = True
                role, country = noun.role, noun.country
                prefix = token.text.split("-")[0] if "-" in token.text else None
                if prefix and noun.country is None:
                    # "Mieterbund-Präsidentin" heads an association; "EU-Kommissar" an IGO
                    country = place_country(prefix)
                    igo = prefix in ("EU", "UN", "UNO", "Nato", "NATO")
                    role = role if country or igo else None
                first = i
            elif titled and (token.pos_ in ("ADJ", "DET") or derived_forms().get(token.lower_)) and not _verb_form(token):
                country = country or _country_of_words([token])
                first = i
            elif titled and token.text.endswith("s") and token.text[:1].isupper() and \
                    place_country(token.text) is not None:
                country = country or place_country(token.text)  # "Salzburgs Bürgermeister"
                first = i
                self._inside_apposition.append((i, i + 1))
            else:
                break
            i -= 1
        if not titled:
            return None
        if role == "GOV" and country is None and re.match(r"(EU|UN|UNO|Nato|NATO)-", _text_of(doc, first, span.start).split()[-1]):
            role = "IGO"  # "UN-Botschafter" without a country: the organisation's own staff
        return first, role, country

    def _person_profiles(self) -> None:
        """Country and role of each entity from its mentions (a person's titles, a place's country)."""
        orgs = organisations()
        for entity in self.entities:
            if entity.id is None:
                continue
            known = self.by_id.get(entity.id, (None, None))
            country, role = known
            org = orgs.get(entity.name or "") or orgs.get(entity.text)
            if entity.label == "PER" and org is not None and entity.kind == "name":
                # "Hamas", "Taliban" taken for a person by the NER: the gazetteer's sector holds
                role, country = role or org[0], country or org[1]
            elif entity.label == "PER":
                found = self._apposition(entity) if entity.kind == "name" else None
                if found is not None:
                    self._appositions[entity.start] = found
                    country, role = country or found[2], role or found[1]
                if entity.kind == "role":
                    words = entity.text.split()
                    noun = actor_noun(words[-1])
                    role = role or (noun.role if noun else None)
                    country = country or (noun.country if noun else None) or derived_forms().get(words[0].lower())
            elif entity.label == "LOC":
                country = country or place_country(entity.name or entity.text)
                role = role or ("GOV" if country else None)
            elif entity.label == "ORG":
                org = orgs.get(entity.name or "") or orgs.get(entity.text)
                named = actor_noun(entity.name or entity.text)
                if named is not None and (" " in (entity.name or entity.text) or (
                        org and org[0] == "GOV" and named.role in ("JUD", "LEG", "MIL", "POL"))):
                    # "Amnesty International"; "Bundesverwaltungsgericht" is a court, not the government
                    country = country or (org[1] if org else None)
                    role, country = role or named.role, country or named.country  # "Amnesty International"
                elif org:
                    role, country = role or org[0], country or org[1]
                else:
                    for word in reversed((entity.name or entity.text).split()):
                        noun = actor_noun(word)
                        if noun:
                            role = role or noun.role
                            country = country or noun.country
                            break
                    country = country or _country_of_words(self.doc.char_span(entity.start, entity.end,
                                                                               alignment_mode="expand") or [])
            self.by_id[entity.id] = (country, role)
        # A person's country also comes from the role phrases other mentions carry.

    def _entities_within(self, start: int, end: int):
        """The entities starting in ``[start, end)``, in text order (``self.entities`` is sorted by start)."""
        starts = self._entity_starts
        return self.entities[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def mentions(self, sentence, sentence_tokens=None) -> list[Mention]:
        """Actor mentions of one sentence (a spaCy span), in text order (``sentence_tokens``: its tokens,
        when the caller has them already)."""
        doc = self.doc
        sentence_tokens = sentence_tokens if sentence_tokens is not None else list(sentence)
        start, end = sentence.start_char, sentence.end_char
        out: list[Mention] = []
        taken: set[int] = set()
        for entity in self._entities_within(start, end):
            if entity.start < start or entity.end > end:
                continue
            if entity.kind == "derived" and _demonym_kinds().get(entity.text.lower()) != "noun":
                continue  # an adjective, part of an actor-noun phrase
            if entity.kind == "derived" and entity.text.endswith("er"):
                after = doc.char_span(entity.start, entity.end, alignment_mode="expand")
                if after is not None and after.end < sentence.end and doc[after.end].text[:1].isupper() \
                        and doc[after.end].pos_ in ("NOUN", "PROPN"):
                    continue  # "die Schweizer Behörden": the demonym is an adjective here
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is None:
                continue
            first = span.start
            end_char, last, name = entity.end, span.end - 1, entity.name or entity.text
            if entity.label == "PER" and " " not in entity.text and span.end < sentence.end and \
                    doc[span.end].tag_ == "NE" and doc[span.end].text[:1].isupper() and \
                    not any(e.start == doc[span.end].idx for e in self.entities):
                # "Wolodymyr Selenskyj" where the NER took only "Wolodymyr"
                last = span.end
                end_char = doc[last].idx + len(doc[last].text)
                name = self.article.text[entity.start:end_char]
            link = last + 1
            while entity.label == "PER" and link < sentence.end and link - last <= 2 and doc[link].lower_ in _NAME_LINKS:
                link += 1
            if link > last + 1 and link < sentence.end and doc[link].tag_ == "NE" and doc[link].text[:1].isupper() \
                    and any(doc[j].lower_ not in ("der", "den") for j in range(last + 1, link)) \
                    and place_country(doc[link].text) is None:
                # "Ursula von der Leyen" where the NER took only "Ursula"
                last = link
                end_char = doc[last].idx + len(doc[last].text)
                name = self.article.text[entity.start:end_char]
            if entity.label in ("PER", "ORG", "LOC") and last + 1 < sentence.end and _NAME_PARTICLE.match(doc[last + 1].text):
                # "Muammar al-Gaddafi", "Mossos d'Esquadra": a name particle the NER left out
                last += 1
                end_char = doc[last].idx + len(doc[last].text)
                name = self.article.text[entity.start:end_char]
            apposition = self._appositions.get(entity.start)
            if apposition is not None:
                first = apposition[0]
            else:
                # "mit den USA", "gegen die Terrororganisation Islamischer Staat": the article,
                # adjectives and a descriptive noun belong to the phrase.
                j = first - 1
                if j >= sentence.start and j not in taken and doc[j].pos_ == "NOUN" and doc[j].text[:1].isupper() \
                        and j - 1 >= sentence.start and doc[j - 1].pos_ in ("DET", "ADJ") \
                        and not noun_rows(doc[j].text, doc[j].lemma_):  # not "ein Treffen Parmelins"
                    j -= 1
                while j >= sentence.start and j not in taken and doc[j].pos_ in ("DET", "ADJ") \
                        and doc[j].tag_ not in ("PRELS", "PPOSAT", "PDS"):
                    j -= 1
                # only a real noun phrase: it opens with an article ("mit den USA"); a verb the tagger
                # took for an adjective ("drohten/ADJA Frankreich") is not part of it
                if j + 1 < first and doc[j + 1].pos_ == "DET" and not _relative_pronoun(doc[j + 1]):
                    first = j + 1
            country, role = self.by_id.get(entity.id or "", (None, None))
            institution = next((actor_noun(doc[j].text) for j in range(first, span.start)
                                if doc[j].pos_ == "NOUN" and doc[j].text[:1].isupper()), None) \
                if entity.label == "LOC" and apposition is None else None
            if institution is not None and institution.role in ("JUD", "POL", "GOV", "LEG", "MIL"):
                # "das Verwaltungsgericht Aachen", "die Polizei Köln": an institution named by its place
                head = next(j for j in range(first, span.start) if doc[j].pos_ == "NOUN")
                out.append(Mention(doc[first].idx, end_char, first, last, self.article.text[doc[first].idx:end_char],
                                   None, self.article.text[doc[head].idx:end_char], country, institution.role))
                taken.update(range(first, last + 1))
                continue
            if entity.label == "LOC" and country is None:
                continue  # a region or a river is no actor
            if entity.label == "MISC":
                continue
            if first > sentence.start and doc[first - 1].text == "(" and span.end < len(doc) and doc[span.end].text == ")":
                continue  # "Kanzler Rüdiger Hallwachs (SPD)": an affiliation, not an actor
            if any(a <= first and span.end - 1 < b for a, b in self._inside_apposition):
                continue  # "Salzburgs Bürgermeister Ernst Lindinger": part of the person's title
            if entity.text.endswith("s") and place_country(entity.text) and span.end < sentence.end and \
                    actor_noun(doc[span.end].text) is not None:
                continue  # "Haitis Außenminister": the country goes to the noun phrase
            text = self.article.text[doc[first].idx:end_char]
            head = next((doc[j] for j in range(first, span.start) if doc[j].pos_ == "NOUN"), None)
            state = place_country(entity.text) if entity.text.endswith("s") and entity.label in ("LOC", "PER") and \
                " " not in entity.text else None
            institution = actor_noun(head.text) if head is not None and state else None
            if institution is not None and institution.role in ("GOV", "MIL", "POL", "JUD", "LEG"):
                # "die Regierung Liberias", "die Armee Malis": the institution of that state
                out.append(Mention(doc[first].idx, end_char, first, last, text, None,
                                   self.article.text[head.idx:end_char], state, institution.role))
                taken.update(range(first, last + 1))
                continue
            if entity.kind == "derived":
                role = "CVL"  # "die Serben im Norden protestieren": people of a country, not its state
                name = entity.text
            out.append(Mention(doc[first].idx, end_char, first, last, text, entity.id,
                               name, country, role,
                               plural=entity.kind == "derived", label=entity.label))
            taken.update(range(first, last + 1))
        adjectival: set[int] = set()
        for i in range(sentence.start, sentence.end):
            if i in taken:
                continue
            token = sentence_tokens[i - sentence.start]
            text = token.text
            if not text[:1].isupper():
                if token.lower_ not in _LOWER_ACTOR_WORDS:
                    continue  # only capitalised words, pronouns and "beide" can be actors
            elif token.tag_ != "NE" and not _may_act(text) and text not in self.by_class and text not in self.introduced:
                continue  # a capitalised word that none of the rules below can take for an actor
            noun = actor_noun(token.text) if token.text[:1].isupper() and token.pos_ in ("NOUN", "PROPN", "ADJ") else None
            if noun is not None and i + 1 < sentence.end and token.lower_.endswith(("te", "ten", "che", "chen", "ige", "igen")) \
                    and doc[i + 1].text[:1].isupper() and actor_noun(doc[i + 1].text) is not None:
                adjectival.add(i)
                continue  # "Vermummte Randalierer": a noun used as an adjective of the next one
            if token.lower_ in QUANTITIES and i + 1 < sentence.end and (doc[i + 1].pos_ == "ADJ" or (
                    doc[i + 1].pos_ in ("NOUN", "PROPN") and doc[i + 1].text[:1].isupper())):
                adjectival.add(i)
                continue  # "Zehntausende Menschen", "Hunderte wütende Demonstranten": a number of the next noun
            quoted = _quoted_name(doc, i, sentence.end) if _class_noun(token.text) or (
                actor_noun(token.text) is not None and actor_noun(token.text).role == "NGO") else None
            if quoted is not None and i not in taken:
                inside = [m for m in out if i < m.first and m.last < quoted]
                for m in inside:  # "Grenzenlose Solidarität statt G20": a name inside the name
                    out.remove(m)
                # "die Initiative „Rettet das Klinikum“", "das Bündnis „Grenzenlose Solidarität“": the
                # quoted name names the actor
                first = i - 1 if i > sentence.start and doc[i - 1].pos_ == "DET" else i
                inner = self.article.text[doc[i + 2].idx:doc[quoted - 1].idx + len(doc[quoted - 1].text)]
                kind = actor_noun(token.text) or _class_role(token.text)
                end_char = doc[quoted].idx + len(doc[quoted].text)
                out.append(Mention(doc[first].idx, end_char, first, quoted, self.article.text[doc[first].idx:end_char],
                                   None, inner, None, kind.role if kind else "NGO", label="ORG"))
                self.introduced[inner] = (kind.role if kind else "NGO", None)
                self.by_class[token.text] = (inner, kind.role if kind else "NGO")
                taken.update(range(first, quoted + 1))
                continue
            classed = _class_noun(token.text) and i + 1 < sentence.end and i + 1 not in taken and \
                _looks_like_name(doc[i + 1].text)
            if noun is None and classed:
                noun = _class_role(token.text)  # "die Guerillaorganisation ELN"
            if noun is None and token.text in self.by_class and i > sentence.start and \
                    doc[i - 1].lower_ in ("die", "der", "das", "den", "dem", "des"):
                # "die Initiative" after "die Initiative „Rettet das Klinikum“": the named actor
                name, role = self.by_class[token.text]
                out.append(Mention(doc[i - 1].idx, token.idx + len(token.text), i - 1, i,
                                   self.article.text[doc[i - 1].idx:token.idx + len(token.text)], None, name, None,
                                   role, label="ORG"))
                taken.update((i - 1, i))
                continue
            if noun is None and token.text in self.introduced and token.text[:1].isupper():
                role, country = self.introduced[token.text]  # "die ELN", introduced before with its class noun
                out.append(Mention(token.idx, token.idx + len(token.text), i, i, token.text, None, token.text, country,
                                   role, label="ORG"))
                taken.add(i)
                continue
            if noun is not None and not self._before_name(i, taken):
                first = i
                while first - 1 >= sentence.start and first - 1 not in taken and doc[first - 1].tag_ != "PRELS" and \
                        (doc[first - 1].pos_ in ("ADJ", "DET", "NUM") or _country_of_words([doc[first - 1]])
                         or first - 1 in adjectival) and not _verb_form(doc[first - 1]):
                    first -= 1  # "Russische/NE Truppen" at the start of a sentence
                genitive_place = None
                if first - 1 >= sentence.start and first - 1 not in taken and doc[first - 1].text.endswith("s") and \
                        doc[first - 1].text[:1].isupper() and place_country(doc[first - 1].text):
                    first -= 1  # "Haitis Außenminister", "Russlands Armee"
                    genitive_place = place_country(doc[first].text)
                # "der chinesische Ministerpräsident Li Qiang": a name the NER missed follows the title
                named = i
                while named + 1 < sentence.end and named + 1 not in taken and named - i < 3 and \
                        doc[named + 1].text[:1].isupper() and (doc[named + 1].tag_ == "NE" or (
                            classed and _looks_like_name(doc[named + 1].text))) \
                        and not noun_rows(doc[named + 1].text, doc[named + 1].lemma_) or (  # not "Wirtschaftssanktionen/NE"
                            named == i and named + 1 < sentence.end and named + 1 not in taken and _acronym(doc[named + 1])):
                    named += 1  # ("des Umweltverbandes BUND": an acronym names the organisation)
                if named == i:
                    named = self._unknown_name(i, sentence.end, taken)  # "Ihr Generalsekretär Amr Mussa kritisierte"
                if named > i and named + 1 < sentence.end and _NAME_PARTICLE.match(doc[named + 1].text):
                    named += 1  # "die Regionalpolizei Mossos d'Esquadra"
                words = [doc[j] for j in range(first, i + 1)]
                if noun.role == "REB" and token.lower_ == "gruppen" and not any(w.lower_.startswith("bewaffnet") for w in words):
                    noun = ActorNoun("NGO", None, False)  # "exiliranische Gruppen": groups of people, not armed
                country = noun.country or genitive_place or _country_of_words(words)
                text = self.article.text[doc[first].idx: token.idx + len(token.text)]
                core = first
                while core < i and doc[core].pos_ in ("DET", "NUM"):
                    core += 1
                name = self.article.text[doc[core].idx: token.idx + len(token.text)]  # "die syrische Armee" -> "syrische Armee"
                if doc[first].lower_ in ("des", "eines"):  # the genitive: "des Außenministeriums" -> "Außenministerium"
                    if token.text.endswith("es") and token.text[:-2] in actor_nouns()[0]:
                        name = name[:-2]
                    elif token.text.endswith("s") and not token.text.endswith("ss") and actor_noun(token.text[:-1]) is not None:
                        name = name[:-1]
                plural = token.text.endswith(("en", "er", "e")) and noun.role not in ("GOV", "MIL", "POL", "JUD", "OPP") \
                    or token.text.endswith(("ten", "ner", "ler")) or "Plur" in token.morph.get("Number")
                seat = next((m for m in out if m.first == i + 2 and m.label == "LOC" and m.country), None) \
                    if token.lower_.endswith(SEATED) and i + 2 < sentence.end and doc[i + 1].lower_ in ("in", "im") else None
                if seat is None and token.lower_.endswith(SEATED) and i + 2 < sentence.end and \
                        doc[i + 1].lower_ in ("in", "im"):
                    seat = self._region(doc[i + 2])  # "die Polizei in Baden-Württemberg", "die Gendarmerie im Elsass"
                    if seat is not None:
                        out.append(seat)
                if seat is None and token.lower_.startswith(("botschafter", "gesandte", "vertreter", "beobachter")) \
                        and i + 2 < sentence.end and doc[i + 1].lower_ == "bei":
                    # "Chinas Botschafter bei der EU": accredited with an organisation
                    seat = next((m for m in out if m.first in (i + 2, i + 3) and m.label in ("ORG", "LOC")), None)
                if seat is not None and named == i:
                    # "die Regierung in Pjöngjang", "ein Gericht in Istanbul": the seat names the actor
                    out.remove(seat)
                    out.append(Mention(doc[first].idx, seat.end, first, seat.last, self.article.text[doc[first].idx:seat.end],
                                       None, self.article.text[doc[core].idx:seat.end], noun.country or seat.country,
                                       noun.role))
                    taken.update(range(first, seat.last + 1))
                    continue
                if named > i:
                    end_char = doc[named].idx + len(doc[named].text)
                    if classed:
                        self.introduced[self.article.text[doc[i + 1].idx:end_char]] = (noun.role, country)
                    out.append(Mention(doc[first].idx, end_char, first, named, self.article.text[doc[first].idx:end_char],
                                       None, self.article.text[doc[i + 1].idx:end_char], country, noun.role))
                    taken.update(range(first, named + 1))
                    continue
                last_i = self._name_complement(i, sentence.end, noun.role)
                if last_i > i:
                    # "das Staatssekretariat für Wirtschaft", "das Aktionsbündnis gegen Stuttgart 21"
                    end_char = doc[last_i].idx + len(doc[last_i].text)
                    text = self.article.text[doc[first].idx:end_char]
                    name = self.article.text[doc[core].idx:end_char]
                out.append(Mention(doc[first].idx, doc[last_i].idx + len(doc[last_i].text), first, last_i, text, None, name,
                                   country, noun.role, plural=plural))
                taken.update(range(first, last_i + 1))
                other = first - 2
                while first > other >= sentence.start and doc[other + 1].lower_ in ("und", "sowie", ",") \
                        and other not in taken and doc[other].pos_ == "ADJ" and _country_of_words([doc[other]]) \
                        and _country_of_words([doc[core]]):
                    # "ukrainische und russische Truppen": two actors sharing one noun
                    out.append(Mention(doc[other].idx, doc[other].idx + len(doc[other].text), other, other, doc[other].text,
                                       None, f"{doc[other].text} {token.text}", _country_of_words([doc[other]]),
                                       noun.role, plural=plural))
                    taken.add(other)
                    other -= 2
            elif token.lower_ in ("länder", "land", "regierungen") and i - 1 >= sentence.start and \
                    doc[i - 1].lower_ in ("ihre", "ihrer", "ihren", "beider", "beide", "beiden"):
                # "Ihre Länder sollen ...": the countries of the last plural subject
                out.append(Mention(doc[i - 1].idx, token.idx + len(token.text), i - 1, i,
                                   self.article.text[doc[i - 1].idx: token.idx + len(token.text)], None,
                                   token.text, None, None, plural=True, pronoun=True))
                taken.update(range(i - 1, i + 1))
            elif (token.lower_ == "beide" and (i + 1 >= sentence.end or doc[i + 1].pos_ not in ("NOUN", "ADJ")
                                               or doc[i + 1].lower_ in ("seiten", "regierungen", "parteien", "länder", "politiker"))) \
                    or (token.lower_ == "beiden" and i + 1 < sentence.end and i > sentence.start
                        and doc[i - 1].lower_ in ("die", "der") and doc[i + 1].lower_ in (
                            "seiten", "regierungen", "parteien", "länder", "staaten", "politiker", "minister",
                            "außenminister", "staatschefs", "regierungschefs", "präsidenten")) \
                    or (token.lower_ in ("beide", "beider") and i + 1 < sentence.end and doc[i + 1].text[:1].isupper()
                        and actor_noun(doc[i + 1].text) is not None):  # "eine Übung beider Polizeien"
                last = i + 1 if i + 1 < sentence.end and doc[i + 1].pos_ == "NOUN" else i
                kind = actor_noun(doc[last].text) if last > i else None
                out.append(Mention(token.idx, doc[last].idx + len(doc[last].text), i, last,
                                   self.article.text[token.idx: doc[last].idx + len(doc[last].text)], None, token.text,
                                   None, kind.role if kind and kind.role != "GOV" else None, plural=True, pronoun=True))
                taken.update(range(i, last + 1))
            elif token.text[:1].isupper() and token.text.lower() in _organisations_lower() and token.pos_ != "DET" \
                    and not (i > sentence.start and doc[i - 1].text == "(" and i + 1 < len(doc) and doc[i + 1].text == ")"):
                sector, country = _organisations_lower()[token.text.lower()]
                out.append(Mention(token.idx, token.idx + len(token.text), i, i, token.text, None, token.text, country,
                                   sector, label="ORG"))  # "Neos" for the gazetteer's "NEOS"
                taken.add(i)
            elif token.lower_ in ("sprecher", "sprecherin") and i - 1 >= sentence.start and \
                    doc[i - 1].lower_ in ("ein", "eine", "der", "die") and \
                    (i + 1 >= sentence.end or (doc[i + 1].lower_ not in ("der", "des", "von", "vom")
                                               and doc[i + 1].tag_ != "NE" and i + 1 not in taken)):
                # "Eine Sprecherin kündigte an": the organisation just told about speaks
                out.append(Mention(doc[i - 1].idx, token.idx + len(token.text), i - 1, i,
                                   self.article.text[doc[i - 1].idx: token.idx + len(token.text)], None, token.text,
                                   None, None, pronoun=True))
                taken.update(range(i - 1, i + 1))
            elif token.tag_ == "NE" and (run := self._unknown_name_run(i, sentence, taken)) is not None:
                # "Spanische Nationalpolizei und Guardia Civil haben ...": a name the NER missed
                first, last = run
                end_char = doc[last].idx + len(doc[last].text)
                name = self.article.text[doc[first].idx:end_char]
                known = actor_noun(name)  # "Guardia Civil": a foreign police force the actor nouns name
                out.append(Mention(doc[first].idx, end_char, first, last, name, None, name, None,
                                   known.role if known else None, label="ORG"))
                taken.update(range(first, last + 1))
            elif _acronym(token) and not (i > sentence.start and doc[i - 1].text == "(") and \
                    not any(e.start <= token.idx < e.end for e in self._entities_within(sentence.start_char, sentence.end_char)):
                # "Zu der Demonstration rufen BUND, Greenpeace und Campact auf": an organisation's acronym
                out.append(Mention(token.idx, token.idx + len(token.text), i, i, token.text, None, token.text, None, None,
                                   label="ORG"))
                taken.add(i)
            elif token.lower_ == "ihnen" and i - 2 >= sentence.start and doc[i - 1].lower_ == "von" and \
                    (doc[i - 2].lower_ in ("einige", "viele", "manche", "mehrere", "teile", "alle", "beide")
                     or doc[i - 2].lower_ in QUANTITIES or doc[i - 2].tag_ == "CARD"):
                # "Einige von ihnen bewarfen Beamte": some of the group told about before
                out.append(Mention(doc[i - 2].idx, token.idx + len(token.text), i - 2, i,
                                   self.article.text[doc[i - 2].idx:token.idx + len(token.text)], None, token.text,
                                   None, None, plural=True, pronoun=True))
                taken.update(range(i - 2, i + 1))
            elif token.tag_ == "PPER" and token.lower_ in SINGULAR_PRONOUNS | PLURAL_PRONOUNS:
                out.append(Mention(token.idx, token.idx + len(token.text), i, i, token.text, None, token.text, None, None,
                                   pronoun=True))
        return self._named_by_genitive(sorted(out, key=lambda m: m.first))

    def _named_by_genitive(self, mentions: list[Mention]) -> list[Mention]:
        """ "die Gewerkschaft der Polizei", "Anhänger der Junta": an actor noun with an actor noun in
        the genitive is one actor, named by both (a spokesperson or representative is transparent:
        "ein Sprecher der Polizei" is the police)."""
        doc = self.doc
        out: list[Mention] = []
        for mention in mentions:
            previous = out[-1] if out else None
            if previous is not None and not previous.entity and not mention.entity and mention.first == previous.last + 2 \
                    and doc[previous.last + 1].lower_ in ("und", "oder") and previous.role and mention.role \
                    and doc[previous.last].lower_ in (doc[mention.last].lower_ + "innen", doc[mention.last].lower_[:-1] + "innen"):
                # "Schülerinnen und Schüler", "Bürgerinnen und Bürger": one group of people
                out[-1] = replace(previous, end=mention.end, last=mention.last,
                                  text=self.article.text[previous.start:mention.end],
                                  name=previous.name + self.article.text[previous.end:mention.end], plural=True)
                continue
            if previous is not None and mention.label == "ORG" and previous.label == "ORG" and mention.first == previous.last + 1 \
                    and (mention.text.isupper() or len(mention.text) <= 6):
                # "die Europäische Fussball-Union Uefa": a name and its short form are one actor
                out[-1] = replace(previous, end=mention.end, last=mention.last,
                                  text=self.article.text[previous.start:mention.end])
                continue
            if previous is not None and not previous.entity and not previous.pronoun and previous.role \
                    and previous.members is None and (mention.entity or mention.label == "ORG") and not mention.pronoun \
                    and mention.label in ("ORG", "LOC", "PER") \
                    and (mention.label != "PER" or mention.role in ("REB", "IGO", "PTY")) \
                    and (mention.label != "LOC" or mention.country) \
                    and mention.first in (previous.last + 1, previous.last + 2) and doc[previous.last + 1].lower_ in ("der", "des"):
                # "Beamte der Guardia Civil", "die Staats- und Regierungschefs der EU", "Kämpfer der Hamas": a
                # group or office of a named organisation or state is that actor (a representative: the organisation)
                end = mention.end
                if doc[previous.last].lower_ in TRANSPARENT:
                    out[-1] = replace(mention, start=previous.start, first=previous.first,
                                      text=self.article.text[previous.start:end])
                else:
                    out[-1] = replace(previous, end=end, last=mention.last, text=self.article.text[previous.start:end],
                                      name=previous.name + self.article.text[previous.end:end],
                                      country=previous.country or mention.country)
                continue
            if previous is not None and not previous.entity and not mention.entity and not previous.pronoun \
                    and not mention.pronoun and previous.role and mention.role and previous.members is None \
                    and mention.first in (previous.last + 1, previous.last + 2) and doc[previous.last + 1].lower_ in ("der", "des") \
                    and doc[previous.last].lower_ in MEMBERS and mention.role in ("GOV", "JUD", "POL", "IGO", "MIL", "LEG"):
                # "Ermittler des Bundesamts für Justiz": the institution acts through its staff
                out[-1] = replace(mention, start=previous.start, first=previous.first,
                                  text=self.article.text[previous.start:mention.end])
                continue
            if previous is not None and not previous.entity and not mention.entity and not previous.pronoun \
                    and not mention.pronoun and previous.role and mention.role and previous.members is None \
                    and mention.first in (previous.last + 1, previous.last + 2) and doc[previous.last + 1].lower_ in ("der", "des") \
                    and doc[previous.last].lower_ not in TRANSPARENT and doc[previous.last].lower_ not in ("sprecher", "sprecherin"):
                end = mention.end
                name = previous.name + self.article.text[previous.end:end]
                out[-1] = replace(previous, end=end, last=mention.last, text=self.article.text[previous.start:end],
                                  name=name, country=previous.country or mention.country)
                continue
            out.append(mention)
        taken = {i for m in out for i in range(m.first, m.last + 1)}
        for k, mention in enumerate(out):
            after = mention.last + 1
            if mention.entity or mention.pronoun or mention.role not in ("NGO", "LAB", "REL", "BUS", "AGR", "EDU") \
                    or after + 1 >= len(doc) or doc[after].lower_ not in ("der", "des", "aus") \
                    or (after + 1 in taken and doc[after].lower_ != "aus"):
                continue
            noun = doc[after + 1]
            if doc[after].lower_ == "aus":
                # "ein Bündnis aus Parteien und Gewerkschaften"
                while noun.i + 2 < len(doc) and doc[noun.i + 1].lower_ in ("und", ",") and doc[noun.i + 2].pos_ == "NOUN":
                    noun = doc[noun.i + 2]
            if noun.pos_ == "NOUN" and noun.text[:1].isupper() and noun.sent == doc[mention.last].sent:
                # "der Zentralrat der Juden", "der Verband der Automobilindustrie": the name of the
                # organisation (the text stays the head noun)
                out[k] = replace(mention, name=mention.name + self.article.text[mention.end:noun.idx + len(noun.text)])
        return out

    def _region(self, token) -> Mention | None:
        """A place entity (a region too) that starts at ``token``."""
        entity = next((e for e in self.entities if e.start == token.idx and e.label == "LOC"), None)
        if entity is None:
            return None
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            return None
        return Mention(entity.start, entity.end, span.start, span.end - 1, entity.text, entity.id,
                       entity.name or entity.text, place_country(entity.name or entity.text), None, label="LOC")

    def _unknown_name(self, i: int, end: int, taken: set[int]) -> int:
        """Index of the last token of a name the NER missed right after the title at ``i``
        ("UN-Generalsekretär Ban Ki-moon bedauerte", "Der Kreditkartenkonzern Visa drohte"): one or two
        capitalised words that are no actor, event or place noun, followed by a finite verb, a comma
        or a bracket; else ``i``."""
        doc = self.doc
        j = i
        while j + 1 < end and j - i < 2 and j + 1 not in taken and doc[j + 1].text[:1].isupper() \
                and doc[j + 1].text.replace("-", "").isalpha() and doc[j + 1].pos_ in ("NOUN", "PROPN", "X", "ADV", "ADP") \
                and actor_noun(doc[j + 1].text) is None and not noun_rows(doc[j + 1].text, doc[j + 1].lemma_) \
                and place_country(doc[j + 1].text) is None and doc[j + 1].lower_ not in _MONTHS_AND_DAYS:
            j += 1
        if j == i or j + 1 >= end:
            return i
        after = doc[j + 1]
        return j if after.tag_.endswith("FIN") or after.text in (",", "(") else i

    def _name_complement(self, i: int, end: int, role: str | None) -> int:
        """Last token of an institution's name that goes on after its noun with "für", "zur", "zum" (or
        "gegen" for an alliance) and capitalised words without an article ("Bundesamt für Justiz",
        "Direktion für Entwicklung und Zusammenarbeit", "Aktionsbündnis gegen Stuttgart 21"); else ``i``."""
        doc = self.doc
        if i + 2 >= end or role not in ("GOV", "IGO", "JUD", "POL", "NGO", "LAB", "BUS", "MIL", "LEG"):
            return i
        preposition = doc[i + 1].lower_
        if not (preposition in ("für", "zur", "zum") or (preposition == "gegen" and role == "NGO")):
            return i
        j = i + 1
        while j + 1 < end and j - i < 7:
            following = doc[j + 1]
            if following.text[:1].isupper() and following.pos_ in ("NOUN", "PROPN", "ADJ", "X") \
                    and not following.tag_.endswith("FIN"):
                j += 1
            elif following.pos_ == "NUM" and j > i + 1:
                j += 1  # "Stuttgart 21"
            elif following.lower_ in ("und", "-") and j + 2 < end and doc[j + 2].text[:1].isupper() and j > i + 1:
                j += 1
            else:
                break
        while j > i + 1 and doc[j].lower_ in ("und", "-"):
            j -= 1
        return j if j > i + 1 else i

    def _unknown_name_run(self, i: int, sentence, taken: set[int]) -> tuple[int, int] | None:
        """(first, last) token of a name the NER missed that starts or ends at the NE-tagged token ``i``:
        capitalised words (a common-noun-tagged word before it included: "Guardia/NN Civil/NE") that
        are no place, actor, event or calendar word and lie in no entity; else None."""
        doc = self.doc

        def namelike(k: int) -> bool:
            token = doc[k]
            return sentence.start <= k < sentence.end and k not in taken and token.text[:1].isupper() \
                and token.text.replace("-", "").isalpha() and place_country(token.text) is None \
                and not _region_of_place(token.text) \
                and actor_noun(token.text) is None and not noun_rows(token.text, token.lemma_) \
                and token.lower_ not in _MONTHS_AND_DAYS and token.pos_ in ("PROPN", "NOUN", "X") \
                and not (k == sentence.start and token.pos_ != "PROPN")

        if not namelike(i):
            return None
        entities = self._entities_within(sentence.start_char, sentence.end_char)
        if any(e.start <= doc[i].idx < e.end for e in entities):
            return None
        first = last = i
        if namelike(i - 1) and doc[i - 1].tag_ == "NN" and i - 1 > sentence.start and doc[i - 2].pos_ != "ADJ":
            first = i - 1
        while last - first < 3 and namelike(last + 1) and doc[last + 1].tag_ == "NE":
            last += 1
        coordinated = last + 2 < sentence.end and doc[last + 1].lower_ in ("und", "sowie") and doc[last + 2].tag_ == "NE"
        if first == sentence.start and last == first and not coordinated:
            return None  # "Geführt/NE wird der Laden ...": a capitalised first word (not "Macron und Scholz")
        following = doc[last + 2] if last + 2 < sentence.end and doc[last + 1].text == "," else \
            (doc[last + 1] if last + 1 < sentence.end else None)
        if following is not None and any(e.start == following.idx and e.label == "PER" for e in entities):
            return None  # "CSU-Chef Alois Brandl", "des Bauernverbands Copa, Henk Verbruggen,": a title before a name
        k = first - 1
        while k > sentence.start and doc[k].lower_ in _NAME_LINKS:
            k -= 1
        if k < first - 1 and doc[k].text[:1].isupper() and any(doc[j].lower_ not in ("der", "den") for j in range(k + 1, first)):
            return None  # "Ursula von der Leyen": the rest of a person's name (not "Beamte der Guardia Civil")
        if doc[last].text.endswith("s") and last + 1 < sentence.end and doc[last + 1].pos_ in ("NOUN", "PROPN") \
                and doc[last + 1].text[:1].isupper():
            return None  # "greift Gaddafis Truppen an": a genitive before its noun
        return first, last

    def _before_name(self, i: int, taken: set[int]) -> bool:
        """True for a role noun right before a name it belongs to ("Präsident François Hollande"), not
        before another phrase ("nahmen Sicherheitskräfte den Blogger Roman P. fest")."""
        return i + 1 in taken and self.doc[i + 1].pos_ != "DET"


#: All-capital words that are no organisation: units, currencies, agencies' bylines, abbreviations.
_NOT_ACRONYMS = {"BIP", "DAX", "EUR", "USD", "CHF", "PKW", "LKW", "KFZ", "WM", "EM", "TV", "KI", "IT", "PDF", "DPA", "AFP",
                 "APA", "SDA", "KNA", "EPD", "DDP", "AP", "UTC", "MEZ", "CET", "GMBH", "AG", "SMS", "PS", "KW", "MW",
                 "GW", "ICE", "IC", "SUV", "NS", "DDR", "BRD", "US", "UK", "OK", "CEO", "FAQ", "HIV", "COVID", "NEU",
                 "LIVE", "VIDEO", "FOTO", "UPDATE", "EIL", "ANZEIGE", "WERBUNG"}


#: Lower-case forms of words that the actor rules of :meth:`Actors.mentions` test for by name.
_ACTOR_WORDS = frozenset(QUANTITIES | SINGULAR_PRONOUNS | PLURAL_PRONOUNS | {
    "länder", "land", "regierungen", "beide", "beiden", "beider", "sprecher", "sprecherin", "ihnen"})


@lru_cache(maxsize=65536)
def _may_act(word: str) -> bool:
    """False for a word that no actor rule can take (not an actor or class noun, a word the rules name,
    an organisation or an acronym): the word is skipped before the rules run."""
    lower = word.lower()
    return actor_noun(word) is not None or _class_noun(word) or lower in _ACTOR_WORDS \
        or lower in _organisations_lower() or (3 <= len(word) <= 6 and word.isalpha() and word.isupper()
                                               and word not in _NOT_ACRONYMS)


def _region_of_place(word: str) -> bool:
    """ "Westschweiz", "Nordsyrien", "Ostukraine": a part of a country named by a compass prefix."""
    for prefix in ("Nord", "Süd", "Ost", "West", "Mittel", "Zentral"):
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) > 2 and place_country(rest[:1].upper() + rest[1:]):
            return True
    return False


def _acronym(token) -> bool:
    """ "BUND", "GDL", "THW": an all-capital word of three to six letters that names an organisation."""
    text = token.text
    return 3 <= len(text) <= 6 and text.isalpha() and text.isupper() and text not in _NOT_ACRONYMS


def _verb_form(token) -> bool:
    """ "kaperten/ADJA Huthi-Kämpfer": a lower-case form of a lexicon verb the tagger took for an adjective."""
    if not token.text.islower() or token.pos_ != "ADJ":
        return False
    verbs = lexicon().verbs
    return any(g in verbs for g in _guesses(token.lower_)) or strong_forms().get(token.lower_) in verbs


def _quoted_name(doc, i: int, end: int) -> int | None:
    """Index of the closing quotation mark of a name in quotes right after token ``i``, or None."""
    if i + 2 >= end or doc[i + 1].text not in ("„", "\"", "«", "»", "“"):
        return None
    for j in range(i + 2, min(end, i + 10)):
        if doc[j].text in ("“", "\"", "»", "«", "”"):
            return j if j > i + 2 and doc[i + 2].text[:1].isupper() else None
    return None


@lru_cache(maxsize=65536)
def _class_noun(word: str) -> bool:
    """ "Organisation", "Guerillaorganisation", "Rebellengruppe": a noun naming the class of a named actor."""
    if word in CLASS_NOUNS:
        return True
    lower = word.lower()
    return any(lower.endswith(tail.lower()) and len(lower) > len(tail) + 2 for tail in CLASS_TAILS)


#: Class nouns that also close compounds ("Guerillaorganisation", "Terrorgruppe").
CLASS_TAILS = ("Organisation", "Gruppe", "Miliz", "Partei", "Gewerkschaft", "Bewegung", "Vereinigung", "Bündnis")


def _class_role(word: str):
    """The sector of a compound class noun from its first part ("Guerilla-organisation" -> REB), else its last."""
    lower = word.lower()
    for tail in CLASS_TAILS:
        if lower.endswith(tail.lower()):
            prefix = word[: len(word) - len(tail)].rstrip("-s")
            return actor_noun(prefix[:1].upper() + prefix[1:]) or actor_noun(tail) or actor_noun("Organisation")
    return actor_noun(word)


def _looks_like_name(word: str) -> bool:
    """ "Sea-Watch", "NGO", "Open Arms": a hyphenated, capitalised or all-caps word, no common noun."""
    return (word.isupper() and len(word) > 1) or bool(re.match(r"^[A-ZÄÖÜ][\w]*-[A-ZÄÖÜ]", word))


def _text_of(doc, first: int, end: int) -> str:
    """The text of tokens ``first`` to ``end - 1`` (``doc[first:end].text`` of a spaCy Doc)."""
    if end <= first:
        return ""
    last = doc[end - 1]
    return doc.text[doc[first].idx:last.idx + len(last.text)]


def _outside_brackets(tokens) -> list:
    """Tokens outside "( ... )": "Kanzler Hallwachs (SPD), Minister Tauber (Grüne) und ..."."""
    out, depth = [], 0
    for token in tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(token)
    return out


def groups(mentions: list[Mention], doc, sentence_start: int) -> list[Group]:
    """Coordinated mentions as groups, each with the preposition or genitive before it."""
    out: list[Group] = []
    for mention in mentions:
        if out:
            previous = out[-1]
            between = _outside_brackets([doc[j] for j in range(previous.last + 1, mention.first)])
            apposition = [t.text for t in between] == [","] and mention.label == "PER" and \
                mention.last + 2 < len(doc) and doc[mention.last + 1].text == "," and (
                    doc[mention.last + 2].tag_.endswith("FIN") or previous.mentions[-1].label != "PER")
            titled = mention.label == "PER" and len(between) >= 2 and between[0].lower_ in ("und", "sowie") and \
                len(between) <= 3 and all(t.text[:1].isupper() and t.pos_ in ("NOUN", "PROPN") for t in between[1:])
            # "traf Juncker und IWF-Chefin Christine Lagarde": a title the actor nouns do not know
            # "Ein Angebot der Agentur Frontex, Beamte zu entsenden": a comma that opens a zu-infinitive
            infinitive = [t.text for t in between] == [","] and (any(
                doc[k].tag_ == "PTKZU" for k in range(mention.last + 1, min(len(doc), mention.last + 3)))
                # "..., die EU schloss sich an": a new clause with its own finite verb
                or (mention.last + 1 < len(doc) and doc[mention.last + 1].tag_.endswith("FIN")))
            if between and (all(t.lower_ in COORDINATORS for t in between) or titled) and not mention.pronoun \
                    and not previous.mentions[-1].pronoun and not apposition and not infinitive:
                previous.mentions.append(mention)
                previous.last = mention.last
                continue
        group = Group([mention], mention.first, mention.last)
        if mention.last + 1 < len(doc) and doc[mention.last + 1].lower_ in ("zufolge", "gegenüber", "zuliebe"):
            group.prep = doc[mention.last + 1].lower_  # "Diplomaten zufolge": a source of information
        if mention.first > sentence_start:
            before = doc[mention.first - 1]
            # "mit Vertretern der Gemeinden": the preposition goes through the transparent noun
            if before.lower_ in TRANSPARENT and mention.first - 2 >= sentence_start and doc[mention.first].lower_ in ("der", "des"):
                j = mention.first - 2
                while j > sentence_start and doc[j].pos_ in ("DET", "ADJ", "NUM"):
                    j -= 1
                if doc[j].lower_ in PREPOSITIONS or doc[j].tag_ in ("APPR", "APPRART"):
                    group.prep = PREP_NORMAL.get(doc[j].lower_, doc[j].lower_)
                    out.append(group)
                    continue
            if before.lower_ in PLACE_NOUNS and mention.first - 2 >= sentence_start:
                # "im Raum Köln", "in der Stadt Charkiw": the preposition before the place noun
                j = mention.first - 2
                while j > sentence_start and doc[j].pos_ in ("DET", "ADJ"):
                    j -= 1
                if doc[j].lower_ in PREPOSITIONS or doc[j].tag_ in ("APPR", "APPRART"):
                    before = doc[j]
            if before.lower_ in PREPOSITIONS or before.tag_ in ("APPR", "APPRART"):
                group.prep = PREP_NORMAL.get(before.lower_, before.lower_)
                if before.lower_ == "mit" and mention.first - 2 >= sentence_start and \
                        doc[mention.first - 2].lower_ in ("gemeinsam", "zusammen"):
                    group.prep = "gemeinsam"  # "vermittelte gemeinsam mit Norwegen": a second actor
            elif before.lower_ in ("des", "der") and mention.first - 2 >= sentence_start and \
                    doc[mention.first - 2].pos_ in ("NOUN", "PROPN") and before.lower_ == "der" or before.lower_ == "des":
                group.genitive = True
        # the article or "von" right after "Angaben" (not "nach eigenen Angaben Ziele der Hamas")
        k = mention.first if doc[mention.first].lower_ in ("der", "des") else mention.first - 1
        if k - 1 >= sentence_start and doc[k].lower_ in ("der", "des", "von", "vom") and \
                doc[k - 1].lower_ in ("angaben", "informationen", "berichten"):
            group.prep = "zufolge"  # "nach Angaben der Generalstaatsanwaltschaft": a source of information
            out.append(group)
            continue
        first_token = doc[mention.first]
        spokesperson = mention.first > sentence_start and doc[mention.first - 1].lower_ in ("sprecher", "sprecherin")
        if spokesperson:
            pass  # "lehnte eine Sprecherin der EU-Kommission ab": the organisation speaks
        elif first_token.lower_ in ("des", "beider") or (first_token.lower_ == "der" and mention.first > sentence_start
                                                        and doc[mention.first - 1].pos_ == "NOUN"
                                                        and (not mention.entity or mention.label in ("PER", "ORG"))):
            group.genitive = True  # "nach Angaben der Polizei", "die Vorwürfe der Opposition"
        last_token = doc[mention.last]
        if mention.entity and last_token.text.endswith("s") and last_token.text[:-1] == mention.text.split()[-1]:
            group.genitive = True  # "die Zukunft Assads"
        if mention.entity and mention.text.endswith("s") and mention.name and (
                mention.text == mention.name + "s" or (mention.label == "LOC" and " " not in mention.text
                                                      and mention.text not in places() and place_country(mention.text))):
            group.genitive = True  # "Syriens", "die Entscheidung Wiens" (the NER's name "Wiens")
        out.append(group)
    return out


# ---------------------------------------------------------------------------------------------
# Clauses


def _clauses(sentence, pairs, sentence_groups=(), sentence_tokens=None) -> list[list]:
    """Tokens of each clause, also inside quotations; a comma inside a coordinated group ("mit den
    USA, Großbritannien und Italien") does not break the clause."""
    in_group = {i for g in sentence_groups if len(g.mentions) > 1 for i in range(g.first, g.last + 1)}
    sentence_tokens = sentence_tokens if sentence_tokens is not None else list(sentence)
    in_group |= _list_commas(sentence_tokens)
    clauses: list[list] = [[]]
    for token in sentence_tokens:
        if token.is_space:
            continue
        if token.text in CLAUSE_BREAKS and token.i not in in_group:
            clauses.append([])
        else:
            clauses[-1].append(token)
    return [c for c in clauses if c]


def _join_appositions(clauses: list[Clause]) -> list[Clause]:
    """ "Der Bürgermeister von Charkiw, Ihor Terechow, verurteilte ...": a name between commas after
    a role noun in the prefield is that noun's apposition; the three stretches are one clause and
    the named person, not the role noun, is its subject."""
    out: list[Clause] = []
    k = 0
    while k < len(clauses):
        clause = clauses[k]
        if out and k + 1 < len(clauses) and len(clause.groups) == 1 and len(clause.groups[0].mentions) == 1:
            previous, following, group = out[-1], clauses[k + 1], clause.groups[0]
            person = group.mentions[0]
            heads = [g for g in previous.groups if not g.prep and not g.genitive and g.mentions[0].entity is None
                     and not g.mentions[0].pronoun and g.mentions[0].role]
            if person.label == "PER" and group.first <= clause.tokens[0].i and clause.tokens[-1].i <= group.last \
                    and (heads or previous.tokens[0].pos_ == "DET") and _finite_index(previous.tokens) is None \
                    and following.tokens[0].tag_.endswith("FIN"):
                groups = [g for g in previous.groups if not heads or g is not heads[0]] + clause.groups + following.groups
                out[-1] = Clause(previous.tokens + clause.tokens + following.tokens, groups)
                k += 2
                continue
        if out and len(clause.groups) == 1 and len(clause.groups[0].mentions) == 1 and _role_at_end(out[-1]) \
                and clause.groups[0].mentions[0].label == "PER" and clause.groups[0].first <= clause.tokens[0].i \
                and clause.tokens[-1].i <= clause.groups[0].last:
            # "... und der Präfekt der Region Grand Est, Jean-Luc Marx, am Freitag": the name between
            # commas after a role noun is that noun's apposition and takes its place in its group
            previous = out[-1]
            group, index = _role_at_end(previous)
            group.mentions[index] = clause.groups[0].mentions[0]
            tokens, groups = previous.tokens + clause.tokens, previous.groups
            if k + 1 < len(clauses) and _finite_index(clauses[k + 1].tokens) is None and \
                    clauses[k + 1].tokens[0].lower_ not in SUBORDINATORS and not _relative_pronoun(clauses[k + 1].tokens[0]):
                tokens, groups = tokens + clauses[k + 1].tokens, groups + clauses[k + 1].groups
                k += 1
            out[-1] = Clause(tokens, groups)
            k += 1
            continue
        out.append(clause)
        k += 1
    return out


def _role_at_end(clause: Clause):
    """(group, index) of a role-noun mention that ends a clause, with at most a genitive or place
    after it ("der Präfekt der Region Grand Est"), or None."""
    if not clause.groups:
        return None
    group = clause.groups[-1]
    mention = group.mentions[-1]
    if mention.entity or mention.pronoun or not mention.role or mention.members:
        return None
    rest = [t for t in clause.tokens if t.i > mention.last]
    if rest and (rest[0].lower_ not in ("der", "des", "von", "aus", "in", "im")
                 or any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in rest)):
        return None
    return group, len(group.mentions) - 1


def _relative_pronoun(token) -> bool:
    """ ", die Aserbaidschan mit Drohnen beliefert hatte": "der/die/das" after a comma opening a
    verb-final clause is a relative pronoun, even when tagged as an article."""
    if token.tag_ in ("PRELS", "PRELAT"):
        return True
    doc = token.doc
    if token.lower_ not in ("der", "die", "das", "den", "dem") or token.i == 0 or doc[token.i - 1].text != ",":
        return False
    j = token.i + 1
    while j < len(doc) and doc[j].text not in CLAUSE_BREAKS and doc[j].text not in (".", "!", "?", "„", "“"):
        j += 1
    last = doc[j - 1] if j - 1 > token.i else None
    return last is not None and last.tag_.endswith("FIN") and last.i - token.i >= 3


def _list_commas(sentence) -> set[int]:
    """Commas inside a list of nouns ("setzte Tränengas, Gummigeschosse und Wasserwerfer ein"): a comma
    between two nouns, followed by "und"/"oder" before any finite verb, joins the list."""
    out: set[int] = set()
    tokens = [t for t in sentence if not t.is_space]  # (the sentence's tokens)
    for k, token in enumerate(tokens[1:-1], start=1):
        if token.text != "," or tokens[k - 1].pos_ not in ("NOUN", "PROPN") or tokens[k + 1].pos_ not in ("NOUN", "ADJ", "PROPN"):
            continue
        for later in tokens[k + 1:]:
            if later.tag_.endswith("FIN") or later.text in CLAUSE_BREAKS - {","}:
                break
            if later.lower_ in ("und", "oder", "sowie"):
                out.add(token.i)
                break
    return out


_PREP_OR_SUB = frozenset(PREPOSITIONS | SUBORDINATORS)
_ZU_PARTICLES = tuple(sorted(PARTICLES | {"zurück", "mit", "nach"}))


def _zu_infinitive(token) -> bool:
    """ "freizulassen", "zusammenzuarbeiten": a particle verb with "zu" inside (the tagger may miss it)."""
    word = token.lower_
    lemma = token.lemma_.lower()
    inside = any(word[i:i + 2] == "zu" and word[:i] + word[i + 2:] == lemma for i in range(1, len(word) - 3)) or \
        (token.text.islower() and word.endswith(("en", "ern", "eln")) and  # the lemma may be off: "aufzunehmen"
         any(word.startswith(p + "zu") and len(word) > len(p) + 5 for p in _ZU_PARTICLES))
    return inside or \
        (token.i > 0 and token.doc[token.i - 1].lower_ == "zu" and token.text.islower() and word.endswith("en"))


def _finite_index(tokens) -> int | None:
    for index, token in enumerate(tokens):
        if token.tag_.endswith("FIN"):
            return index
        if index == 0 and token.tag_ in ("ADJA", "ADJD") and _lexicon_verb(token):
            return 0  # "..., setzte/ADJA Wasserwerfer ein": a clause does not open with a lower-case adjective
    return None


def _lexicon_verb(token) -> bool:
    """A lower-case form of a lexicon verb (also with a particle: "setzte" of "einsetzen")."""
    if not token.text.islower() or not token.text.isalpha():
        return False
    table = lexicon()
    stems = {token.lemma_.lower(), strong_forms().get(token.lower_, "")} | set(_guesses(token.lower_))
    stems.discard("")
    return any(stem in table.verbs or stem in table.lvcs or any(p + stem in table.verbs or p + stem in table.lvcs
                                                                  for p in PARTICLES) for stem in stems)


def _analyse(clause: Clause, previous: Clause | None, main: Clause | None = None) -> None:
    """The clause's kind and subject (see the module docstring, step 1).

    ``previous`` is the clause before (a relative clause's antecedent is its last actor);
    ``main`` the last main clause before, whose subject a zu-infinitive or a clause without one
    shares, unless one of the two is quoted and the other not ("„Wir kommen“, versprach er").
    """
    relative_previous = previous
    previous = main if main is not None and (main.quoted == clause.quoted) else None
    tokens = clause.tokens
    head = tokens[0]
    # "den", "dem", "einem", "einen" never open a subject: "bot den Bauern Gespräche an"
    eligible = [g for g in clause.groups if not g.prep and not g.genitive
                and g.mentions[0].text.split()[0].lower() not in OBLIQUE]
    if head.lower_ in ("darunter", "einschließlich", "inklusive"):
        clause.subordinate = True  # "Rund 400 Beamte, darunter Spezialkräfte, durchsuchten": an aside
        clause.subject = None
        return
    clause.relative = head.tag_ in ("PRELS", "PRELAT") or (head.tag_ == "APPR" and len(tokens) > 1 and tokens[1].tag_ == "PRELS") \
        or _relative_pronoun(head)
    if clause.relative and head.lower_ in ("der", "die", "das"):
        finite_at = _finite_index(tokens)
        if finite_at is not None and 2 <= finite_at <= 3 and finite_at < len(tokens) - 2 \
                and tokens[1].pos_ in ("NOUN", "PROPN"):
            clause.relative = False  # "sagte, die EU werde weitere Sanktionen prüfen": a verb-second clause
    # ("bis zum 1. Dezember ... zu räumen": "bis" as a preposition opens no subordinate clause)
    preposition = head.tag_ in ("APPR", "APPRART", "KOKOM", "ADV") or (
        head.lower_ in ("bis", "seit") and len(tokens) > 1 and tokens[1].tag_ in ("APPRART", "APPR", "CARD", "ADV"))
    clause.subordinate = (head.lower_ in SUBORDINATORS or head.tag_ in ("KOUS", "KOUI")) and not preposition \
        or clause.relative
    clause.infinitive = _finite_index(tokens) is None and any(t.tag_ in ("VVIZU", "PTKZU") or _zu_infinitive(t) for t in tokens)
    words = [t for t in tokens if not t.is_punct]
    if len(words) >= 2 and words[-2].tag_ == "PTKZU" and words[-1].tag_ in ("VAINF", "VVINF", "VMINF") \
            and head.lower_ not in SUBORDINATORS and not head.tag_.startswith("PREL") \
            and all("ge" in t.lower_[:-2] and t.lower_.endswith(("t", "en")) for t in tokens if t.tag_.endswith("FIN")):
        clause.infinitive = True  # "..., Zivilisten angegriffen zu haben": a perfect infinitive
    if clause.relative:
        bare_name = eligible and eligible[0].mentions[0].entity and \
            eligible[0].mentions[0].text.split()[0].lower() not in ("der", "die", "das", "des", "den", "dem")
        antecedent = relative_previous.groups[-1] if relative_previous is not None and relative_previous.groups and \
            relative_previous.groups[-1].last == relative_previous.tokens[-1].i else None
        finite = next((t for t in reversed(tokens) if t.tag_.endswith("FIN")), None)
        plural_object = eligible and finite is not None and "Sing" in finite.morph.get("Number") and \
            len(eligible[0].actors) == 1 and not eligible[0].actors[0].entity and (
                eligible[0].actors[0].plural or tokens[0].doc[eligible[0].first].pos_ == "NUM"
                or "Plur" in tokens[0].doc[eligible[0].last].morph.get("Number"))
        if (bare_name or plural_object) and antecedent is not None and head.lower_ in ("der", "die", "das"):
            # "die Türkei, die Aserbaidschan beliefert hatte": the name is the object; "die Polizei,
            # die 20.000 Beamte zusammengezogen hat": the singular verb agrees with the antecedent
            clause.subject = antecedent
        elif eligible:
            clause.subject = eligible[0]
        elif relative_previous is not None and relative_previous.groups:
            clause.subject = relative_previous.groups[-1]
        return
    if clause.subordinate:
        clause.subject = eligible[0] if eligible else None
        return
    if clause.infinitive:
        clause.subject = previous.subject if previous else None
        return
    finite = _finite_index(tokens)
    if finite is None:
        clause.subject = eligible[0] if eligible else (previous.subject if previous else None)
        return
    verb_i = tokens[finite].i
    before = [g for g in eligible if g.last < verb_i]
    if before:
        clause.subject = before[0]
        return
    # "Ein Sprecher der Üstra kritisierte", "Die Verhandlungsteams von ÖVP und SPÖ sind ...
    # zusammengekommen": a noun that is no actor, with the actor as its attribute.
    attribute = [g for g in clause.groups if g.last < verb_i and (g.genitive or g.prep == "von")
                 and not any(t.pos_ == "ADP" and t.i < g.first - 1 for t in tokens)]  # not "Einen Tag nach dem Besuch der X"
    if attribute and head.pos_ == "DET" and tokens[1].pos_ in ("NOUN", "ADJ") and \
            all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "ADP", "CCONJ") or t.is_punct for t in tokens[:finite]):
        clause.subject = attribute[0]
        return
    if head.pos_ == "CCONJ" and finite == 1 and previous is not None:
        clause.subject = previous.subject  # "..., und sicherte zu": the same subject
        return
    after = [g for g in eligible if g.first > verb_i]
    if finite == 0 and previous is not None and previous is not relative_previous and previous.subject is not None \
            and any(previous.subject is g for g in previous.groups) and _finite_index(previous.tokens) is None \
            and relative_previous is not None and relative_previous.relative:
        # "Der Minister, der am Montag in Warschau eintraf, sicherte Polen Unterstützung zu": the
        # prefield before a relative clause is the subject of the verb after it
        clause.subject = previous.subject
        return
    if after and finite == 0 and _shares_subject(clause, previous, after[0]):
        clause.subject = previous.subject  # "begrüßte die Pläne, forderte aber mehr Personal"
        return
    if not after and finite == 0 and previous is not None and not previous.subordinate:
        clause.subject = previous.subject  # "..., hatte mit einem Veto gedroht, lenkte dann aber ein"
        return
    clause.subject = after[0] if after else None


#: Verbs of saying that stand before their subject after the words reported ("..., sagte er").
SPEECH = {"sagen", "erklären", "betonen", "bekräftigen", "unterstreichen", "hinzufügen", "mitteilen", "schreiben",
          "kritisieren", "fordern", "warnen", "mahnen", "kommentieren", "meinen", "ergänzen", "verlangen", "sprechen",
          "versichern", "argumentieren", "heißen", "antworten", "entgegnen", "berichten", "sollen"}
#: Adverbs that mark a second verb of the same subject: "..., forderte aber mehr Personal".
CONTINUING = {"aber", "jedoch", "dann", "zudem", "außerdem", "auch", "dabei", "daraufhin", "anschließend", "später",
              "zugleich", "gleichzeitig", "ebenfalls", "allerdings", "danach"}


def _shares_subject(clause: Clause, main: Clause | None, first_after: Group) -> bool:
    """A clause that begins with its finite verb right after a main clause with a subject of its
    own continues that subject (coordinated verbs without "und": "Die Gewerkschaft begrüßte die
    Pläne, forderte aber mehr Personal"), unless it reports the words before it ("..., sagte
    der Minister"; "Russland müsse abziehen, forderte die Opposition")."""
    if main is None or main.subordinate or main.subject is None or _finite_index(main.tokens) is None:
        return False
    if clause.tokens[0].tag_.startswith(("VA", "VM")):
        return False  # "..., sollte Polen weitere Maßnahmen ergreifen": a condition in verb-first order
    if main.quoted or any(mood_label(t) == "KI" for t in main.tokens if t.tag_.endswith("FIN")):
        return False  # reported speech before: the actor after the verb is the speaker
    verb = clause.tokens[0]
    following = clause.tokens[1] if len(clause.tokens) > 1 else None
    continuing = following is not None and following.lower_ in CONTINUING
    last_word = [t for t in clause.tokens if not t.is_punct][-1]
    if (verb.lemma_ in SPEECH or _guess_speech(verb)) and not continuing and first_after.last >= last_word.i:
        return False  # "..., kritisierte die Opposition"
    head = verb.doc[first_after.first].lower_
    # "nahm ... fest" with an accusative object, or a continuing adverb
    return continuing or head in OBLIQUE or head not in ("der", "die", "das", "ein", "eine")


def _guess_speech(verb) -> bool:
    return any(g in SPEECH for g in _guesses(verb.lower_))


# ---------------------------------------------------------------------------------------------
# Triggers


@dataclass
class Hit:
    trigger: Trigger
    tokens: list  # the trigger's tokens (verb, particle, noun)
    head: object  # the token whose position counts (verb or noun)


def _verb_lemmas(clause_tokens, index: int) -> list[tuple[str, object | None]]:
    """Candidate lemmas of the verb at ``index``: with a separable particle joined, and bare."""
    token = clause_tokens[index]
    lemma = token.lemma_
    if lemma.lower() == token.lower_:
        lemma = strong_forms().get(token.lower_, lemma)  # "beschossen" left as its own lemma
    words = [t for t in clause_tokens[index + 1:] if not t.is_punct]
    for k, word in enumerate(words[:-1]):
        if word.pos_ == "CCONJ" and _coordinated_verb(words[k + 1]):
            # "schränkten den Zugang ein und nahmen 1200 Menschen fest": a particle after the
            # next coordinated verb is that verb's
            words = words[:k]
            break
    candidates: list[tuple[str, object | None]] = []
    closing = [t for t in words if t.lower_ in PARTICLES and t.i + 1 < len(t.doc) and
               (t.doc[t.i + 1].pos_ == "CCONJ" or t.doc[t.i + 1].is_punct)]  # "räumte Fehler ein und bat"
    for particle in [t for t in words if t.tag_ == "PTKVZ" and t.text.isalpha() and t.text.islower()] + closing[:1] + words[-1:]:
        # "lenkte dann aber ein": a clause-final "ein" is the particle even when tagged as an article
        if particle.text.isalpha() and particle.text.islower() and (
                particle.tag_ == "PTKVZ" or particle.pos_ in ("ADV", "ADP", "ADJ") or particle.lower_ in PARTICLES):
            candidates.append((particle.lower_ + lemma, particle))
    if not any(p is not None and p.tag_ == "PTKVZ" and p.text.islower() for _, p in candidates):
        candidates.append((lemma, None))  # "räumte ... ein" is einräumen, never räumen
    # Swiss spelling has no ß: "begrüssten" is begrüßen, "liess ... passieren" ließ
    candidates += [(c.replace("ss", "ß"), p) for c, p in candidates if "ss" in c]
    return candidates


#: Endings of weak verb forms, longest first: "drohten" -> droh + en = drohen.
_ENDINGS = ("test", "tet", "ten", "te", "est", "en", "st", "et", "t", "e", "n")


def _guess_lemmas(token) -> list[str]:
    """Infinitives a form may belong to when the tagger's lemma is off ("drohten/ADJA" -> drohen)."""
    return _guesses(token.lower_)


@lru_cache(maxsize=65536)
def _guesses(word: str) -> list[str]:
    out = []
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: len(word) - len(ending)]
            out.append(stem + "en")
            out.append(stem + "n")
            if stem.startswith("ge"):
                out.append(stem[2:] + "en")
    return out


def _compound_tails(noun_lemmas: dict) -> set[str]:
    """Every noun that one of the clause's nouns is a compound of, by :func:`_compound_of`'s rule
    ("entwicklungshilfe" -> "hilfe", "klimagespräche" -> "gespräch"): one set, so that each light-verb
    row needs one lookup instead of a test against every noun."""
    return set().union(*(_tails_of(word) for word in noun_lemmas))


@lru_cache(maxsize=65536)
def _tails_of(word: str) -> frozenset[str]:
    """The nouns one noun is a compound of (see :func:`_compound_tails`), kept per word."""
    out: set[str] = set()
    for ending in ("", "e", "en", "n", "s"):
        if word.endswith(ending):
            base = word[: len(word) - len(ending)]
            out.update(base[k:] for k in range(3, len(base) - 3))
    return frozenset(out)


@lru_cache(maxsize=65536)
def _compound_of(word: str, noun: str) -> bool:
    """ "entwicklungshilfe" ends with "hilfe", "klimagespräche" with "gespräch" + plural ending."""
    return any(word.endswith(noun + ending) and len(word) > len(noun) + len(ending) + 2 for ending in ("", "e", "en", "n", "s"))


def _is_verb(token) -> bool:
    if token.is_punct or not token.text[:1].isalpha():
        return False
    if token.text[:1].isupper() and not token.is_sent_start:
        return False
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("V")


@lru_cache(maxsize=1)
def _verb_suffixes() -> dict[str, frozenset[str]]:
    """Every ending of every verb lemma of the lexicon -> the beginnings before it, "ß" written "ss"
    ("setzen" -> {"ein", "fest", ...}): a verb's candidates (:func:`_verb_lemmas`) are its lemma with a
    particle that is a word of its clause before it, or bare; a lemma whose beginnings are none of the
    clause's words matches no row ("sagen" in a clause without "zu", "ab" or "an")."""
    table = lexicon()
    out: dict[str, set[str]] = {}
    for key in list(table.verbs) + list(table.lvcs):
        key = key.replace("ß", "ss")
        for k in range(len(key) + 1):
            out.setdefault(key[k:], set()).add(key[:k])
    return {ending: frozenset(beginnings) for ending, beginnings in out.items()}


@lru_cache(maxsize=65536)
def _guessed_prefixes(word: str) -> frozenset[str]:
    """The beginnings (:func:`_verb_suffixes`) before any infinitive :func:`_guesses` makes of a form."""
    suffixes = _verb_suffixes()
    return frozenset().union(*(suffixes.get(g.replace("ß", "ss"), ()) for g in _guesses(word)))


def _verb_possible(prefixes: frozenset[str] | None, words: set[str]) -> bool:
    return bool(prefixes) and ("" in prefixes or not prefixes.isdisjoint(words))


def find_triggers(clause: Clause) -> list[Hit]:
    """Trigger hits in a clause (verbs, light-verb constructions, nouns)."""
    table = lexicon()
    tokens = clause.tokens
    hits: list[Hit] = []
    used_nouns: set[int] = set()
    lowered = {t.lower_ for t in tokens}
    tails = None  # the clause nouns' compound tails, made when a light verb needs them
    subject_tokens = {i for m in clause.subject.mentions for i in range(m.first, m.last + 1)} \
        if clause.subject is not None else set()
    noun_lemmas: dict | None = None  # the clause's nouns by lemma and form, made when a light verb needs them
    suffixes = _verb_suffixes()
    for index, token in enumerate(tokens):
        text = token.text
        if not text.islower():
            if text[:1].isupper() and not token.is_sent_start:
                continue  # a capitalised word is no verb (as in _is_verb)
            if not _is_verb(token):
                continue  # neither a verb nor a lower-case word the tagger may have missed
            guessed = mistagged = False
        else:
            tag = token.tag_
            mistagged = text.isalpha() and token.lower_ not in _PREP_OR_SUB \
                and tag not in ("ART", "PPER", "PRF", "KON", "PTKVZ", "PTKNEG", "PPOSAT", "PDAT", "PIAT", "CARD")
            if not mistagged and not _is_verb(token):
                continue  # ("zog/APPR" and "drohten/ADJA" are verbs the tagger missed)
            guessed = token.pos_ not in ("ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV") \
                and not tag.startswith(("ADJA", "N"))
        lemma = token.lemma_
        if lemma.lower() == token.lower_:
            lemma = strong_forms().get(token.lower_, lemma)
        prefixes = suffixes.get(lemma.replace("ß", "ss"))
        if not (prefixes and ("" in prefixes or not prefixes.isdisjoint(lowered))) and not (
                (guessed or mistagged) and _verb_possible(_guessed_prefixes(token.lower_), lowered)):
            continue  # no lexicon verb is its lemma (or a guessed one) with a word of the clause before it
        candidates = _verb_lemmas(tokens, index)
        if not any(lemma in table.verbs or lemma in table.lvcs for lemma, _ in candidates) and (guessed or mistagged):
            particles = [(lemma[: -len(token.lemma_)] if lemma.endswith(token.lemma_) and lemma != token.lemma_ else "", particle)
                         for lemma, particle in candidates]
            candidates = [(prefix + guess, particle) for prefix, particle in particles for guess in _guess_lemmas(token)]
        for lemma, particle in candidates:
            verb_rows = table.verbs.get(lemma, ())
            lvc_rows = table.lvcs.get(lemma, ())
            if not verb_rows and not lvc_rows:
                continue
            exact, inflected, compound = [], [], []
            if lvc_rows and noun_lemmas is None:
                noun_lemmas = {t.lemma_.lower(): t for t in tokens if t.pos_ in ("NOUN", "PROPN") or t.text[:1].isupper()}
                noun_lemmas.update({t.lower_: t for t in tokens if t.text[:1].isupper()})
            for row in lvc_rows:
                noun_lower = row.noun_lower
                if not noun_lower:
                    continue
                found = noun_lemmas.get(noun_lower)
                if found is not None:
                    exact.append((row, found))
                    continue
                found = noun_lemmas.get(noun_lower + "en") or noun_lemmas.get(noun_lower + "e") \
                    or noun_lemmas.get(noun_lower + "s")
                if found is None:
                    for plural in row.noun_plurals:  # "Zölle"
                        if plural in noun_lemmas:
                            found = noun_lemmas[plural]
                            break
                if found is not None:
                    inflected.append((row, found))
                # compounds: "Entwicklungshilfe aussetzen" is "Hilfe aussetzen" ("Alarmbereitschaft"
                # does not end in the noun "Haft": only nouns of five letters or more)
                if tails is None:
                    tails = _compound_tails(noun_lemmas)
                if len(noun_lower) >= 5:
                    if noun_lower in tails:
                        found = next((t for n, t in noun_lemmas.items() if _compound_of(n, noun_lower)), None)
                        if found is not None:
                            compound.append((row, found))
                elif row.noun_plurals and len(row.noun_plurals[0]) >= 5 and row.noun_plurals[0] in tails:
                    # "Ausgleichszölle verhängen": a compound of the umlaut plural
                    found = next((t for n, t in noun_lemmas.items() if n.endswith(row.noun_plurals[0])
                                  and len(n) > len(row.noun_plurals[0]) + 2), None)
                    if found is not None:
                        compound.append((row, found))
            rows = exact + inflected + compound + [(row, None) for row in verb_rows]
            matched = False
            for row, noun in rows:
                if noun is not None and noun.i in subject_tokens and not (token.tag_ == "VVPP" and any(t.lemma_ == "werden" for t in tokens)):
                    continue  # "Die US-Truppen zogen sich zurück": the subject is no light verb's noun
                    # (but the passive's: "Zwei Diplomaten wurden ausgewiesen")
                if row.reflexive and not ({"sich", "mich", "uns", "euch"} & lowered):
                    continue
                if row.needs_words and not lowered & row.needs_words:
                    continue  # "needs:ließ|lässt": any of the words
                if row.unless_words and lowered & row.unless_words:
                    continue  # "feuerte Raketen ab" is a test, "feuerte Raketen auf ... ab" an attack
                if row.object_roles and not any(
                        actor.role in row.object_roles for g in clause.groups
                        if g is not clause.subject and not g.prep and not g.genitive for actor in g.actors):
                    continue  # "schickte Nationalgardisten an die Grenze": only with armed forces as the object
                parts = [token] + ([particle] if particle is not None else []) + ([noun] if noun is not None else [])
                hits.append(Hit(row, parts, token))
                if noun is not None:
                    used_nouns.add(noun.i)
                matched = True
                break
            if matched:
                break
    for token in tokens:
        if token.i in used_nouns or not token.text[:1].isupper() or token.pos_ not in ("NOUN", "PROPN"):
            continue
        rows = [r for r in noun_rows(token.text, token.lemma_) if not r.needs_words or lowered & r.needs_words]
        if rows:  # "ein gemeinsames Manöver" is cooperation, "ein Manöver" a mobilisation
            hits.append(Hit(rows[0], [token], token))
    verbal = {h.trigger.type for h in hits if h.trigger.kind != "noun"}
    doc = tokens[0].doc
    if "REJECT" in verbal:
        # "Kurti lehnte einen Rückzug der Polizei ab": the refused act did not happen
        hits = [h for h in hits if h.trigger.kind != "noun" or h.trigger.type == "REJECT"]
    return [h for h in hits if h.trigger.kind != "noun" or not (
        # "zeigte sich offen für Gespräche": the talks are what is agreed to, not held
        ("AGREE" in verbal and any(doc[j].lower_ in ("für", "zu", "zur", "zum") for j in range(max(0, h.head.i - 3), h.head.i)))
        # "Nach einem ersten Treffen am Freitag kamen SPD und Grüne zusammen": an earlier meeting
        or (h.trigger.type == "CONSULT" and "recip" in h.trigger.flags and "CONSULT" in verbal and _in_pp(h.head)))]


# ---------------------------------------------------------------------------------------------
# Arguments


def _slot_groups(clause: Clause, hit: Hit, slot: str, clauses: list[Clause], index: int) -> list[Group]:
    """Groups that fill ``slot`` of a hit in its clause."""
    head_i = hit.head.i
    if hit.trigger.kind == "noun":
        after = [g for g in clause.groups if g.first > head_i and g.first - head_i <= 8]
        close = [g for g in after if g.first - head_i <= 4 and not any(  # "die Proteste dürften nicht von Extremisten
            hit.head.doc[k].pos_ in ("VERB", "AUX") for k in range(head_i + 1, g.first))]
        if slot == "gen":                                      # vereinnahmt werden": that "von" is the verb's
            near = [g for g in close if (g.genitive or g.prep == "von") and not _city(g)]
            return near[:1] or _agent_attribute(clause, hit.head) or _adjective_country(hit.head)
        if slot == "von":
            return [g for g in close if g.prep == "von" and not _city(g)][:1] or _agent_attribute(clause, hit.head)
        if slot == "subj":
            following = hit.head.doc[head_i + 1] if head_i + 1 < len(hit.head.doc) else None
            if following is not None and following.tag_ == "PPOSAT" and clause.subject is not None \
                    and not _inside(clause.subject, hit):
                return [clause.subject]  # "bestätigte den Rückzug ihrer Einheiten": the subject's own units
            finite = _finite_index(clause.tokens)
            prefield = finite is not None and hit.head.i < clause.tokens[finite].i
            later = clause.subject is not None and clause.subject.first > hit.head.i
            opened = _in_pp(hit.head) and any(t.lemma_ in ("beginnen", "starten") for t in clause.tokens) and \
                _text_of(hit.head.doc, max(0, hit.head.i - 6), hit.head.i).lower().split().count("mit") > 0
            if opened and clause.subject is not None and not _inside(clause.subject, hit):
                return [clause.subject]  # "hat China mit Militärübungen begonnen": the subject started them
            if _pp_head(hit.head) in ("an", "am", "zu", "zur", "zum") and clause.subject is not None \
                    and not _inside(clause.subject, hit) and (_lemmas(clause.tokens) & PARTAKING or (
                        "teil" in {t.lower_ for t in clause.tokens} and any(t.lemma_ == "nehmen" for t in clause.tokens))):
                return [clause.subject]  # "nahmen an der Demonstration teil", "hält an seinen Protesten fest"
            if hit.trigger.type == "MOBILIZE" and _pp_head(hit.head) == "mit" and clause.subject is not None \
                    and not _inside(clause.subject, hit):
                return [clause.subject]  # "Die Polizei begleitet die Demonstration mit einem Großaufgebot"
            low, high = _verb_part(clause, hit.head)
            if _in_pp(hit.head) or prefield or later:
                if hit.trigger.type == "FIGHT" and "recip" in hit.trigger.flags and clause.subject is not None \
                        and len(clause.subject.actors) > 1 and not any(g.prep == "mit" for g in after):
                    # "Nach wochenlangen Kämpfen einigten sich X und Y": the two sides fought each other
                    return [clause.subject]
                if hit.trigger.type in ("CONSULT", "AGREE") and _pp_head(hit.head) in ("nach", "vor", "seit") and \
                        clause.subject is not None and len(clause.subject.actors) == 1 and \
                        not any(g.prep == "mit" for g in after):  # "sagte er nach einem Treffen mit X": he met X
                    return []  # "Einen Tag nach dem Besuch der X hat China ...": China was not at the visit
                if hit.trigger.type not in ("CONSULT", "AGREE", "FIGHT") or not _in_pp(hit.head) or \
                        (hit.trigger.type == "FIGHT" and not any(g.prep == "mit" for g in after)):
                    # "nach heftigen Kämpfen mit der Armee nahm die Miliz ... ein": the subject fought
                    return []  # "Nach den Anschlägen ... drohten X": the subject did not attack
            elif head_i >= 2 and hit.head.doc[head_i - 1].lower_ in ("der", "des") and hit.head.doc[head_i - 2].pos_ == "NOUN":
                return []  # "wegen der Unterdrückung der Proteste": a genitive attribute, not the verb's object
            elif not (_lemmas([t for t in clause.tokens if (_is_verb(t) or t.tag_ == "PTKVZ")
                               and low <= t.i <= high]) & support_verbs()):
                # ("kündigte Sanktionen an": the support verb with its separable particle, in the noun's own
                # part of the clause: not "verurteilte die Angriffe und kündigte an")
                return []  # "Der Sicherheitsrat verurteilte den Angriff": not the attacker
            return [clause.subject] if clause.subject is not None and not _inside(clause.subject, hit) else []
        return [g for g in after if g.prep == slot][:1]
    if slot == "subj":
        return [clause.subject] if clause.subject is not None else []
    low, high = _verb_part(clause, hit.head)
    own = [g for g in clause.groups if low <= g.first and g.last <= high or g is clause.subject]
    if slot == "gen" and hit.trigger.kind == "lvc":
        # "nahm die Einladung der Kanzlerin nicht an": the genitive of the construction's noun
        noun = hit.tokens[-1]
        return [g for g in own if g.genitive and 0 < g.first - noun.i <= 2][:1]
    if slot == "obj":
        objects = [g for g in own if not g.prep and not g.genitive and g is not clause.subject
                   and not (clause.relative and g is clause.groups[0] and clause.subject is not g
                            and any(clause.subject is h for h in clause.groups))]
        if not objects:
            # "wies die Vorwürfe der Opposition zurück", "griff Stellungen der Rebellen an": the
            # genitive attribute of an object that is no actor is the one acted upon.
            finite = _finite_index(clause.tokens)
            verb_i = hit.head.i if finite is None else min(hit.head.i, clause.tokens[finite].i)
            # ("haben Ziele der Huthi-Miliz angegriffen": the object stands before the participle)
            objects = [g for g in own if not g.prep and g.genitive and g is not clause.subject
                       and (g.first > hit.head.i - (0 if hit.trigger.kind == "verb" else 99) or (
                           g.first > verb_i and not _city(g) and not _owned_by_event_noun(g, hit.head.doc)))]
        return objects[:1]
    if slot == "comp":
        if index + 1 < len(clauses):
            following = clauses[index + 1]
            objects = [g for g in following.groups if not g.prep and not g.genitive and g is not following.subject]
            return objects[:1]
        return []
    return [g for g in own if g.prep == slot][:1]


def _coordinated_verb(token) -> bool:
    """ "und nahmen", "und lud/ADJA": a verb right after "und" opens the part of a second verb."""
    if not token.text.islower() or not token.text.isalpha():
        return False
    if token.tag_.endswith("FIN"):
        return True
    if token.tag_ not in ("ADJA", "ADJD", "NN", "VVPP", "VVINF"):
        return False
    return _lexicon_verb(token)


def _agent_attribute(clause: Clause, noun) -> list[Group]:
    """ "die von Israel geflogenen Luftangriffe", "der von der Miliz verübte Anschlag": the agent of a
    participle of the noun's own support verb in the attribute before it."""
    doc = noun.doc
    for group in clause.groups:
        if group.prep not in ("von", "durch") or not 2 <= noun.i - group.last <= 3:
            continue
        between = [doc[k] for k in range(group.last + 1, noun.i)]
        if any(t.pos_ not in ("ADJ", "VERB", "ADV") for t in between):
            continue
        if any(_participle_lemma(t.lower_) in support_verbs() for t in between):
            return [group]
    return []


@lru_cache(maxsize=4096)
def _participle_lemma(word: str) -> str | None:
    """The infinitive of an attributive participle ("geflogenen" -> fliegen, "verhängten" -> verhängen)."""
    for ending in ("en", "em", "er", "es", "e", ""):
        if not word.endswith(ending):
            continue
        participle = word[: len(word) - len(ending)] if ending else word
        strong = strong_forms().get(participle)
        if strong is not None:
            return strong
        if participle.endswith("t") and len(participle) > 4:
            stem = participle[:-2] if participle.endswith("et") else participle[:-1]
            for candidate in (stem + "en", stem[2:] + "en" if stem.startswith("ge") else None):
                if candidate and candidate in support_verbs():
                    return candidate
    return None


def _adjective_country(noun) -> list[Group]:
    """ "unter russischer Vermittlung", "israelische Luftangriffe": a country adjective right before
    an event noun names its source (the state)."""
    before = noun.doc[noun.i - 1] if noun.i > 0 else None
    if before is None or before.pos_ != "ADJ" or not before.text.islower():
        return []
    code = _country_of_words([before])
    if code is None:
        return []
    from lagebild.events.actors import countries

    name = countries()[2].get(code, code)
    mention = Mention(before.idx, before.idx + len(before.text), before.i, before.i, before.text, None, name, code,
                      "GOV", label="LOC")
    return [Group([mention], before.i, before.i)]


def _verb_part(clause: Clause, head) -> tuple[int, int]:
    """Token range of the verb's own part of a clause with coordinated verbs ("lobte die
    Gewerkschaften und lud die Arbeitgeber ein"): from the "und" before it to the next one."""
    tokens = clause.tokens
    low, high = tokens[0].i, tokens[-1].i
    for k, token in enumerate(tokens[:-1]):
        if token.pos_ == "CCONJ" and _coordinated_verb(tokens[k + 1]):
            if tokens[k + 1].i <= head.i:
                low = token.i
            elif token.i > head.i:
                high = token.i
                break
    return low, high


def _place(group: Group) -> bool:
    """ "in Oslo", "im Rathaus von Wuppertal": where something happens, not who takes part."""
    return group.prep in ("in", "nach", "bei") and all(m.label == "LOC" for m in group.mentions)


def _owned_by_event_noun(group: Group, doc) -> bool:
    """ "den Abzug der französischen Soldaten": a genitive that belongs to an event noun."""
    owner = doc[group.first - 1] if group.first > 0 else None
    return owner is not None and owner.pos_ in ("NOUN", "PROPN") and bool(noun_rows(owner.text, owner.lemma_))


def _pp_head(noun) -> str | None:
    """The preposition of the prepositional phrase a noun is in ("nach dem Besuch" -> nach), or None."""
    i = noun.i - 1
    doc = noun.doc
    while i >= 0 and doc[i].pos_ in ("DET", "ADJ", "NUM", "ADV") and noun.i - i <= 4:
        i -= 1
    if i >= 0 and (doc[i].tag_ in ("APPR", "APPRART") or doc[i].lower_ in PREPOSITIONS):
        return PREP_NORMAL.get(doc[i].lower_, doc[i].lower_)
    return None


def _in_pp(noun) -> bool:
    """True for a noun inside a prepositional phrase ("bei einem Besuch", "nach den Anschlägen")."""
    i = noun.i - 1
    doc = noun.doc
    while i >= 0 and doc[i].pos_ in ("DET", "ADJ", "NUM", "ADV") and noun.i - i <= 4:
        i -= 1
    return i >= 0 and (doc[i].tag_ in ("APPR", "APPRART") or doc[i].lower_ in PREPOSITIONS)


def _city(group: Group) -> bool:
    """ "die Anschläge von Paris": a city after "von" is where, not who."""
    return all(m.label == "LOC" and m.name not in _country_names() for m in group.mentions)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    from lagebild.events.actors import countries

    by_name, _, names = countries()
    from lagebild.resources import load_rows

    return frozenset(by_name) | frozenset(names.values()) | frozenset(n for n, _ in load_rows("gazetteers/countries_de.tsv", 2))


@lru_cache(maxsize=1)
def support_verbs() -> frozenset[str]:
    """Verbs whose subject is the source of an event noun in their object (resources/events/support_verbs.txt)."""
    from lagebild.resources import load_lines

    return frozenset(load_lines("events/support_verbs.txt"))


def _existential(clause: Clause, hit: Hit) -> bool:
    """ "gab es keine Annäherung", "Eine Einigung gab es nicht", "keine Einigung": an outcome of the
    talks just told, not the object of another actor's verb ("Biden begrüßte die Einigung")."""
    lemmas = {t.lemma_ for t in clause.tokens}
    words = {t.lower_ for t in clause.tokens}
    if "zustande" in words:
        return True  # "Eine Einigung kam nicht zustande"
    if hit.head.i > 0 and hit.head.doc[hit.head.i - 1].lower_ == "ohne" and not clause.subject:
        return True  # "Das Treffen ging ohne Einigung zu Ende"
    return ("geben" in lemmas and "es" in words) or any(t.lower_.startswith("kein") for t in clause.tokens
                                                         if 0 < hit.head.i - t.i <= 3)


#: Verbs whose subject takes part in the event noun after "an"/"zu": "nahmen an der Kundgebung teil".
PARTAKING = {"teilnehmen", "festhalten", "beteiligen", "mobilisieren", "fortsetzen"}
#: Verbs that put talks on the calendar: "Die nächste Runde ist für Montag angesetzt".
SCHEDULING = {"ansetzen", "stattfinden", "anberaumen", "planen", "fortsetzen"}


def _scheduled(clause: Clause) -> bool:
    return any(t.lemma_ in SCHEDULING or t.lower_ in ("angesetzt", "geplant", "anberaumt") for t in clause.tokens)


def _inside(group: Group, hit: Hit) -> bool:
    return group.first <= hit.head.i <= group.last


def _passive(clause: Clause, hit: Hit) -> bool:
    """ "wurde (von X) angegriffen": a form of werden with the trigger as a participle."""
    if hit.trigger.kind == "noun":
        return False
    verb = hit.head
    if verb.tag_ == "ADJA" and verb.i > 0:
        # an attributive participle: "die von der EU verhängten Sanktionen", "die verhängten Sanktionen"
        before = verb.doc[verb.i - 1]
        agrees = not (before.lower_ == "das" and verb.lower_.endswith("en"))  # "Das vereinbarten X und Y": V2
        if (before.pos_ in ("DET", "ADJ") and agrees) or any(g.prep in ("von", "durch") and g.last == verb.i - 1 for g in clause.groups):
            return True
    werden = any(t.lemma_ == "werden" and t is not verb for t in clause.tokens)
    if any(t.lower_ == "worden" for t in clause.tokens):
        return True  # "die entführt worden waren"
    # "wurden 63 Menschen festgenommen": the tagger may take the participle for a finite verb
    finite_werden = any(t.lemma_ == "werden" and t.tag_.endswith("FIN") and t is not verb for t in clause.tokens)
    stem = verb.lemma_.lower()[:-2] if verb.lemma_.lower().endswith("en") else None
    participle = verb.tag_ == "VVPP" or (verb.tag_ != "VVIZU" and (not verb.tag_.endswith("FIN") or finite_werden) and (
        ("ge" in verb.lower_[:-2] and "zu" not in verb.lower_[2:-4])
        # a participle without "ge-" after an inseparable prefix: "wurde ... einbestellt", "wurden verhaftet"
        or (finite_werden and stem is not None and verb.lower_ in (stem + "t", stem + "et"))))
    return werden and participle and verb.text.lower() != verb.lemma_.lower()


def arguments(clause: Clause, hit: Hit, clauses: list[Clause], index: int) -> tuple[list[Group], list[Group]]:
    """(source groups, target groups) of a hit, by the row's roles (passive swaps them)."""
    row = hit.trigger
    sources: list[Group] = []
    targets: list[Group] = []
    if _passive(clause, hit):
        sources = [g for g in clause.groups if g.prep in ("von", "durch")][:1]
        if not sources and "by:in" in row.flags:
            # "wurde ins Außenministerium in Ankara einbestellt": the ministry summoned him
            sources = [g for g in clause.groups if g.prep == "in" and any(m.role == "GOV" for m in g.mentions)][:1]
        if clause.subject is not None:
            targets = [clause.subject]
        return sources, targets
    for slot in row.slots("source"):
        if not sources:
            sources = [g for g in _slot_groups(clause, hit, slot, clauses, index) if g not in targets]
            if sources and slot == "subj":
                sources += [g for g in clause.groups if g.prep == "gemeinsam"]
    for slot in row.slots("target"):
        if not targets:
            targets = [g for g in _slot_groups(clause, hit, slot, clauses, index) if g not in sources]
    if row.type == "THREATEN" and not targets and index + 1 < len(clauses):
        # "drohte mit einer Antwort, sollte Polen weitere Schritte unternehmen": the one whose
        # action is the condition is the one threatened
        condition = clauses[index + 1]
        head = condition.tokens[0]
        if (head.lower_ in CONDITIONAL or (head.lemma_ == "sollen" and head.tag_.endswith("FIN"))) and \
                condition.subject is not None and condition.subject not in sources:
            targets = [condition.subject]
    # "Bei einem Besuch des Präsidenten in Moskau sicherte er zu": with the visitor as source,
    # the clause subject is the host.
    return sources, targets


# ---------------------------------------------------------------------------------------------
# Modality, time, place


def _negated(clause: Clause, hit: Hit) -> bool:
    tokens = clause.tokens
    words = [t.lower_ for t in tokens]
    if hit.trigger.kind in ("noun", "lvc"):
        noun = hit.tokens[-1] if hit.trigger.kind == "lvc" else hit.head
        position = tokens.index(noun) if noun in tokens else 0
        for t in tokens[max(0, position - 4):position]:
            if t.lower_.startswith("kein") or t.lower_ == "ohne":
                return True  # "keine Annäherung", "Ministerrat ohne Einigung"
    for i, word in enumerate(words):
        if word in NEGATIONS and not (i + 1 < len(words) and words[i + 1] in ("nur", "mehr", "zuletzt")):
            return True
    return False


def _lemmas(tokens, skip=()) -> set[str]:
    """Lemmas of the tokens, separable verbs joined with their particle ("kündigte ... an" -> ankündigen)."""
    lemmas = {t.lemma_ for t in tokens if t not in skip}
    particles = [t.lower_ for t in tokens if t.tag_ == "PTKVZ"]
    lemmas |= {p + t.lemma_ for t in tokens if t not in skip and t.pos_ in ("VERB", "AUX") for p in particles}
    return lemmas


def _mode(clause: Clause, hit: Hit, previous: Clause | None, sentence_clauses: list[Clause], index: int) -> str:
    tokens = clause.tokens
    lemmas = _lemmas(tokens, skip=hit.tokens)  # "Sanktionen beschlossen": the trigger's own verb plans nothing
    head = tokens[0].lower_
    finite = [t for t in tokens if t.tag_.endswith("FIN")]
    earlier = [t for c in sentence_clauses[:index] for t in c.tokens]
    if head in CONDITIONAL or any(t.lower_ in CONDITIONAL for t in earlier[:1]) or \
            (head in ("sollte", "sollten") and tokens[0].is_sent_start) or \
            (earlier and earlier[0].lower_ in ("sollte", "sollten") and earlier[0].is_sent_start and index == 1):
        return "hypothetical"  # "Sollte Russland ... besetzen, würden die USA ...": a condition in verb-first order
    if any(t.lemma_ == "sollen" and t.tag_.endswith("FIN") for t in tokens) and \
            any(t.lower_ in ("haben", "sein") and t.tag_.startswith("VA") and not t.tag_.endswith("FIN") for t in tokens):
        return "happened"  # reportive "sollen": "sollen ... getötet haben" reports a claim about the past
    if hit.trigger.kind == "noun" and any(t.lemma_ in ("prüfen", "erwägen") for t in tokens):
        return "hypothetical"  # "die EU werde Sanktionen prüfen": considered, not decided
    if any(mood_label(t) == "KII" and t.lemma_ in ("werden", "können", "sollen", "dürfen") for t in finite) \
            or any(t.lower_ in ("würde", "würden", "könnte", "könnten") for t in tokens):
        return "hypothetical"
    if any(t.lemma_ in DEMAND_CUES for t in earlier) and (head in ("dass", "daß") or clause.infinitive):
        return "demanded"
    if hit.trigger.type != "DEMAND" and any(t.lemma_ in DEMAND_CUES for t in tokens if t is not hit.head) \
            and (clause.infinitive or hit.trigger.kind == "noun"):
        return "demanded"  # "hat den Abzug der Soldaten verlangt"
    if any(t.lower_ in ("müsse", "müssten", "möge", "mögen") for t in tokens):
        return "demanded"  # reported obligation: "Frankreich müsse seine Soldaten abziehen"
    if (lemmas & PLANNING_VERBS and not (hit.trigger.kind == "noun" and _in_pp(hit.head))) \
            or "bereit" in {t.lower_ for t in tokens + earlier}:  # not "kündigte beim Treffen an"
        return "planned"
    if any(t.lemma_ == "werden" and t.tag_.endswith("FIN") for t in tokens) and not _passive(clause, hit) \
            and hit.trigger.kind != "noun" and hit.head.tag_ != "VVIZU" and hit.head.lower_ == hit.head.lemma_.lower():
        return "planned"
    if clause.infinitive and previous is not None and _lemmas(previous.tokens) & (PLANNING_VERBS | {"ankündigen"}):
        return "planned"
    return "happened"


def _anchor(article: Article) -> date | None:
    value = article.published or article.reference_time
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _date(article: Article, clause: Clause, clauses: list[Clause], anchor: date | None, mode: str,
          actors: list[Mention]) -> dict | None:
    if anchor is None:
        return None
    future = mode == "planned"
    # The event's clause first, then the main clauses of its sentence (a relative or subordinate
    # clause dates its own event: "..., die im Januar entführt worden waren").
    spans = [(clause.start, clause.end)] + [(c.start, c.end) for c in clauses
                                            if c is not clause and (c is clauses[0] or not c.subordinate)]
    for start, end in spans:
        text = article.text[start:end]
        found = find_timex(text, anchor, future=future)
        if found is not None and future and text[:found.end].lower().split()[-2:][0] in ("seit", "seitdem"):
            # "streiken seit Montag": the Monday that began it lies behind (also in the present tense)
            found = find_timex(text, anchor, future=False)
        if found is not None:
            return found.to_dict(start, article.text)
    # A photo caption that names one of the actors may say when ("Hollande und Putin gestern abend").
    # Only when it pictures both parties: a caption dates their meeting, not everything they do.
    if len(actors) < 2:
        return None
    keys = [{a.name.split()[-1], a.text.split()[-1]} for a in actors]
    for image in article.images:
        caption = image.caption or ""
        if caption and all(any(re.search(r"\b" + re.escape(k) + r"\b", caption) for k in names if len(k) > 2)
                           for names in keys):
            found = find_timex(caption, anchor, future=future)
            if found is not None:
                result = found.to_dict(0, None)
                result.update(start=None, end=None, text=caption[found.start:found.end], caption=True)
                return result
    return None


def _location(article: Article, sentence, dateline: dict | None) -> dict | None:
    doc = article.doc
    for entity in article.entities:
        if entity.label != "LOC" or entity.kind != "name" or not (sentence.start_char <= entity.start < sentence.end_char) \
                or "\n" in entity.text:
            continue
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None or span.start == 0:
            continue
        before = doc[span.start - 1].lower_
        if before in ("in", "nach", "im") or (before in ("der", "die") and span.start >= 2 and doc[span.start - 2].lower_ in ("in",)):
            return {"name": entity.name or entity.text, "country": place_country(entity.name or entity.text),
                    "start": entity.start, "end": entity.end, "text": entity.text}
    return dateline


def _dateline(article: Article) -> dict | None:
    """ "Kabul – Die Taliban ...", "Moskau (dpa) - ...": the place at the start of the first text paragraph."""
    for paragraph in article.paragraphs:
        if paragraph.kind not in ("lead", "body"):
            continue
        match = _DATELINE.match(article.text[paragraph.start:paragraph.end])
        if match is None:
            return None
        name = match.group("place")
        country = place_country(name)
        if country is None and name not in {e.text for e in article.entities if e.label == "LOC"}:
            return None
        start = paragraph.start + match.start("place")
        return {"name": name, "country": country, "start": start, "end": start + len(name), "text": name}
    return None


# ---------------------------------------------------------------------------------------------
# The cascade


class Resolver:
    """Pronouns: the last singular person subject, the last plural subject, the quote's speaker."""

    def __init__(self, article: Article):
        self.person: Mention | None = None
        self.plural: list[Mention] | None = None
        self.quotes = article.quotes
        self.article = article
        self.sentence_no = 0
        self.tick = self.person_tick = self.feminine_tick = 0
        self.feminine: Mention | None = None  # the last singular feminine subject that is no person
        self.masculine: Mention | None = None  # the last singular masculine subject that is no named person
        self.masculine_tick = 0
        self.organisation: Mention | None = None  # the last single subject that is no person
        self.coercer: tuple[dict, int] | None = None  # the last source of a coercive act, and its sentence
        self.plural_sentence = self.talks_sentence = 0  # the sentences of the last plural subject and two-sided talks
        self.first_entity: dict[str, Entity] = {}  # entity id -> its first mention
        for entity in article.entities:
            self.first_entity.setdefault(entity.id, entity)

    def quote_at(self, offset: int) -> Quote | None:
        return next((q for q in self.quotes if q.content.start <= offset < q.content.end), None)

    def resolve(self, group: Group, doc, meetings=()) -> Group | None:
        resolved: list[Mention] = []
        for mention in group.mentions:
            if not mention.pronoun:
                resolved.append(mention)
                continue
            word = mention.text.lower()
            if word.split()[-1] in ("sprecher", "sprecherin"):
                if self.organisation is not None:
                    resolved.append(replace(self.organisation, start=mention.start, end=mention.end, first=mention.first,
                                            last=mention.last, text=mention.text))
                continue
            if word.startswith("beide"):
                # "Beide vereinbarten", "beide Seiten": the two parties of the last meeting, else the
                # last coordinated subject
                if meetings:
                    # "beider Polizeien": the last two parties of that sector, else the last two
                    source, target, _ = next((m for m in reversed(meetings) if mention.role and
                                              m[0].get("role") == m[1].get("role") == mention.role), meetings[-1])
                    members = [self._from_actor(source, mention), self._from_actor(target, mention)]
                    resolved.append(replace(mention, members=members, name=mention.text))
                elif self.plural:
                    resolved.append(replace(mention, members=list(self.plural), name=mention.text))
                continue
            quote = self.quote_at(mention.start)
            if word == "wir" and quote is not None and quote.speaker is not None and quote.speaker.name:
                speaker = quote.speaker
                resolved.append(Mention(mention.start, mention.end, mention.first, mention.last, mention.text,
                                        speaker.entity, speaker.name, None, None))
                continue
            if word.endswith("von ihnen"):
                if self.plural:
                    resolved.append(replace(mention, members=list(self.plural), name=mention.text))
                continue
            if mention.last > mention.first and self.plural:  # "ihre Länder": their countries
                members = [self._country(m) or m for m in self.plural]
                resolved.append(replace(mention, members=members, name=mention.text))
                continue
            verb = doc[mention.last + 1] if mention.last + 1 < len(doc) else None
            finite = _adjacent_finite(doc, mention)
            if finite is not None:  # "will sie ... treffen", "Sie vereinbarten": the finite verb's number
                plural = word == "wir" or (word == "sie" and "Plur" in finite.morph.get("Number"))
            else:
                plural = word == "wir" or (word == "sie" and verb is not None and
                                           ("Plur" in verb.morph.get("Number") or verb.lower_.endswith(("en", "ten"))))
            talks = next((m for m in reversed(meetings) if m[2]), None) \
                if word == "sie" and plural and _finite_plural(doc, mention) else None
            if talks is not None and self.talks_sentence > self.plural_sentence \
                    and self.sentence_no - self.talks_sentence <= 1:
                # "Die Ministerin empfing ihren Amtskollegen. Sie vereinbarten ...": the two parties of the
                # talks just told, when no plural subject came after them
                members = [self._from_actor(talks[0], mention), self._from_actor(talks[1], mention)]
                resolved.append(replace(mention, members=members, name=mention.text))
            elif plural and self.plural:
                resolved.append(replace(mention, members=list(self.plural), name=mention.text))
            elif word == "sie" and not plural and self.feminine is not None and self.feminine_tick > self.person_tick:
                resolved.append(replace(self.feminine, start=mention.start, end=mention.end, first=mention.first,
                                        last=mention.last, text=mention.text))
            elif word in ("er", "ihn", "ihm") and self.masculine is not None and self.masculine_tick > self.person_tick:
                # "Der Präsident entschuldigte sich. Er räumte Fehler ein": a role noun, when no named
                # person was the subject of a later sentence
                resolved.append(replace(self.masculine, start=mention.start, end=mention.end, first=mention.first,
                                        last=mention.last, text=mention.text))
            elif not plural and self.person is not None and word in ("er", "ihn", "ihm") or (word == "sie" and not plural and self.person):
                person = self.person
                resolved.append(Mention(mention.start, mention.end, mention.first, mention.last, mention.text,
                                        person.entity, person.name, person.country, person.role))
        if not resolved:
            return None
        return Group(resolved, group.first, group.last, group.prep, group.genitive)

    @staticmethod
    def _from_actor(actor: dict, at: Mention) -> Mention:
        return Mention(at.start, at.end, at.first, at.last, at.text, actor.get("entity"), actor.get("name") or at.text,
                       actor.get("country"), actor.get("role"))

    def _country(self, mention: Mention) -> Mention | None:
        """A mention standing for the country of a person ("ihre Länder" -> Frankreich)."""
        if mention.country is None or mention.role != "GOV":
            return None
        from lagebild.events.actors import countries

        name = countries()[2].get(mention.country, mention.country)
        known = {e.name: e.id for e in self.article.entities if e.label == "LOC"}
        return Mention(mention.start, mention.end, mention.first, mention.last, mention.text,
                       known.get(name), name, mention.country, "GOV")

    def remember(self, subject: Group | None) -> None:
        if subject is None:
            return
        actors = subject.actors
        self.tick += 1
        if len(actors) > 1 or (len(actors) == 1 and actors[0].plural):
            self.plural, self.plural_sentence = actors, self.sentence_no
        elif len(actors) == 1 and actors[0].entity and not actors[0].pronoun:
            entity = self.first_entity.get(actors[0].entity)
            if entity is not None and entity.label == "PER":
                self.person, self.person_tick = actors[0], self.sentence_no
                return
        if len(actors) == 1 and not actors[0].pronoun and actors[0].label != "PER":
            self.organisation = actors[0]
            head = self.article.doc[actors[0].last]
            article_word = actors[0].text.split()[0].lower()
            if ("Fem" in head.morph.get("Gender") or article_word in ("die", "eine")) and not actors[0].plural \
                    and "Plur" not in head.morph.get("Number"):
                # "die Staatsanwaltschaft ... Sie": only from a later sentence than the last person
                # ("Strasser sagte, die Regierung habe ... Sie drohte" is Strasser)
                self.feminine, self.feminine_tick = actors[0], self.sentence_no
            elif ("Masc" in head.morph.get("Gender") or (article_word == "der" and not head.morph.get("Gender"))) \
                    and not actors[0].plural and "Plur" not in head.morph.get("Number"):
                # "Der Präsident ... Er" ("ein Gericht" is neuter: not "er")
                self.masculine, self.masculine_tick = actors[0], self.sentence_no


#: Verbs that report what their subject says it did: "Die Armee teilte mit, sie habe ... zerstört".
REPORTERS = {"mitteilen", "erklären", "sagen", "angeben", "berichten", "bestätigen", "betonen", "bekanntgeben", "melden"}


def _reporter(clause: Clause, group: Group, main: Clause | None, doc) -> Group | None:
    """ "Die Armee teilte mit, sie habe mehrere Stellungen zerstört": "er"/"sie" as the subject of the
    clause after a report is the reporting subject, when number and gender agree; else None."""
    if main is None or main is clause or clause.subject is not group or len(group.mentions) != 1 \
            or main.subject is None or main.quoted or clause.quoted:
        return None
    pronoun = group.mentions[0]
    word = pronoun.text.lower()
    if word not in ("er", "sie") or not _lemmas(main.tokens) & REPORTERS:
        return None
    actors = main.subject.actors
    if len(actors) != 1 or actors[0].pronoun or actors[0].plural:
        return None
    finite = _adjacent_finite(doc, pronoun)
    if finite is None or "Sing" not in finite.morph.get("Number"):
        return None
    actor = actors[0]
    article_word = actor.text.split()[0].lower()
    # the gender from the article ("die Armee", "der Minister"; the tagger gives nouns none); a named
    # person may be either
    if actor.label != "PER" and not ((word == "er" and article_word in ("der", "ein"))
                                     or (word == "sie" and article_word in ("die", "eine"))):
        return None
    return Group([replace(actor, start=pronoun.start, end=pronoun.end, first=pronoun.first, last=pronoun.last,
                          text=pronoun.text)], group.first, group.last, group.prep, group.genitive)


def _adjacent_finite(doc, mention: Mention):
    """The finite verb right before or after a pronoun ("will sie", "Sie vereinbarten"), or None."""
    for k in (mention.first - 1, mention.last + 1):
        if 0 <= k < len(doc) and doc[k].tag_.endswith("FIN") and doc[k].morph.get("Number"):
            return doc[k]
    return None


def _finite_plural(doc, mention: Mention) -> bool:
    """True when the finite verb right before or after a pronoun is plural ("Sie vereinbarten", not
    "will sie ... treffen")."""
    finite = _adjacent_finite(doc, mention)
    return finite is not None and "Plur" in finite.morph.get("Number")


def _furniture_lines(article: Article) -> list[tuple[int, int]]:
    """Lines left in the text that are links or entry titles, not reports: a teaser behind an arrow
    ("► Tanker-Drama: Russland droht Finnland") or a liveblog entry title ("Belarus verlegt
    Truppen +++"); the body tells their events where it reports them."""
    out = []
    for match in re.finditer(r"(?m)^[ \t]*(?:[►▶]|\+\+\+).*$|^.*\+\+\+[ \t]*$", article.text):
        out.append((match.start(), match.end()))
    return out


def code_events(article: Article) -> list[Event]:
    """Events of an article in text order (the cascade is in the module docstring)."""
    if article.doc is None or not len(article.doc) or not article.text:
        return []
    doc = words_of(article.doc, article.text)  # plain copies of the tokens: read many times over, cheaper than spaCy's
    try:
        return _code_events(article, doc)
    finally:
        if isinstance(doc, Words):
            doc.release()  # (the words and their list refer to each other: freed now, not by the garbage collector)


def _code_events(article: Article, doc) -> list[Event]:
    actors = Actors(article, doc)
    pairs = quotation_pairs(article)
    opens = [p.open for p in pairs]  # (the pairs do not overlap: in text order, each closes before the next opens)
    resolver = Resolver(article)
    anchor = _anchor(article)
    dateline = _dateline(article)
    headline_end = next((p.end for p in article.paragraphs if p.kind == "headline"), -1)
    events: list[Event] = []
    meetings: list[tuple[dict, dict, bool]] = []  # (source, target, talks?) of two-sided events so far

    furniture = _furniture_lines(article)
    last_sentence_start = 0
    for sentence in doc.sents:
        resolver.sentence_no += 1
        if article.text[sentence.start_char:sentence.end_char].rstrip("“”\"»« ").endswith("?"):  # the doc's text
            continue  # "Verbietet die EU das Grillen?": a question reports no event
        if any(start <= sentence.start_char < end for start, end in furniture):
            continue
        sentence_tokens = doc[sentence.start:sentence.end]
        mentions = actors.mentions(sentence, sentence_tokens)
        sentence_groups = groups(mentions, doc, sentence.start)
        clauses: list[Clause] = []
        for tokens in _clauses(sentence, pairs, sentence_groups, sentence_tokens):
            first, last = tokens[0].i, tokens[-1].i
            clause = Clause(tokens, [g for g in sentence_groups if first <= g.first and g.last <= last])
            clauses.append(clause)
        clauses = _join_appositions(clauses)
        previous = main = None
        for index, clause in enumerate(clauses):
            at = bisect.bisect_right(opens, clause.start) - 1
            clause.quoted = at >= 0 and clause.start <= pairs[at].close
            _analyse(clause, previous, main)
            if clause.subject is not None and clause.subject not in clause.groups:
                resolved = resolver.resolve(clause.subject, doc, meetings)
                clause.subject = resolved
            for position, group in enumerate(list(clause.groups)):
                if any(m.pronoun for m in group.mentions):
                    resolved = _reporter(clause, group, main, doc) or resolver.resolve(group, doc, meetings)
                    if clause.subject is group:
                        clause.subject = resolved
                    if resolved is not None:
                        clause.groups[position] = resolved
            previous = clause
            if not clause.subordinate:
                main = clause
        governing: str | None = None
        promise: list[Event] = []  # the AGREE events of the last clause ("sagte zu, ...")
        for index, clause in enumerate(clauses):
            hits = find_triggers(clause)
            pledged: list[Event] = []
            if clause.infinitive and governing == "AGREE" and promise:
                # PLOVER: a pledge of aid is AID (planned), a promise to release, withdraw or not to
                # attack is CONCEDE; either replaces the bare promise ("sagte zu, ... aufzunehmen")
                for hit in hits:
                    for event in _events_for(article, clause, hit, clauses, index, sentence, anchor, dateline,
                                             resolver, meetings, headline_end):
                        if event.type == "AID":
                            event = replace(event, mode="planned")
                        elif event.type == "RETREAT" or (event.type in ("FIGHT", "ASSAULT") and event.negated):
                            event = replace(event, type="CONCEDE", negated=False, mode="happened",
                                            source=promise[0].source, target=promise[0].target)
                        else:
                            continue
                        pledged.append(event)
                if not pledged and _lemmas(clause.tokens) & EASING:
                    # "sagte den Landwirten zu, die Pflicht ... auszusetzen": a promise to ease is a concession
                    pledged = [replace(e, type="CONCEDE") for e in promise]
                if pledged:
                    events = [e for e in events if not any(e is p for p in promise)]
                    events += pledged
            if clause.tokens[0].lower_ == "wer" and clause.tokens[0].tag_ in ("PWS", "PRELS"):
                hits = []  # "Wer Polizisten angreife, müsse mit Konsequenzen rechnen": a generic statement
            if clause.infinitive and clause.tokens[0].lower_ == "um":
                hits = []  # "setzten Tränengas ein, um die Menge auseinanderzutreiben": a purpose, not an act of its own
            if clause.infinitive and index > 0 and any(t.lemma_ == "warnen" for t in clauses[index - 1].tokens):
                hits = []  # "warnte davor, dem Regime zu weit entgegenzukommen": what is warned against
            if clause.infinitive and governing in ("DISAPPROVE", "REJECT", "THREATEN", "AGREE"):
                hits = []  # "warf der SPÖ vor, Reformen zu blockieren": an allegation, a threat, a promise
            if clause.infinitive and governing == "DEMAND":
                # "forderte ihn auf, sich für ein Moratorium einzusetzen": a demanded statement is no event
                # of its own (demanded acts are: "forderte Minsk auf, die Gefangenen freizulassen")
                hits = [h for h in hits if h.trigger.type not in DEMANDED_SPEECH]
            if clause.infinitive and governing == "DEMAND" and index > 0:
                # "forderte den Bund auf, ... zur Verfügung zu stellen": the one asked is the subject
                asked = [g for g in clauses[index - 1].groups if not g.prep and not g.genitive
                         and g is not clauses[index - 1].subject]
                if asked:
                    clause.subject = asked[0]
            # the verb nearest to a following infinitive governs it ("begrüßte ... und forderte Minsk auf, ...")
            governing = max(hits, key=lambda h: h.head.i).trigger.type if hits else (governing if clause.infinitive else None)
            coded: list[Event] = []
            for hit in hits:
                coded += _events_for(article, clause, hit, clauses, index, sentence, anchor, dateline, resolver,
                                     meetings, headline_end)
            events += coded
            if hits or not clause.infinitive:
                promise = [e for e in coded if e.type == "AGREE"]
        if not any(e.type == "DEMAND" and e.evidence.start >= last_sentence_start for e in events):
            events += _reported_obligations(article, clauses, sentence, anchor, dateline)  # not a restated demand
        if not any(e.type == "REJECT" and e.evidence.start >= last_sentence_start for e in events):
            events += _reported_refusals(article, clauses, sentence, anchor, dateline)  # not a restated refusal
        last_sentence_start = sentence.start_char
        for clause in clauses:
            resolver.remember(clause.subject)
    return _deduplicate(events, headline_end, _background(article, events))


#: Verbs of a pledge: with an aid noun in the clause the pledge is aid ("sagte Finanzhilfen zu").
PLEDGING = {"zusagen", "zusichern", "versprechen", "anbieten", "geloben", "garantieren"}
#: Verbs of easing a restriction: promised, they are a concession (PLOVER CONCEDE).
EASING = {"aussetzen", "lockern", "aufheben", "streichen", "abschaffen", "zurücknehmen", "senken", "verzichten",
          "erleichtern", "einstellen", "verschieben", "entschärfen"}
#: Verbs that report speech: "..., sagte er".
REPORTING = {"sagen", "erklären", "betonen", "bekräftigen", "unterstreichen", "hinzufügen", "mitteilen", "schreiben"}
#: Verbs that report a refusal in the words before or after them ("..., stellte die Fifa klar").
REFUSAL_REPORTS = REPORTING | {"ankündigen", "klarstellen", "versichern"}


def _reported_refusals(article, clauses, sentence, anchor, dateline) -> list[Event]:
    """"Österreich werde die Quote nicht zurücknehmen, sagte sie": a reported "werde ... nicht" with
    no event of its own, or only a cooperative one ("werde ... nicht unterstützen"), is the
    speaker's refusal (REJECT), coded for the speaker as the gold set's guidelines do."""
    out: list[Event] = []
    for index, clause in enumerate(clauses):
        words = [t.lower_ for t in clause.tokens]
        cue_word = next((w for w in ("werde", "würden", "würde") if w in words), None)
        if cue_word is None or not ({"nicht", "keine", "keinen", "keinesfalls"} & set(words)) or clause.quoted:
            continue
        if any(h.trigger.type not in COOPERATIVE | {"AGREE", "CONCEDE"} and h.trigger.kind != "noun" for h in find_triggers(clause)):
            continue  # (an event noun is the object refused: "werde eine Blockade nicht hinnehmen")
        # "..., stellte die Fifa klar": the report verb after the words, with its particle
        reports = [c for c in clauses[index + 1:index + 2] if c.tokens[0].tag_.endswith("FIN")
                   and (_lemmas(c.tokens) & REFUSAL_REPORTS or _clarifies(c))] + \
                  [c for c in clauses[index - 1:index] if index and _lemmas(c.tokens) & REFUSAL_REPORTS]
        report = next((c for c in reports if c.subject is not None), None)
        if report is None:
            continue
        cue = clause.tokens[words.index(cue_word)]
        when = _date(article, clause, clauses, anchor, "happened", [])
        where = _location(article, sentence, dateline)
        start, end = min(clause.start, report.start), max(clause.end, report.end)
        while end > start and article.text[end - 1] in " .,;:!?":
            end -= 1
        for speaker in [a for a in report.subject.actors if not a.pronoun]:
            out.append(Event("REJECT", speaker.actor(), None, where, when, False, "happened", article.span(start, end),
                             "reject.werde_nicht", trigger=article.span(cue.idx, cue.idx + len(cue.text))))
    return out


def _clarifies(clause: Clause) -> bool:
    """ "stellte die Fifa klar": "klarstellen" with its particle tagged as an adjective."""
    return clause.tokens[0].lemma_ == "stellen" and any(t.lower_ == "klar" for t in clause.tokens)


def _reported_obligations(article, clauses, sentence, anchor, dateline) -> list[Event]:
    """"Die Hamas müsse alle Geiseln freilassen, sagte er": reported speech that puts an obligation
    on an actor is a DEMAND by the speaker on that actor (the demanded act is coded on its own)."""
    out: list[Event] = []
    for index, clause in enumerate(clauses):
        cue = next((t for t in clause.tokens if t.lower_ in ("müsse", "müssten")), None)
        if cue is None or clause.subject is None or clause.quoted or any(c.tokens[0].lower_ == "wer" for c in clauses[:index]):
            continue  # ("Wer ... angreife, müsse mit Konsequenzen rechnen": generic)
        report = next((c for c in clauses[index + 1:] if c.subject is not None and c.tokens[0].tag_.endswith("FIN")
                       and c.tokens[0].lemma_ in REPORTING), None)
        if report is None:
            continue
        speakers = [a for a in report.subject.actors if not a.pronoun]
        obliged = [a for a in clause.subject.actors if not a.pronoun]
        if not speakers or not obliged or {a.name for a in speakers} & {a.name for a in obliged}:
            continue
        when = _date(article, clause, clauses, anchor, "happened", [])
        where = _location(article, sentence, dateline)
        start, end = clause.start, report.end
        while end > start and article.text[end - 1] in " .,;:!?":
            end -= 1
        for speaker in speakers:
            for target in obliged:
                out.append(Event("DEMAND", speaker.actor(), target.actor(), where, when, False, "happened",
                                 article.span(start, end), "demand.müssen",
                                 trigger=article.span(cue.idx, cue.idx + len(cue.text))))
    return out


def _name(actor) -> str | None:
    return actor.name if isinstance(actor, Mention) else (actor or {}).get("name")


def _personal(clause: Clause, hit: Hit, clauses: list[Clause], index: int) -> bool:
    """ "drohte mit Sanktionen", "drohte, ... abzuziehen", "Russland droht Finnland": a threat by an
    actor has "mit", an infinitive after it, or its actor before the verb; "Nun droht Griechenland
    die Pleite" has none of them and is impersonal (the thing threatens the actor)."""
    if any(t.lower_ == "mit" for t in clause.tokens):
        return True
    following = clauses[index + 1] if index + 1 < len(clauses) else None
    if following is not None and not following.relative and (
            following.infinitive or following.tokens[0].lower_ in ("dass", "daß") or _finite_index(following.tokens) is not None):
        return True
    if clause.subject is not None and clause.subject.last < hit.head.i:
        return True
    # "drohte die Regierung den Tätern" (actors only) against "droht Griechenland die Pleite" (a thing)
    tokens = list(clause.tokens)
    k = index + 1
    while k < len(clauses) and clauses[k].relative:
        k += 1  # "drohen Flüchtlingen, die den Zaun überwinden, bis zu drei Jahre Haft"
    if k > index + 1 and k < len(clauses) and _finite_index(clauses[k].tokens) is None:
        tokens += clauses[k].tokens
    inside = {i for c in clauses for g in c.groups for i in range(g.first, g.last + 1)}
    return not any(t.pos_ == "NOUN" and t.i > hit.head.i and t.i not in inside for t in tokens)


def _events_for(article, clause, hit, clauses, index, sentence, anchor, dateline, resolver, meetings,
                headline_end) -> list[Event]:
    row = hit.trigger
    sources, targets = arguments(clause, hit, clauses, index)
    if row.kind == "lvc":  # "Flüchtlinge aufnehmen": the light verb's noun is no actor
        noun_i = {t.i for t in hit.tokens[1:]}
        sources = [g for g in sources if not any(m.first <= i <= m.last for m in g.mentions for i in noun_i)]
        targets = [g for g in targets if not any(m.first <= i <= m.last for m in g.mentions for i in noun_i)]
        noun = hit.tokens[-1]
        if not targets and "obj" in row.slots("target") and actor_noun(noun.text) is not None:
            targets = _adjective_country(noun)  # "wies den afghanischen Botschafter aus": Afghanistan
    subject_only = row.kind == "noun" and sources and sources[0] is clause.subject and not targets
    source_actors = [a for g in sources for a in g.actors if not a.pronoun]
    target_actors = [a for g in targets for a in g.actors if not a.pronoun]
    reciprocal = "recip" in row.flags
    pairs: list[tuple[Mention, Mention | None]] = []
    if source_actors:
        if reciprocal and not target_actors and len(source_actors) > 1:
            pairs = [(s, t) for s in source_actors for t in source_actors if t is not s][: 2 * len(source_actors)]
            pairs = [(s, next(t for t in source_actors if t is not s)) for s in source_actors]
        else:
            pairs = [(s, t) for s in source_actors for t in (target_actors or [None])]
            if reciprocal and row.type == "FIGHT" and (row.kind == "noun" or any(g.prep == "mit" for g in targets)):
                # fighting is mutual: "Kämpfe der Miliz mit der Armee" is also the army fighting the militia
                pairs += [(t, s) for s, t in pairs if t is not None]
    elif reciprocal and row.kind == "noun" and row.type in ("AGREE", "CONSULT") and \
            ((row.type == "AGREE" and _existential(clause, hit))
             or (not [g for g in clause.groups if not _place(g)] and _scheduled(clause) and not _in_pp(hit.head))) \
            and any(talks for _, _, talks in meetings) and clause.tokens[0].lower_ not in CONDITIONAL:
        # "Was Assad anbetrifft, gab es keine Annäherung": the parties of the last talks (one outcome);
        # "Die nächste Verhandlungsrunde ist für Donnerstag angesetzt": each towards the other
        source, target, _ = next(m for m in reversed(meetings) if m[2])
        pairs = [(source, target)] + ([(target, source)] if row.type == "CONSULT" else [])
    # an actor does not act on itself ("Sie wirft ihm ... vor" with both pronouns on one person)
    pairs = [(s, t) for s, t in pairs if t is None or _name(s) != _name(t)]
    if row.type == "SUPPORT" and hit.head.tag_ == "ADJA" and _passive(clause, hit) and \
            any(g.first == hit.head.i + 1 for g in clause.groups):
        return []  # "die vom Iran unterstützten Huthi": a standing relation that describes an actor
    if "personal" in row.flags and not _personal(clause, hit, clauses, index):
        return []  # "Ohne Einigung droht Griechenland die Zahlungsunfähigkeit": the thing threatens
    if not pairs and row.type == "COERCE" and _passive(clause, hit) and resolver.coercer is not None \
            and resolver.sentence_no - resolver.coercer[1] <= 1:
        # "Rund 400 Beamte durchsuchten ... Vier Männer wurden festgenommen": an agentless passive
        # right after a raid has the raiders as its agent
        pairs = [(resolver.coercer[0], t) for t in (target_actors or [None])]
    if not pairs and row.type in INFORMED_TYPES and _passive(clause, hit):
        # "Wie die Polizei mitteilte, wurden drei Personen festgenommen", "Nach Polizeiangaben wurden
        # 63 Menschen festgenommen": the authority that reports an agentless arrest made it
        informant = _informant(clauses)
        if informant is not None:
            pairs = [(informant, t) for t in (target_actors or [None])]
    if not pairs:
        return []
    if ("target" in row.flags or (subject_only and row.type == "CONSULT")) and not any(t is not None for _, t in pairs):
        return []  # "sagte der Kanzler nach dem Treffen": a meeting told before, with nobody met
    negated = _negated(clause, hit)
    if negated and row.flag("refuse") and {"werde", "würde", "würden"} & {t.lower_ for t in clause.tokens} \
            and index + 1 < len(clauses) and clauses[index + 1].tokens[0].tag_.endswith("FIN") \
            and (_lemmas(clauses[index + 1].tokens) & REFUSAL_REPORTS or _clarifies(clauses[index + 1])):
        return []  # "Österreich werde die Quote nicht hinnehmen, sagte sie": the speaker's refusal (below)
    mode = _mode(clause, hit, clauses[index - 1] if index else None, clauses, index)
    quote = resolver.quote_at(hit.head.idx)
    attribution = None
    if quote is not None and quote.speaker is not None:
        attribution = {"text": quote.speaker.text, "name": quote.speaker.name, "entity": quote.speaker.entity}
    when = None
    # "Am Donnerstag reist Kamau nach Hamburg": a weekday with a verb in the present is ahead
    present = hit.head.tag_.endswith("FIN") and "Pres" in hit.head.morph.get("Tense") and \
        hit.trigger.kind != "noun" and hit.head.idx > headline_end
    for source, target in pairs[:1]:
        involved = [a for a in (source, target) if isinstance(a, Mention)]
        when = _date(article, clause, clauses, anchor, "planned" if present else mode, involved)
    if mode == "happened" and "pledge" in row.flags:
        mode = "planned"  # "sagten der Ukraine Militärhilfe zu": the aid lies ahead
    if mode == "happened" and when and anchor and when["granularity"] == "day" and when["value"] > anchor.isoformat():
        mode = "planned"  # "hat für Donnerstag zu einem Warnstreik aufgerufen"
    where = _location(article, sentence, dateline)
    start = min([clause.start] + [s.start for s, _ in pairs if isinstance(s, Mention)])
    end = max([clause.end] + [t.end for _, t in pairs if isinstance(t, Mention)])
    start, end = max(start, sentence.start_char), min(end, sentence.end_char)
    while end > start and article.text[end - 1] in " .,;:!?":
        end -= 1
    willing = any(t.lower_ in ("bereit", "bereitschaft") for c in clauses[: index + 1] for t in c.tokens)
    # PLOVER and the gold set's guidelines: a pledge of material aid is AID (planned), not AGREE
    pledged_aid = row.type == "AGREE" and row.kind != "noun" and (row.lemma in PLEDGING or row.id == "agree.aussicht_stellen") \
        and any(t.text[:1].isupper() and t.pos_ in ("NOUN", "PROPN") and any(r.type == "AID" for r in noun_rows(t.text, t.lemma_))
                for t in clause.tokens)
    trigger_start = min(t.idx for t in hit.tokens)
    trigger_end = max(t.idx + len(t.text) for t in hit.tokens)
    out: list[Event] = []
    for source, target in pairs:
        source_dict = source.actor() if isinstance(source, Mention) else source
        target_dict = target.actor() if isinstance(target, Mention) else target
        type_ = row.type
        if row.force_type and (source_dict.get("role") in ARMED or (isinstance(source, Mention) and source.label == "LOC")):
            type_ = row.force_type  # a state that attacks uses its armed forces ("Die USA griffen ... an")
        if row.civil_type and source_dict.get("role") not in STATE_LIKE:
            type_ = row.civil_type  # "Die Gewerkschaft mobilisiert Tausende", "Aktivisten blockierten": a protest
        if row.flag("state") and source_dict.get("role") in STATE_LIKE:
            type_ = row.flag("state")  # "Die Regierung protestierte": a verbal disapproval
        if row.flag("as") and source_dict.get("role") in row.flag("as").split("=")[0].split("|"):
            type_ = row.flag("as").split("=")[1]  # "Die Polizei räumte den Platz": coercion, not a retreat
        if row.flag("only") and source_dict.get("role") not in row.flag("only").split("|"):
            continue  # "auflösen" is coercion only by the police
        if type_ == "COERCE" and source_dict.get("role") == "JUD" and target_dict is not None and \
                target_dict.get("role") in ("GOV", "BUS", "PTY", "NGO", "LAB", "IGO", "MIL", "POL", "LEG", "MED", "JRN") \
                and not (target_dict.get("text") or "").split()[-1].lower().startswith(JOURNALISTS):
            type_ = "SANCTION"  # a court ruling against an organisation or a government (the gold set's guidelines)
        if type_ in COOPERATIVE - {"AID"} and willing:
            type_ = "AGREE"  # PLOVER: indicating willingness to cooperate is AGREE (aid pledged stays AID)
        if type_ == "COOPERATE" and mode == "planned" and hit.trigger.kind == "verb" and \
                {"werde", "werden"} & {t.lower_ for t in clause.tokens} and not negated:
            type_ = "AGREE"  # "werde mit den Behörden kooperieren": an intent to cooperate (CAMEO 031)
        event_negated, event_mode = negated, mode
        if negated and row.flag("refuse") and mode in ("happened", "planned"):
            # "kündigte an, die Ratifizierung nicht zu unterstützen", "hat die Einladung nicht
            # angenommen": a refusal (PLOVER REJECT), told as it is made
            type_, event_negated, event_mode = row.flag("refuse"), False, "happened"
        if type_ == "AGREE" and pledged_aid and not event_negated:
            type_, event_mode = "AID", "planned"  # "stellte weitere Finanzhilfen in Aussicht": pledged aid is AID
        event = Event(type_, source_dict, target_dict, where, when, event_negated, event_mode, article.span(start, end), row.id,
                      trigger=article.span(trigger_start, trigger_end), attribution=attribution)
        out.append(event)
    if out and out[0].type == "COERCE" and out[0].source.get("role") in ("POL", "JUD", "GOV", "MIL"):
        resolver.coercer = (out[0].source, resolver.sentence_no)
    if out and out[0].target is not None and (out[0].source.get("entity") is None
                                              or out[0].source.get("entity") != out[0].target.get("entity")):
        # the parties of the latest two-sided event ("beide Seiten"); talks and agreements also
        # for an outcome without actors ("gab es keine Einigung")
        meetings.append((out[0].source, out[0].target, out[0].type in ("CONSULT", "AGREE", "COOPERATE")))
        if meetings[-1][2]:
            resolver.talks_sentence = resolver.sentence_no
    return out


#: Verbs of an authority's report: "wie die Polizei mitteilte".
INFORMING = {"mitteilen", "berichten", "bestätigen", "sagen", "erklären", "bekanntgeben", "melden"}
#: Sectors that arrest and investigate, sanction, release, withdraw and deploy.
AUTHORITIES = ("POL", "JUD", "GOV", "MIL", "IGO")
#: Types whose agentless passive has the authority that reports it as its agent ("Wie die EU
#: mitteilte, wurden neue Sanktionen verhängt"); not violence ("Wie die Polizei mitteilte, wurden
#: zwei Menschen getötet": the police report what others did).
INFORMED_TYPES = {"COERCE", "INVESTIGATE", "SANCTION", "RETREAT", "MOBILIZE"}
#: Compound nouns that name the police as the informant of a sentence ("Nach Polizeiangaben").
_POLICE_REPORTS = {"polizeiangaben", "polizeiberichten", "polizeiinformationen"}


def _informant(clauses: list[Clause]) -> Mention | None:
    """The authority a sentence cites as its informant ("nach Angaben der Polizei", "der Polizei
    zufolge", "wie die Staatsanwaltschaft mitteilte", "Nach Polizeiangaben"), or None."""
    for clause in clauses:
        for group in clause.groups:
            actors = group.actors
            if group.prep == "zufolge" and len(actors) == 1 and actors[0].role in AUTHORITIES and not actors[0].pronoun:
                return actors[0]
        if clause.tokens[0].lower_ == "wie" and clause.subject is not None and _lemmas(clause.tokens) & INFORMING:
            actors = clause.subject.actors
            if len(actors) == 1 and actors[0].role in AUTHORITIES and not actors[0].pronoun:
                return actors[0]
        for token in clause.tokens:
            if token.lower_ in _POLICE_REPORTS:
                return Mention(token.idx, token.idx + len(token.text), token.i, token.i, token.text, None, "Polizei",
                               None, "POL")
    return None


def _words_of(actor: dict | None) -> set[str]:
    """Content words of an actor's name ("Staatsanwaltschaft Stuttgart" -> both)."""
    return {w.lower() for w in re.findall(r"[\w-]+", (actor or {}).get("name") or "") if len(w) > 3}


def _restates(headline: Event, body: Event, background: set[int] = frozenset()) -> bool:
    """ "EU verhängt neue Sanktionen gegen Iran" over "Die Europäische Union hat ... Sanktionen gegen
    Iran verhängt": the same trigger with a shared actor is one event told twice."""
    if headline.type != body.type:
        return False
    if headline.pattern != body.pattern:
        # "Bundesregierung bestellt Botschafter ein" over "Das Auswärtige Amt hat den Botschafter
        # einbestellt", "Schüler streiken" over "Schülerinnen und Schüler demonstrierten": the
        # headline sums up an act of that type by that actor; not over a meeting the body only
        # names in passing ("Hollande trifft Putin" over "Bei einem Besuch in Moskau ...")
        if id(body) in background:
            return False
        return _same_actor(headline.source, body.source) and (
            headline.target is None or body.target is None or _same_actor(headline.target, body.target))
    return bool(_words_of(headline.source) & _words_of(body.source)) or \
        bool(_words_of(headline.target) & _words_of(body.target))


@lru_cache(maxsize=1)
def _pattern_kinds() -> dict[str, str]:
    """Pattern id -> kind (verb, lvc, noun) of every lexicon row."""
    table = lexicon()
    return {row.id: row.kind for rows_by in (table.verbs, table.lvcs, table.nouns) for rows in rows_by.values() for row in rows}


def _background(article: Article, events: list[Event]) -> set[int]:
    """ids of events whose trigger is an event noun in a prepositional phrase ("Bei einem Besuch")."""
    kinds = _pattern_kinds()
    out: set[int] = set()
    for event in events:
        if kinds.get(event.pattern) != "noun" or event.trigger is None:
            continue
        span = article.doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if span is not None and _in_pp(span[0]):
            out.add(id(event))
    return out


def _same_actor(one: dict | None, other: dict | None) -> bool:
    """Two actor records for one actor: a shared name word or stem ("Schüler", "Schülerinnen"),
    or the same country and sector ("Bundesregierung", "Auswärtiges Amt"; "Ankara", "Regierung")."""
    if not one or not other:
        return False
    mine, theirs = _words_of(one), _words_of(other)
    if mine & theirs or any(a[:5] == b[:5] and len(a) >= 5 and len(b) >= 5 for a in mine for b in theirs):
        return True
    return bool(one.get("country")) and one.get("country") == other.get("country") and \
        one.get("role") == other.get("role") and one.get("role") in ("GOV", "MIL", "IGO")


def _deduplicate(events: list[Event], headline_end: int, background: set[int] = frozenset()) -> list[Event]:
    """Drop repeats of one event (same clause, type, source and target) and headline events
    that the body tells again with the same trigger (event-level coding: once, where it is
    reported). A headline with a trigger of its own stays ("Hollande trifft Putin" over "Bei
    einem Besuch ... in Moskau")."""
    def key(event: Event):
        return (event.type, (event.source or {}).get("name"), (event.target or {}).get("name"))

    body = [e for e in events if e.evidence.start >= headline_end]
    events = [e for e in events if e.evidence.start >= headline_end or not any(_restates(e, b, background) for b in body)]
    # "begrüßte die Entscheidung und dankte der Regierung": one act of support in one clause, with its target
    # (material acts told by two verbs are two acts: "schränkten das Internet ein und nahmen 1200
    # Menschen fest"; two statements of one type in one clause are one speech act)
    kinds = _pattern_kinds()

    def act(event: Event):
        return event.type, (event.source or {}).get("name"), event.evidence.start

    def superseded(event: Event) -> bool:
        for other in events:
            if other.target is None or act(other) != act(event):
                continue
            if event.type in VERBAL or other.pattern == event.pattern or "noun" in (
                    kinds.get(event.pattern), kinds.get(other.pattern)):
                return True
        return False

    events = [e for e in events if e.target is not None or not superseded(e)]
    seen: set = set()
    out: list[Event] = []
    for event in events:
        k = key(event) + (event.evidence.start,)  # two verbs of one type in one clause: one act
        if event.target is None and event.type not in VERBAL and kinds.get(event.pattern) != "noun":
            k += (event.pattern,)  # "kaperten den Frachter und nahmen die Besatzung als Geiseln": two acts
        if k in seen:
            continue
        seen.add(k)
        out.append(event)
    return sorted(out, key=lambda e: (e.evidence.start, e.trigger.start if e.trigger else 0))


@stage("events", version=2, requires=("sentences", "lemmas", "morph", "entities", "quotes"), assigns=("events",))
def make_events(settings: Settings):
    """PLOVER events (who did what to whom, when, where) from a German trigger lexicon."""

    def events(article: Article) -> Article:
        article.events = code_events(article)
        return article

    return events
