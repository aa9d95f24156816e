"""Token labels -> quotes: group message tokens, then give each message its cue and source tokens.

1. **Messages.** A message starts at a ``B-`` token that opens a sentence or follows a non-message
   token; ``I-`` tokens continue it, also across a short interruption in the same sentence
   ("Die Lage, sagte er, sei ernst": the cue and its subject split one message); a ``B-`` after
   at most :data:`JOIN_GAP` unlabelled tokens in the same sentence continues it too. A stray
   ``B-`` inside a run continues the run. A message of punctuation only is dropped. Its form is the
   commonest form of its tokens.
2. **Cues.** Neighbouring ``C`` tokens form one cue; two cue pieces in one sentence with at most
   :data:`CUE_GAP` tokens and no message between them are one cue ("wies ... zurück"). A message
   takes the nearest cue in the sentences it covers (a cue in the sentence before belongs to the
   quote there: "Er sagte, ... . Sie gehen bald." has none for the second sentence).
3. **Sources.** Neighbouring ``S`` tokens form one source. A message takes the source nearest to
   its cue in the cue's sentence, else the nearest in its own sentences; a message without a
   source that follows another message within :data:`CONTINUATION` sentences continues its
   source (free indirect speech: "Assad müsse gehen."; "Man habe ..., hieß es.").
"""

from __future__ import annotations

from dataclasses import dataclass, field

CUE_GAP = 5
JOIN_GAP = 8
CONTINUATION = 2


@dataclass
class Group:
    """A decoded quote as token indices of the labelled Doc."""

    form: str
    message: list[int]
    cue: list[int] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    continued: bool = False  # source taken over from the previous message


def _runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _count(item: tuple[str, int]) -> int:
    return item[1]


def decode(doc, labels: list[str]) -> list[Group]:
    """Quotes from the labels of ``doc``'s tokens (see the module docstring)."""
    from lagebild.quotes.tagger import sentence_bounds

    sentence_of = [0] * len(doc)
    starts = set()
    for n, (first, last) in enumerate(sentence_bounds(doc)):
        starts.add(first)
        sentence_of[first:last] = [n] * (last - first)
    # Most tokens are "O": the loops below go over the others only, in the same order.
    labelled = [i for i, label in enumerate(labels) if label != "O"]
    is_message = [False] * len(labels)
    for i in labelled:
        is_message[i] = labels[i][:2] in ("B-", "I-")

    # 1. messages. A run after a cue that has no finite verb is the cue's own clause mislabelled
    # ("Die Reform komme bald, gab Maria Keller zu bedenken": not "Maria Keller zu bedenken").
    for run in _runs([i for i in labelled if is_message[i]]):
        before = labels[max(0, run[0] - JOIN_GAP):run[0]]
        if "C" in before and labels[run[0]].startswith("I-") and not any(doc[i].tag_.endswith("FIN") for i in run):
            for i in run:
                is_message[i] = False
    segments: list[list[int]] = []
    for i in labelled:
        label = labels[i]
        if not is_message[i]:
            continue
        previous = i > 0 and is_message[i - 1]
        if not segments or (previous and label.startswith("B-") and i in starts):
            segments.append([i])
        elif previous:
            segments[-1].append(i)
        else:
            last = segments[-1][-1]
            gap = labels[last + 1:i]
            # A gap of a few unlabelled tokens in one sentence is a miss, not a new message;
            # after a B- only when no cue or source stands in the gap.
            if (i - last <= JOIN_GAP and sentence_of[i] == sentence_of[last]
                    and (label.startswith("I-") or all(g == "O" for g in gap))):
                segments[-1].append(i)
            else:
                segments.append([i])
    groups = []
    for segment in segments:
        if all(doc[i].is_punct or doc[i].is_space for i in segment):
            continue
        # The most frequent form, the first seen on a tie (as Counter.most_common(1)), without a Counter per segment.
        counts: dict[str, int] = {}
        for i in segment:
            counts[labels[i][2:]] = counts.get(labels[i][2:], 0) + 1
        form = max(counts.items(), key=_count)[0]
        groups.append(Group(form, segment))

    # 2. cues
    cues = _runs([i for i in labelled if labels[i] == "C"])
    merged: list[list[int]] = []
    for run in cues:
        if merged:
            last = merged[-1][-1]
            between = range(last + 1, run[0])
            if (run[0] - last - 1 <= CUE_GAP and sentence_of[last] == sentence_of[run[0]]
                    and not any(is_message[j] for j in between)):
                merged[-1] += run
                continue
        merged.append(run)
    sources = _runs([i for i in labelled if labels[i] == "S"])

    def distance(run: list[int], segment: list[int]) -> int:
        if run[-1] < segment[0]:
            return segment[0] - run[-1]
        if run[0] > segment[-1]:
            return run[0] - segment[-1]
        return 0

    previous: Group | None = None
    for group in groups:
        covered = set(sentence_of[i] for i in group.message)
        near = [c for c in merged if sentence_of[c[0]] in covered]
        if near:
            group.cue = min(near, key=lambda c: distance(c, group.message))
        if group.cue:
            same = [s for s in sources if sentence_of[s[0]] == sentence_of[group.cue[0]]]
            if same:
                group.source = min(same, key=lambda s: distance(s, group.cue))
        if not group.source:
            same = [s for s in sources if sentence_of[s[0]] in covered]
            if same:
                group.source = min(same, key=lambda s: distance(s, group.message))
        if (not group.source and previous is not None and previous.source
                and sentence_of[group.message[0]] - sentence_of[previous.message[-1]] <= CONTINUATION):
            group.source, group.continued = previous.source, True
        previous = group
    return groups
