"""Stage ``tokens``: German tokens with offsets (spaCy's tokenizer) and sentence segmentation.

Tokens come from spaCy's rule-based German tokenizer, extended with the abbreviations in
``resources/abbreviations.txt`` as special cases ("Ca.", "Abg.", "Mio."). The spaCy ``Doc`` is
kept on :attr:`Article.doc` for later stages; the JSON output has the sentences.

Sentence boundaries (:func:`sentence_starts`) never cross a paragraph. Inside one, a sentence ends
after ``.``, ``!``, ``?`` or ``…`` (with any closing quotation marks or brackets after it) when
the next token can start a sentence. It does not end:

* after an abbreviation or an ordinal ("am 27. November", "die 3. Liga"): spaCy keeps these as
  one token with the period, so there is no separate period token to split at;
* before a lower-case word ("Er sagte, die Lage sei ernst. und" is rare; "ca. 100" is kept);
* after a colon, even before a quotation ("Er sagte: „Wir kommen.“" is one sentence).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy

from lagebild.model import Article, Sentence
from lagebild.pipeline import stage
from lagebild.resources import load_lines
from lagebild.settings import Settings



@lru_cache(maxsize=1)
def german_nlp():
    """A blank German spaCy pipeline whose tokenizer knows lagebild's abbreviations."""
    import spacy
    from spacy.symbols import ORTH

    nlp = spacy.blank("de")
    for abbreviation in load_lines("abbreviations.txt"):
        for form in {abbreviation, abbreviation[:1].upper() + abbreviation[1:]}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    return nlp


_BOUNDARY = re.compile(r"(?:\.{3}|[.!?…])+[“”\"«»'’‘›‹)\]]*\s+(?=[A-ZÄÖÜ0-9„“\"»«‚'(–`-])")


def sentence_starts(doc, paragraph_starts: set[int], text: str | None = None) -> list[int]:
    """Token indices at which sentences begin (see the module docstring for the rules).

    Candidate boundaries are found in the text with one regular expression; a candidate counts
    only where the punctuation is a token of its own, so abbreviations and ordinals that spaCy
    keeps together with their period ("Dr.", "27.") never end a sentence.
    """
    if not len(doc):
        return []
    offsets = doc.to_array("IDX")
    starts = {int(numpy.searchsorted(offsets, p)) for p in paragraph_starts}
    text = doc.text if text is None else text  # Doc.text walks every token: pass it when known
    for match in _BOUNDARY.finditer(text):
        punct = int(numpy.searchsorted(offsets, match.start(), side="right")) - 1
        token = doc[punct]
        if token.idx != match.start() or not token.is_punct:
            continue
        starts.add(int(numpy.searchsorted(offsets, match.end())))
    starts.add(0)
    result = []
    for i in sorted(starts):
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i < len(doc) and (not result or result[-1] != i):
            result.append(i)
    return result


@stage("tokens", version=1, requires=("text", "paragraphs"), assigns=("tokens", "sentences"))
def make_tokens(settings: Settings):
    """Tokenise the clean text and split it into sentences."""
    from spacy.attrs import SENT_START

    nlp = german_nlp()

    def tokens(article: Article) -> Article:
        doc = nlp.make_doc(article.text)
        starts = set(p.start for p in article.paragraphs)
        begin = sentence_starts(doc, starts, article.text)
        sentences: list[Sentence] = []
        for number, first in enumerate(begin):
            last = (begin[number + 1] if number + 1 < len(begin) else len(doc)) - 1
            while last > first and doc[last].is_space:
                last -= 1
            sentences.append(Sentence(doc[first].idx, doc[last].idx + len(doc[last].text)))
        if len(doc):
            flags = numpy.full((len(doc), 1), numpy.iinfo(numpy.uint64).max, dtype="uint64")  # -1: not a start
            flags[begin, 0] = 1
            doc.from_array([SENT_START], flags)
        article.doc = doc
        article.sentences = sentences
        return article

    return tokens
