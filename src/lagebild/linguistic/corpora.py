"""Readers for the POS/lemma corpora the tagger is trained and scored on.

Two corpora, both CC BY-SA 4.0 (see docs/model-card-tagger.md):

* UD German GSD, dev split only (CoNLL-U). :func:`gsd_dev_parts` splits it by sentence into a
  ``train`` part, a ``tune`` part (checkpoint selection) and a ``heldout`` part that is only
  ever scored.
* EmpiriST 2.0 train (VRT, STTS-IBK + UPOS + lemma), web and chat German.

Both are read into :class:`TaggedSentence` objects: *surface* tokens as they appear in the text,
so a UD multi-word token ("zum" = "zu" + "dem") is one token with the tag ``APPRART``, UPOS ``ADP``
and the lemma of its first word, as lagebild's tokenizer keeps it together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Paths below the shared data folder (:func:`lagebild.paths.shared_data`).
GSD_DEV = Path("ud_german_gsd") / "de_gsd-ud-dev.conllu"
EMPIRIST_TRAIN = Path("empirist_pos") / "empirist_train.vrt"


@dataclass
class TaggedToken:
    """One surface token with its gold annotation (empty string: not annotated)."""

    form: str
    lemma: str = ""
    upos: str = ""
    tag: str = ""
    feats: str = ""
    space_after: bool = True


@dataclass
class TaggedSentence:
    id: str
    tokens: list[TaggedToken] = field(default_factory=list)
    text: str | None = None

    @property
    def words(self) -> list[str]:
        return [t.form for t in self.tokens]

    def to_text(self) -> str:
        """The sentence text: ``# text`` where the corpus has it, else forms joined by their spacing."""
        if self.text is not None:
            return self.text
        return "".join(t.form + (" " if t.space_after else "") for t in self.tokens).rstrip()


# --------------------------------------------------------------------------- UD CoNLL-U


def read_conllu(path: Path | str) -> list[TaggedSentence]:
    """Sentences of a CoNLL-U file as surface tokens (multi-word tokens merged, empty nodes dropped)."""
    sentences: list[TaggedSentence] = []
    with open(path, encoding="utf-8") as handle:
        block: list[str] = []
        for line in handle:
            line = line.rstrip("\n")
            if line.strip():
                block.append(line)
                continue
            if block:
                sentences.append(_conllu_sentence(block, len(sentences)))
                block = []
        if block:
            sentences.append(_conllu_sentence(block, len(sentences)))
    return sentences


def _conllu_sentence(lines: list[str], number: int) -> TaggedSentence:
    sent_id, text = f"s{number + 1}", None
    rows: list[list[str]] = []
    for line in lines:
        if line.startswith("#"):
            key, _, value = line[1:].partition("=")
            if key.strip() == "sent_id":
                sent_id = value.strip()
            elif key.strip() == "text":
                text = value.strip()
            continue
        rows.append(line.split("\t"))
    tokens: list[TaggedToken] = []
    skip_until = 0
    by_id = {row[0]: row for row in rows}
    for row in rows:
        if len(row) != 10:
            raise ValueError(f"CoNLL-U sentence {sent_id}: expected 10 columns, got {len(row)}: {row!r}")
        ident = row[0]
        if "." in ident:  # empty node of enhanced UD
            continue
        space_after = "SpaceAfter=No" not in row[9].split("|")
        if "-" in ident:
            first, last = (int(x) for x in ident.split("-"))
            parts = [by_id[str(i)] for i in range(first, last + 1) if str(i) in by_id]
            head = parts[0]
            # "zum" = "zu" + "dem": the preposition's lemma and the article's features, STTS APPRART.
            tag = "APPRART" if head[4] == "APPR" else head[4]
            tokens.append(
                TaggedToken(row[1], _u(head[2]), _u(head[3]), tag, _u(parts[-1][5]), space_after)
            )
            skip_until = last
            continue
        if int(ident) <= skip_until:
            continue
        tokens.append(TaggedToken(row[1], _u(row[2]), _u(row[3]), _u(row[4]), _u(row[5]), space_after))
    if tokens:
        tokens[-1].space_after = False
    return TaggedSentence(sent_id, tokens, text)


def _u(value: str) -> str:
    return "" if value == "_" else value


def gsd_dev_parts(sentences: list[TaggedSentence]) -> dict[str, list[TaggedSentence]]:
    """Split UD German GSD dev by sentence position into ``train``, ``tune`` and ``heldout``.

    Odd positions (0-based) are held out (399 of 799 sentences); of the even positions, every
    fifth (positions 0, 10, 20, ...) is the tune part used to pick the best checkpoint (80), the
    rest is training data (320). Alternating keeps the review (s1-s500) and news (s501-s799)
    sentences in every part.
    """
    parts: dict[str, list[TaggedSentence]] = {"train": [], "tune": [], "heldout": []}
    for position, sentence in enumerate(sentences):
        if position % 2 == 1:
            parts["heldout"].append(sentence)
        elif position % 10 == 0:
            parts["tune"].append(sentence)
        else:
            parts["train"].append(sentence)
    return parts


def gsd_dev_ids(conllu_path: Path | str, part: str) -> list[str]:
    """The ``sent_id`` values of one part (``train``, ``tune``, ``heldout``) of GSD dev."""
    return [s.id for s in gsd_dev_parts(read_conllu(conllu_path))[part]]


# --------------------------------------------------------------------------- EmpiriST VRT

#: STTS-IBK tags for chat and web text that plain STTS (as in UD German) does not have, mapped to
#: the nearest STTS tag; "" marks tokens left unannotated in training (contractions such as
#: "haste" = VAFIN + PPER have no single STTS tag).
IBK_TO_STTS = {
    "PTKMA": "ADV",  # modal particle: "das hört sich ja ... an"
    "PTKIFG": "ADV",  # intensifier: "sehr", "total"
    "PTKMWL": "ADV",  # particle in a multi-word lexeme: "noch" in "immer noch"
    "ADVART": "ADV",
    "DM": "KON",  # discourse marker: "weil" with main-clause order
    "ONO": "ITJ",
    "AKW": "ITJ",  # action word "*lach*"
    "EMOASC": "XY",
    "EMOIMG": "XY",
    "HST": "XY",  # hashtag
    "URL": "XY",
    "EML": "XY",
    "ADR": "NE",  # addressing "@name"
    "KOUSPPER": "",
    "PPERPPER": "",
    "VAPPER": "",
    "VMPPER": "",
    "VVPPER": "",
    "APPRPPER": "",
}

#: UPOS of EmpiriST tokens harmonised with UD German GSD, whose conventions the heldout scores use.
_UPOS_BY_STTS = {
    "PTKVZ": "ADP",  # separable verb particle: GSD mostly ADP ("fängt ... an")
    "PTKA": "ADV",
    "PIAT": "DET",
    "TRUNC": "NOUN",
    "PTKANT": "INTJ",
}

_NO_SPACE_BEFORE = re.compile(r"^[.,;:!?)\]}…%“”»›'’]+$|^\.{2,}$")
_NO_SPACE_AFTER = re.compile(r"^[(\[{„»«‚‹]$")


def read_empirist(path: Path | str) -> list[TaggedSentence]:
    """Sentences of an EmpiriST VRT file with STTS tags, harmonised UPOS and surface lemmas.

    The VRT has no spacing, so spaces are restored by a punctuation rule (none before ``.,!?)``,
    none after ``(„``). UPOS of haben/sein/werden (``VA*``) is left unannotated: EmpiriST tags
    them all AUX, UD GSD tags main-verb uses ("Ich hatte Gelegenheit") VERB.
    """
    sentences: list[TaggedSentence] = []
    current: list[TaggedToken] | None = None
    text_id = ""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("<text"):
                match = re.search(r'id="([^"]+)"', line)
                text_id = match.group(1) if match else ""
            elif line.startswith("<s>") or line.startswith("<s "):
                current = []
            elif line.startswith("</s>"):
                if current:
                    _restore_spaces(current)
                    sentences.append(TaggedSentence(f"{text_id}#{len(sentences) + 1}", current))
                current = None
            elif line.startswith("<") or current is None or not line.strip():
                continue
            else:
                cols = line.split("\t")
                form, ibk, upos, lemma = cols[0], cols[1], cols[2], cols[5] if len(cols) > 5 else ""
                tag = IBK_TO_STTS.get(ibk, ibk)
                if not tag:
                    upos = ""
                else:
                    upos = _UPOS_BY_STTS.get(tag, upos)
                    if tag.startswith("VA"):
                        upos = ""
                current.append(TaggedToken(form, lemma, upos, tag))
    return sentences


def _restore_spaces(tokens: list[TaggedToken]) -> None:
    for here, after in zip(tokens, tokens[1:]):
        here.space_after = not (_NO_SPACE_BEFORE.match(after.form) or _NO_SPACE_AFTER.match(here.form))
    tokens[-1].space_after = False


# --------------------------------------------------------------------------- spaCy docs


def to_doc(vocab, sentence: TaggedSentence, *, morph: bool = False):
    """A spaCy ``Doc`` with the sentence's gold words, tags, UPOS and lemmas (``morph``: features too).

    Unannotated values stay unset, so spaCy treats them as missing in training.
    """
    from spacy.tokens import Doc

    doc = Doc(vocab, words=sentence.words, spaces=[t.space_after for t in sentence.tokens])
    for token, gold in zip(doc, sentence.tokens):
        if gold.tag:
            token.tag_ = gold.tag
        if gold.upos:
            token.pos_ = gold.upos
        if gold.lemma:
            token.lemma_ = gold.lemma
        if morph and gold.feats:
            token.set_morph(gold.feats)
    return doc


def iter_docs(vocab, sentences: Iterable[TaggedSentence], *, morph: bool = False) -> Iterator:
    for sentence in sentences:
        yield to_doc(vocab, sentence, morph=morph)
