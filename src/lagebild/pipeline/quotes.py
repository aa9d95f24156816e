"""Stage ``quotes``: direct, indirect, free indirect and reported speech with cue and speaker.

Seven steps (:func:`make_quotes`): the rule cascade :func:`find_quotes` (its docstring lists the
steps); the trained quote tagger (:func:`model_quotes`, setting ``quote_model``; ``"none"``
skips it) on the sentences the rules left; :func:`combine`, which keeps the rule quotes, adds the
tagger's where they do not overlap, and fills in speakers (continuation, the person named before
a cue); :func:`reported_quotes` for sentences still without a quote whose main clause has a cue
verb and a named subject; :func:`evidential_quotes` for evidential "soll ... haben" and
Konjunktiv I sentences still left (after a quote, or after a sentence whose subject can speak);
:func:`relative_quotes` for "..., wonach ..." clauses; :func:`standalone_quotations` for
quotations filling whole sentences after the sentence that names their speaker; then
:func:`addressees`. The rule cascade alone uses no trained weights. Cue verbs, nouns and
prepositional frames come from ``resources/cues.tsv``. There is no syntactic parser: clauses are
the stretches of a sentence between commas, colons and semicolons outside quotation marks, and
the subject of a cue verb is read off the German verb-second order ("Putin erklärte, ..." has it
before the verb, "..., sagte Putin." and "Dann sicherte er zu, ..." right after it).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
import re
from functools import lru_cache

from lagebild.linguistic.annotate import mood_label
from lagebild.model import Article, Entity, Quote, Speaker
from lagebild.pipeline import stage
from lagebild.resources import load_rows
from lagebild.settings import Settings

#: Opening mark -> closing marks it pairs with (German „…“ and »…«, Swiss «…», English “…”,
#: typewriter "…", single ‚…‘). ’ is not a closer: it is usually an apostrophe ("geht’s").
PAIRS = {"„": "“”\"", "“": "”", "»": "«", "«": "»", '"': '"', "‚": "‘"}
CLAUSE_BREAKS = {",", ":", ";"}
PRONOUNS = {"er", "sie"}
SUBJECT_POS = {"PROPN", "NOUN", "DET", "ADJ", "PRON", "NUM"}
#: Fewest words in a model quote; indirect and free indirect ones also need a verb.
MIN_MODEL_WORDS = 3
#: Most sentence starts between a quote and the one before it whose speaker it continues.
CONTINUATION = 1
#: Longest prefield taken as a subject ("Der Leiter des Programms der WHO, Klaus Stöhr").
MAX_SUBJECT_TOKENS = 12
#: Words of a "laut X" content long enough to count without a finite verb the tagger found.
LONG_CONTENT = 5
#: Articles that never open a subject (accusative, dative, genitive): "weist den Vorwurf zurück".
NOT_NOMINATIVE = {"den", "dem", "des", "einen", "einem", "eines"}
#: Most tokens before "soll"/"sollen" in an evidential sentence ("Noch in der Zeit des Kommunismus soll er ...").
EVIDENTIAL_PREFIELD = 8
#: Most sentence starts between an evidential "soll ... haben" sentence and the quote whose source it passes on.
SOURCE_REACH = 4
#: Fewest words in a quotation that fills whole sentences with no cue (:func:`standalone_quotations`).
MIN_STANDALONE_WORDS = 5
#: Demonstratives that point back to the previous sentence as what was said ("Dies bestätigte X.").
DEMONSTRATIVES = {"dies", "das", "dieses"}


@lru_cache(maxsize=1)
def cues() -> dict[str, set[str]]:
    """Cue lemmas by kind (verb, noun, prep) from resources/cues.tsv."""
    table: dict[str, set[str]] = {"verb": set(), "noun": set(), "prep": set()}
    for lemma, kind, _notes in load_rows("cues.tsv", 3):
        table[kind].add(lemma)
    return table


@dataclass
class _Pair:
    """One balanced pair of quotation marks: ``open`` and ``close`` are the marks' offsets."""

    open: int
    close: int
    used: bool = False


#: The last article's quotation marks and sentences: the steps of one stage call share them.
_LAST: dict = {}
_MARKS = re.compile("[" + re.escape("".join(PAIRS)) + "]")


def quotation_pairs(article: Article) -> list[_Pair]:
    """Balanced quotation marks inside each paragraph; an unclosed mark is skipped, never fatal."""
    text = article.text
    paragraphs = article.paragraphs or []
    bounds = [(p.start, p.end) for p in paragraphs] or [(0, len(text))]
    if _LAST.get("text") is text and _LAST.get("bounds") == bounds:
        return [_Pair(o, c) for o, c in _LAST["pairs"]]
    found: list[tuple[int, int]] = []
    for start, end in bounds:
        i = start
        while True:
            match = _MARKS.search(text, i, end)
            if match is None:
                break
            i = match.start()
            mark = text[i]
            # A typewriter " opens only at a word start: 'sagte: "Wir' not 'Zoll"'.
            if not (mark == '"' and i > start and text[i - 1].isalnum()):
                closers = PAIRS[mark]
                close = next((j for j in range(i + 1, end) if text[j] in closers), None)
                if close is not None and close > i + 1:
                    found.append((i, close))
                    i = close + 1
                    continue
            i += 1
    _LAST.clear()
    _LAST.update(text=text, bounds=bounds, pairs=found)
    return [_Pair(o, c) for o, c in found]


def _sentences(article: Article, pairs: list[_Pair]) -> list["_Sentence"]:
    """The article's sentences with their clauses, built once per article (cached with its pairs)."""
    doc = article.doc
    if _LAST.get("doc") is not doc or _LAST.get("text") is not article.text:
        quotation_pairs(article)  # resets the cache for this article's text
        _LAST["doc"] = doc
        opens = _Opens(pairs)
        words = _words(doc)
        _LAST["sentences"] = [_Sentence(doc, bounds, opens, words) for bounds in words.sentences]
    return _LAST["sentences"]


def _sentence_starts(article: Article) -> list[int]:
    """Character offsets of the sentence starts (``[s.start_char for s in doc.sents]``)."""
    _sentences(article, quotation_pairs(article))
    tokens = _words(article.doc).tokens
    return [tokens[first].idx for first, _last in _words(article.doc).sentences]


class _Words:
    """The tokens of the last Doc asked about, and per token what the steps ask most (see :func:`_words`)."""

    __slots__ = ("doc", "tokens", "space", "clause_break", "verbal", "finite", "sentences", "lower", "lemma", "found",
                 "morph", "verbal_array")


#: The last :func:`_words`.
_WORDS: list = [None]


def _words(doc) -> _Words:
    """The Doc's Token objects, made once, and per token flags read from one ``Doc.to_array``.

    ``space``: a space token; ``clause_break``: a comma, colon or semicolon
    (:data:`CLAUSE_BREAKS`); ``verbal``: UPOS VERB or AUX or an STTS tag ``VV...``; ``finite``:
    an STTS tag ``...FIN``; ``sentences``: the token ranges of ``doc.sents``; ``lower`` and
    ``lemma``: the string ids of the lower-case words and of the lemmas (numpy arrays; see
    :func:`_lower_positions`, :func:`_cue_candidates`). A Token per question costs more: spaCy
    makes a new Token for every ``doc[i]`` and a new string for every ``token.text``, and a
    sentence Span makes Tokens for its offsets.
    """
    last = _WORDS[0]
    if last is not None and last.doc is doc:
        return last
    import numpy
    from spacy.parts_of_speech import IDS

    from lagebild.quotes.tagger import ARRAY_COLUMNS, doc_array

    words = _Words()
    words.doc = doc
    words.found = {}  # what _lower_positions and _cue_candidates worked out for this Doc
    words.tokens = list(doc)
    columns = ["ORTH", "IS_SPACE", "POS", "TAG", "SENT_START", "LOWER", "LEMMA"]
    array = doc_array(doc)[:, [ARRAY_COLUMNS.index(c) for c in columns]]
    words.space = array[:, 1].astype(bool).tolist()
    words.lower, words.lemma = array[:, 5], array[:, 6]
    breaks = numpy.zeros(len(array), dtype=bool)
    for mark in CLAUSE_BREAKS:
        breaks |= array[:, 0] == _string_id(mark)
    words.clause_break = breaks.tolist()
    full, finite = _tag_flags(doc.vocab.strings, array[:, 3])
    verbal = (array[:, 2] == IDS["VERB"]) | (array[:, 2] == IDS["AUX"])
    words.verbal_array = verbal | full
    words.verbal = words.verbal_array.tolist()
    words.finite = finite.tolist()
    words.morph = doc_array(doc)[:, ARRAY_COLUMNS.index("MORPH")].tolist()
    # As Doc.sents: a sentence starts at token 0 and at every token with sent_start 1; with a
    # "sents" hook, or no boundary at all (Doc.sents raises then), the Doc is asked.
    marks = array[1:, 4]
    if "sents" not in doc.user_hooks and (len(array) <= 1 or bool((marks != 0).any())):
        starts = [0, *(numpy.flatnonzero(marks == 1) + 1).tolist()] if len(array) else []
        words.sentences = list(zip(starts, starts[1:] + [len(array)]))
    else:
        words.sentences = [(s.start, s.end) for s in doc.sents]
    _WORDS[0] = words
    return words


def _lower_positions(doc, ids: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """Token indices of ``doc`` whose lower-case word has one of the string ``ids``, and their ids (kept per Doc)."""
    words = _words(doc)
    found = words.found.get(ids)
    if found is None:
        import numpy

        lower = words.lower
        hit = numpy.zeros(len(lower), dtype=bool)
        for word_id in ids:
            hit |= lower == word_id
        positions = numpy.flatnonzero(hit)
        found = words.found[ids] = (positions.tolist(), lower[positions].tolist())
    return found


#: Tag id -> an STTS tag ``VV...`` (full verb), ``...FIN`` (finite verb), for :func:`_words`.
_VV_TAGS: dict[int, bool] = {}
_FIN_TAGS: dict[int, bool] = {}
#: The tags of _VV_TAGS as a sorted array and both flags per tag (see :func:`_tag_flags`).
_TAG_ARRAYS: list = [None, None, None]


def _tag_flags(strings, tags):
    """Per tag id in ``tags`` (a numpy array): ``VV...`` and ``...FIN``, looked up in sorted arrays of the tags seen so far.

    The same as ``[_VV_TAGS[tag] for tag in tags]`` with the dicts filled from ``strings``, without
    a dictionary look-up per token.
    """
    import numpy

    known, full, finite = _TAG_ARRAYS
    if known is not None and len(known) and len(tags):
        position = known.searchsorted(tags)
        numpy.minimum(position, len(known) - 1, out=position)
        if (known[position] == tags).all():
            return full[position], finite[position]
    for tag in set(tags.tolist()) - _VV_TAGS.keys():
        _VV_TAGS[tag] = strings[tag].startswith("VV")
        _FIN_TAGS[tag] = strings[tag].endswith("FIN")
    known = numpy.array(sorted(_VV_TAGS), dtype="uint64")
    full = numpy.array([_VV_TAGS[tag] for tag in known.tolist()], dtype=bool)
    finite = numpy.array([_FIN_TAGS[tag] for tag in known.tolist()], dtype=bool)
    _TAG_ARRAYS[:] = [known, full, finite]
    position = known.searchsorted(tags)
    return full[position], finite[position]


#: Morphology key -> :func:`mood_label` of a token with that analysis (see :func:`_mood`).
_MOODS: dict[int, str | None] = {}


def _mood(token) -> str | None:
    """``mood_label(token)``, worked out once per morphological analysis (its key, read by :func:`_words`)."""
    key = _words(token.doc).morph[token.i]
    mood = _MOODS.get(key, _MOODS)
    if mood is _MOODS:
        mood = _MOODS[key] = mood_label(token)
    return mood


class _Opens(list):
    """Quotation pairs as sorted (open, close) offsets with the list of opens, for bisecting."""

    def __init__(self, pairs: list[_Pair]):
        super().__init__(sorted((p.open, p.close) for p in pairs))
        self.starts = [o for o, _ in self]


class _Sentence:
    """Tokens of one sentence with their clauses (lists of token indices into the Doc)."""

    def __init__(self, doc, span, pairs: list[_Pair], words: _Words | None = None):
        # ``span``: the sentence's Span, or with ``words`` its token range (start, end), made a Span when asked for
        self._doc, self._span = doc, span
        if words is None:
            self.tokens = [t for t in span if not t.is_space]
            breaks = [t.text in CLAUSE_BREAKS for t in self.tokens]
        else:  # the Doc's tokens and flags from _words: the same, without a Token per question
            first, last = span if isinstance(span, tuple) else (span.start, span.end)
            if True not in words.space[first:last]:  # most sentences: no space token to leave out
                self.tokens, breaks = words.tokens[first:last], words.clause_break[first:last]
            else:
                kept = [i for i in range(first, last) if not words.space[i]]
                self.tokens = [words.tokens[i] for i in kept]
                breaks = [words.clause_break[i] for i in kept]
        self.subject: tuple | None = None  # (mentions key, PER subject), see _sentence_subject
        opens = pairs if isinstance(pairs, _Opens) else _Opens(pairs)
        starts = opens.starts

        def inside(token) -> bool:  # pairs never nest (quotation_pairs skips over a pair's inside)
            k = bisect.bisect_left(starts, token.idx) - 1
            return k >= 0 and opens[k][0] < token.idx < opens[k][1]

        # Clauses: the tokens between breaks outside quotation marks (a break inside stays in its clause).
        self.clauses: list[list] = []
        begin = 0
        for n in [n for n, clause_break in enumerate(breaks) if clause_break]:
            if inside(self.tokens[n]):
                continue
            self.clauses.append(self.tokens[begin:n])
            begin = n + 1
        self.clauses.append(self.tokens[begin:])
        self.clauses = [c for c in self.clauses if c]

    @property
    def span(self):
        if isinstance(self._span, tuple):
            self._span = self._doc[self._span[0]:self._span[1]]
        return self._span

    @property
    def start(self) -> int:
        return self.tokens[0].idx

    @property
    def end(self) -> int:
        last = self.tokens[-1]
        return last.idx + len(last)  # len(token) is len(token.text), without making the string


def _strip_end(tokens) -> int:
    """End offset of ``tokens`` without the final sentence punctuation."""
    while len(tokens) > 1 and tokens[-1].text in {".", "!", "?", "…", ":"}:
        tokens = tokens[:-1]
    return tokens[-1].idx + len(tokens[-1].text)


def _finite(tokens):
    if not tokens:
        return []
    finite = _words(tokens[0].doc).finite  # t.tag_.endswith("FIN"), read once per Doc
    return [t for t in tokens if finite[t.i]]


#: Per table (by id; the entry keeps the table alive) of the last :func:`_cue_in` calls: the Doc, the
#: table, its size, its endings, the candidate flags and the _Words they were read from.
_CUE_LAST: dict[int, tuple] = {}


def _cue_in(clause, table) -> tuple | None:
    """(verb token, particle token or None) for a cue verb in ``clause``.

    A finite verb is joined with a separable particle later in its clause before the look-up:
    "wies die Vorwürfe zurück" -> zurückweisen, "sicherte er zu" -> zusichern.
    """
    if not clause:
        return None
    doc = clause[0].doc
    last = _CUE_LAST.get(id(table))
    if last is not None and last[0] is doc and last[1] is table and last[2] == len(table) and last[5] is _WORDS[0]:
        endings, candidate = last[3], last[4]  # the same Doc and table as before (one call per clause)
    else:
        endings = _cue_endings(table)
        candidate = _cue_candidates(doc, table, endings)
        if len(_CUE_LAST) >= 8:
            _CUE_LAST.clear()
        _CUE_LAST[id(table)] = (doc, table, len(table), endings, candidate, _WORDS[0])
    # Most clauses hold no candidate: one look at the flags of their token range, without a Token
    # per word (the range holds the clause's tokens and at most spaces and marks, never candidates).
    if True not in candidate[clause[0].i:clause[-1].i + 1]:
        return None
    for index, token in enumerate(clause):
        if not candidate[token.i]:  # token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VV"), see there
            continue
        lemma = token.lemma_
        if endings is not None and lemma not in endings:
            continue  # no entry ends in this lemma: neither a particle nor the lemma alone makes a cue
        if lemma == "heißen" and not (index + 1 < len(clause) and clause[index + 1].lower_ == "es"):
            continue  # only "heißt es" / "hieß es" reports speech; "Er heißt Peter" does not
        # The tagger often misses the particle ("wies ... zurück/ADV"): the clause-final word counts too.
        words = [t for t in clause[index + 1:] if not t.is_punct]
        for particle in [t for t in words if t.tag_ == "PTKVZ"] + words[-1:]:
            if particle.lower_ + lemma in table:
                return token, particle
        # The tagger now and then gives a cue verb an adjective tag but the verb's UPOS and lemma:
        # "sprach/ADJD" (lemma "sprechen").
        if lemma in table and (token.tag_ in ("VVFIN", "VVPP", "VVINF", "VVIZU")
                               or (token.pos_ == "VERB" and token.tag_ in ("ADJD", "ADJA"))):
            return token, None
    return None


#: The tables of :func:`_cue_endings`.
_ENDINGS: list = []


def _cue_endings(table) -> frozenset[str] | None:
    """Every ending of every entry of ``table`` ("zurückweisen" -> "weisen", ...), or None for a table not seen."""
    for known, size, endings, _ids in _ENDINGS:
        if known is table and size == len(table):
            return endings
    if len(_ENDINGS) >= 8:  # tables made on the fly: no shortcut
        return None
    import numpy
    from spacy.strings import get_string_id

    endings = frozenset(entry[k:] for entry in table for k in range(len(entry) + 1))
    ids = numpy.array(sorted({get_string_id(e) % 2**64 for e in endings}), dtype="uint64")
    _ENDINGS.append((table, len(table), endings, ids))
    return endings


def _cue_candidates(doc, table, endings) -> list[bool]:
    """Per token of ``doc``: a verb (``verbal`` of :func:`_words`) whose lemma's string id is that of one
    of ``endings`` (:func:`_cue_endings` of ``table``); only these can be cues. Kept per Doc and table."""
    words = _words(doc)
    if endings is None:
        return words.verbal
    # a table in _ENDINGS: kept alive there, so its id stays its own; its size as _cue_endings checks it
    key = ("cue", id(table), len(table))
    found = words.found.get(key)
    if found is None:
        import numpy

        ids = next(entry[3] for entry in _ENDINGS if entry[2] is endings)
        # Only the verbs' lemmas are looked up (about one token in seven): the rest stay False.
        verbs = numpy.flatnonzero(words.verbal_array)
        lemma = words.lemma[verbs]
        hit = numpy.zeros(len(words.verbal), dtype=bool)
        if len(ids):
            position = ids.searchsorted(lemma)
            numpy.minimum(position, len(ids) - 1, out=position)
            hit[verbs] = ids[position] == lemma
        found = words.found[key] = hit.tolist()
    return found


#: The key of the last _Mentions.
_MENTION_KEY: list = [None]


class _Mentions:
    """PER/ORG entity mentions by token, for subject look-up."""

    def __init__(self, article: Article):
        self.mentions = sorted((e for e in article.entities if e.label in ("PER", "ORG")), key=lambda e: e.start)
        self.starts = [e.start for e in self.mentions]
        # Mentions do not overlap as a rule; if they do, the first one containing a token wins (linear look-up).
        self.overlapping = any(a.end > b.start for a, b in zip(self.mentions, self.mentions[1:]))
        self.key = tuple((e.start, e.end, e.label, e.id) for e in self.mentions)
        if self.key == _MENTION_KEY[0]:
            self.key = _MENTION_KEY[0]  # the same object as the last: _sentence_subject compares it first by identity
        _MENTION_KEY[0] = self.key

    def at(self, token) -> Entity | None:
        idx = token.idx
        if self.overlapping:
            return next((e for e in self.mentions if e.start <= idx < e.end), None)
        k = bisect.bisect_right(self.starts, idx) - 1
        if k >= 0 and idx < self.mentions[k].end:
            return self.mentions[k]
        return None


def find_quotes(article: Article) -> list[Quote]:
    """Quotes of an article, in text order. The cascade, sentence by sentence:

    1. **Quotation marks** (:func:`quotation_pairs`): balanced pairs inside a paragraph, across
       sentences; an unclosed mark is ignored.
    2. **Cue verb** in a clause (``resources/cues.tsv``, separable particles joined).
       a. *Cue after the content* ("Man habe vereinbart, ..., sagte Putin."; "..., wie ein
          Sprecher mitteilte."): the content is everything before the cue clause; ``direct``
          when it is one quotation, else ``indirect`` (``mixed`` with quotation marks inside).
       b. *Cue before the content* ("Putin erklärte, der Kampf ... sei ...";
          "Hollande sagte, dass ..."; "sicherte er zu, ... zu schonen"; "Er sagte: „...“"): the
          next clause is content when it opens a quotation (``direct``), starts with "dass"/"ob",
          has a finite verb in Konjunktiv I/II, or is a zu-infinitive (``indirect``/``mixed``).
    3. **Free indirect** ("Assad müsse gehen."): a sentence without a cue whose first finite
       verb is Konjunktiv I, right after a quote, continues that quote's speaker; a quotation
       that fills a whole sentence right after a quote is ``direct`` from the same speaker.
    4. **"Laut X" / "Nach Angaben X"** at the start of a sentence without a verb cue:
       ``reported``, content is the rest of the sentence; also "nach" + a source noun ("Nach
       einem Bericht des Senders X", "nach Polizeiangaben") and "Demnach" (:func:`_source_cue`).
    4b. **A demonstrative pointing back** ("Dies bestätigte der Premierminister.", "Das
       berichtet die Agentur Kyodo."): the previous sentence and the demonstrative are the
       content, as SpkAtt marks them (:func:`_antecedent`).
    5. Quotation marks with no cue are not quotes (titles, scare quotes, "Wer wird Millionär?").

    Speaker (confidence rule): the cue verb's subject is taken only from the prefield before the
    verb or the tokens right after it. It is a PER/ORG entity mention (linked name or role
    noun), a noun phrase without entity (name None), or "er"/"sie" resolved to a PER subject
    earlier in the same sentence, else the previous sentence's subject, else the last speaker;
    plural "sie", "man" and anything else give speaker None rather than a guess.
    """
    doc = article.doc
    if doc is None or not len(doc):
        return []
    table = cues()
    pairs = quotation_pairs(article)
    mentions = _Mentions(article)
    sentences = [s for s in _sentences(article, pairs) if s.tokens]
    quotes: list[Quote] = []
    previous: Quote | None = None  # quote of the previous sentence, for continuation
    subjects: list[Entity | None] = []  # PER subject at the start of each sentence

    for number, sentence in enumerate(sentences):
        first_subject = _sentence_subject(sentence, mentions)
        found = _cue_quotes(article, sentence, pairs, table, mentions, subjects, quotes)
        if not found:
            found = _free_or_continued(article, sentence, pairs, previous)
        if not found:
            found = _prep_cue(article, sentence, table, mentions) or _source_cue(article, sentence, mentions)
        if not found and number > 0:
            found = _antecedent(article, sentence, sentences[number - 1], table, mentions, subjects, quotes)
        quotes += found
        previous = found[-1] if found else None
        subjects.append(first_subject)
    return sorted(quotes, key=lambda q: q.content.start)


def _sentence_subject(sentence: _Sentence, mentions: _Mentions) -> Entity | None:
    """A PER name in the sentence's prefield ("Putin machte ...", "Minister Peter Struck sagte ...").

    Kept on the sentence for the article's mentions: the steps of one stage call ask for it again.
    """
    if sentence.subject is not None and (sentence.subject[0] is mentions.key or sentence.subject[0] == mentions.key):
        return sentence.subject[1]
    found = None
    finite = _words(sentence.tokens[0].doc).finite if sentence.tokens else []
    for token in sentence.clauses[0] if sentence.clauses else []:
        if finite[token.i]:  # token.tag_.endswith("FIN")
            break
        mention = mentions.at(token)
        if mention is not None and mention.label == "PER":
            found = mention
            break
    sentence.subject = (mentions.key, found)
    return found


def _content_kind(article: Article, start: int, end: int, pairs: list[_Pair], base: str) -> str:
    inner = [p for p in pairs if start <= p.open and p.close < end]
    for p in inner:
        p.used = True
    return "mixed" if inner else base


def _cue_span(article: Article, verb, particle):
    end = (particle if particle is not None else verb)
    return article.span(verb.idx, end.idx + len(end.text))


def _cue_quotes(article, sentence, pairs, table, mentions, subjects, quotes) -> list[Quote]:
    """Step 2 for one sentence: quotes introduced or closed by a cue verb."""
    out: list[Quote] = []
    clauses = sentence.clauses
    verbs = table["verb"]
    for index, clause in enumerate(clauses):
        cue = _cue_in(clause, verbs)
        if cue is None:
            continue
        verb, particle = cue
        head = clause[0]
        # 2a: ", sagte Putin." / ", wie ein Sprecher mitteilte." after the content.
        # "..., hatte er gesagt." counts like "..., sagte er.": the auxiliary opens the clause.
        opens = head is verb or (head.pos_ == "AUX" and head.tag_.endswith("FIN") and verb.tag_ == "VVPP")
        if index > 0 and (opens or head.lower_ == "wie"):
            start = sentence.start
            enclosing = next((p for p in pairs if p.open < start < p.close), None)
            if enclosing is not None:  # the quotation began in an earlier sentence
                start = enclosing.open
            end = clauses[index - 1][-1].idx + len(clauses[index - 1][-1].text)
            whole = next((p for p in pairs if p.open == start and p.close == end - 1 and not p.used), None)
            if whole is None and start == sentence.start:
                whole = next((p for p in pairs if p.open == start and end - 2 <= p.close < end and not p.used), None)
            if head.lower_ == "wie":
                subject = _subject_between(clause[1:clause.index(verb)], mentions, article, subjects, quotes, sentence)
            else:
                subject = _subject_after(clause, head, mentions, article, subjects, quotes, sentence)
            # "Die Politikerin der Grünen, Anja Hajduk, kritisierte ...": an apposition before the
            # comma is no content; reported words have a finite verb in their first clause.
            if whole is not None or _finite(clauses[0]):
                if whole is not None:
                    whole.used = True
                    content, kind = article.span(whole.open + 1, whole.close), "direct"
                else:
                    content = article.span(start, end)
                    kind = _content_kind(article, start, end, pairs, "indirect")
                out.append(Quote(kind, content, _cue_span(article, verb, particle), subject))
                return out
        # 2b: "Putin erklärte, ..." / "Er sagte: „...“" before the content.
        if index + 1 < len(clauses):
            following = clauses[index + 1]
            first = following[0]
            opening = next((p for p in pairs if p.open == first.idx and not p.used), None)
            rest = _content_clauses(clauses[index + 1:])
            finite = _finite(following)
            kind = None
            if opening is not None:
                opening.used = True
                content, kind = article.span(opening.open + 1, opening.close), "direct"
            elif first.lower_ in ("dass", "daß", "ob") or (finite and _mood(finite[0]) in ("KI", "KII")) \
                    or any(t.tag_ == "VVIZU" or t.tag_ == "PTKZU" for t in following) \
                    or (finite and first.tag_ != "PRELS" and _bare(clause, verb, particle, mentions)):
                start, end = first.idx, _strip_end(rest)
                content = article.span(start, end)
                kind = _content_kind(article, start, end, pairs, "indirect")
            if kind is None:
                continue
            prefield = clause[:clause.index(verb)]
            if index > 0 and head is verb and not _finite([t for c in clauses[:index] for t in c]):
                after = _subject_after(clause, verb, mentions, article, subjects, quotes, sentence)
                if after is not None and kind != "direct":
                    # An interrupted quote: "Die Lage, sagte Maria Keller, sei ernst." The content
                    # runs from the sentence start over the cue clause to its end.
                    content = article.span(sentence.start, content.end)
                    out.append(Quote(kind, content, _cue_span(article, verb, particle), after))
                    return out
                # The subject with its apposition: "Die Politikerin, Anja Hajduk, forderte, ..."
                prefield = [t for c in clauses[:index] for t in c]
            subject = None
            # "Die Militärführung hatte erklärt, ...": with a participle cue the prefield ends at the
            # finite auxiliary.
            prefield, auxiliary = _prefield(prefield, verb)
            if prefield and prefield[0].lower_ == "wie" and len(prefield) > 1:
                # "Wie ein Sprecher der Armee mitteilte, habe man ...": the subject follows "wie".
                subject = _subject_between(prefield[1:], mentions, article, subjects, quotes, sentence)
            elif prefield and prefield[0].pos_ in SUBJECT_POS:
                subject = _subject_between(prefield, mentions, article, subjects, quotes, sentence)
                subject = _unless_adverbial(subject, prefield, clause, auxiliary or verb, mentions, article, subjects,
                                            quotes, sentence)
            if subject is None and auxiliary is not None and not (prefield and prefield[0].lower_ == "man"):
                subject = _subject_after(clause, auxiliary, mentions, article, subjects, quotes, sentence)
            if subject is None and not (prefield and prefield[0].lower_ == "man"):
                subject = _subject_after(clause, verb, mentions, article, subjects, quotes, sentence)
            out.append(Quote(kind, content, _cue_span(article, verb, particle), subject))
            return out
    return out


def _prefield(tokens, verb) -> tuple[list, object | None]:
    """The prefield before a cue verb, and the finite auxiliary that ends it (or None).

    German puts one phrase before the finite verb: with a participle cue that is the auxiliary
    ("Der Präsident hat in einem Brief mitgeteilt, ..." -> "Der Präsident"; the tagger may tag the
    participle VVFIN), and the subject may also stand right after it ("Zuvor hatte der Minister
    erklärt"). Leading punctuation (a closing quotation mark of the sentence before), conjunctions
    and adverbs are no part of a subject: "Aber Zeitungen berichteten", "Auch die Polizei sprach".
    """
    auxiliary = None
    finite = next((k for k, t in enumerate(tokens) if t.tag_.endswith("FIN")), None)
    if finite and (verb.tag_ == "VVPP" or tokens[finite].pos_ == "AUX"):
        auxiliary, tokens = tokens[finite], tokens[:finite]
        # The tagger may tag the participle as an infinitive ("vorgeworfen/VVINF"): an infinitive
        # is its lemma ("Er wird erklären" is the future, active).
        if auxiliary.lemma_ == "werden" and (verb.tag_ == "VVPP" or verb.lower_ != verb.lemma_.lower()):
            # A passive names what was said, not who said it: "Als Favorit wird Michael Glos genannt."
            return [], None
    start = 0
    while start < len(tokens) - 1 and (tokens[start].is_punct or tokens[start].pos_ in ("CCONJ", "ADV")) \
            and tokens[start].lower_ != "wie":
        start += 1
    return tokens[start:], auxiliary


def _unless_adverbial(subject, prefield, clause, verb, mentions, article, subjects, quotes, sentence):
    """The subject after the finite verb instead of an unnamed prefield without article.

    A prefield such as "Gestern", "Ende Januar 2006" or "Bislang" (which the tagger may tag as
    nouns) is an adverbial when a subject follows the verb: "Ende Januar 2006 verkündete der
    Verband, ..." -> "der Verband". "Zeitungen berichteten, ..." has none after the verb and keeps
    its prefield.
    """
    if subject is None or subject.entity is not None or prefield[0].pos_ in ("DET", "PRON"):
        return subject
    after = _subject_after(clause, verb, mentions, article, subjects, quotes, sentence)
    if after is None:
        return subject
    # Only a phrase that can only be a subject: a nominative article or "er"/"sie" ("verkündete der
    # Verband"), or anything after a reflexive ("äußerte sich Kofi Annan"); a bare name may be the
    # object ("Kritiker werfen Obama vor").
    following = clause[clause.index(verb) + 1:clause.index(verb) + 2]
    if after.text.split()[0].lower() in ("der", "die", "das", "ein", "eine", "er", "sie") \
            or (following and following[0].lower_ == "sich"):
        return after
    return subject


def _unless_fronted_object(subject, clause, verb, mentions, article):
    """A person named right after the verb instead of a prefield that names no speaker.

    German fronts the object for emphasis: "Eine Verschiebung des Wahltermins bezeichnete Conze
    als fatal.", "Die Entwicklung im Iran verglich Merkel mit ...". When the prefield is a noun
    phrase with no entity that is neither a role noun, a group nor a source noun ("Der Bericht
    nennt Müller als Täter": the report speaks), and a person's name follows the verb, the
    person is the speaker.
    """
    if subject is None or subject.entity is not None:
        return subject
    # The head noun decides, not a genitive after it: "Die Pläne der Regierung lehnte X ab."
    head = next((t.text for t in clause if subject.start <= t.idx < subject.end and t.pos_ in ("NOUN", "PROPN")), None)
    if head is None or _person_noun(head) or _speaking_group(head) or head.lower().endswith(source_nouns()):
        return subject
    after = clause[clause.index(verb) + 1:]
    mention = mentions.at(after[0]) if after else None
    if mention is None or mention.label != "PER" or mention.start != after[0].idx:
        return subject
    return _speaker(article, mention.start, mention.end, mention)


def _content_clauses(clauses) -> list:
    """Tokens of the reported clauses; stop at a coordinated clause in the indicative.

    "Keller sagte, die Stadt brauche mehr Geld, und Berger stimmte zu." reports only the
    Konjunktiv clause; "und Berger stimmte zu" is the narrator's again.
    """
    tokens = list(clauses[0])
    reported = any(_mood(t) in ("KI", "KII") for t in _finite(clauses[0]))
    for clause in clauses[1:]:
        finite = _finite(clause)
        if reported and clause[0].pos_ == "CCONJ" and finite and all(_mood(t) == "Ind" for t in finite):
            break
        tokens += clause
    return tokens


def _bare(clause, verb, particle, mentions) -> bool:
    """True when nothing but the subject, adverbs and the particle follow the cue verb.

    "Er sagte, die Lage ist ernst." reports speech in the indicative; "Sie kritisierte die
    Entscheidung, die ..." has an object, so its next clause is not what was said.
    """
    for token in clause[clause.index(verb) + 1:]:
        if token is particle or token.pos_ in ("ADV", "PRON") or mentions.at(token) is not None:
            continue
        return False
    return True


def _speaker(article: Article, start: int, end: int, mention: Entity | None) -> Speaker:
    text = article.text[start:end]
    return Speaker(start, end, text, mention.name if mention else None, mention.id if mention else None)


def _subject_between(tokens, mentions, article, subjects, quotes, sentence) -> Speaker | None:
    """The subject in a prefield: an entity mention, a pronoun, or a plain noun phrase."""
    if not tokens or len(tokens) > MAX_SUBJECT_TOKENS:
        return None
    if tokens[0].lower_ == "man":
        return None
    found = [mentions.at(t) for t in tokens]
    named = [m for m in found if m is not None]
    if named:
        best = next((m for m in named if m.kind == "name"), named[0])
        return _speaker(article, best.start, best.end, best)
    if len(tokens) == 1 and tokens[0].lower_ in PRONOUNS:
        verb = sentence.tokens[sentence.tokens.index(tokens[-1]) + 1]
        return _pronoun(tokens[0], verb, article, subjects, quotes, sentence, mentions)
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN")]
    # "Ein Regierungssprecher in Berlin sagte": a noun phrase, with a prepositional attribute.
    # "Verschiedene Medien berichteten": an adjective may open it too.
    if nouns and tokens[0].pos_ in ("DET", "NOUN", "PROPN", "ADJ") and all(t.pos_ in SUBJECT_POS | {"ADP"} for t in tokens):
        last = tokens[-1]
        return _speaker(article, tokens[0].idx, last.idx + len(last.text), None)
    return None


def _subject_after(clause, verb, mentions, article, subjects, quotes, sentence) -> Speaker | None:
    """The subject right after the verb ("sagte Putin", "sicherte er zu", "sagte ein Sprecher")."""
    after = clause[clause.index(verb) + 1:]
    if after and after[0].tag_ == "PRF" and after[0].lower_ == "sich":
        after = after[1:]  # a reflexive cue: "äußerte sich Schavan", "erinnerte sich Trotnow"
    if not after:
        return None
    token = after[0]
    if token.lower_ == "man":
        return None
    if verb.lemma_ == "heißen" and token.lower_ == "es":
        # "heißt es in dem Schreiben" or "In dem Schreiben heißt es"
        return _source_in(article, after[1:], mentions) or _source_in(article, clause[:clause.index(verb)], mentions)
    if token.lower_ in PRONOUNS and token.tag_ == "PPER":
        return _pronoun(token, verb, article, subjects, quotes, sentence, mentions)
    mention = mentions.at(token)
    if mention is not None:
        return _speaker(article, mention.start, mention.end, mention)
    if token.pos_ in ("NOUN", "PROPN") and len(after) > 1:
        # A title without article before the name: "sagte SVP-Präsident Reto Gisler".
        named = next((m for m in (mentions.at(t) for t in after[1:3]) if m is not None and m.label == "PER"), None)
        if named is not None:
            return _speaker(article, token.idx, named.end, named)
    words = [t for t in after if not t.is_punct]
    if len(words) == 1 and token.pos_ == "PROPN" and token.text[:1].isupper():
        # A bare name closing the sentence: "..., erklärte TEPCO.", "..., sagt Khartum."
        return _speaker(article, token.idx, token.idx + len(token.text), None)
    if token.pos_ == "PROPN" and token.text[:1].isupper() and len(after) > 1 \
            and (after[1].is_punct or after[1].pos_ == "ADP"):
        # A bare name before a place or time phrase: "..., erklärte McClaren in einem Interview."
        return _speaker(article, token.idx, token.idx + len(token.text), None)
    titled = _titled(after)
    if titled is not None:
        # A newspaper by its title in quotation marks: "schrieb „Die Zeit“", "schreibt die „Computerwoche“".
        return _speaker(article, titled[0].idx, titled[-1].idx + len(titled[-1].text), mentions.at(titled[-2]))
    phrase = []
    for t in after:
        if t.pos_ not in SUBJECT_POS or t.tag_ in ("PPER", "PRF"):
            break
        phrase.append(t)
        if t.pos_ in ("NOUN", "PROPN"):
            break
    # No subject opens with an article in another case: "weist den Vorwurf zurück".
    if phrase and phrase[0].lower_ in NOT_NOMINATIVE:
        return None
    if phrase and phrase[0].pos_ == "DET" and phrase[-1].pos_ in ("NOUN", "PROPN"):
        # "sagte ein Sprecher des Ministeriums": stop at the head noun; entity None.
        mention = mentions.at(phrase[-1])
        # A name the head noun opens runs to its end: "der [Österreichische Gewerkschaftsbund]".
        end = max(phrase[-1].idx + len(phrase[-1].text), mention.end if mention is not None else 0)
        return _speaker(article, phrase[0].idx, end, mention)
    return None


def _titled(tokens) -> list | None:
    """Tokens of a title in quotation marks at the start of ``tokens`` ("„Die Zeit“", "die „Computerwoche“")."""
    start = 1 if tokens and tokens[0].lower_ in ("die", "der", "das") and len(tokens) > 1 else 0
    if not (start < len(tokens) and tokens[start].text in PAIRS):
        return None
    closers = PAIRS[tokens[start].text]
    for end in range(start + 2, min(len(tokens), start + 7)):
        if tokens[end].text in closers:
            inner = tokens[start + 1:end]
            return tokens[:end + 1] if inner[0].text[:1].isupper() else None
    return None


def _source_in(article: Article, tokens, mentions) -> Speaker | None:
    """The document after "heißt es": "heißt es in dem Schreiben", "hieß es im Abschlussbericht".

    SpkAtt marks the document (with or without "in") as the source of "heißt es"; the phrase runs
    from "in"/"im" over its noun phrase ("in einer gestern verbreiteten Erklärung").
    """
    k = next((n for n, t in enumerate(tokens[:4]) if t.lower_ in ("in", "im")), None)
    if k is None:
        return None
    phrase = _phrase_after(tokens, k + 1)
    if not phrase or not any(t.pos_ in ("NOUN", "PROPN") for t in phrase):
        return None
    mention = next((m for m in (mentions.at(t) for t in phrase) if m is not None), None)
    return _speaker(article, tokens[k].idx, phrase[-1].idx + len(phrase[-1].text), mention)


@lru_cache(maxsize=1)
def _name_genders() -> dict[str, str]:
    """Given names whose gender the ending rule gets wrong, or that both sexes bear (``x``)."""
    return dict(load_rows("quotes/given_name_gender.tsv", 2))


def person_gender(entity: Entity, mentions: list[Entity]) -> str | None:
    """``m``, ``f`` or None (unknown) for a PER entity.

    From its given name (resources/given_names.txt; a name ending in -a/-e is female unless
    resources/quotes/given_name_gender.tsv says otherwise: "Maria", "Uwe"), else from a role noun
    linked to it: "die Ministerin" is female, "der Kremlchef" male.
    """
    from lagebild.resources import given_names

    for word in (entity.name or entity.text).split()[:2]:
        if word in given_names():
            gender = _name_genders().get(word) or ("f" if word[-1] in "ae" else "m")
            return None if gender == "x" else gender
    for mention in mentions:
        if mention.id == entity.id and mention.kind == "role":
            article_word = mention.text.split()[0].lower()
            if article_word in ("die", "der"):
                return "f" if article_word == "die" else "m"
    return None


def _pronoun(token, verb, article, subjects, quotes, sentence, mentions) -> Speaker | None:
    """Resolve "er"/"sie" to a person of the same gender (:func:`person_gender`).

    Candidates in order: the PER name opening the sentence, the subjects of the last three
    sentences, the last named speaker, the other persons named in this and the previous sentence
    (last first). The first whose gender does not contradict the pronoun wins ("Maria Keller
    traf Thomas Berger. Er sagte, ..." -> Thomas Berger); none: speaker without name.
    """
    # "sie sagten" is plural: the tagger rarely sets Number, the ending -en/-ten shows it.
    if token.lower_ == "sie" and ("Plur" in verb.morph.get("Number") or verb.lower_.endswith("en")):
        return Speaker(token.idx, token.idx + len(token.text), token.text, None, None)
    candidates: list[Entity] = []
    opening = mentions.at(sentence.tokens[0])
    if opening is not None and opening.label == "PER" and opening.end <= token.idx:
        candidates.append(opening)
    # The previous sentences' subjects; a quotation may put one or two subject-less sentences in
    # between ("Berger kam. „Wir sind müde. Morgen geht es weiter“, sagte er.").
    candidates += [s for s in reversed(subjects[-3:]) if s is not None]
    last = next((q.speaker for q in reversed(quotes) if q.speaker and q.speaker.entity), None)
    if last is not None:
        candidates += [m for m in mentions.mentions if m.id == last.entity][:1]
    first = sentence.tokens[0]
    since = first.doc[first.i - 1].sent.start_char if first.i > 0 else first.idx
    candidates += [m for m in reversed(mentions.mentions)
                   if m.label == "PER" and since <= m.start and m.end <= token.idx]
    wrong = "f" if token.lower_ == "er" else "m"
    candidate = next((c for c in candidates if person_gender(c, mentions.mentions) != wrong), None)
    if candidate is None:  # the pronoun itself, unresolved: no name rather than a guess
        return Speaker(token.idx, token.idx + len(token.text), token.text, None, None)
    return Speaker(token.idx, token.idx + len(token.text), token.text, candidate.name, candidate.id)


def _free_or_continued(article, sentence, pairs, previous: Quote | None) -> list[Quote]:
    """Step 3: a KI sentence or a whole-sentence quotation right after a quote."""
    if previous is None:
        return []
    whole = next((p for p in pairs if not p.used and p.open == sentence.start
                  and p.close >= _strip_end(sentence.tokens) - 1), None)
    if whole is not None:
        whole.used = True
        return [Quote("direct", article.span(whole.open + 1, whole.close), None, previous.speaker)]
    if previous.kind not in ("indirect", "mixed", "free_indirect"):
        return []
    # Only Konjunktiv I continues a quote: KII is too weak ("als würde er es akzeptieren").
    finite = _finite(sentence.clauses[0]) if sentence.clauses else []
    if not finite or _mood(finite[0]) != "KI":
        return []
    kind = _content_kind(article, sentence.start, sentence.end, pairs, "free_indirect")
    kind = "free_indirect" if kind == "free_indirect" else "mixed"
    return [Quote(kind, article.span(sentence.start, sentence.end), None, previous.speaker)]


def _prep_patterns(table) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(words before X, words after X) of the prepositional cues without a verb ("laut X")."""
    if table is cues():
        return _shipped_prep_patterns()
    return _build_prep_patterns(table)


@lru_cache(maxsize=1)
def _shipped_prep_patterns() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return _build_prep_patterns(cues())


def _build_prep_patterns(table) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    patterns = []
    # Sorted: the table is a set, and its order (Python's string hashing differs per process)
    # decided which of two matching patterns won ("so die Sprachregelung laut der Agentur").
    for entry in sorted(table["prep"]):
        words = entry.lower().split()
        x = words.index("x")
        if x not in (0, len(words) - 1):
            continue  # "wie X mitteilen" is a verb frame, handled in step 2a
        patterns.append((tuple(words[:x]), tuple(words[x + 1:])))
    return patterns


def _word_ids(patterns) -> tuple[tuple[int, ...], list[set[int]]]:
    """The string ids of all words of :func:`_prep_patterns`, and per pattern those that must be present (``before or after``)."""
    if _PATTERN_IDS and _PATTERN_IDS[0] is patterns:
        return _PATTERN_IDS[1]
    each = [{_string_id(w) for w in (before or after)} for before, after in patterns]
    ids = (tuple(sorted(set().union(*each))), each)
    _PATTERN_IDS[:] = [patterns, ids]
    return ids


_PATTERN_IDS: list = []


@lru_cache(maxsize=256)
def _string_id(word: str) -> int:
    """spaCy's string id of ``word``, as ``Doc.to_array`` gives it."""
    from spacy.strings import get_string_id

    return get_string_id(word) % 2**64


def _phrase_after(tokens, index: int) -> list:
    """The noun phrase from ``index`` on: "der Polizei", "Angaben von Zeugen" stops at a verb."""
    if index < len(tokens) and tokens[index].lower_ == "von":
        index += 1
    titled = _titled(tokens[index:])
    if titled is not None:
        return titled  # "laut „Welt“", "nach Angaben der „Times“"
    phrase = []
    for t in tokens[index:]:
        pos = _noun_pos(t)
        if pos not in SUBJECT_POS or t.tag_ in ("PPER", "PRF", "PRELS") or t.is_punct:
            break
        if phrase and _noun_pos(phrase[-1]) in ("NOUN", "PROPN") and pos not in ("NOUN", "PROPN"):
            break  # the phrase ends with its nouns: "laut Polizei [weitgehend friedlich]"
        phrase.append(t)
    return phrase


def _noun_pos(token) -> str:
    """UPOS, with a word the tagger gives PUNCT read as a noun: it does so with hyphens and dots
    ("laut ai-Bericht", "laut el-Baradei", "laut ndr.de")."""
    if token.pos_ == "PUNCT" and not token.is_punct and any(c.isalpha() for c in token.text):
        return "PROPN" if token.tag_ == "NE" else "NOUN"
    return token.pos_


def _prep_cue(article, sentence, table, mentions) -> list[Quote]:
    """Step 4: "Laut Polizei ist ...", "Nach Angaben des Ministeriums wurden ...",
    "Der Polizei zufolge ...", "..., so der Minister."."""
    tokens = sentence.tokens
    patterns = _prep_patterns(table)
    needed = _word_ids(patterns)
    positions, ids = _lower_positions(tokens[0].doc, needed[0])
    present = set(ids[bisect.bisect_left(positions, tokens[0].i):bisect.bisect_right(positions, tokens[-1].i)])
    if not any(present.issuperset(ids) for ids in needed[1]):
        return []  # the check below, on string ids first: no pattern has all its words here
    words = [t.lower_ for t in tokens]
    present = set(words)
    for before, after in patterns:
        if not present.issuperset(before or after):
            continue  # a pattern whose words are not all in the sentence cannot match
        for i in range(len(tokens)):
            if before and tuple(words[i:i + len(before)]) == before:
                if before == ("so",) and (i == 0 or words[i - 1] != ","):
                    continue  # "so" is a cue only as ", so der Minister."
                phrase = _phrase_after(tokens, i + len(before))
                cue_tokens = tokens[i:i + len(before)]
                if not phrase:
                    continue
                first, last = tokens[i], phrase[-1]
            elif after and tuple(words[i:i + len(after)]) == after and i > 0:
                phrase = []
                for t in reversed(tokens[:i]):
                    if t.pos_ not in SUBJECT_POS or t.is_punct:
                        break
                    phrase.insert(0, t)
                cue_tokens = tokens[i:i + len(after)]
                if not phrase:
                    continue
                first, last = phrase[0], cue_tokens[-1]
            else:
                continue
            begin = tokens.index(first)
            finish = tokens.index(last) + 1
            inside = tokens[:begin] if begin > 0 else tokens[finish:]
            while inside and inside[-1].is_punct:
                inside = inside[:-1]
            while inside and inside[0].is_punct:
                inside = inside[1:]
            if begin > 0 and finish < len(tokens) and not all(t.is_punct for t in tokens[finish:]):
                inside = tokens  # "Die Polizei nahm laut Zeugen drei Männer fest.": the whole sentence
                inside = _clause_around(sentence, tokens[begin]) or inside
            # The tagger sometimes misreads a finite verb ("griffen/ADJA"): a long content needs none.
            if len(inside) < 3 or not (_finite(tokens) or len(inside) >= LONG_CONTENT):
                continue
            mention = next((m for m in (mentions.at(t) for t in phrase) if m is not None), None)
            speaker = _speaker(article, phrase[0].idx, phrase[-1].idx + len(phrase[-1].text), mention)
            content = article.span(inside[0].idx, _strip_end(inside))
            cue = article.span(cue_tokens[0].idx, cue_tokens[-1].idx + len(cue_tokens[-1].text))
            return [Quote("reported", content, cue, speaker)]
    return []


@lru_cache(maxsize=1)
def source_nouns() -> tuple[str, ...]:
    """Nouns naming a source after "nach" (resources/quotes/source_nouns.tsv), lower case."""
    return tuple(noun for noun, _place, _notes in load_rows("quotes/source_nouns.tsv", 3))


@lru_cache(maxsize=1)
def _inner_source_nouns() -> tuple[str, ...]:
    """Source nouns that count after "nach" inside a sentence too ("nach Expertenmeinung")."""
    return tuple(noun for noun, place, _notes in load_rows("quotes/source_nouns.tsv", 3) if place == "anywhere")


def _source_cue(article, sentence, mentions) -> list[Quote]:
    """Step 4, "nach" + a source noun, and "Demnach": the rest of the sentence is reported.

    "Nach einem Bericht des Senders X ist ...", "Nach Polizeiangaben wurden ...", "Nach einer
    Studie leben ..." (nouns and their compounds from resources/quotes/source_nouns.tsv; at the
    sentence start, or anywhere for the nouns marked so, "angaben" among them: "Sie haben nach eigenen Angaben ... gearbeitet",
    where the whole sentence is the content). "Demnach" opening a sentence refers back to a
    source named before ("Die Polizei gab Einzelheiten bekannt. Demnach ereignete sich ..."):
    like a pronoun, "Demnach" is the speaker's text, named after the previous sentence's first
    person or organisation when that sentence has a cue verb. After "nach", the speaker is the source noun with the phrase that
    follows it ("einem Bericht des Senders X", "Polizeiangaben", "eigenen Angaben"), as SpkAtt
    marks it; a named entity in it gives the name.
    """
    tokens = sentence.tokens
    if tokens[0].lower_ in ("demnach", "danach") and len(tokens) > 3:
        inside = tokens[1:]
        if _finite(inside) and len([t for t in inside if not t.is_punct]) >= 3:
            first = tokens[0]
            content = article.span(inside[0].idx, _strip_end(inside))
            # "Demnach" stands for the source like a pronoun: its name is the previous sentence's
            # first person or organisation ("Die Polizei gab Einzelheiten bekannt. Demnach ...").
            # Only a sentence that reports something names the source: not "Berger kam. Demnach ...".
            named = None
            reporting = False
            if first.i > 0:
                before = first.doc[first.i - 1].sent
                verbs = cues()["verb"]
                reporting = any(_cue_in(c, verbs) for c in _Sentence(first.doc, before, []).clauses)
                if reporting:
                    named = next((m for m in mentions.mentions if before.start_char <= m.start and m.end <= first.idx), None)
                elif first.lower_ == "danach":
                    # "Eine Studie wurde veröffentlicht. Danach leben ...": a source noun counts too.
                    reporting = any(t.lower_.endswith(source_nouns()) and _noun_pos(t) == "NOUN" for t in before)
            if first.lower_ == "danach" and not reporting:
                return []  # "Danach" is mostly "afterwards": "Er landete in Wien. Danach fuhr er weiter."
            speaker = Speaker(first.idx, first.idx + len(first.text), first.text,
                              named.name if named else None, named.id if named else None)
            return [Quote("indirect", content, article.span(first.idx, first.idx + len(first.text)), speaker)]
        return []
    nach = set(_lower_positions(tokens[0].doc, (_string_id("nach"),))[0])
    for i in range(len(tokens) - 1):
        if tokens[i].i not in nach or tokens[i].lower_ != "nach":  # the string only where its id matches
            continue
        j = i + 1
        while j < min(len(tokens) - 1, i + 4) and tokens[j].pos_ in ("DET", "ADJ", "NUM"):
            j += 1
        noun = tokens[j]
        word = noun.lower_
        if _noun_pos(noun) not in ("NOUN", "PROPN") or not word.endswith(source_nouns()):
            continue
        if i > 0 and not word.endswith(_inner_source_nouns()):
            continue
        phrase = []
        if j + 1 < len(tokens) and tokens[j + 1].lower_ in ("aus", "von", "vom"):
            # "Nach Angaben aus Ministeriumskreisen": the preposition belongs to the source.
            phrase = _phrase_after(tokens, j + 2)
            phrase = [tokens[j + 1]] + phrase if phrase else []
        elif j + 1 < len(tokens) and tokens[j + 1].pos_ in ("DET", "PROPN"):
            phrase = _phrase_after(tokens, j + 1)
        finish = tokens.index(phrase[-1]) + 1 if phrase else j + 1
        rest = [t for t in tokens[finish:] if not t.is_punct]
        inside = tokens[finish:] if i == 0 else (tokens[:i] if not rest else tokens)
        if i > 0 and rest:
            inside = _clause_around(sentence, tokens[i]) or inside
        while inside and inside[0].is_punct:
            inside = inside[1:]
        words = [t for t in inside if not t.is_punct]
        if len(words) < 3 or not (_finite(inside) or len(words) >= LONG_CONTENT):
            continue
        source = tokens[i + 1:finish]
        mention = next((m for m in (mentions.at(t) for t in source) if m is not None), None)
        speaker = _speaker(article, source[0].idx, source[-1].idx + len(source[-1].text), mention)
        content = article.span(inside[0].idx, _strip_end(inside))
        cue = article.span(tokens[i].idx, noun.idx + len(noun.text))
        return [Quote("indirect", content, cue, speaker)]
    return []


def _clause_around(sentence, token) -> list | None:
    """The clause holding a source phrase inside a sentence, when the sentence has more than one.

    "Beim Untersuchen der Tasche, die nach dessen Angaben die Bombe enthalten sollte, wurde
    nichts gefunden." (our example): SpkAtt marks the relative clause as what the source said, not
    the whole sentence. The clause runs on over the next ones until it has a finite verb; None
    when the phrase stands in the sentence's only clause or in its first one (the main clause:
    "Die Polizei nahm laut Zeugen drei Männer fest, die ..." keeps the whole sentence), opens its
    clause, or stands in a main clause after a fronted one (its finite verb first).
    """
    clauses = sentence.clauses
    k = next((n for n, clause in enumerate(clauses) if token in clause), None)
    if k is None or k == 0 or clauses[k][0] is token:
        return None
    if clauses[k][0].tag_.endswith("FIN"):
        # The main clause after a fronted one: "Nachdem er Probleme hatte, geht es ihm nach
        # Angaben der Zentrale gut." keeps the whole sentence.
        return None
    inside = list(clauses[k])
    later = clauses[k + 1:]
    while not _finite(inside) and later:
        inside += later.pop(0)
    return inside if _finite(inside) else None


def _antecedent(article, sentence, previous, table, mentions, subjects, quotes) -> list[Quote]:
    """Step 4b: "Dies bestätigte der Premierminister." reports the sentence before it.

    Only a demonstrative alone in the prefield of a cue verb counts, in a sentence with no other
    finite verb ("Das teilte ein Sprecher, Peter Huber, mit."); a previous sentence that is already part of a quote, or
    one ending in a question mark, is left alone. The content runs from the previous sentence's
    start over the demonstrative (SpkAtt marks both); the speaker is the subject after the verb.
    """
    tokens = sentence.tokens
    if len(tokens) < 3 or tokens[0].lower_ not in DEMONSTRATIVES or _finite([t for c in sentence.clauses[1:] for t in c]):
        return []
    # The particle may follow an apposition: "Dies teilte der Sprecher, Peter Huber, mit."
    cue = _cue_in([t for c in sentence.clauses for t in c if not t.is_punct], table["verb"])
    if cue is None or cue[0] is not tokens[1] or not tokens[1].tag_.endswith("FIN"):
        return []
    if previous.tokens[-1].text == "?" or any(q.content.start < previous.end and previous.start < q.content.end
                                              for q in quotes):
        return []
    speaker = _subject_after(sentence.clauses[0], cue[0], mentions, article, subjects, quotes, sentence)
    after = tokens[2]
    if speaker is None and after.pos_ in ("NOUN", "PROPN"):  # a bare plural: "Das berichten Medien."
        speaker = _speaker(article, after.idx, after.idx + len(after.text), mentions.at(after))
    if speaker is None:
        return []
    content = article.span(previous.start, tokens[0].idx + len(tokens[0].text))
    return [Quote("indirect", content, _cue_span(article, *cue), speaker)]


def _span_of(article: Article, tokens) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def model_quotes(article: Article, model_path: str | None = None, taken: list[Quote] = ()) -> list[Quote]:
    """Quotes from the trained tagger (:mod:`lagebild.quotes`), with speakers resolved like the rules'.

    The tagger labels message, cue and source tokens (:func:`lagebild.quotes.decode.decode`
    groups them). The source tokens become the speaker: an entity mention inside them names it
    (a linked role noun such as "der Kremlchef" included); "er"/"sie" is resolved like a rule
    speaker (:func:`_pronoun`); a source longer than :data:`MAX_SUBJECT_TOKENS` is cut to its
    first noun phrase; anything else keeps its text with no name.
    """
    from lagebild.quotes.decode import decode
    from lagebild.quotes.labels import KINDS
    from lagebild.quotes.tagger import predict_labels

    doc = article.doc
    if doc is None or not len(doc):
        return []
    pairs = quotation_pairs(article)
    labels = predict_labels(doc, pairs, model_path, [(q.content.start, q.content.end) for q in taken])
    groups = decode(doc, labels)
    if not groups:
        return []
    mentions = _Mentions(article)
    sentences = [s for s in _sentences(article, pairs) if s.tokens]
    firsts = [s.tokens[0].i for s in sentences]

    class _SentenceAt:  # token index -> number of its sentence, looked up only for the tokens asked about
        def __getitem__(self, i: int) -> int:
            return max(bisect.bisect_right(firsts, i) - 1, 0)

    sentence_at = _SentenceAt()
    subjects = [_sentence_subject(s, mentions) for s in sentences]
    out: list[Quote] = []
    known = _words(doc)  # the article's Token objects
    for group in groups:
        message = [known.tokens[i] for i in group.message if not known.space[i]]
        if group.form == "D" and len(message) > 2 and message[0].text in PAIRS and message[-1].text in "“”\"«»‘":
            message = message[1:-1]  # the content of a direct quote is what is inside the marks
        words = [t for t in message if not t.is_punct]
        if len(words) < MIN_MODEL_WORDS or (group.form in "IF" and not any(t.pos_ in ("VERB", "AUX") for t in words)):
            continue  # a fragment: "vor den Delegierten" after "sprach" is no reported speech
        if group.form == "I" and not _reported_clause(message, pairs):
            continue  # "Das Stimmvolk sagt Ja, die Kantone sagen Nein: Die SVP verpasst ...": the narrator
        if not group.cue and words[0].lower_ == "als" and any(_mood(t) == "KII" for t in _finite(words[:3])):
            continue  # an unreal comparison, not speech: "Das hört sich so an, als würde er es akzeptieren"
        start, end = _span_of(article, message)
        kind = KINDS[group.form]
        if kind == "indirect":
            # Without a cue of its own a Konjunktiv sentence continues a quote: free indirect.
            kind = _content_kind(article, start, end, pairs, "indirect" if group.cue else "free_indirect")
        cue = verb = None
        if group.cue:
            cue = article.span(*_span_of(article, [doc[i] for i in group.cue]))
            verb = doc[group.cue[0]]
        speaker = None
        if verb is not None:
            number = sentence_at[verb.i]
            speaker = _cue_subject(article, verb, sentences[number], mentions, subjects[:number], out)
        if speaker is None and group.source:
            tokens = [doc[i] for i in group.source if not doc[i].is_punct]
            if tokens:
                number = sentence_at[tokens[0].i]
                head = verb if verb is not None else tokens[-1]  # for the number of "sie"
                speaker = _model_speaker(article, tokens, head, mentions, subjects[:number], out, sentences[number])
        if speaker is None and not group.continued:
            # The person opening the quote's sentence, outside the quote ("Wulff betonte ..., die Bundesrepublik ...").
            subject = subjects[sentence_at[message[0].i]]
            if subject is not None and not (start <= subject.start < end):
                speaker = _speaker(article, subject.start, subject.end, subject)
        if speaker is None and (verb is None or verb.pos_ not in ("VERB", "AUX")) and not _continues(group):
            continue  # neither a speaker nor a reporting verb: "Das hört sich so an, als würde er ..."
        out.append(Quote(kind, article.span(start, end), cue, speaker))
    return out


def _continues(group) -> bool:
    """True for a cue-less message that may continue the quote before it (its speaker is filled in by :func:`combine`)."""
    return not group.cue and group.form in "IF"


def _reported_clause(tokens, pairs) -> bool:
    """True when ``tokens`` read as reported words: a Konjunktiv verb, "dass"/"ob", a zu-infinitive or a quotation."""
    if tokens[0].lower_ in ("dass", "daß", "ob") or any(p.open <= tokens[0].idx < p.close for p in pairs):
        return True
    return any((t.tag_.endswith("FIN") and _mood(t) in ("KI", "KII")) or t.tag_ in ("VVIZU", "PTKZU")
               or t.text in PAIRS for t in tokens)


def _cue_subject(article, verb, sentence, mentions, subjects, quotes) -> Speaker | None:
    """The subject of a cue verb by the rules' word order (prefield, or right after the verb)."""
    if not (verb.pos_ in ("VERB", "AUX") or verb.tag_.startswith("V")):
        return None
    clause = next((c for c in sentence.clauses if verb in c), None)
    if clause is None:
        return None
    prefield, auxiliary = _prefield(clause[:clause.index(verb)], verb)
    if prefield and prefield[0].lower_ == "wie":
        return _subject_between(prefield[1:], mentions, article, subjects, quotes, sentence)
    subject = None
    if prefield and prefield[0].pos_ in SUBJECT_POS:
        subject = _subject_between(prefield, mentions, article, subjects, quotes, sentence)
        subject = _unless_adverbial(subject, prefield, clause, auxiliary or verb, mentions, article, subjects, quotes,
                                    sentence)
        subject = _unless_fronted_object(subject, clause, auxiliary or verb, mentions, article)
    if subject is None and auxiliary is not None and not (prefield and prefield[0].lower_ == "man"):
        subject = _subject_after(clause, auxiliary, mentions, article, subjects, quotes, sentence)
    if subject is None and not (prefield and prefield[0].lower_ == "man"):
        subject = _subject_after(clause, verb, mentions, article, subjects, quotes, sentence)
    return subject


def _model_speaker(article, tokens, verb, mentions, subjects, quotes, sentence) -> Speaker | None:
    """The speaker for the source tokens of a model quote (see :func:`model_quotes`)."""
    named = [m for m in (mentions.at(t) for t in tokens) if m is not None]
    if named:
        best = next((m for m in named if m.kind == "name"), named[0])
        return _speaker(article, best.start, best.end, best)
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in tokens):
        # Only the article marked ("der" of "der Minister"): take the noun phrase it opens.
        doc, extended = tokens[-1].doc, list(tokens)
        for t in doc[tokens[-1].i + 1:min(len(doc), tokens[-1].i + 5)]:
            if t.pos_ not in ("ADJ", "NOUN", "PROPN", "DET"):
                break
            extended.append(t)
            if t.pos_ in ("NOUN", "PROPN"):
                break
        if extended[-1].pos_ not in ("NOUN", "PROPN"):
            return None
        return _model_speaker(article, extended, verb, mentions, subjects, quotes, sentence)
    if len(tokens) == 1 and tokens[0].lower_ in PRONOUNS:
        return _pronoun(tokens[0], verb, article, subjects, quotes, sentence, mentions)
    if len(tokens) > MAX_SUBJECT_TOKENS:
        head = next((k for k, t in enumerate(tokens) if t.pos_ in ("NOUN", "PROPN")), len(tokens) - 1)
        tokens = tokens[:head + 1]
    return _speaker(article, *_span_of(article, tokens), None)


def reported_quotes(article: Article, found: list[Quote]) -> list[Quote]:
    """Reported speech: a sentence with no quote whose main clause has a cue verb and a subject.

    "Müntefering sprach von einem Riesenerfolg.", "Seit Jahren fordert der mexikanische Staat die
    Rückgabe des Kunstwerks.": SpkAtt marks the whole sentence as the message of a reported
    statement. The content is the sentence without its final punctuation; the speaker is the
    cue verb's subject (:func:`_cue_subject`), and only a named entity, a role noun
    (``resources/role_nouns.tsv``), a group or institution ("Die Polizei", "Andere Medien";
    ``resources/quotes/speaker_groups.tsv``), a place acting as a state ("Die USA lehnten ... ab",
    a LOC entity) or "er"/"sie" counts: "Ihm droht eine Freiheitsstrafe" has none.
    Besides the cue verbs, verbs that report only through their object count here
    (``resources/quotes/reported_verbs.tsv``: "würdigte", "sprach sich für ... aus").
    """
    doc = article.doc
    if doc is None or not len(doc):
        return []
    pairs = quotation_pairs(article)
    mentions = _Mentions(article)
    verbs, reflexive = _reported_verbs()
    out: list[Quote] = []
    subjects: list[Entity | None] = []
    for sentence in _sentences(article, pairs):
        if not sentence.tokens or not sentence.clauses:
            continue
        subject_here = _sentence_subject(sentence, mentions)
        start, end = sentence.start, sentence.end
        if not any(q.content.start < end and start < q.content.end for q in found):
            clause = sentence.clauses[0]
            cue = _cue_in(clause, verbs)
            after = [t.lower_ for t in clause[clause.index(cue[0]) + 1:]] if cue is not None else []
            # Speaking about nothing is no statement: "Er äußerte sich am Mittwoch." (reflexive),
            # "Er sprach am Abend vor den Delegierten." ("sprechen" reports only with "von"/"über").
            lemma = None if cue is None else cue[0].lemma_ if cue[1] is None else cue[1].lower_ + cue[0].lemma_
            if cue is not None and (cue[0].lemma_ == "heißen" or (after and after[0] == "sich" and lemma not in reflexive)
                                    or (lemma == "sprechen" and not {"von", "über", "vom"} & set(after))):
                cue = None
            if cue is not None:
                speaker = _cue_subject(article, cue[0], sentence, mentions, subjects, found + out)
                if speaker is None or not (speaker.entity is not None or _person_noun(speaker.text)):
                    speaker = _passive_agent(article, clause, cue[0], mentions) or speaker
                if speaker is not None and (speaker.entity is not None or _person_noun(speaker.text)
                                            or _speaking_group(speaker.text)
                                            or speaker.text.split()[0].lower() in ("von", "vom")
                                            or speaker.text.lower() in PRONOUNS or _names_place(article, speaker)):
                    content = article.span(start, _strip_end(sentence.tokens))
                    out.append(Quote("reported", content, _cue_span(article, *cue), speaker))
        subjects.append(subject_here)
    return out


#: Relative adverbs that open a clause reporting what a noun before them says ("ein Bericht, wonach ...").
RELATIVE_CUES = {"wonach"}
#: Parts of speech of the noun phrase a "wonach" clause hangs on, read backwards from the comma.
_ANTECEDENT_POS = {"NOUN", "PROPN", "ADJ", "DET", "NUM", "PUNCT", "X"}


def relative_quotes(article: Article, found: list[Quote]) -> list[Quote]:
    """Indirect speech in a relative clause opened by "wonach" that no earlier step covered.

    "Ein Bericht der Agentur Interfax, wonach der Oppositionsführer festgenommen worden sei, ..."
    and "Es gibt eine Schätzung, wonach 53.000 Kinder ..." (our examples): SpkAtt marks every
    such clause as a message with "wonach" as its cue (all 11 in files 1-560). The content is the
    clause after "wonach" up to its verb-final end (the next comma outside quotation marks after
    a finite verb, else the sentence end); the speaker is the noun phrase right before the comma
    (a named entity in it gives the name), else "wonach" itself, as SpkAtt marks it when nothing
    names the source ("..., wonach die Maus verantwortlich sein soll").
    """
    doc = article.doc
    if doc is None or not len(doc):
        return []
    words = _words(doc)
    positions, _ids = _lower_positions(doc, tuple(_string_id(w) for w in sorted(RELATIVE_CUES)))
    if not positions:
        return []
    pairs = quotation_pairs(article)
    mentions = _Mentions(article)
    out: list[Quote] = []
    taken = sorted(found, key=lambda q: q.content.start)
    for sentence in _sentences(article, pairs):
        if not sentence.tokens:
            continue
        for c, clause in enumerate(sentence.clauses):
            if c == 0 or clause[0].lower_ not in RELATIVE_CUES or len(clause) < 3:
                continue
            cue = clause[0]
            rest = list(clause[1:])
            later = sentence.clauses[c + 1:]
            # The relative clause ends with its finite verb: take the next clauses until one has it.
            while not any(words.finite[t.i] for t in rest) and later:
                rest += later.pop(0)
            start, end = rest[0].idx, _strip_end(rest)
            if any(q.content.start < end and start < q.content.end for q in taken) or not any(
                    words.finite[t.i] for t in rest):
                continue
            before = sentence.clauses[c - 1]
            phrase: list = []
            for token in reversed(before):
                if token.pos_ not in _ANTECEDENT_POS or len(phrase) >= MAX_SUBJECT_TOKENS:
                    break
                phrase.insert(0, token)
                if token.pos_ == "DET":
                    break
            while phrase and phrase[0].pos_ == "PUNCT" and phrase[0].text not in PAIRS:
                phrase.pop(0)
            speaker = None
            if any(t.pos_ in ("NOUN", "PROPN") for t in phrase):
                named = [m for m in (mentions.at(t) for t in phrase) if m is not None]
                last = phrase[-1]
                speaker = _speaker(article, phrase[0].idx, last.idx + len(last.text), named[-1] if named else None)
            if speaker is None:
                speaker = _speaker(article, cue.idx, cue.idx + len(cue.text), None)
            kind = _content_kind(article, start, end, pairs, "indirect")
            quote = Quote("mixed" if kind == "mixed" else "indirect", article.span(start, end),
                          article.span(cue.idx, cue.idx + len(cue.text)), speaker)
            out.append(quote)
            taken = sorted(taken + [quote], key=lambda q: q.content.start)
    return out


def _names_place(article: Article, speaker: Speaker) -> bool:
    """True when a subject phrase is a country or city acting as a speaker: "Die USA lehnten ... ab"."""
    return any(e.label == "LOC" and speaker.start <= e.start and e.end <= speaker.end for e in article.entities)


@lru_cache(maxsize=1)
def _reported_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """Cue verbs of reported speech: resources/cues.tsv and resources/quotes/reported_verbs.tsv,
    and those of them that report with "sich" ("sprach sich für ... aus")."""
    rows = load_rows("quotes/reported_verbs.tsv", 3)
    return (frozenset(cues()["verb"]) | {lemma for lemma, _frame, _notes in rows},
            frozenset(lemma for lemma, frame, _notes in rows if frame == "sich"))


def evidential_quotes(article: Article, found: list[Quote]) -> list[Quote]:
    """Free indirect speech the earlier steps leave: evidential "sollen" and late continuations.

    1. German news marks a claim it only passes on with "soll"/"sollen" and a perfect infinitive
       ("Er soll drei Millionen veruntreut haben.", "... gestorben sein", "... worden sein");
       SpkAtt marks such a sentence as free indirect speech. A sentence with no quote whose
       first clause has "soll"/"sollen" as its finite verb and ends with "haben"/"sein" is one;
       "Die Brücke soll 2030 fertig sein" is one too (a plan passed on), "Er sollte gehen"
       (past, Konjunktiv II) is not.
    2. A sentence whose first finite verb is Konjunktiv I right after a quote of any kind
       continues it, also after reported speech or a quote this step found ("Der Minister wies
       auf die Risiken hin. Dazu gehöre die Gesichtserkennung.").
    3. A sentence whose first finite verb is Konjunktiv I right after a sentence with no quote
       whose subject can speak (an entity, a role noun, a group, a source noun:
       :func:`_introducing_subject`) gives that subject's words ("Dekan Berg sieht den Streit
       gelassen. Man habe nichts gewusst.").

    The speaker is that subject, else that of a quote ending at most :data:`CONTINUATION`
    sentence starts before, else null; a Konjunktiv I sentence with neither is left alone ("Die
    Brücke sei marode.": nobody said it). Continuing a quote across indicative sentences
    without such a subject (up to four sentence starts) found 30 more messages on files
    1-560 but with the wrong speaker for most of them (quote + speaker F1 0.558 against 0.560).
    """
    doc = article.doc
    if doc is None or not len(doc):
        return []
    starts = _sentence_starts(article)
    pairs = quotation_pairs(article)
    out: list[Quote] = []
    every = sorted(found, key=lambda q: q.content.start)
    mentions = None
    previous = None
    for sentence in _sentences(article, pairs):
        sentence_before, previous = previous, sentence
        if not sentence.tokens or not sentence.clauses:
            continue
        start, end = sentence.start, sentence.end
        if any(q.content.start < end and start < q.content.end for q in every):
            continue
        before = [q for q in every if q.content.end <= start]
        near = bool(before) and (bisect.bisect_right(starts, start)
                                 - bisect.bisect_right(starts, before[-1].content.end)) <= CONTINUATION
        clause = sentence.clauses[0]
        finite = _finite(clause)
        words = [t for t in clause if not t.is_punct]
        if not finite or len(words) < 3:
            continue
        evidential = (finite[0].lower_ in ("soll", "sollen") and len(words) >= 4
                      and words[-1].lower_ in ("haben", "sein") and clause.index(finite[0]) <= EVIDENTIAL_PREFIELD)
        # Right after a quote, "soll" with a plain infinitive passes a claim on too ("Der Beschluss
        # soll auch Luftschläge erlauben.", "Es soll sich um zehn Millionen Liter handeln.").
        evidential = evidential or (near and finite[0].lower_ in ("soll", "sollen") and len(words) >= 4
                                    and words[-1].tag_ in ("VVINF", "VAINF")
                                    and clause.index(finite[0]) <= EVIDENTIAL_PREFIELD)
        subjunctive = _mood(finite[0]) == "KI"
        introduced = None
        if subjunctive and not near and sentence_before is not None:
            # "Dekan Berg sieht einen Rechtsstreit gelassen. Man habe nichts gewusst.": a Konjunktiv I
            # sentence after a sentence without a quote whose subject can speak gives that subject's
            # words (on files 1-560, the gold source of 15 of 22 Konjunktiv I messages two to five
            # sentences after a quote was the subject of the sentence right before).
            mentions = mentions or _Mentions(article)
            introduced = _introducing_subject(article, sentence_before, mentions, every)
        subjunctive = subjunctive and (near or introduced is not None)
        if not (evidential or subjunctive):
            continue
        content = article.span(start, _strip_end(sentence.tokens))
        speaker = introduced or (before[-1].speaker if near else None)
        if speaker is None and evidential and before and before[-1].speaker is not None and (
                bisect.bisect_right(starts, start) - bisect.bisect_right(starts, before[-1].content.end)) <= SOURCE_REACH:
            # "Nach Berichten der Presse ist er ... . Noch in der Zeit ... soll er reich geworden sein.":
            # a claim passed on with "soll" goes back to the source named a few sentences before.
            speaker = before[-1].speaker
        quote = Quote("free_indirect", content, None, speaker)
        out.append(quote)
        every = sorted(every + [quote], key=lambda q: q.content.start)
    return out


def standalone_quotations(article: Article, found: list[Quote]) -> list[Quote]:
    """Direct speech: a quotation filling whole sentences after a sentence that introduces its speaker.

    "Die Ministerin besuchte die Schule. „Wir brauchen mehr Lehrer. Das ist klar.“" (our example):
    SpkAtt marks such quotations as direct speech of the person the sentence before names. A
    quotation with no quote overlapping it that opens a sentence and closes one, holds at least
    :data:`MIN_STANDALONE_WORDS` words and a finite verb, counts when the sentence right before it
    (or, after a colon, its own sentence: "Sie bekannte sich zum Dialog: „...“")
    has a subject that can speak (:func:`_introducing_subject`) or a quote that names a speaker;
    otherwise it stays a title or a slogan, not a quote ("„Wer wird Millionär?“ läuft heute.").
    """
    doc = article.doc
    if doc is None or not len(doc):
        return []
    pairs = quotation_pairs(article)
    if not pairs:
        return []
    sentences = [s for s in _sentences(article, pairs) if s.tokens]
    starts = [s.start for s in sentences]
    words = _words(doc)
    mentions = None
    out: list[Quote] = []
    every = sorted(found, key=lambda q: q.content.start)
    for pair in pairs:
        first = bisect.bisect_left(starts, pair.open)
        colon = False
        if first == len(sentences) or starts[first] != pair.open:
            # "Ali bekannte sich zum Dialog: „Ich begrüße ...“": a colon before the quotation.
            first -= 1
            opening = [t for t in sentences[first].tokens if t.idx < pair.open] if first >= 0 else []
            colon = bool(opening) and opening[-1].text == ":"
            if not colon:
                continue
        elif first == 0:
            continue
        last = bisect.bisect_right(starts, pair.close) - 1
        closing = sentences[last]
        after = [t for t in closing.tokens if t.idx > pair.close]
        # The closing mark may open the next sentence ("... lassen . “ Sie äußerte sich ...").
        if any(not t.is_punct for t in after) and closing.start != pair.close:
            continue
        inside = [t for s in sentences[first:last + 1] for t in s.tokens if pair.open < t.idx < pair.close]
        if len([t for t in inside if not t.is_punct]) < MIN_STANDALONE_WORDS or not any(words.finite[t.i] for t in inside):
            continue
        if any(q.content.start < pair.close and pair.open < q.content.end for q in every):
            continue
        before = sentences[first if colon else first - 1]
        mentions = mentions or _Mentions(article)
        speaker = _introducing_subject(article, before, mentions, every)
        if speaker is None:
            speaker = next((q.speaker for q in reversed(every) if q.speaker is not None
                            and before.start <= q.content.start < before.end), None)
        if speaker is None:
            continue
        quote = Quote("direct", article.span(pair.open + 1, pair.close), None, speaker)
        out.append(quote)
        every = sorted(every + [quote], key=lambda q: q.content.start)
    return out


def _introducing_subject(article, sentence, mentions, quotes) -> Speaker | None:
    """The subject of a sentence's first finite verb when it names a speaker (entity, role, group, source).

    "Die Haushaltspolitikerin der Grünen, Anja Hajduk, kritisierte die Pläne.", "Trotzdem gibt
    ROG keine Entwarnung.", "Die Entscheidung wurde vom Verband als rückschrittlich kritisiert."
    (our examples): the sentence before a Konjunktiv I sentence introduces whose words follow.
    """
    clause = sentence.clauses[0] if sentence.clauses else []
    finite = _finite(clause)
    if not finite or any(q.content.start < sentence.end and sentence.start < q.content.end for q in quotes):
        return None
    speaker = _cue_subject(article, finite[0], sentence, mentions, [], quotes) or _passive_agent(
        article, clause, finite[0], mentions)
    if speaker is None or not (speaker.entity is not None or _person_noun(speaker.text) or _speaking_group(speaker.text)
                               or speaker.text.split()[0].lower() in ("von", "vom")
                               or any(w.lower().endswith(source_nouns()) for w in speaker.text.split()
                                      if w[:1].isupper())):
        return None
    return speaker


def _passive_agent(article, clause, verb, mentions) -> Speaker | None:
    """The agent of a passive cue in the prefield: "Von der Opposition wurde der Besuch kritisiert."

    The clause must open with "von"/"vom" and a noun phrase, have a finite form of "werden" and
    the cue as a participle; the speaker is the "von" phrase ("Von der Opposition").
    """
    if clause[0].lower_ not in ("von", "vom") or verb.tag_ != "VVPP":
        return None
    if not any(t.lemma_ == "werden" and t.tag_.endswith("FIN") for t in clause):
        return None
    phrase = _phrase_after(clause, 1)
    if not phrase or phrase[-1].pos_ not in ("NOUN", "PROPN"):
        return None
    mention = next((m for m in (mentions.at(t) for t in phrase) if m is not None), None)
    return _speaker(article, clause[0].idx, phrase[-1].idx + len(phrase[-1].text), mention)


def _person_noun(phrase: str) -> bool:
    """True when a noun phrase names a speaker by role ("Der Minister", "Der Ministerpräsident").

    A capitalised word among the first two of the phrase ends in a form of
    ``resources/role_nouns.tsv`` ("Regierungschef", "CSU-Landesgruppenvorsitzende" do not count
    unless listed).
    """
    words = [w.lower() for w in phrase.split()[:3] if w[:1].isupper()]
    return any(w.endswith(_role_forms()) for w in words)


def _speaking_group(phrase: str) -> bool:
    """True when a noun phrase names a group or institution that makes statements ("Die Polizei",
    "Andere Medien", "Die äthiopische Regierung"; ``resources/quotes/speaker_groups.tsv``)."""
    words = [w.lower() for w in phrase.split()[:4] if w[:1].isupper()]
    return any(w.endswith(_group_nouns()) for w in words)


@lru_cache(maxsize=1)
def _group_nouns() -> tuple[str, ...]:
    return tuple(noun for noun, _notes in load_rows("quotes/speaker_groups.tsv", 2))


@lru_cache(maxsize=1)
def _role_forms() -> tuple[str, ...]:
    from lagebild.resources import read_text

    forms = set()
    for line in read_text("role_nouns.tsv").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            parts = line.split("\t")
            forms.update(f.strip().lower() for f in ([parts[0]] + (parts[1].split(",") if len(parts) > 1 else [])) if f.strip())
    return tuple(sorted(forms))


def _overlaps(a: Quote, b: Quote) -> bool:
    return a.content.start < b.content.end and b.content.start < a.content.end


def combine(rule: list[Quote], model: list[Quote], article: Article | None = None) -> list[Quote]:
    """Rule quotes first; a model quote is added where no rule quote overlaps it; then speakers.

    A quote with a cue but no speaker takes the person or organisation named last before the cue
    in the cue's sentence, outside the content.

    A quote without cue and speaker right after another quote (at most :data:`CONTINUATION`
    sentence starts in between) continues that quote's speaker, as in step 3 of
    :func:`find_quotes` ("Assad müsse gehen."); a model quote with neither and no quote right
    before it is dropped.
    """
    out = list(rule)
    for quote in model:
        if not any(_overlaps(quote, r) for r in rule):
            out.append(quote)
    out.sort(key=lambda q: q.content.start)
    if article is None or article.doc is None:
        return out
    starts = _sentence_starts(article)

    added = {id(q) for q in model}
    people = sorted((e for e in article.entities if e.label in ("PER", "ORG")), key=lambda e: e.start)
    kept: list[Quote] = []
    for quote in out:
        if quote.speaker is None and quote.cue is not None:
            # A cue without subject found by word order: the person or organisation named last
            # before the cue in its sentence, outside the content ("Fillon kündigte am Abend in
            # Paris an, ...").
            anchor = quote.cue.start
            begin = starts[max(bisect.bisect_right(starts, anchor) - 1, 0)] if starts else 0
            named = [e for e in people if begin <= e.start and e.end <= anchor
                     and not (quote.content.start <= e.start < quote.content.end)]
            if named:
                e = named[-1]
                quote = Quote(quote.kind, quote.content, quote.cue, Speaker(e.start, e.end, e.text, e.name, e.id))
        before = kept[-1] if kept else None
        near = before is not None and (bisect.bisect_right(starts, quote.content.start)
                                       - bisect.bisect_right(starts, before.content.end)) <= CONTINUATION
        if quote.speaker is None and quote.cue is None:
            if near and before.speaker is not None:
                quote = Quote(quote.kind, quote.content, quote.cue, before.speaker)
            elif id(quote) in added and not near:
                continue  # a Konjunktiv sentence on its own ("Die Brücke sei marode."): nobody said it
        kept.append(quote)
    return kept


@lru_cache(maxsize=1)
def addressee_frames() -> dict[str, frozenset[str]]:
    """Reporting verb lemma -> how it names its addressee (``dat``, ``acc``, ``an``, ``zu``), from
    resources/quotes/addressees.tsv."""
    frames: dict[str, set[str]] = {}
    for lemma, frame, _notes in load_rows("quotes/addressees.tsv", 3):
        frames.setdefault(lemma, set()).add(frame)
    return {lemma: frozenset(found) for lemma, found in frames.items()}


#: Words opening a noun phrase in the dative only ("sagte dem Sender", "warf ihm vor").
DATIVE = {"dem", "einem", "diesem", "jenem", "keinem", "seinem", "ihrem", "unserem", "eurem", "meinem", "deinem",
          "ihm", "ihnen", "mir", "dir"}
#: Words opening a noun phrase that is dative where it is no subject: "sagte der Zeitung",
#: "teilte den Mitarbeitern mit" ("den" only before a plural in -n), "einer Zeitung".
DATIVE_OR_OTHER = {"der", "einer", "den", "dieser", "seiner", "ihrer", "unserer"}
#: Words opening an accusative object ("forderte die Regierung auf", "bat ihn").
ACCUSATIVE = {"den", "die", "das", "einen", "eine", "diesen", "diese", "seinen", "seine", "ihren", "ihre", "unsere",
              "alle", "ihn", "uns", "euch", "sie"}


def addressees(article: Article, quotes: list[Quote]) -> list[Quote]:
    """The quotes with their addressee filled in where the cue's clause states one.

    Read off the clause of the quote's cue verb, outside the content and the speaker, by the
    verb's frame (``resources/quotes/addressees.tsv``):

    1. "gegenüber X" after any reporting verb: "sagte er gegenüber dem Sender"; "in einem
       Interview mit X"; "vor" + an audience: "sagte vor Journalisten";
    2. ``an`` / ``zu``: the phrase after the preposition: "appellierte an die Bürger", "sagte zu
       den Journalisten" ("sagte ... zu" as a particle is "zusagen");
    3. ``dat``: a dative noun phrase: "sagte der Zeitung „Die Welt“", "warf dem Minister vor",
       "teilte den Mitarbeitern mit", "Ihm wird vorgeworfen"; "der"/"einer" right after a noun is
       a genitive ("der Sprecher der Polizei") and does not count;
    4. ``acc``: the accusative object: "forderte die Regierung auf", "bat ihn"; in the passive the
       subject ("Die Bürger wurden aufgefordert, ...").

    The phrase runs over articles, adjectives and nouns, a name the NER marks from inside it
    ("der Nachrichtenagentur AFP") and a short title in quotation marks right after its noun
    ("der Zeitung „Die Welt“"); an entity mention in it gives the name and id. No frame, no
    phrase: addressee null.
    """
    doc = article.doc
    if doc is None or not len(doc) or not quotes:
        return quotes
    frames = addressee_frames()
    pairs = quotation_pairs(article)
    mentions = _Mentions(article)
    sentences = [s for s in _sentences(article, pairs) if s.tokens]
    starts = [s.start for s in sentences]
    out = []
    for quote in quotes:
        addressee = None
        if quote.cue is not None and quote.addressee is None and sentences:
            sentence = sentences[max(bisect.bisect_right(starts, quote.cue.start) - 1, 0)]
            addressee = _addressee(article, quote, sentence, frames, mentions, pairs)
        out.append(quote if addressee is None else replace(quote, addressee=addressee))
    return out


def _addressee(article, quote, sentence, frames, mentions, pairs) -> Speaker | None:
    """The addressee of one quote in the clause of its cue verb (see :func:`addressees`)."""
    cue = _tokens_in(sentence.tokens, quote.cue.start, quote.cue.end)
    verb = next((t for t in cue if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("V")), None)
    clause = next((c for c in sentence.clauses if verb in c), None) if verb is not None else None
    if clause is None:
        return None
    particle = next((t for t in cue[1:] if t.tag_ == "PTKVZ"), None)
    if particle is None:
        particle = next((t for t in clause[clause.index(verb) + 1:] if t.tag_ == "PTKVZ"), None)
    found = frames.get(particle.lower_ + verb.lemma_) if particle is not None else None
    if found is None:
        found = frames.get(verb.lemma_, frozenset()) if particle is None or particle.lower_ not in ("zu", "an") else frozenset()
    # Reported speech takes the whole sentence as its content, the addressee included ("Er rief die
    # Muslime zum Widerstand auf."): only the speaker is no addressee there.
    blocked = [] if quote.kind == "reported" else [(quote.content.start, quote.content.end)]
    speaker = quote.speaker
    if speaker is not None:
        blocked.append((speaker.start, speaker.end))
    tokens = _tokens_outside(clause, blocked)

    def phrase_at(n: int, contracted: bool = False) -> Speaker | None:
        phrase = _addressee_phrase(tokens, n, mentions, pairs, blocked, contracted)
        return _addressee_span(article, phrase, mentions) if phrase else None

    # 1. "gegenüber X" after any reporting verb ("Gegenüber der Zeitung sagte er, ..."; not
    #    "Intoleranz gegenüber X": a noun before it); "in einem Interview mit X".
    for n, token in enumerate(tokens):
        before = token.doc[token.i - 1] if token.i > 0 else None
        if token.lower_ == "gegenüber" and not (before is not None and before.pos_ == "NOUN" and before.i != verb.i - 1
                                                 and not any(a <= before.idx < b for a, b in blocked)):
            if (found_ := phrase_at(n + 1)) is not None:
                return found_
        if token.lower_ == "mit" and before is not None and before.lemma_ in INTERVIEW_NOUNS:
            if (found_ := phrase_at(n + 1)) is not None:
                return found_
        # "sagte am Sonntag vor Journalisten": "vor" + an audience ("vor dem Treffen" is none).
        if token.lower_ == "vor" and token.tag_ == "APPR" and token.i > verb.i:
            # Only audience nouns: "Klage vor dem Bundesverfassungsgericht" addresses nobody.
            if (found_ := phrase_at(n + 1)) is not None and _audience(found_, named=False):
                return found_
    # 2. "appellierte an die Bürger", "sagte zu den Journalisten", "sagte er zur Zeitung".
    after = [n for n, t in enumerate(tokens) if t.i > verb.i]
    for preposition in ("an", "zu"):
        if preposition in found:
            for n in after:
                token = tokens[n]
                # Only a person, organisation or audience: not "sagte zur Begründung", "zum Abschluss".
                if token.tag_ == "APPR" and token.lower_ == preposition:
                    if (found_ := phrase_at(n + 1)) is not None and _audience(found_):
                        return found_
                if token.tag_ == "APPRART" and preposition == "zu" and token.lower_ in ("zum", "zur"):
                    if (found_ := phrase_at(n, contracted=True)) is not None and _audience(found_):
                        return found_
    if not ({"dat", "acc"} & found):
        return None
    # 3. The passive: its first noun phrase is the addressee ("Ihm wird vorgeworfen", "Klien wurde
    #    vorgeworfen", "Die Männer werden beschuldigt", "Darin wird der König aufgefordert").
    #    The tagger sometimes reads the participle as an infinitive ("vorgeworfen/VVINF").
    if verb.tag_ in ("VVPP", "VVINF") and any(t.lemma_ == "werden" and t.tag_.endswith("FIN") for t in clause):
        for n, token in enumerate(tokens):
            if token.i > verb.i:
                break
            if _opens_object(token, tokens, n, mentions, any_case=True):
                if (found_ := phrase_at(n)) is not None:
                    return found_
        return None
    # 4. An object in the middle field ("sagte der Zeitung", "warf dem Minister vor", "sagte
    #    Reportern", "forderte die Regierung auf"), or in the prefield when the speaker follows the
    #    verb ("Der Politik schlug er vor").
    prefield = [n for n, t in enumerate(tokens) if t.i < verb.i]
    places = after + (prefield[:1] if speaker is not None and speaker.start > verb.idx else [])
    for n in places:
        token = tokens[n]
        if "dat" in found and _opens_object(token, tokens, n, mentions, dative=True, named=speaker is not None):
            if (found_ := phrase_at(n)) is not None:
                return found_
        if "acc" in found and _opens_object(token, tokens, n, mentions, dative=False, named=speaker is not None):
            if (found_ := phrase_at(n)) is not None:
                return found_
    return None


#: Adverbs the tagger may read as nouns at a sentence start ("Darin wird der König aufgefordert").
PRONOMINAL_ADVERBS = {"darin", "dabei", "damit", "dazu", "darauf", "daraufhin", "darüber", "hierzu", "hierbei", "daher",
                      "deshalb", "dort", "hier", "dann", "zudem", "außerdem"}
#: Nouns of a conversation: "in einem Interview mit der Zeitung", "im Gespräch mit dem Sender".
INTERVIEW_NOUNS = {"Interview", "Gespräch", "Telefonat", "Telefongespräch", "Fernsehinterview", "Zeitungsinterview",
                   "Radiointerview", "Pressekonferenz"}


def _token_start(token) -> int:
    return token.idx


def _tokens_in(tokens, start: int, end: int) -> list:
    """The tokens starting in [start, end) (``[t for t in tokens if start <= t.idx < end]``); ``tokens`` in text order."""
    out = []
    for t in tokens[bisect.bisect_left(tokens, start, key=_token_start):]:
        if t.idx >= end:
            break
        out.append(t)
    return out


def _tokens_outside(tokens, blocked: list[tuple[int, int]]) -> list:
    """The tokens starting in none of the spans ``blocked`` (``[t for t in tokens if not any(a <= t.idx < b ...)]``)."""
    out = []
    for t in tokens:
        idx = t.idx
        for a, b in blocked:
            if a <= idx < b:
                break
        else:
            out.append(t)
    return out


def _audience(addressee: Speaker, named: bool = True) -> bool:
    """True for an addressee naming people: an entity, a role noun (``named``), or an audience
    noun (``resources/quotes/audiences.tsv``: "Journalisten", "Presse", "Sender", ...)."""
    if named and (addressee.entity is not None or _person_noun(addressee.text)):
        return True
    words = [w.lower() for w in addressee.text.split() if w[:1].isupper()]
    return any(w.endswith(_audience_nouns()) for w in words)


@lru_cache(maxsize=1)
def _audience_nouns() -> tuple[str, ...]:
    return tuple(sorted(noun for noun, _notes in load_rows("quotes/audiences.tsv", 2)))


def _opens_object(token, tokens, n: int, mentions, dative: bool = True, named: bool = True, any_case: bool = False) -> bool:
    """True when ``tokens[n]`` opens a dative (or accusative) object, not after a preposition or as a genitive.

    ``dative``: "dem", "ihm"; "der"/"einer"/"den" unless right after a noun ("der Sprecher der
    Polizei"); a bare plural noun in -n ("sagte Reportern"). Accusative: "den", "die", "ihn", ...
    A PER or ORG name counts for both when the speaker is known elsewhere (``named``: "sagte
    SPIEGEL ONLINE", "warfen Obama vor"). ``any_case``: any of these (the passive).
    """
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and (before.tag_ in ("APPR", "APPRART", "APPO") or before.pos_ == "ADP"):
        return False
    if before is not None and before.text == "(":
        return False  # an apposition in brackets: "Elfriede Kastner (ÖVP)"
    word = token.lower_
    if token.tag_ == "PPER" or token.tag_ == "PRF":
        if token.tag_ == "PRF":
            return False
        case = token.morph.get("Case")
        if any_case:
            return word not in ("es",)
        return ("Dat" in case) if dative else ("Acc" in case or word in ("ihn", "uns", "euch"))
    if word in PRONOMINAL_ADVERBS:
        return False
    genitive = before is not None and before.pos_ in ("NOUN", "PROPN")
    # A name or bare noun right after an article, adjective or noun belongs to that phrase:
    # "ein Sprecher des Auswärtigen Amtes", "die Nachrichtenagentur Kyodo", "einigen Teilnehmern".
    bare = before is None or before.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP")
    mention = mentions.at(token)
    if mention is not None and mention.start == token.idx and (named or any_case):
        return bare
    if token.pos_ == "DET" or token.tag_ in ("PPOSAT", "PDAT", "PIAT", "ART"):
        if any_case:
            return not genitive
        if dative:
            if word in DATIVE:
                return True
            if word in DATIVE_OR_OTHER and not genitive:
                if word == "den":  # "den Vorwurf" is accusative; "den Mitarbeitern" dative plural
                    head = next((t for t in tokens[n + 1:n + 5] if t.pos_ in ("NOUN", "PROPN")), None)
                    return head is not None and head.lower_.endswith("n")
                return True
            return False
        return word in ACCUSATIVE and not genitive
    if token.tag_ in ("NN", "NE") and bare and (any_case or (dative and word.endswith("n"))):
        return True
    return False


def _addressee_phrase(tokens, index: int, mentions, pairs, blocked, contracted: bool = False) -> list:
    """The noun phrase from ``tokens[index]``: articles, adjectives, nouns, a name running on, a short title in marks."""
    phrase = []
    n = index + 1 if contracted else index  # "zum Minister": the contraction carries the article
    if n < len(tokens) and tokens[n].tag_ == "PPER" and not contracted:
        return [tokens[n]]  # "Ihm wird vorgeworfen", "bat ihn"
    while n < len(tokens):
        t = tokens[n]
        if t.is_punct or t.tag_ in ("PPER", "PRF", "PRELS", "KON", "APPR", "VVFIN", "VAFIN", "VMFIN", "PTKVZ"):
            break
        if t.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") and not (t.tag_ in ("ADJA",)):
            break
        if phrase and phrase[-1].pos_ in ("NOUN", "PROPN") and t.pos_ not in ("NOUN", "PROPN") and mentions.at(t) is None:
            break
        phrase.append(t)
        n += 1
    if not phrase or phrase[-1].pos_ not in ("NOUN", "PROPN"):
        return []  # no head noun: "sagte dem bereits" is no phrase
    last = phrase[-1]
    mention = mentions.at(last)
    if mention is not None and mention.end > last.idx + len(last.text):
        # A name the NER marks on from inside the phrase: "der Nachrichtenagentur AFP".
        doc = last.doc
        i = last.i + 1
        while i < len(doc) and doc[i].idx < mention.end:
            phrase.append(doc[i])
            i += 1
    else:
        # A short title in quotation marks right after the noun: "der Zeitung „Die Welt“".
        # Only after a noun of an audience or the press (resources/quotes/audiences.tsv): "warf der Ampel
        # „Chaos mit Ansage“ vor" quotes the reproach.
        pair = next((p for p in pairs if p.open == last.idx + len(last.text) + 1 or p.open == last.idx + len(last.text)), None)
        doc = last.doc
        if pair is not None and not any(a <= pair.open < b for a, b in blocked) \
                and last.text.lower().endswith(_audience_nouns()):
            inner = [t for t in doc[last.i + 1:min(len(doc), last.i + 9)] if t.idx <= pair.close]
            if inner and inner[-1].idx == pair.close and len(inner) <= 7:
                phrase += inner
    return phrase


def _addressee_span(article: Article, phrase, mentions) -> Speaker:
    named = [m for m in (mentions.at(t) for t in phrase) if m is not None]
    best = next((m for m in named if m.kind == "name"), named[0]) if named else None
    start, end = _span_of(article, phrase)
    return _speaker(article, start, end, best)


@stage("quotes", version=2, requires=("sentences", "lemmas", "morph", "entities"), assigns=("quotes",))
def make_quotes(settings: Settings):
    """Direct, indirect, free indirect and reported quotes with cue and speaker (rules + trained tagger)."""
    spec = settings.quote_model
    if spec != "none":
        from pathlib import Path

        from lagebild.errors import ConfigError, Errors
        from lagebild.quotes.tagger import SHIPPED_MODEL, load_model

        path = SHIPPED_MODEL if spec == "shipped" else Path(spec)
        if not (path / "config.cfg").is_file():
            raise ConfigError(Errors.E020.format(
                name="quote_model", reason=f"no quote model at {path}; use 'shipped', 'none' or a folder written by "
                                           "`lagebild train quotes`"))
        load_model(None if spec == "shipped" else spec)  # load once, before the first article

    def quotes(article: Article) -> Article:
        rule = find_quotes(article)
        model = [] if spec == "none" else model_quotes(article, None if spec == "shipped" else spec, rule)
        article.quotes = combine(rule, model, article)
        article.quotes = sorted(article.quotes + reported_quotes(article, article.quotes), key=lambda q: q.content.start)
        article.quotes = sorted(article.quotes + evidential_quotes(article, article.quotes), key=lambda q: q.content.start)
        article.quotes = sorted(article.quotes + relative_quotes(article, article.quotes), key=lambda q: q.content.start)
        article.quotes = sorted(article.quotes + standalone_quotations(article, article.quotes),
                                key=lambda q: q.content.start)
        article.quotes = addressees(article, article.quotes)
        return article

    return quotes
