"""Readers that turn the shared NER corpora into ``(text, spans)`` examples.

Every reader yields :data:`Example` tuples ``(text, [(start, end, label), ...])``
with character offsets into ``text`` and labels from :data:`LABELS`
(``PER``, ``LOC``, ``ORG``, ``MISC``).  Token-based corpora are turned back into
running text with :func:`join_tokens`, so that the examples can be tokenised
again by spaCy's blank German tokenizer, which is what the shipped pipeline
uses on raw text.

Label mapping (GermEval-2014 outer-chunk conventions)
-----------------------------------------------------
GermEval 2014 (NoSta-D) tags countries, cities, regions, streets and other
places as ``LOC``; persons (also fictional) as ``PER``; companies, parties,
authorities, clubs, media as ``ORG``; everything else that is a name (works,
products, events, currencies, languages ...) as ``OTH`` (``MISC`` here).
Derived forms (``deutschen``, ``Berliner``) are ``*deriv`` and names inside
compounds (``EU-Staaten``) are ``*part``.  Strict outer-chunk scoring over
PER/LOC/ORG counts neither as an entity, so the training data must not teach
the model to tag them:

* spans whose mapped label is ``LOC`` but whose text starts lower-case
  (``deutschen``, ``europäischen``: SmartData annotates such adjectives as
  locations) are dropped, i.e. become ``O``;
* spans whose text is a known derived form (demonym / country adjective, see
  :func:`drop_derived_forms`) are dropped;
* spans that cover only part of a word (``EU`` in ``EU-Staaten``) are dropped
  at alignment time (see :mod:`lagebild.ner.train`).

Types that have no GermEval counterpart but are *names* that GermEval might
tag differently (legal norms, court decisions, transit routes, brands) are not
silently turned into ``O``: if a reader is given ``unknown_label`` it emits
them with that label, and training marks those tokens as *missing*, so the
model neither learns them as entities nor as non-entities.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

Span = tuple[int, int, str]
Example = tuple[str, list[Span]]

LABELS: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC")

#: SmartData (v1 lower-case names; v3 upper-case names are normalised) and MobIE.
DFKI_LABEL_MAP: dict[str, str | None] = {
    "person": "PER",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",
    "location-stop": "LOC",
    "organization": "ORG",
    "organization-company": "ORG",
    # Lines such as "S4", "A 7", "RE 1": GermEval has no clear rule -> unknown.
    "location-route": "?",
}

#: German LER fine-grained classes.
LER_LABEL_MAP: dict[str, str | None] = {
    "PER": "PER",  # person
    "RR": "PER",  # judge
    "AN": "PER",  # lawyer
    "LD": "LOC",  # country
    "ST": "LOC",  # city
    "STR": "LOC",  # street
    "LDS": "LOC",  # landscape
    "ORG": "ORG",  # organisation
    "UN": "ORG",  # company
    "INN": "ORG",  # institution
    "GRT": "ORG",  # court
    # Names without a stable GermEval counterpart -> unknown.
    "MRK": "?",  # brand
    "GS": "?",  # law
    "VO": "?",  # ordinance
    "EUN": "?",  # European legal norm
    "VS": "?",  # regulation
    "VT": "?",  # contract
    "RS": "?",  # court decision
    "LIT": "?",  # legal literature
}

#: HIPE-2022 coarse literal types (hipe2020 lower-case, NewsEye/SoNAR upper-case).
HIPE_LABEL_MAP: dict[str, str | None] = {
    "pers": "PER",
    "per": "PER",
    "loc": "LOC",
    "org": "ORG",
    "prod": "MISC",
    "humanprod": "MISC",
    "time": None,  # dates are not names in GermEval
}

#: Europeana Newspapers tags, including the typos found in ``enp_DE.sbb.bio``.
EUROPEANA_LABEL_MAP: dict[str, str | None] = {
    "PER": "PER",
    "LOC": "LOC",
    "ORG": "ORG",
    "BER": "PER",
    "ER": "PER",
    "LOCER": "LOC",
    "OLOC": "LOC",
}

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "“", "...", "…", "'", "’"}
_NO_SPACE_AFTER = {"(", "[", "{", "„", "‚", "»"}
_STRAIGHT_QUOTES = {'"', "''", "``"}


def guess_spaces(tokens: Sequence[str]) -> list[bool]:
    """Guess for each token whether it is followed by a space in running text.

    A light-weight detokeniser for German: no space before closing punctuation
    and closing quotes, none after opening brackets and quotes; straight double
    quotes alternate between opening and closing.
    """
    spaces = [True] * len(tokens)
    quote_open = False
    for i, tok in enumerate(tokens):
        if tok in _STRAIGHT_QUOTES:
            if quote_open:
                if i > 0:
                    spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open = not quote_open
            continue
        if tok in _NO_SPACE_BEFORE and i > 0:
            spaces[i - 1] = False
        if tok in _NO_SPACE_AFTER:
            spaces[i] = False
    if spaces:
        spaces[-1] = False
    return spaces


def join_tokens(
    tokens: Sequence[str], spaces: Sequence[bool] | None = None
) -> tuple[str, list[int]]:
    """Join tokens to a string; return the text and each token's start offset.

    ``spaces`` says whether a token is followed by whitespace; if omitted it is
    guessed with :func:`guess_spaces`.
    """
    if spaces is None:
        spaces = guess_spaces(tokens)
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for tok, space in zip(tokens, spaces):
        starts.append(pos)
        parts.append(tok)
        pos += len(tok)
        if space:
            parts.append(" ")
            pos += 1
    return "".join(parts).rstrip(" "), starts


def bio_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Convert BIO/IOB tags to token spans ``(first, last_exclusive, type)``.

    Tolerant to IOB1 and to broken sequences: an ``I-X`` that does not continue
    an ``X`` chunk starts a new chunk.
    """
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    cur: str | None = None
    for i, tag in enumerate(tags):
        if tag.startswith(("B-", "I-")):
            prefix, typ = tag[0], tag[2:]
        else:
            prefix, typ = "O", None
        if prefix == "I" and cur == typ and start is not None:
            continue
        if start is not None and cur is not None:
            spans.append((start, i, cur))
        start, cur = (i, typ) if prefix in "BI" else (None, None)
    if start is not None and cur is not None:
        spans.append((start, len(tags), cur))
    return spans


_TRAIL_PUNCT = set(',;:!?"“”„\'’‘»«/')
_LEAD_PUNCT = set('„"“”\'‚‘«»')


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and punctuation glued to a span's edges.

    Corpora tokenised on whitespace (Europeana) tag ``Ravensburg,`` as one
    token; GermEval and spaCy split the comma off, so it must not be part of
    the entity.  A final ``.`` is removed after a word of four or more letters
    ending in a lower-case letter (``Bonn.``) but kept on abbreviations
    (``Chr.``, ``St.``, ``U.S.``).  Brackets are removed only if unbalanced.
    """
    while start < end:
        changed = False
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            break
        surface = text[start:end]
        last, first = surface[-1], surface[0]
        if first == "(" and last == ")" and len(surface) > 2:
            start, end = start + 1, end - 1
            continue
        if last in _TRAIL_PUNCT or (last == ")" and "(" not in surface[:-1]):
            end -= 1
            changed = True
        elif last == ".":
            word = surface[:-1].split()[-1] if surface[:-1].split() else ""
            if len(word) >= 4 and word[-1].islower():
                end -= 1
                changed = True
        if first in _LEAD_PUNCT or (first == "(" and ")" not in surface[1:]):
            start += 1
            changed = True
        if not changed:
            break
    return start, end


def tokens_to_example(
    tokens: Sequence[str],
    tags: Sequence[str],
    label_map: dict[str, str | None],
    *,
    spaces: Sequence[bool] | None = None,
    unknown_label: str | None = None,
    normalise_type=lambda t: t,
) -> Example:
    """Build an example from tokens and BIO tags, mapping types with ``label_map``.

    A mapped value of ``"?"`` means "name without GermEval counterpart": it is
    emitted as ``unknown_label`` if given, otherwise dropped.  ``None`` or a
    missing key means the type is dropped (becomes ``O``).
    """
    text, starts = join_tokens(tokens, spaces)
    out: list[Span] = []
    for first, last, typ in bio_to_spans(tags):
        label = label_map.get(normalise_type(typ))
        if label == "?":
            label = unknown_label
        if not label:
            continue
        start, end = trim_span(text, starts[first], starts[last - 1] + len(tokens[last - 1]))
        if end > start:
            out.append((start, end, label))
    return text, out


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep a non-overlapping subset of spans, preferring longer ones."""
    chosen: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0], s[2])):
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


def drop_derived_forms(example: Example, derived_forms: set[str] | frozenset[str]) -> Example:
    """Apply the GermEval *deriv* convention to an example.

    Drops ``LOC`` spans that start with a lower-case letter (adjectives such as
    ``deutschen``) and any span whose text is in ``derived_forms`` (demonyms
    and country adjectives such as ``Schweizer``, ``Franzosen``).
    """
    text, spans = example
    kept: list[Span] = []
    for start, end, label in spans:
        surface = text[start:end]
        if label == "LOC" and surface[:1].islower():
            continue
        if surface in derived_forms:
            continue
        kept.append((start, end, label))
    return text, kept


# --------------------------------------------------------------------------- SmartData


def _unwrap(value):
    """Unwrap Avro-JSON union values such as ``{"string": "..."}``."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in {"string", "array", "map", "int", "long", "float", "double", "boolean"}:
            return value[key]
    return value


def _split_lines(text: str, spans: list[Span]) -> Iterator[Example]:
    """Split a document at line breaks, rebasing the spans on each line."""
    offset = 0
    for line in text.split("\n"):
        end_line = offset + len(line)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            base = offset + lead
            local = [
                (s - base, e - base, lab)
                for s, e, lab in spans
                if s >= base and e <= base + len(stripped)
            ]
            yield stripped, local
        offset = end_line + 1


def read_smartdata(
    root: Path,
    *,
    splits: Sequence[str] = ("train", "dev"),
    split_lines: bool = True,
    unknown_label: str | None = None,
) -> Iterator[Example]:
    """Read the DFKI SmartData corpus (German news, tweets, RSS traffic reports).

    ``root`` is the ``smartdata_corpus`` folder.  ``splits`` selects the v1-based
    training file (``"train"``) and/or the v3 dev file (``"dev"``); both are
    training material for this project (GermEval is the evaluation set).
    Documents are split into lines unless ``split_lines`` is false.
    """
    files = {
        "train": "train_v1annotations_excluding_v3_devtest.jsonl.gz",
        "dev": "v3_20200302_dev_filtered.jsonl.gz",
    }
    for split in splits:
        with gzip.open(Path(root) / files[split], "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                text = _unwrap(doc.get("text")) or ""
                mentions = _unwrap(doc.get("conceptMentions")) or []
                spans: list[Span] = []
                for mention in mentions:
                    typ = str(mention["type"]).lower().replace("_", "-")
                    label = DFKI_LABEL_MAP.get(typ)
                    if label == "?":
                        label = unknown_label
                    if not label:
                        continue
                    start, end = int(mention["span"]["start"]), int(mention["span"]["end"])
                    start, end = trim_span(text, start, end)
                    if end > start:
                        spans.append((start, end, label))
                spans = resolve_overlaps(spans)
                if split_lines:
                    yield from _split_lines(text, spans)
                else:
                    yield text, spans


# --------------------------------------------------------------------------- CoNLL-style


def _read_blocks(path: Path, *, sep: str | None = None) -> Iterator[list[list[str]]]:
    """Yield blank-line separated blocks of split lines from a text file."""
    block: list[list[str]] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if not line.strip():
                if block:
                    yield block
                    block = []
                continue
            block.append(line.split(sep))
    if block:
        yield block


def read_mobie(
    root: Path,
    *,
    splits: Sequence[str] = ("train", "dev"),
    unknown_label: str | None = None,
) -> Iterator[Example]:
    """Read DFKI MobIE (mobility-domain tweets and traffic reports, CoNLL-2003 layout).

    Its 20 types are mapped with :data:`DFKI_LABEL_MAP`: persons -> PER, every
    location type except routes -> LOC, organisations and companies -> ORG,
    routes -> unknown, value/event/trigger types -> O.
    """
    files = {"train": "train.filtered.conll2003", "dev": "dev.filtered.conll2003"}
    for split in splits:
        for block in _read_blocks(Path(root) / files[split], sep="\t"):
            if block[0][0].startswith("-DOCSTART-"):
                continue
            rows = [r for r in block if len(r) >= 4]
            if not rows:
                continue
            tokens = [r[0] for r in rows]
            tags = [r[3] for r in rows]
            yield tokens_to_example(tokens, tags, DFKI_LABEL_MAP, unknown_label=unknown_label)


def _pseudo_sentences(rows: list[tuple[str, str]], max_len: int = 60) -> Iterator[list[tuple[str, str]]]:
    """Cut a token stream into pseudo-sentences at sentence-final punctuation.

    Cuts after ``.``, ``!`` or ``?`` when the next token starts upper-case and
    no entity continues across the boundary; long stretches are cut at
    ``max_len`` tokens (at an ``O`` token).
    """
    cur: list[tuple[str, str]] = []
    for i, (tok, tag) in enumerate(rows):
        cur.append((tok, tag))
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        boundary = nxt is None
        if nxt is not None and not nxt[1].startswith("I-"):
            if tok in {".", "!", "?"} and nxt[0][:1].isupper():
                boundary = True
            elif len(cur) >= max_len and nxt[1] == "O":
                boundary = True
        if boundary:
            yield cur
            cur = []


#: GermEval 2014 outer labels for training: ``OTH`` is a name class the trained NER does not
#: predict (MISC comes from a gazetteer), so it is *unknown* (neither entity nor ``O``);
#: ``*deriv`` / ``*part`` are not outer entities and become ``O``.
GERMEVAL_LABEL_MAP: dict[str, str | None] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "?"}


def read_germeval(root: Path, part: str = "tune-train", *, unknown_label: str | None = None) -> Iterator[Example]:
    """GermEval 2014 dev sentences of one part (default: the training part of the tune half).

    Only the parts named in :func:`lagebild.ner.germeval.select_part` exist; the test half
    (sentences 1,101-2,200) is never read for training by lagebild's trainer.
    """
    from lagebild.ner.germeval import read_germeval as read_tsv, select_part

    for sentence in select_part(read_tsv(Path(root) / "NER-de-dev.tsv"), part):
        yield tokens_to_example(sentence.tokens, sentence.outer, GERMEVAL_LABEL_MAP, unknown_label=unknown_label)


def read_europeana(root: Path) -> Iterator[Example]:
    """Read Europeana Newspapers German NER (historical, OCR'd; PER/LOC/ORG; CC0).

    The ``.bio`` files are token streams without sentence boundaries; they are
    cut into pseudo-sentences.  Malformed lines and comment lines are skipped;
    the tag typos of ``enp_DE.sbb.bio`` are repaired via
    :data:`EUROPEANA_LABEL_MAP`.
    """
    for name in ("enp_DE.lft.bio", "enp_DE.onb.bio", "enp_DE.sbb.bio"):
        rows: list[tuple[str, str]] = []
        with open(Path(root) / name, encoding="utf-8") as fh:
            for raw in fh:
                line = raw.rstrip("\r\n")
                if line.startswith("# "):
                    continue
                parts = line.split(" ")
                if len(parts) != 2 or not parts[0]:
                    continue
                tok, tag = parts
                if tag != "O" and not re.match(r"^[BI]-", tag):
                    continue
                rows.append((tok, tag))
        for sent in _pseudo_sentences(rows):
            tokens = [t for t, _ in sent]
            tags = [t for _, t in sent]
            yield tokens_to_example(
                tokens, tags, EUROPEANA_LABEL_MAP, normalise_type=lambda t: t.upper()
            )


HIPE_FILES: tuple[str, ...] = (
    "HIPE-2022-v2.1-hipe2020-train-de.tsv",
    "HIPE-2022-v2.1-hipe2020-dev-de.tsv",
    "HIPE-2022-v2.1-newseye-dev-de.tsv",
    "HIPE-2022-v2.1-newseye-dev2-de.tsv",
    "HIPE-2022-v2.1-sonar-dev-de.tsv",
)


def read_hipe(
    root: Path,
    *,
    files: Sequence[str] = HIPE_FILES,
    empty_keep: float = 1.0,
    seed: int = 0,
) -> Iterator[Example]:
    """Read the German HIPE-2022 files (historical newspapers).

    Uses the literal coarse column; ``pers``/``loc``/``org`` -> PER/LOC/ORG,
    ``prod``/``HumanProd`` -> MISC, ``time`` -> O.  Sentences follow the
    ``EndOfSentence`` flags and spacing the ``NoSpaceAfter`` flags of the
    ``MISC`` column.  Some HIPE documents have stretches left unannotated, so
    only a random ``empty_keep`` fraction of sentences without any entity is
    kept.  Note: the hipe2020 part is CC BY-NC-SA 4.0.
    """
    rng = random.Random(seed)
    for name in files:
        for rows in _hipe_sentences(Path(root) / name):
            example = tokens_to_example(
                [r[0] for r in rows],
                [r[1] for r in rows],
                HIPE_LABEL_MAP,
                spaces=[r[2] for r in rows],
                normalise_type=lambda t: t.lower(),
            )
            if example[1] or rng.random() < empty_keep:
                yield example


def _hipe_sentences(path: Path, max_len: int = 120) -> Iterator[list[tuple[str, str, bool]]]:
    """Sentences of a HIPE-2022 TSV file as ``(token, coarse literal tag, space after)`` rows.

    A sentence ends at an ``EndOfSentence`` flag, at a new document or after
    ``max_len`` tokens.
    """
    rows: list[tuple[str, str, bool]] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if not line or line.startswith("TOKEN\t"):
                continue
            if line.startswith("#"):
                if line.startswith("# hipe2022:document_id") and rows:
                    yield rows
                    rows = []
                continue
            cols = line.split("\t")
            if len(cols) < 10 or not cols[0]:
                continue
            misc = cols[9].split("|")
            rows.append((cols[0], cols[1] if cols[1] != "_" else "O", "NoSpaceAfter" not in misc))
            if "EndOfSentence" in misc or len(rows) >= max_len:
                yield rows
                rows = []
    if rows:
        yield rows


def read_german_ler(
    root: Path,
    *,
    max_sentences: int | None = 8000,
    empty_fraction: float = 0.1,
    seed: int = 0,
    unknown_label: str | None = None,
) -> Iterator[Example]:
    """Read a subsample of German LER (court decisions; treat as non-commercial).

    All training sentences (``train/*.conll``) are read; sentences containing
    at least one PER/LOC/ORG-type entity are sampled up to ``max_sentences``
    (``None`` keeps all), plus ``empty_fraction`` times as many sentences with
    no such entity.  Legal norms, decisions, literature, contracts and brands
    are unknown (see :data:`LER_LABEL_MAP`).
    """
    with_ents: list[Example] = []
    without: list[Example] = []
    for path in sorted((Path(root) / "train").glob("*.conll")):
        for block in _read_blocks(path, sep=" "):
            rows = [r for r in block if len(r) == 2]
            if not rows:
                continue
            ex = tokens_to_example(
                [r[0] for r in rows], [r[1] for r in rows], LER_LABEL_MAP, unknown_label=unknown_label
            )
            if any(lab in LABELS for _, _, lab in ex[1]):
                with_ents.append(ex)
            else:
                without.append(ex)
    rng = random.Random(seed)
    if max_sentences is not None and len(with_ents) > max_sentences:
        with_ents = rng.sample(with_ents, max_sentences)
    n_empty = min(len(without), round(len(with_ents) * empty_fraction))
    yield from with_ents
    yield from rng.sample(without, n_empty)


def read_spkatt_news_texts(root: Path) -> Iterator[str]:
    """Yield the sentences of the SpkAtt-2023 Task 2 Wikinews articles as text.

    No NER labels; usable only for weak supervision / self-training
    (CC BY-NC-SA 4.0).
    """
    for path in sorted((Path(root) / "train").glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        for sent in doc.get("Sentences", []):
            tokens = sent.get("Tokens") or []
            if tokens:
                yield join_tokens(tokens)[0]


#: Corpus name -> reader, for the sources that carry NER labels.
READERS = {
    "germeval2014_ner": read_germeval,
    "smartdata_corpus": read_smartdata,
    "mobie_ner": read_mobie,
    "europeana_newspapers_ner_de": read_europeana,
    "hipe2022_de_historical_news": read_hipe,
    "german_ler": read_german_ler,
}

#: Sources whose licence is (or must be treated as) non-commercial.
NONCOMMERCIAL_SOURCES: frozenset[str] = frozenset(
    {"german_ler", "hipe2022_de_historical_news", "spkatt2023_task2_news"}
)
