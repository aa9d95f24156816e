"""Forward passes of the shipped tagger and NER without thinc's per-layer dispatch.

The morphology stage's tagger (``models/tagger_de``) and the entities stage's NER
(``models/ner_de``) are spaCy CNNs of one shape: ``spacy.Tok2Vec.v2`` (``MultiHashEmbed`` +
``MaxoutWindowEncoder``) under softmax heads (tagger, morphologizer) or under spaCy's
transition-based NER (``TransitionBasedParser.v2``, greedy). On one article at a time, spaCy
spends more time walking thinc's layers and the NER's state machine than multiplying matrices.
Here the same operations run on the same weights:

* :class:`Tok2Vec`: hash embeddings (each token's embeddings are kept across articles),
  maxout + layer norm, the residual window layers over the padded sequence, exactly as thinc
  computes them (same numpy calls, so the same floats);
* :class:`TaggerHeads`: the tagger's and the morphologizer's output layers and their argmax;
* :class:`GreedyNer`: the NER's lower layer for all tokens at once, the scores of every "no
  entity open" state in one matrix product, and the BILUO moves taken token by token with
  spaCy's validity rules. spaCy multiplies the last layer per step with blis, here numpy
  multiplies it for all tokens: the two can differ in the last bit of a float, so a decision
  whose two best valid scores are closer than :data:`TIE_MARGIN` makes :meth:`GreedyNer.entities`
  return None, and the caller runs spaCy's own NER on that article.

Every class is built from a loaded spaCy model by ``from_...`` and returns None for a model of
another shape (a user's pipeline, another architecture): callers then use spaCy. Tests compare
each fast path with spaCy's own output (``tests/test_fastnet.py``).
"""

from __future__ import annotations

import re

import numpy

#: Tokens after an entity's first token whose scores :class:`GreedyNer` computes in one go.
OPEN_BATCH = 4

#: Layers a :class:`Tok2Vec` knows (thinc/spaCy layer names).
_TOK2VEC_LAYERS = {"extract_features", "list2ragged", "with_array", "ints-getitem", "hashembed", "maxout", "layernorm",
                   "dropout", "ragged2list", "residual", "expand_window"}

#: Two best valid NER scores closer than this: the article goes through spaCy's own NER (see the
#: module docstring). Numpy's and blis's products of 64 numbers differ by about 1e-6 here.
TIE_MARGIN = 1e-3

#: Most tokens (distinct rows of feature values) whose embeddings one :class:`_Embeddings` keeps
#: before it starts afresh: 20,000 rows of 4-5 tables of 64 floats are 20-26 MB.
MAX_ROWS = 20_000


class _Embeddings:
    """The hash embeddings of a token's feature values, kept across articles for tokens seen before."""

    def __init__(self, ops, tables: list):
        self.ops = ops
        self.tables = tables  # (seed, table) per feature column, in column order
        self.index: dict[tuple, int] = {}  # feature values of a token -> row of self.values
        self.values = None

    def __call__(self, features):
        """The concatenated embeddings of every row of ``features``, as thinc's ``HashEmbed`` layers give them.

        A value's embedding is the sum of the table rows its four hashes pick (``gather_add``, row
        by row): computed once per new token with the same calls, it is the same as computed anew.
        """
        keys = list(map(tuple, features.tolist()))
        index = self.index
        missing = [key for key in dict.fromkeys(keys) if key not in index]
        if missing:
            if len(index) + len(missing) > MAX_ROWS:
                index.clear()
                missing = list(dict.fromkeys(keys))
            ops = self.ops
            values = numpy.array(missing, dtype="uint64")
            added = numpy.hstack([ops.gather_add(table, ops.hash(numpy.ascontiguousarray(values[:, column]), seed) % table.shape[0])
                                  for column, (seed, table) in enumerate(self.tables)])
            size = len(index) + len(missing)
            if self.values is None or size > len(self.values):
                grown = numpy.zeros((max(size, min(MAX_ROWS, max(1024, 2 * size))), added.shape[1]), dtype=added.dtype)
                if self.values is not None and index:
                    grown[:len(index)] = self.values[:len(index)]
                self.values = grown
            self.values[len(index):size] = added
            for key in missing:
                index[key] = len(index)
        return self.values[[index[key] for key in keys]]


def _maxout_norm(X, layer):
    """thinc's ``Maxout(normalize=True)``: affine, the largest piece, layer norm."""
    W, b, nO, nP, G, shift = layer
    Y = numpy.dot(X, W.T)  # thinc's NumpyOps(use_blis=False).gemm(X, W, trans2=True)
    Y += b
    pieces = Y.reshape(Y.shape[0], nO, nP)
    best = pieces[:, :, 0]
    for piece in range(1, nP):  # the first piece on a tie, as thinc's maxout
        best = numpy.maximum(best, pieces[:, :, piece])
    best = numpy.ascontiguousarray(best)
    # X.mean() and X.var() as numpy computes them (sum, true_divide by the count), sharing the
    # deviations; then thinc's LayerNorm: (X - mu) * var ** -0.5 * G + b.
    count = numpy.intp(nO)
    mu = numpy.add.reduce(best, axis=1, keepdims=True)
    numpy.true_divide(mu, count, out=mu, casting="unsafe")
    deviation = best - mu
    var = numpy.add.reduce(numpy.square(deviation), axis=1, keepdims=True)
    numpy.true_divide(var, count, out=var, casting="unsafe")
    var += 1e-08
    out = deviation * var ** (-1.0 / 2.0)
    out = out * G
    out += shift
    return out


def _layer(maxout, norm) -> tuple:
    nO, nP = maxout.get_dim("nO"), maxout.get_dim("nP")
    W = maxout.get_param("W")
    return (numpy.ascontiguousarray(W.reshape(nO * nP, W.shape[-1])), maxout.get_param("b").reshape(nO * nP),
            nO, nP, norm.get_param("G"), norm.get_param("b"))


class Tok2Vec:
    """``spacy.Tok2Vec.v2`` with ``MultiHashEmbed`` (no static vectors) and ``MaxoutWindowEncoder``."""

    def __init__(self, ops, columns, embeddings, reduce, blocks, window, pad):
        self.ops = ops
        self.columns, self.embeddings, self.reduce, self.blocks = columns, embeddings, reduce, blocks
        self.window, self.pad = window, pad

    @classmethod
    def from_model(cls, model) -> Tok2Vec | None:
        """The fast pass for a thinc tok2vec model of the shape above on numpy's matrix product, else None."""
        try:
            nodes = list(model.walk(order="dfs_pre"))
            extract = [n for n in nodes if n.name == "extract_features"]
            embeds = [n for n in nodes if n.name == "hashembed"]
            maxouts = [n for n in nodes if n.name == "maxout"]
            norms = [n for n in nodes if n.name == "layernorm"]
            windows = [n for n in nodes if n.name == "expand_window"]
            padded = [n for n in nodes if n.name.startswith("with_array(residual") and n.attrs.get("pad")]
            residuals = [n for n in nodes if n.name.startswith("residual(") and n.name.count("residual(") == 1]
            atoms = {atom for n in nodes for atom in re.split(r">>|\||\(|\)", n.name) if atom}
            if (atoms - _TOK2VEC_LAYERS or len(extract) != 1 or not embeds or len(maxouts) != len(norms)
                    or len(maxouts) != len(windows) + 1 or not windows or len(padded) != 1
                    or len(residuals) != len(windows) or len({w.attrs["window_size"] for w in windows}) != 1
                    or [e.attrs["column"] for e in embeds] != list(range(len(embeds)))
                    or len(extract[0].attrs["columns"]) != len(embeds)):
                return None
            if any(m.get_dim("nO") != maxouts[0].get_dim("nO") for m in maxouts):
                return None
            # thinc multiplies with numpy only on NumpyOps(use_blis=False) (lagebild._spacy.numpy_matmul);
            # with blis the floats would differ in the last bits
            if any(type(n.ops).__name__ != "NumpyOps" or getattr(n.ops, "use_blis", True) for n in nodes):
                return None
        except (KeyError, ValueError, AttributeError):
            return None
        ops = model.ops
        embeddings = _Embeddings(ops, [(e.attrs["seed"], e.get_param("E")) for e in embeds])
        layers = [_layer(m, n) for m, n in zip(maxouts, norms)]
        return cls(ops, list(extract[0].attrs["columns"]), embeddings, layers[0], layers[1:],
                   windows[0].attrs["window_size"], padded[0].attrs["pad"])

    def __call__(self, features):
        """Token vectors (one row per token) for the feature columns of one ``Doc`` (``Doc.to_array(columns)``)."""
        X = _maxout_norm(self.embeddings(features), self.reduce)
        # thinc's with_array(pad=...) lays ``pad`` zero rows before and after the sequence; the
        # padding rows are computed too, and the windows of the edge tokens see them.
        pad = self.pad
        zeros = numpy.zeros((pad, X.shape[1]), dtype=X.dtype)
        flat = numpy.concatenate([zeros, X, zeros])
        window = self.window
        for block in self.blocks:
            flat = flat + _maxout_norm(self.ops.seq2col(flat, window), block)
        return flat[pad:pad + len(X)]


def _softmax_layer(model):
    """(W, b) of the only ``softmax`` layer of a spaCy ``Tagger.v2`` head that does not normalise, else None."""
    layers = [n for n in model.walk() if n.name == "softmax"]
    if len(layers) != 1 or layers[0].attrs.get("softmax_normalize"):
        return None
    names = {n.name for n in model.walk()} - {"softmax", "tok2vec-listener", "with_array(softmax)",
                                               "tok2vec-listener>>with_array(softmax)"}
    if names:
        return None
    return layers[0].get_param("W"), layers[0].get_param("b")


class TaggerHeads:
    """A pipeline ``tok2vec`` + softmax heads listening to it (``models/tagger_de``: tagger, morphologizer)."""

    def __init__(self, tok2vec: Tok2Vec, heads: list):
        self.tok2vec, self.heads = tok2vec, heads
        from spacy.attrs import IDS

        self.column_ids = [IDS[c] if isinstance(c, str) else c for c in tok2vec.columns]

    @classmethod
    def from_nlp(cls, nlp) -> TaggerHeads | None:
        """The fast pass for a pipeline of exactly ``tok2vec`` then tagger-like components, else None."""
        from spacy.pipeline import Morphologizer, Tagger, Tok2Vec as Tok2VecPipe

        pipes = list(nlp.pipeline)
        if len(pipes) < 2 or not isinstance(pipes[0][1], Tok2VecPipe):
            return None
        tok2vec = Tok2Vec.from_model(pipes[0][1].model)
        if tok2vec is None:
            return None
        heads = []
        for _name, proc in pipes[1:]:
            if type(proc) not in (Tagger, Morphologizer):
                return None
            layer = _softmax_layer(proc.model)
            if layer is None:
                return None
            heads.append((proc, layer, _clobbered_columns(proc, nlp.vocab)))
        return cls(tok2vec, heads)

    def __call__(self, doc):
        """Tag ``doc`` (non-empty) as ``nlp``'s components would: same tensor, tags, POS and features."""
        from spacy.attrs import MORPH, POS

        vectors = self.tok2vec(doc.to_array(self.column_ids))
        doc.tensor = vectors
        for proc, (W, b), columns in self.heads:
            scores = numpy.dot(vectors, W.T)  # thinc's affine: gemm(X, W, trans2=True) + b
            scores += b
            guesses = scores.argmax(axis=1)
            if columns is None:
                proc.set_annotations([doc], [guesses])
            else:
                poses, morphs = columns
                doc.from_array([POS, MORPH], numpy.stack([poses[guesses], morphs[guesses]], axis=1))
        return doc


def _clobbered_columns(proc, vocab):
    """(POS, MORPH) per label of a morphologizer that overwrites both (``overwrite``, not ``extend``), else None.

    Such a morphologizer's ``set_annotations`` gives each token its label's POS and features,
    parsing the label's feature string once per token; the values per label are the same for
    every token, so they are worked out once and written as two columns.
    """
    from spacy.pipeline import Morphologizer

    if type(proc) is not Morphologizer or not proc.cfg.get("overwrite") or proc.cfg.get("extend"):
        return None
    labels = proc.labels
    morphs = [vocab.morphology.add(proc.cfg["labels_morph"].get(label, 0)) for label in labels]
    poses = [proc.cfg["labels_pos"].get(label, 0) for label in labels]
    return numpy.array(poses, dtype="uint64"), numpy.array(morphs, dtype="uint64")


#: spaCy's NER move names: B/I/L/U with a label, "U-" (blocked, never valid here) and "O".
_MOVES = {"B": 0, "I": 1, "L": 2, "U": 3, "O": 4}


class GreedyNer:
    """spaCy's greedy transition-based NER (``TransitionBasedParser.v2``, 3 state features, with an upper layer)."""

    def __init__(self, ner, tok2vec, linear, lower, upper, moves, seen):
        self.ner = ner
        self.tok2vec, self.linear, self.lower, self.upper = tok2vec, linear, lower, upper
        self.moves, self.seen = moves, seen
        from spacy.attrs import IDS

        self.column_ids = [IDS[c] if isinstance(c, str) else c for c in tok2vec.columns]

    @classmethod
    def from_pipe(cls, ner) -> GreedyNer | None:
        """The fast pass for a spaCy ``EntityRecognizer`` of the shipped shape, else None."""
        from spacy.pipeline import EntityRecognizer

        try:
            model = ner.model
            if (type(ner) is not EntityRecognizer or ner.cfg.get("beam_width", 1) != 1 or model.name != "parser_model"
                    or not model.attrs.get("has_upper") or len(model.layers) != 3):
                return None
            embed_chain, lower, upper = model.layers
            tok2vec_model, to_array, linear = embed_chain.layers
            if to_array.name != "list2array" or linear.name != "linear" or lower.name != "precomputable_affine":
                return None
            if lower.get_dim("nF") != 3 or upper.name != "linear":
                return None
            tok2vec = Tok2Vec.from_model(tok2vec_model)
            if tok2vec is None:
                return None
            moves = []
            for i in range(ner.moves.n_moves):
                name = ner.moves.get_class_name(i)
                action, _, label = name.partition("-")
                if action not in _MOVES:
                    return None
                moves.append((_MOVES[action], label))
            nF, nO, nP, nI = (lower.get_dim(d) for d in ("nF", "nO", "nP", "nI"))
            lower_weights = (numpy.ascontiguousarray(lower.get_param("W").reshape(nF * nO * nP, nI)),
                             numpy.squeeze(lower.get_param("pad"), 0), lower.get_param("b"), nF, nO, nP)
            seen = numpy.ones(len(moves), dtype=bool)
            for class_ in model.attrs.get("unseen_classes", ()):
                seen[class_] = False
        except (KeyError, ValueError, AttributeError, TypeError):
            return None
        return cls(ner, tok2vec, (linear.get_param("W"), linear.get_param("b")), lower_weights,
                   (upper.get_param("W"), upper.get_param("b")), moves, seen)

    def _scores(self, unmaxed):
        """Scores of states from their summed features (rows): maxout, upper layer, unseen classes."""
        nO, nP = self.lower[4], self.lower[5]
        pieces = unmaxed.reshape(unmaxed.shape[0], nO, nP)
        hidden = pieces[:, :, 0]
        for piece in range(1, nP):
            hidden = numpy.maximum(hidden, pieces[:, :, piece])
        W, b = self.upper
        scores = numpy.dot(hidden, W.T)
        scores += b
        if not self.seen.all():
            # spaCy gives classes never seen in training the lowest score of the step
            scores[:, ~self.seen] = scores.min(axis=1, keepdims=True)
        return scores

    def token_vectors(self, doc):
        """The NER's token vectors: its tok2vec, then the linear layer spaCy puts before the lower layer."""
        vectors = self.tok2vec(doc.to_array(self.column_ids))
        W, b = self.linear
        vectors = numpy.dot(vectors, W.T)  # thinc's Linear: gemm(X, W, trans2=True) + b
        vectors += b
        return vectors

    def entities(self, doc) -> list[tuple[int, int, str]] | None:
        """(start token, end token, label) of the entities spaCy's NER would find in ``doc``.

        None where the fast pass cannot promise spaCy's result: a near-tie between two moves
        (:data:`TIE_MARGIN`), or preset entity annotations on ``doc``.
        """
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

        n = len(doc)
        if not n or doc.to_array(ENT_IOB).any():
            return None
        vectors = self.token_vectors(doc)
        lower_W, pad, bias, nF, nO, nP = self.lower
        # spaCy's precomputed lower layer: one row per (token, feature); ids -1 take the padding.
        cached = numpy.dot(vectors, lower_W.T).reshape(n, nF, nO * nP)
        pad = pad.reshape(nF, nO * nP)
        bias = bias.reshape(nO * nP)
        # State features: (current token, first token of the open entity, token before the
        # current one if an entity is open); summed in spaCy's order, then the bias.
        closed = cached[:, 0] + pad[1]
        closed += pad[2]
        closed += bias
        closed_scores = self._scores(closed)
        space = doc.to_array(IS_SPACE).astype(bool)
        next_start = numpy.zeros(n, dtype=bool)
        next_start[:-1] = doc.to_array(SENT_START)[1:] == 1
        moves = self.moves
        begin_ok = ~space & ~next_start
        begin_ok[-1] = False
        # validity of each move with no entity open (spaCy's Begin/Unit/Out.is_valid without presets)
        valid = numpy.zeros((n, len(moves)), dtype=bool)
        for k, (action, label) in enumerate(moves):
            if action == 0 and label:
                valid[:, k] = begin_ok
            elif action == 3 and label:
                valid[:, k] = ~space
            elif action == 4:
                valid[:, k] = True
        masked = numpy.where(valid, closed_scores, -numpy.inf)
        best = masked.argmax(axis=1)
        ordered = numpy.sort(masked, axis=1)
        near = ordered[:, -1] - ordered[:, -2] <= TIE_MARGIN
        outside = [k for k, (action, _label) in enumerate(moves) if action == 4]
        # Only tokens where the state without an open entity would not take "O" (or would nearly
        # not) need a look; the others are "O" and move on by one token.
        todo = numpy.flatnonzero((best[:, None] != numpy.array(outside)).all(axis=1) | near).tolist()
        best = best.tolist()
        by_label_in = {label: k for k, (action, label) in enumerate(moves) if action == 1}
        by_label_last = {label: k for k, (action, label) in enumerate(moves) if action == 2}
        entities = []
        i = 0  # the next token no move has taken yet
        for i_next in todo:
            if i_next < i:
                continue  # inside an entity found already: no closed state there
            i = i_next
            if near[i]:
                return None
            action, label = moves[best[i]]
            if action == 3:
                entities.append((i, i + 1, label))
            elif action == 0:
                # An open entity's state at token i depends only on i and the entity's first
                # token: score the next few tokens at once, then take the moves in order.
                start, move, last = i, None, by_label_last[label]
                inside = by_label_in.get(label)
                while move != last:
                    stop = min(n, i + 1 + OPEN_BATCH)
                    steps = numpy.arange(i + 1, stop)
                    unmaxed = cached[steps, 0] + cached[start, 1]
                    unmaxed += cached[steps - 1, 2]
                    unmaxed += bias
                    batch = self._scores(unmaxed)
                    for row in range(len(steps)):
                        i += 1
                        if inside is None or i >= n - 1 or next_start[i]:
                            move = last  # only "L" is valid here
                        else:
                            low, high = sorted((inside, last))  # the lower move index wins a tie, as in spaCy
                            if abs(batch[row, low] - batch[row, high]) <= TIE_MARGIN:
                                return None
                            move = low if batch[row, low] >= batch[row, high] else high
                        if move == last:
                            entities.append((start, i + 1, label))
                            break
            i += 1
        return entities

    def __call__(self, doc):
        """Set ``doc.ents`` as spaCy's NER would; spaCy's own NER where the fast pass declines."""
        from spacy.tokens import Span

        found = self.entities(doc)
        if found is None:
            return self.ner(doc)
        doc.set_ents([Span(doc, start, end, label=label) for start, end, label in found], default="outside")
        return doc
