"""The quote tagger: one label per token (:mod:`lagebild.quotes.labels`) from the shipped weights.

The model (``models/quotes_de``) is a spaCy pipeline with one ``tagger`` whose own small CNN
reads the word, its lemma, its UPOS and its features (mood, quotation and cue flags). It runs
on a throw-away ``Doc`` built from the article's tokens (:func:`feature_doc`), so the article's
STTS tags stay as the morphology stage set them, and only on *candidate stretches*: sentences
with a quotation mark, a cue lemma or a Konjunktiv verb that hold no quote the rules found
already (:func:`candidate_sentences`). Text without any of these holds hardly a quote the model
could find (measured on SpkAtt: adding colons or a sentence of context either side found no
more), and skipping it keeps the stage fast.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild.quotes.labels import LABELS

#: Where the shipped weights live inside the package.
SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "quotes_de"

QUOTE_MARKS = set("„“”\"»«‚‘")
#: Sentences of context either side of a candidate sentence (see :func:`candidate_sentences`).
CONTEXT = 0
#: A token the tagger labels "O" becomes a message token when the message labels together have at
#: least this probability (measured on the tune part: 0.3 gave quote F1 0.653 against 0.631 for
#: plain argmax; the same for cue and source tokens cost quote + speaker F1).
MESSAGE_SHARE = 0.3
#: Finite-verb moods that make a sentence a candidate.
MOODS = ("KI", "KII")


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Lemmas and words that flag a token as a possible cue (``Cue=Yes``)."""
    from lagebild.pipeline.quotes import cues

    table = cues()
    words = set(table["verb"]) | set(table["noun"])
    for frame in table["prep"]:
        words.update(w for w in frame.split() if w not in ("X", "x", "von", "nach", "so", "wie", "der", "des"))
    return frozenset(words)


def token_flags(doc, pairs) -> list[str]:
    """The extra features per token: ``Quote=In`` between balanced marks, ``Cue=Yes`` for cue lemmas."""
    import numpy
    from spacy.attrs import IDX, LEMMA, LOWER

    # Offsets and string ids in one array, compared in numpy: a Token object per word costs more.
    array = doc.to_array([IDX, LEMMA, LOWER])
    if not len(array):
        return []
    ids = numpy.fromiter(_cue_ids(), dtype="uint64")
    cue = numpy.isin(array[:, 1], ids) | numpy.isin(array[:, 2], ids)
    idx = array[:, 0].astype("int64")
    inside = numpy.zeros(len(idx), dtype=bool)
    if pairs:
        # Pairs never nest inside one another (quotation_pairs skips over a pair's inside).
        opens = numpy.array(sorted((p.open, p.close) for p in pairs), dtype="int64")
        k = numpy.searchsorted(opens[:, 0], idx, side="left") - 1
        safe = numpy.maximum(k, 0)
        inside = (k >= 0) & (opens[safe, 0] < idx) & (idx < opens[safe, 1])
    names = ("", "Cue=Yes", "Quote=In", "Quote=In|Cue=Yes")
    return [names[n] for n in (inside.astype(int) * 2 + cue.astype(int)).tolist()]


@lru_cache(maxsize=1)
def _cue_ids() -> frozenset[int]:
    """The string ids of :func:`cue_words`, as ``Doc.to_array`` gives them (unsigned 64 bit)."""
    from spacy.strings import get_string_id

    return frozenset(get_string_id(w) % 2**64 for w in cue_words())


def context_features(doc, flags: list[str], ranges: list[tuple[int, int]] | None = None) -> list[str]:
    """Per token, what its clause, sentence and the sentence before hold, as one feature string.

    The CNN sees a few tokens either side; whether a token stands in a Konjunktiv clause, after a
    cue in its sentence, or in a sentence after one with a cue or Konjunktiv ("Er sagte, ... .
    Assad müsse gehen.") is read off here: ``k`` a Konjunktiv verb, ``c`` a cue word, ``q`` a
    quotation mark; then the clause's ``k`` and whether the token comes before (``<``) or after
    (``>``) the sentence's first cue word. With ``ranges`` (token ranges of ``doc``, as
    :func:`candidate_sentences` gives them) only the tokens inside them get their string, the
    same as without; the sentences between ranges are skipped, but for the one right before a range.
    """
    from lagebild.linguistic.annotate import mood_label

    out = [""] * len(doc)
    if not len(doc):
        return out
    base = doc[0].i  # ``doc`` may be a Span of the article's Doc; ``flags`` are relative to it
    previous = ""
    sentences = list(doc.sents)
    wanted = None
    if ranges is not None:
        wanted = [False] * len(sentences)
        for number, sentence in enumerate(sentences):
            start, end = sentence.start - base, sentence.end - base
            if any(a < end and start < b for a, b in ranges):
                wanted[number] = True
                if number:
                    wanted[number - 1] = True  # its "here" is this sentence's "previous"
    for number, sentence in enumerate(sentences):
        if wanted is not None and not wanted[number]:
            previous = ""  # not read for a token in a range: a sentence in one follows a wanted one
            continue
        tokens = list(sentence)
        konj = [t.tag_.endswith("FIN") and mood_label(t) in ("KI", "KII") for t in tokens]
        cue = [("Cue=Yes" in flags[t.i - base]) for t in tokens]
        mark = any(t.text in QUOTE_MARKS for t in tokens)
        here = ("k" if any(konj) else "-") + ("c" if any(cue) else "-") + ("q" if mark else "-")
        first_cue = next((n for n, c in enumerate(cue) if c), None)
        clause_start = 0
        for n in range(len(tokens) + 1):
            if n == len(tokens) or tokens[n].text in (",", ":", ";"):
                clause = "k" if any(konj[clause_start:n]) else "-"
                for m in range(clause_start, min(n + 1, len(tokens))):
                    side = "0" if first_cue is None else ("<" if m < first_cue else ">" if m > first_cue else "=")
                    out[tokens[m].i - base] = f"{here}{previous}{clause}{side}"
                clause_start = n + 1
        previous = here
    return out


def feature_doc(vocab, doc, flags: list[str], tags: list[str] | None = None, context: list[str] | None = None):
    """A copy of ``doc`` in ``vocab`` carrying the tagger's features (and, for training, labels).

    The context string of :func:`context_features` rides in the ``DEP`` slot, which the throw-away
    copy does not otherwise use.
    """
    from spacy.tokens import Doc

    tokens = list(doc)  # one pass: every ``for t in doc`` builds the Token objects anew
    morphs = []
    for token, flag in zip(tokens, flags):
        morph = str(token.morph)
        morphs.append("|".join(x for x in (morph, flag) if x))
    return Doc(vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens],
               pos=[t.pos_ or "X" for t in tokens], lemmas=[t.lemma_ or t.text for t in tokens],
               morphs=morphs, tags=tags, deps=context if context is not None else context_features(doc, flags))


@lru_cache(maxsize=2)
def load_model(path: str | None = None):
    """The quote tagger pipeline (default: the shipped weights), loaded once per path."""
    import spacy

    return spacy.load(path or SHIPPED_MODEL)


def _hot_tokens(doc, flags: list[str]) -> list[bool]:
    """Per token of ``doc``: a quotation mark, a cue word, or a finite verb in Konjunktiv I or II.

    Read from the tag and orth arrays; only finite verbs are turned into Token objects for their mood.
    """
    from spacy.attrs import ORTH, TAG

    from lagebild.linguistic.annotate import mood_label

    if not len(doc):
        return []
    import numpy

    strings = doc.vocab.strings
    # String ids are 64-bit hashes: compare them in numpy, turning them into Python ints is slow.
    array = doc.to_array([ORTH, TAG])
    tags = numpy.unique(array[:, 1])
    finite = numpy.isin(array[:, 1], [t for t in tags.tolist() if strings[t].endswith("FIN")])
    hot = numpy.isin(array[:, 0], _mark_ids()) | numpy.array(["Cue=Yes" in f for f in flags], dtype=bool)
    for i in numpy.flatnonzero(finite & ~hot).tolist():
        hot[i] = mood_label(doc[i]) in MOODS
    return hot.tolist()


@lru_cache(maxsize=1)
def _mark_ids():
    import numpy
    from spacy.strings import get_string_id

    return numpy.array(sorted(get_string_id(m) % 2**64 for m in QUOTE_MARKS), dtype="uint64")


def candidate_sentences(doc, flags: list[str], context: int = 0,
                        taken: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Token ranges (start, end) of the stretches worth tagging (see the module docstring).

    A sentence is a candidate when it holds a quotation mark, a cue word or a finite verb in
    Konjunktiv I or II, and overlaps none of the character spans ``taken`` (the quotes the rules
    found: a model quote overlapping them would be dropped anyway); ``context`` sentences either
    side of a candidate go with it.
    """
    sentences = list(doc.sents)
    tokens = _hot_tokens(doc, flags)
    hot = []
    for sentence in sentences:
        hit = any(tokens[sentence.start:sentence.end])
        if hit and taken:
            start, end = sentence.start_char, sentence.end_char
            hit = not any(a < end and start < b for a, b in taken)
        hot.append(hit)
    ranges: list[tuple[int, int]] = []
    for n, sentence in enumerate(sentences):
        if not any(hot[max(0, n - context):n + context + 1]):
            continue
        if ranges and ranges[-1][1] == sentence.start:
            ranges[-1] = (ranges[-1][0], sentence.end)
        else:
            ranges.append((sentence.start, sentence.end))
    return ranges


def predict_labels(doc, pairs, model_path: str | None = None, taken: list[tuple[int, int]] = ()) -> list[str]:
    """One label per token of ``doc`` (an article Doc after the morphology stage); ``O`` outside candidates.

    ``taken``: character spans of quotes found already; sentences overlapping them are skipped.
    """
    nlp = load_model(model_path)
    tagger = nlp.get_pipe("tagger")
    labels = list(tagger.labels)
    flags = token_flags(doc, pairs)
    out = ["O"] * len(doc)
    ranges = candidate_sentences(doc, flags, CONTEXT, taken)
    if not ranges:
        return out
    context = context_features(doc, flags, ranges)
    docs = [feature_doc(nlp.vocab, doc[start:end], flags[start:end], context=context[start:end]) for start, end in ranges]
    import numpy

    scores = tagger.model.predict(docs)
    message = numpy.array([label[:2] in ("B-", "I-") for label in labels])
    outside = labels.index("O")
    for (start, _end), rows in zip(ranges, scores):
        rows = numpy.asarray(rows, dtype="float32")
        probs = numpy.exp(rows - rows.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        best = probs.argmax(axis=1)
        # Lean towards messages: an "O" whose message labels together reach MESSAGE_SHARE becomes
        # its best message label (the tagger misses more than it invents).
        lean = (best == outside) & (probs[:, message].sum(axis=1) >= MESSAGE_SHARE)
        best = numpy.where(lean, numpy.where(message, probs, -1).argmax(axis=1), best)
        out[start:start + len(best)] = [labels[k] for k in best.tolist()]
    return out


__all__ = ["LABELS", "SHIPPED_MODEL", "candidate_sentences", "feature_doc", "load_model", "predict_labels", "token_flags"]
