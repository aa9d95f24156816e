"""The quote tagger: one label per token (:mod:`lagebild.quotes.labels`) from the shipped weights.

The model (``models/quotes_de``) is a spaCy pipeline with one ``tagger`` whose own small CNN
reads the word, its lemma, its UPOS and its features (mood, quotation and cue flags). It runs
on a throw-away ``Doc`` built from the article's tokens (:func:`feature_doc`), so the article's
STTS tags stay as the morphology stage set them, and only on *candidate stretches*: sentences
with a quotation mark, a cue lemma or a Konjunktiv verb that hold no quote the rules found
already (:func:`candidate_sentences`). Text without any of these holds hardly a quote the model
could find (measured on SpkAtt: adding colons or a sentence of context either side found no
more), and skipping it keeps the stage fast. For the same reason the stage does not run spaCy's
forward pass: :func:`feature_arrays` builds the input as arrays and :func:`_forward` computes the
scores from the weights directly (the same operations, tested against thinc's); a model of
another architecture falls back to spaCy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild._fastnet import _Embeddings, _layer
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

    table = _table(doc)
    if not len(table.idx):
        return []
    idx = table.idx
    inside = numpy.zeros(len(idx), dtype=bool)
    if pairs:
        # Pairs never nest inside one another (quotation_pairs skips over a pair's inside).
        opens = numpy.array(sorted((p.open, p.close) for p in pairs), dtype="int64")
        k = numpy.searchsorted(opens[:, 0], idx, side="left") - 1
        safe = numpy.maximum(k, 0)
        inside = (k >= 0) & (opens[safe, 0] < idx) & (idx < opens[safe, 1])
    names = ("", "Cue=Yes", "Quote=In", "Quote=In|Cue=Yes")
    flags = [names[n] for n in (inside.astype(int) * 2 + table.cue.astype(int)).tolist()]
    table.flags, table.inside = flags, inside  # their "Cue=Yes" is table.cue, "Quote=In" inside: the helpers below read those
    return flags


class _Table:
    """Per-token arrays of one Doc that the tagger's helpers share (see :func:`_table`)."""

    __slots__ = ("doc", "array", "idx", "orth", "cue", "mark", "konj", "clause_break", "sents", "space", "flags",
                 "inside")


#: The Doc of the last :func:`_table` call and its arrays.
_TABLE: list = [None]
#: The columns of :func:`doc_array`, in this order.
ARRAY_COLUMNS = ("IDX", "ORTH", "LEMMA", "LOWER", "TAG", "MORPH", "SENT_START", "IS_SPACE", "POS")
#: (Doc, array) of the last :func:`doc_array` call.
_ARRAY: list = [None]


def doc_array(doc):
    """``doc.to_array(ARRAY_COLUMNS)``, kept for the last Doc: the quote rules and the tagger read the same array."""
    last = _ARRAY[0]
    if last is None or last[0] is not doc:
        last = _ARRAY[0] = (doc, doc.to_array(list(ARRAY_COLUMNS)))
    return last[1]


def _table(doc) -> _Table:
    """Offsets, cue words, quotation marks, Konjunktiv finite verbs and clause breaks of ``doc`` as arrays.

    Read from one ``Doc.to_array`` call; a Token object per word costs more. String ids are 64-bit
    hashes compared in numpy (sorted id arrays and ``searchsorted``); the mood of a finite verb is
    looked up once per morphological analysis. Kept for the last Doc: one stage call asks several times.
    """
    import numpy

    last = _TABLE[0]
    if last is not None and last.doc is doc:
        return last
    array = doc_array(doc)
    table = _Table()
    table.doc = doc
    table.array = array  # columns ORTH, LEMMA, POS, MORPH at 1, 2, 8, 5 (see feature_arrays)
    table.idx = array[:, 0].astype("int64") if len(array) else numpy.zeros(0, dtype="int64")
    table.orth = array[:, 1] if len(array) else numpy.zeros(0, dtype="uint64")
    table.sents = table.flags = None
    if not len(array):
        table.cue = table.mark = table.konj = table.clause_break = table.space = numpy.zeros(0, dtype=bool)
        _TABLE[0] = table
        return table
    if "sents" not in getattr(doc, "user_hooks", ("sents",)):  # a Span: ask it
        # Doc.sents: a sentence starts at token 0 and at every token with sent_start 1 (-1 is
        # "not a start", 0 "unset"); without any boundary Doc.sents raises, so the Doc is asked then.
        marks = array[1:, 6]
        if len(array) == 1 or (marks != 0).any():
            starts = [0, *(numpy.flatnonzero(marks == 1) + 1).tolist()]
            table.sents = list(zip(starts, starts[1:] + [len(array)]))
    table.space = array[:, 7].astype(bool)
    table.cue = _member(array[:, 2], _cue_array()) | _member(array[:, 3], _cue_array())
    table.mark = _member(array[:, 1], _mark_ids())
    table.clause_break = _member(array[:, 1], _break_ids())
    finite = _finite_tags(doc.vocab.strings, array[:, 4])
    konj = numpy.zeros(len(array), dtype=bool)
    verbs = numpy.flatnonzero(finite)
    for i, morph in zip(verbs.tolist(), array[verbs, 5].tolist()):
        mood = _MOOD.get(morph)
        if mood is None:
            mood = _MOOD[morph] = _mood_of(doc[i]) in MOODS
        konj[i] = mood
    table.konj = konj
    _TABLE[0] = table
    return table


#: Tag id -> finite verb; morphology key -> Konjunktiv I or II (see :func:`_table`).
_FINITE: dict[int, bool] = {}
_MOOD: dict[int, bool] = {}
#: :data:`_FINITE` as a sorted array of tag ids and their flags, for :func:`_finite_tags`.
_FINITE_ARRAYS: list = [None, None]


def _finite_tags(strings, tags):
    """Per tag id in ``tags``: a finite verb's tag (``...FIN``), looked up in sorted arrays of the tags seen so far."""
    import numpy

    ids, finite = _FINITE_ARRAYS
    if ids is None or not _member(tags, ids).all():
        for tag in set(tags.tolist()) - _FINITE.keys():
            _FINITE[tag] = strings[tag].endswith("FIN")
        ids = numpy.array(sorted(_FINITE), dtype="uint64")
        finite = numpy.array([_FINITE[tag] for tag in ids.tolist()], dtype=bool)
        _FINITE_ARRAYS[:] = [ids, finite]
    return finite[numpy.searchsorted(ids, tags)]


def sentence_bounds(doc) -> list[tuple[int, int]]:
    """Token ranges (start, end) of ``doc``'s sentences, as ``doc.sents`` gives them, without Span objects."""
    table = _table(doc) if len(doc) else None
    if table is not None and table.sents is not None:
        return table.sents
    return [(s.start, s.end) for s in doc.sents]


def _mood_of(token) -> str | None:
    from lagebild.linguistic.annotate import mood_label

    return mood_label(token)


def _member(values, ids):
    """``values`` in the sorted array ``ids`` (like ``numpy.isin``, without sorting both)."""
    import numpy

    if not len(ids):
        return numpy.zeros(len(values), dtype=bool)
    position = numpy.minimum(numpy.searchsorted(ids, values), len(ids) - 1)
    return ids[position] == values


@lru_cache(maxsize=1)
def _break_ids():
    import numpy
    from spacy.strings import get_string_id

    return numpy.array(sorted(get_string_id(m) % 2**64 for m in (",", ":", ";")), dtype="uint64")


@lru_cache(maxsize=1)
def _cue_ids() -> frozenset[int]:
    """The string ids of :func:`cue_words`, as ``Doc.to_array`` gives them (unsigned 64 bit)."""
    from spacy.strings import get_string_id

    return frozenset(get_string_id(w) % 2**64 for w in cue_words())


@lru_cache(maxsize=1)
def _cue_array():
    """:func:`_cue_ids` as a sorted numpy array, built once."""
    import numpy

    return numpy.array(sorted(_cue_ids()), dtype="uint64")


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
    out = [""] * len(doc)
    if not len(doc):
        return out
    base = doc[0].i  # ``doc`` may be a Span of the article's Doc; ``flags`` are relative to it
    table = _table(doc.doc if hasattr(doc, "doc") and doc.doc is not doc else doc)
    konj_all, mark_all, break_all = table.konj.tolist(), table.mark.tolist(), table.clause_break.tolist()
    cue_all = table.cue.tolist() if flags is table.flags and doc is table.doc else None  # see token_flags
    previous = ""
    sentences = sentence_bounds(doc) if doc is table.doc else [(s.start, s.end) for s in doc.sents]
    wanted = None
    if ranges is not None:
        wanted = [False] * len(sentences)
        for number, (first, last) in enumerate(sentences):
            start, end = first - base, last - base
            if any(a < end and start < b for a, b in ranges):
                wanted[number] = True
                if number:
                    wanted[number - 1] = True  # its "here" is this sentence's "previous"
    for number, (first, last) in enumerate(sentences):
        if wanted is not None and not wanted[number]:
            previous = ""  # not read for a token in a range: a sentence in one follows a wanted one
            continue
        konj = konj_all[first:last]
        if cue_all is None:
            cue = [f.endswith("Cue=Yes") for f in flags[first - base:last - base]]
        else:
            cue = cue_all[first:last]
        here = ("k" if any(konj) else "-") + ("c" if any(cue) else "-") + ("q" if any(mark_all[first:last]) else "-")
        first_cue = next((n for n, c in enumerate(cue) if c), None)
        clause_start = 0
        length = last - first
        for n in range(length + 1):
            if n == length or break_all[first + n]:
                clause = "k" if any(konj[clause_start:n]) else "-"
                for m in range(clause_start, min(n + 1, length)):
                    side = "0" if first_cue is None else ("<" if m < first_cue else ">" if m > first_cue else "=")
                    out[first + m - base] = f"{here}{previous}{clause}{side}"
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


#: The columns spaCy's feature extractor reads for the tagger (``training/quotes/config.cfg``).
COLUMNS = ("NORM", "SUFFIX", "LEMMA", "POS", "MORPH", "DEP")


def feature_arrays(vocab, doc, flags: list[str], context: list[str], ranges: list[tuple[int, int]]) -> list:
    """The tagger's input for each token range of ``doc``, without building a :func:`feature_doc`.

    One ``uint64`` row per token with the columns :data:`COLUMNS` hold, the same values that
    ``feature_doc(...).to_array(COLUMNS)`` gives (``tests/quotes/test_tagger.py`` checks it):
    NORM and SUFFIX of the word in the tagger's vocab, the lemma (the word when it has none),
    the UPOS (``X`` when none), the morphology with the flag added, the context string's hash.
    Building a Doc per candidate stretch cost more than the tagger's own feature extraction.
    """
    import numpy
    from spacy.attrs import LEMMA, MORPH, ORTH, POS
    from spacy.strings import get_string_id

    if not ranges:
        return []
    # All ranges in one go: the token indices laid end to end, each column computed over them.
    chosen = numpy.concatenate([numpy.arange(start, end) for start, end in ranges])
    table = _table(doc)
    base = table.array[chosen][:, [1, 2, 8, 5]] if table.doc is doc else doc.to_array([ORTH, LEMMA, POS, MORPH])[chosen]
    strings, morphology = doc.vocab.strings, vocab.morphology
    rows = numpy.empty((len(chosen), len(COLUMNS)), dtype="uint64")
    rows[:, 0:2] = _lexemes(vocab).norm_suffix(base[:, 0].tolist(), strings)
    rows[:, 2] = numpy.where(base[:, 1] != 0, base[:, 1], base[:, 0])
    rows[:, 3] = numpy.where(base[:, 2] != 0, base[:, 2], numpy.uint64(_pos_x()))
    rows[:, 4] = base[:, 3]
    indices = chosen.tolist()
    if table.doc is doc and flags is table.flags:  # flagged: a cue word or inside quotation marks (token_flags)
        flagged = numpy.flatnonzero((table.cue | table.inside)[chosen]).tolist()
    else:
        flagged = [n for n, i in enumerate(indices) if flags[i]]
    for n, morph in zip(flagged, base[flagged, 3].tolist()):
        flag = flags[indices[n]]
        key = (morph, flag)
        merged = _MORPHS.get(key)
        if merged is None:
            text = strings[morph] if morph else ""
            merged = _MORPHS[key] = morphology.add("|".join(x_ for x_ in (text, flag) if x_ and x_ != "_"))
        rows[n, 4] = merged
    ids = _CONTEXT_IDS
    new = [text for text in set(context[i] for i in indices) if text not in ids]
    for text in new:
        ids[text] = len(_CONTEXT_HASHES)
        _CONTEXT_HASHES.append(get_string_id(text) % 2**64)
    if new or _CONTEXT_ARRAY[0] is None:
        _CONTEXT_ARRAY[0] = numpy.array(_CONTEXT_HASHES, dtype="uint64")
    rows[:, 5] = _CONTEXT_ARRAY[0][[ids[context[i]] for i in indices]]
    out, position = [], 0
    for start, end in ranges:
        out.append(rows[position:position + end - start])
        position += end - start
    return out


#: (article morphology key, flags) -> key of the merged analysis in the tagger's vocab.
_MORPHS: dict[tuple[int, str], int] = {}
#: Context string (:func:`context_features`) -> its position in _CONTEXT_HASHES, its string id
#: (and in _CONTEXT_ARRAY, the same as a numpy array).
_CONTEXT_IDS: dict[str, int] = {}
_CONTEXT_HASHES: list[int] = []
_CONTEXT_ARRAY: list = [None]
#: Per tagger vocab: word id -> (NORM, SUFFIX) of its lexeme, kept across articles; at most
#: :data:`MAX_LEXEMES` words (then it starts afresh; about 10 MB).
_LEXEMES: list = []
MAX_LEXEMES = 100_000


class _Lexemes:
    """NORM and SUFFIX of words in a tagger vocab, by the word's id in the article's vocab (see :func:`_lexemes`)."""

    def __init__(self, vocab):
        import numpy

        self.vocab = vocab
        self.index: dict[int, int] = {}  # word id -> row of self.values
        self.values = numpy.zeros((1024, 2), dtype="uint64")

    def norm_suffix(self, orths: list[int], strings):
        """An (n, 2) array: NORM and SUFFIX of the lexeme of each word id in ``orths`` (``strings`` gives its text)."""
        import numpy

        index = self.index
        missing = [orth for orth in set(orths) if orth not in index]
        if missing:
            if len(index) + len(missing) > MAX_LEXEMES:
                index.clear()
                missing = list(set(orths))
            if len(index) + len(missing) > len(self.values):
                grown = numpy.zeros((max(2 * len(self.values), len(index) + len(missing)), 2), dtype="uint64")
                grown[:len(self.values)] = self.values
                self.values = grown
            for orth in missing:
                lexeme = self.vocab[strings[orth]]
                self.values[len(index)] = (lexeme.norm, lexeme.suffix)
                index[orth] = len(index)
        return self.values[[index[orth] for orth in orths]]


def _lexemes(vocab) -> _Lexemes:
    for known in _LEXEMES:
        if known.vocab is vocab:
            return known
    _LEXEMES.append(_Lexemes(vocab))
    return _LEXEMES[-1]


@lru_cache(maxsize=1)
def _pos_x() -> int:
    from spacy.parts_of_speech import IDS

    return IDS["X"]


@lru_cache(maxsize=2)
def load_model(path: str | None = None):
    """The quote tagger pipeline (default: the shipped weights), loaded once per path."""
    import spacy

    return spacy.load(path or SHIPPED_MODEL)


def _hot_tokens(doc, flags: list[str]) -> list[bool]:
    """Per token of ``doc``: a quotation mark, a cue word, or a finite verb in Konjunktiv I or II."""
    import numpy

    if not len(doc):
        return []
    table = _table(doc)
    if flags is table.flags:
        cue = table.cue
    else:
        cue = numpy.array([f.endswith("Cue=Yes") for f in flags], dtype=bool)
    return (table.mark | cue | table.konj).tolist()


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
    sentences = sentence_bounds(doc)
    tokens = _hot_tokens(doc, flags)
    hot = []
    for first, last in sentences:
        hit = any(tokens[first:last])
        if hit and taken:
            final = doc[last - 1]
            start, end = doc[first].idx, final.idx + len(final)  # the sentence's start_char, end_char
            hit = not any(a < end and start < b for a, b in taken)
        hot.append(hit)
    ranges: list[tuple[int, int]] = []
    for n, (first, last) in enumerate(sentences):
        if not any(hot[max(0, n - context):n + context + 1]):
            continue
        if ranges and ranges[-1][1] == first:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
    return ranges


def _after_features(model) -> list | None:
    """The layers of a spaCy tagger model after its feature extractor, or None for another shape.

    ``spacy.Tagger.v2`` over ``spacy.Tok2Vec.v2`` with ``MultiHashEmbed`` is
    chain(chain(chain(extract_features, list2ragged, embed, reduce, ragged2list), encode), softmax);
    :func:`feature_arrays` stands in for ``extract_features``.
    """
    try:
        tok2vec, softmax = model.layers
        embed, encode = tok2vec.layers
        extract, *rest = embed.layers
    except ValueError:
        return None
    if extract.name != "extract_features" or tuple(extract.attrs.get("columns", ())) != COLUMNS:
        return None
    return [*rest, encode, softmax]


class _Plan:
    """The tagger's weights laid out for :func:`_forward` (see :func:`_plan`)."""

    __slots__ = ("ops", "embeds", "reduce", "blocks", "window", "pad", "softmax", "embeddings")


def _plan(model) -> _Plan | None:
    """Weights of a ``spacy.Tagger.v2`` over ``Tok2Vec.v2`` (MultiHashEmbed, MaxoutWindowEncoder), or None.

    Read once per model: the hash embeddings in column order, the maxout + layer norm that mixes
    them, the encoder's residual maxout + layer norm blocks with their window and padding, and the
    output layer. Anything of another shape gives None (spaCy's own forward pass is used).
    """
    cached = _PLANS.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    plan = None
    try:
        nodes = list(model.walk(order="dfs_pre"))
        names = [n.name for n in nodes]
        embeds = [n for n in nodes if n.name == "hashembed"]
        maxouts = [n for n in nodes if n.name == "maxout"]
        norms = [n for n in nodes if n.name == "layernorm"]
        windows = [n for n in nodes if n.name == "expand_window"]
        softmax = [n for n in nodes if n.name == "softmax"]
        padded = [n for n in nodes if n.name.startswith("with_array") and n.attrs.get("pad")]
        if (len(embeds) == len(COLUMNS) and len(maxouts) == len(norms) == len(windows) + 1 and len(softmax) == 1
                and len(padded) == 1 and sum(1 for n in names if n.startswith("residual(") and ">>residual(" not in n) == len(windows) and not softmax[0].attrs.get("softmax_normalize")
                and len({w.attrs["window_size"] for w in windows}) == 1):
            plan = _Plan()
            plan.ops = model.ops
            plan.embeds = [(e.attrs["column"], e.attrs["seed"], e.get_param("E")) for e in embeds]
            if [column for column, _, _ in plan.embeds] != list(range(len(COLUMNS))):
                raise ValueError("embedding columns out of order")
            # Each token's embeddings (the sum of the rows its hashes pick, per column, thinc's
            # gather_add) kept across articles by its feature values: one look-up per token.
            plan.embeddings = _Embeddings(model.ops, [(seed, table) for _column, seed, table in plan.embeds])
            # W as one (nO * nP, nI) matrix and b as one row, made once (lagebild._fastnet._layer)
            layers = [_layer(m, n) for m, n in zip(maxouts, norms)]
            plan.reduce, plan.blocks = layers[0], layers[1:]
            plan.window = windows[0].attrs["window_size"]
            plan.pad = padded[0].attrs["pad"]
            plan.softmax = (softmax[0].get_param("W"), softmax[0].get_param("b"))
    except (KeyError, ValueError, AttributeError):
        plan = None
    _PLANS[id(model)] = (model, plan)
    return plan


_PLANS: dict[int, tuple] = {}
def _maxout_norm(ops, X, layer):
    """Maxout then layer norm, as thinc computes them (``Maxout(normalize=True)``).

    The same numpy operations in the same order as thinc's (``tests/quotes/test_tagger.py``
    compares the bits), writing into the arrays made by the first steps instead of new ones.
    """
    W, b, nO, nP, G, shift = layer
    # numpy's matrix product: on the small matrices of one article about three times as fast as
    # thinc's blis gemm, with the same result up to float32 rounding.
    import numpy

    Y = X @ W.reshape(nO * nP, W.shape[-1]).T
    Y += b.reshape(nO * nP)
    # The largest piece, the first on a tie, as thinc's maxout (without the argmax it also returns).
    pieces = Y.reshape(Y.shape[0], nO, nP)
    if nP == 1:
        best = numpy.ascontiguousarray(pieces[:, :, 0])  # the sums below run over rows in memory order
    else:
        best = numpy.maximum(pieces[:, :, 0], pieces[:, :, 1])
        for piece in range(2, nP):
            numpy.maximum(best, pieces[:, :, piece], out=best)
    # best.mean() and best.var() step by step, with the same calls numpy makes inside them
    # (sum, then true_divide by the count as numpy.intp), without var() computing the mean and
    # the deviations (best - mu) a second time; then (best - mu) * var ** -0.5 * G + shift.
    count = numpy.intp(nO)
    mu = numpy.add.reduce(best, axis=1, keepdims=True)
    numpy.true_divide(mu, count, out=mu, casting="unsafe")
    deviation = numpy.subtract(best, mu, out=best)
    var = numpy.add.reduce(numpy.square(deviation), axis=1, keepdims=True)
    numpy.true_divide(var, count, out=var, casting="unsafe")
    var += 1e-08
    out = numpy.multiply(deviation, var ** (-1.0 / 2.0), out=deviation)
    numpy.multiply(out, G, out=out)
    out += shift
    return out


def _forward(plan: _Plan, arrays: list) -> list:
    """The tagger's scores for feature arrays, thinc's computation without its per-layer dispatch.

    Per call, thinc's layers cost about half a millisecond before any arithmetic, as much as the
    arithmetic of an article's candidate sentences; the steps here are the same operations on
    the same weights (``tests/quotes/test_tagger.py`` compares the scores).
    """
    import numpy

    ops = plan.ops
    lengths = [len(a) for a in arrays]
    ids = numpy.concatenate(arrays) if len(arrays) > 1 else arrays[0]
    X = _maxout_norm(ops, plan.embeddings(ids), plan.reduce)
    # The encoder runs over the sequences laid end to end with ``pad`` zero rows around each, as
    # thinc's with_array does; padding rows are computed too, and the windows see them.
    pad = plan.pad
    pieces, start = [], 0
    zeros = numpy.zeros((pad, X.shape[1]), dtype=X.dtype)
    for length in lengths:
        pieces += [zeros, X[start:start + length]]
        start += length
    pieces.append(zeros)
    flat = numpy.concatenate(pieces)
    for block in plan.blocks:
        flat = flat + _maxout_norm(ops, ops.seq2col(flat, plan.window), block)
    W, b = plan.softmax
    out, position = [], pad
    for length in lengths:
        rows = flat[position:position + length]
        scores = rows @ W.T
        scores += b
        out.append(scores)
        position += length + pad
    return out


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
    import numpy

    layers = _after_features(tagger.model)
    if layers is None:  # a model of another shape: let spaCy extract the features from feature docs
        scores = tagger.model.predict([feature_doc(nlp.vocab, doc[start:end], flags[start:end], context=context[start:end])
                                       for start, end in ranges])
    else:
        scores = feature_arrays(nlp.vocab, doc, flags, context, ranges)
        plan = _plan(tagger.model)
        if plan is not None:
            scores = _forward(plan, scores)
        else:
            for layer in layers:
                scores = layer.predict(scores)
    message = _message_labels(tuple(labels))
    outside = labels.index("O")
    # The ranges' rows laid end to end: every step below works row by row, so each row comes out
    # as it would alone, with one numpy call per step instead of one per range.
    rows = numpy.concatenate([numpy.asarray(r, dtype="float32") for r in scores])
    probs = numpy.exp(rows - rows.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    best = probs.argmax(axis=1)
    # Lean towards messages: an "O" whose message labels together reach MESSAGE_SHARE becomes
    # its best message label (the tagger misses more than it invents).
    lean = (best == outside) & (probs[:, message].sum(axis=1) >= MESSAGE_SHARE)
    best = numpy.where(lean, numpy.where(message, probs, -1).argmax(axis=1), best)
    chosen = [labels[k] for k in best.tolist()]
    position = 0
    for start, end in ranges:
        out[start:end] = chosen[position:position + end - start]
        position += end - start
    return out


@lru_cache(maxsize=4)
def _message_labels(labels: tuple[str, ...]):
    """Per label: a message label (``B-...``, ``I-...``)."""
    import numpy

    return numpy.array([label[:2] in ("B-", "I-") for label in labels])


__all__ = ["LABELS", "SHIPPED_MODEL", "candidate_sentences", "feature_arrays", "feature_doc", "load_model", "predict_labels",
           "token_flags"]
