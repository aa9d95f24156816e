"""Token labels for the quote tagger: SpkAtt annotations -> one label per token -> quote spans.

Every token of lagebild's own tokenisation gets one label (a gold token's label goes to each
lagebild token it overlaps):

* ``B-<form>`` / ``I-<form>``: first / further token of a message; the form is ``D`` (direct),
  ``I`` (indirect, and SpkAtt's "IndirectFreeIndirect"), ``F`` (free indirect) or ``R``
  (reported). A message that the cue interrupts ("Die Lage, sagte er, sei ernst") goes on with
  ``I-`` after the interruption.
* ``C``: a cue token ("sagte", "wies ... zurück", "laut", "Angaben");
* ``S``: a source (speaker) token;
* ``O``: anything else.

Only top-level annotations are labelled (SpkAtt's ``IsNested == false``): a quotation inside a
quotation belongs to its outer message. The features the model sees besides the word are the
morphology stage's UPOS, lemma and features (mood), with two flags added to the features:
``Quote=In`` for a token between balanced quotation marks and ``Cue=Yes`` for a token whose
lemma is in ``resources/cues.tsv``.
"""

from __future__ import annotations

from typing import Any

FORMS = {"Direct": "D", "Indirect": "I", "IndirectFreeIndirect": "I", "FreeIndirect": "F", "Reported": "R"}
KINDS = {"D": "direct", "I": "indirect", "F": "free_indirect", "R": "reported"}
LABELS = ["O", "C", "S"] + [f"{p}-{f}" for f in "DIFR" for p in "BI"]


def gold_labels(document: dict[str, Any], doc, offsets: dict[str, tuple[int, int]]) -> list[str]:
    """One label per token of ``doc`` (the article rebuilt by ``evaluation.quotes.rebuild``)."""
    starts = [t.idx for t in doc]
    labels = ["O"] * len(doc)

    def tokens_of(keys) -> list[int]:
        found: set[int] = set()
        for key in keys:
            if key not in offsets:
                continue
            start, end = offsets[key]
            found.update(t.i for t in _overlapping(doc, starts, start, end))
        return sorted(found)

    for annotation in document.get("Annotations", []):
        if annotation.get("IsNested") or annotation.get("Form") not in FORMS:
            continue
        form = FORMS[annotation["Form"]]
        message = tokens_of(annotation.get("Message", []))
        for n, i in enumerate(message):
            labels[i] = f"{'B' if n == 0 else 'I'}-{form}"
        for role, label in (("Cue", "C"), ("Source", "S")):
            for i in tokens_of(annotation.get(role, [])):
                if labels[i] == "O":
                    labels[i] = label
    return labels


def _overlapping(doc, starts: list[int], start: int, end: int):
    import bisect

    i = max(bisect.bisect_right(starts, start) - 1, 0)
    while i < len(doc) and doc[i].idx < end:
        token = doc[i]
        if token.idx + len(token.text) > start and not token.is_space:
            yield token
        i += 1
