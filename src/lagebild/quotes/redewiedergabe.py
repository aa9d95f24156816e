"""Redewiedergabe TSV samples -> SpkAtt-style documents, so the quote tagger can train on them.

The corpus REDEWIEDERGABE (Brunner et al. 2020, CC BY-NC-SA 4.0; historical German 1840-1919)
annotates speech, thought and writing representation token by token: column ``stwr`` holds
``type.medium.ID[.attributes]`` (nested annotations joined by ``|``), columns ``speaker`` and
``intexpr`` (the introductory expression) hold ``name.ID`` (several IDs joined by ``_``).
:func:`to_document` turns one sample into the JSON shape of SpkAtt-2023 task 2, so that
:func:`lagebild.evaluation.quotes.rebuild` and :func:`lagebild.quotes.labels.gold_labels` label it
with exactly the same scheme as SpkAtt:

* an STWR span is the message, with its form (``direct`` -> Direct, ``indirect`` -> Indirect,
  ``indirect freeIndirect`` -> IndirectFreeIndirect, ``freeIndirect`` -> FreeIndirect,
  ``reported`` -> Reported); the frame is not part of it (SpkAtt's message excludes the frame too);
* ``intexpr`` -> cue, ``speaker`` -> source, joined to their STWR by ID; reported speech gets no
  cue, as in SpkAtt, where the whole reported statement (verb included) is the message;
* kept are only annotations whose medium includes speech or writing (SpkAtt marks no pure thought)
  and that carry no attribute (``nonfact``, ``border=...``, ``metaph``, ``prag``: negated,
  hypothetical, borderline, metaphorical or pragmatic cases that SpkAtt's news annotation does
  not mark as quotes);
* an annotation whose message lies inside another kept one is nested (only top-level ones are
  labelled, as for SpkAtt).

Tokens are taken from ``normtok`` (modern spelling, so the morphology stage's lemmas and features
match those of news text) unless ``spelling="orig"``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterable

#: stwr type -> SpkAtt form.
FORMS = {"direct": "Direct", "indirect": "Indirect", "indirect freeIndirect": "IndirectFreeIndirect",
         "freeIndirect": "FreeIndirect", "reported": "Reported"}
NAME = "redewiedergabe"
#: The list of non-fiction newspaper and magazine samples in the shared folder.
NEWS_LIST = "news_nonfiction_files.txt"


def news_files(root: Path | str) -> list[Path]:
    """The non-fiction news/magazine samples of the shared ``redewiedergabe`` folder that are present."""
    root = Path(root)
    names = [line.split("\t")[0].strip() for line in (root / NEWS_LIST).read_text(encoding="utf-8").splitlines()]
    return [root / "tsv" / name for name in sorted(n for n in names if n) if (root / "tsv" / name).exists()]


def _ids(value: str) -> list[str]:
    """``speaker.8_9`` -> ["8", "9"]; several ``|``-joined entries are read too; ``-`` -> []."""
    found: list[str] = []
    for part in value.split("|"):
        part = part.strip()
        if not part or part == "-" or "." not in part:
            continue
        found.extend(x for x in part.split(".", 1)[1].split("_") if x)
    return found


def _stwr(value: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """``direct.speech.3|reported.thought.6.nonfact`` -> [(type, medium, ID, attributes), ...]."""
    out = []
    for part in value.split("|"):
        fields = part.strip().split(".")
        if len(fields) < 3 or fields[0] == "-":
            continue
        kind = fields[0].split("_")[0]  # alternatives: take the first
        out.append((kind, fields[1], fields[2], tuple(fields[3:])))
    return out


def read_rows(path: Path | str) -> list[dict[str, str]]:
    """The token rows of one TSV sample as dicts keyed by the header's column names."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]


def to_document(rows: list[dict[str, str]], name: str = NAME, *, spelling: str = "norm",
                forms: Iterable[str] | None = None) -> dict[str, Any]:
    """One Redewiedergabe sample as a SpkAtt task-2 document (``Sentences`` + ``Annotations``).

    Args:
        rows: The sample's token rows (:func:`read_rows`).
        name: The document name.
        spelling: ``"norm"`` (column ``normtok``) or ``"orig"`` (column ``tok``).
        forms: Keep only sentences whose top-level messages all have one of these SpkAtt forms
            (and that hold at least one); None keeps every sentence.
    """
    sentences: list[dict[str, Any]] = []
    keys: list[str] = []
    for row in rows:
        if row.get("sentstart") == "yes" or not sentences:
            sentences.append({"SentenceId": len(sentences), "Tokens": []})
        text = row.get("normtok") if spelling == "norm" else row.get("tok")
        text = html.unescape(text or "").strip() or html.unescape(row.get("tok", "")).strip() or "_"
        text = "".join(text.split())  # one token, no inner blanks
        sentence = sentences[-1]
        keys.append(f"{sentence['SentenceId']}:{len(sentence['Tokens'])}")
        sentence["Tokens"].append(text)

    spans: dict[str, dict[str, Any]] = {}
    cues: dict[str, list[str]] = {}
    sources: dict[str, list[str]] = {}
    for key, row in zip(keys, rows):
        for kind, medium, ident, attributes in _stwr(row.get("stwr", "-")):
            if kind not in FORMS or attributes or not ({"speech", "writing"} & set(medium.replace("_", " ").split())):
                continue
            spans.setdefault(ident, {"Form": FORMS[kind], "Message": []})["Message"].append(key)
        for ident in _ids(row.get("intexpr", "-")):
            cues.setdefault(ident, []).append(key)
        for ident in _ids(row.get("speaker", "-")):
            sources.setdefault(ident, []).append(key)

    annotations = []
    messages = {ident: set(span["Message"]) for ident, span in spans.items()}
    for ident, span in spans.items():
        mine = messages[ident]
        nested = any(other != ident and mine <= theirs and (len(theirs) > len(mine) or other < ident)
                     for other, theirs in messages.items())
        annotations.append({"Form": span["Form"], "IsNested": nested, "Message": span["Message"],
                            "Cue": [] if span["Form"] == "Reported" else cues.get(ident, []),
                            "Source": sources.get(ident, []), "STWR": ident})
    document = {"DocumentName": name, "Sentences": sentences, "Annotations": annotations}
    return document if forms is None else _only_forms(document, set(forms))


def _only_forms(document: dict[str, Any], forms: set[str]) -> dict[str, Any]:
    """The sentences whose top-level messages all have a form in ``forms``, renumbered."""
    def sentence_of(key: str) -> int:
        return int(key.split(":")[0])

    top = [a for a in document["Annotations"] if not a["IsNested"]]
    good, bad = set(), set()
    for annotation in top:
        ids = {sentence_of(k) for k in annotation["Message"]}
        (good if annotation["Form"] in forms else bad).update(ids)
    keep = sorted(good - bad)
    new_id = {old: new for new, old in enumerate(keep)}
    sentences = [{"SentenceId": new_id[s["SentenceId"]], "Tokens": s["Tokens"]}
                 for s in document["Sentences"] if s["SentenceId"] in new_id]

    def move(keys: list[str]) -> list[str] | None:
        out = []
        for key in keys:
            sid, index = key.split(":")
            if int(sid) not in new_id:
                return None
            out.append(f"{new_id[int(sid)]}:{index}")
        return out

    annotations = []
    for annotation in document["Annotations"]:
        message = move(annotation["Message"])
        if message is None or annotation["Form"] not in forms:
            continue
        annotations.append({**annotation, "Message": message,
                            "Cue": [k for k in (move([c]) for c in annotation["Cue"]) if k for k in k],
                            "Source": [k for k in (move([s]) for s in annotation["Source"]) if k for k in k]})
    return {**document, "Sentences": sentences, "Annotations": annotations}


def documents(root: Path | str, *, spelling: str = "norm", forms: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every non-fiction news sample of ``root`` (the shared ``redewiedergabe`` folder) as a document."""
    out = []
    for path in news_files(root):
        document = to_document(read_rows(path), path.stem, spelling=spelling, forms=forms)
        if document["Sentences"]:
            out.append(document)
    return out
