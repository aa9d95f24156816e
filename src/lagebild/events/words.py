"""Plain Python copies of a spaCy Doc's tokens, for the ``events`` stage's many look-ups.

The coder reads ``text``, ``lower_``, ``lemma_``, ``pos_`` and ``tag_`` of every token many times
over; a spaCy ``Token`` builds a new object on every ``doc[i]`` and a new string on every
attribute read (``token.text`` about 170 ns, ``token.morph.get(...)`` about 1.5 µs). :func:`words_of`
reads them all at once from one ``Doc.to_array`` call (the one the quotes stage made) into
:class:`Word` objects with the same attribute names, so the stage's code works on either (tests build
spaCy Docs by hand).
"""

from __future__ import annotations

from lagebild.quotes.tagger import ARRAY_COLUMNS, doc_array

if ARRAY_COLUMNS != ("IDX", "ORTH", "LEMMA", "LOWER", "TAG", "MORPH", "SENT_START", "IS_SPACE", "POS"):
    # words_of unpacks the array's columns in this order
    raise ImportError("lagebild.quotes.tagger.ARRAY_COLUMNS changed: update lagebild.events.words.words_of")

#: String id -> string, kept across articles (an id is a hash of its string, the same in every Vocab).
_STRINGS: dict[int, str] = {}
#: Word id -> is punctuation (a lexical attribute: the same for every token of a word).
_PUNCT: dict[int, bool] = {}
#: Morphological analysis id -> its features (the same analysis in every article).
_MORPHS: dict[int, "Morph"] = {}
_NOT_START = 2 ** 64 - 1  # SENT_START -1 as an unsigned array value


class Morph:
    """A token's morphological features with ``get`` answered once per field."""

    __slots__ = ("_analysis", "_fields")

    def __init__(self, analysis):
        self._analysis = analysis
        self._fields: dict[str, list[str]] = {}

    def get(self, field: str) -> list[str]:
        found = self._fields.get(field)
        if found is None:
            found = self._fields[field] = self._analysis.get(field)
        return found


class Word:
    """One token: the attributes of a spaCy ``Token`` the coder reads, as plain values."""

    __slots__ = ("text", "lower_", "lemma_", "pos_", "tag_", "idx", "i", "is_punct", "is_space", "is_sent_start",
                 "doc", "_morph")

    @property
    def morph(self) -> Morph:
        found = _MORPHS.get(self._morph)
        if found is None:
            found = _MORPHS[self._morph] = Morph(self.doc.spacy[self.i].morph)
        return found

    @property
    def sent(self):
        return self.doc.spacy[self.i].sent

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return self.text


class Words(list):
    """A Doc's tokens as :class:`Word` objects (a list: ``words[i]`` costs no Python call), with the
    Doc's ``text``, ``sents`` and ``char_span``. Slices are lists of Words, not spaCy Spans."""

    __slots__ = ("spacy", "text", "_spans")

    def __init__(self, doc, text: str | None = None):
        super().__init__()
        self.spacy = doc
        self.text = doc.text if text is None else text  # (spaCy joins the tokens' texts on every ``doc.text``)
        self._spans: dict = {}

    @property
    def tokens(self) -> "Words":
        return self

    @property
    def sents(self):
        return self.spacy.sents

    def release(self) -> None:
        """Drop the words and cached spans (each word refers back to this list: a reference cycle)."""
        self.clear()
        self._spans.clear()

    def char_span(self, start: int, end: int, **options):
        """``Doc.char_span``, kept per arguments: the coder asks for each entity's span several times."""
        key = (start, end, tuple(sorted(options.items())))
        if key not in self._spans:
            self._spans[key] = self.spacy.char_span(start, end, **options)
        return self._spans[key]


def words_of(doc, text: str | None = None) -> Words:
    """The tokens of a spaCy Doc as :class:`Words` (one ``to_array`` call, strings looked up once);
    ``text``: the Doc's text when the caller has it (the article's)."""
    out = Words(doc, text)
    strings, known, punct = doc.vocab.strings, _STRINGS, _PUNCT
    append = out.append
    new = object.__new__
    # (the array's columns: IDX, ORTH, LEMMA, LOWER, TAG, MORPH, SENT_START, IS_SPACE, POS)
    for i, (idx, orth, lemma, lower, tag, morph, start, space, pos) in enumerate(doc_array(doc).tolist()):
        word = new(Word)
        try:
            word.text, word.lower_, word.lemma_, word.pos_, word.tag_ = known[orth], known[lower], known[lemma], known[pos], known[tag]
            word.is_punct = punct[orth]
        except KeyError:
            for key in (orth, lower, lemma, pos, tag):
                if key not in known:
                    known[key] = strings[key]
            punct[orth] = doc.vocab[orth].is_punct
            word.text, word.lower_, word.lemma_, word.pos_, word.tag_ = known[orth], known[lower], known[lemma], known[pos], known[tag]
            word.is_punct = punct[orth]
        word.idx, word.i, word.is_space = idx, i, space == 1
        # spaCy's Token.is_sent_start: True for the first token, else None when unknown
        word.is_sent_start = True if (i == 0 or start == 1) else (False if start == _NOT_START else None)
        word.doc, word._morph = out, morph
        append(word)
    return out
