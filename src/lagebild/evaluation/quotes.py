"""Score the ``quotes`` stage against SpkAtt-2023 task 2 (speech representation in German Wikinews).

Each JSON file holds tokenised sentences and annotations whose spans are ``"sentId:tokIdx"``
strings. The text is rebuilt by joining each sentence's tokens with single spaces and the
sentences with one space, one paragraph per document (``paragraphs="document"``, the default, so
quotations may run across sentences) or one per sentence (``"sentence"``, so the gold sentence
boundaries hold; a little worse on the dev split). The stages ``tokens``, ``morphology``,
``entities`` and ``quotes`` then run on it.

Gold quotes are the top-level annotations (``IsNested == false``, SpkAtt's simplified subtask:
a quotation inside a quotation is part of the outer message); ``nested=True`` scores against all
annotations. Figures, over all files of the chosen split:

* ``message``: precision, recall, F1 of message tokens (a token is predicted when a quote's content
  span overlaps it; gold is the union of the annotations' Message tokens);
* ``quotes``: quote detection, a predicted quote matching a gold annotation when their message
  token sets have Jaccard >= 0.5 (one-to-one, greedy by Jaccard);
* ``speaker``: on matched quotes, the share whose speaker overlaps the gold Source tokens (or
  both are empty);
* ``end_to_end``: quote and speaker together: a true positive is a matched quote with the right
  speaker; precision over all predicted quotes, recall over all gold quotes;
* ``cue``: precision, recall, F1 of cue tokens (the first and last token of a predicted cue span,
  so "wies ... zurück" counts two tokens, as the gold marks them);
* ``addressee``: on matched quotes, precision, recall, F1 of the addressee (SpkAtt's ``Addr``): right
  when the predicted addressee overlaps the gold tokens; a predicted addressee that does not is a
  false positive, a gold addressee not overlapped a false negative;
* ``forms``: per gold form (Direct, Indirect, IndirectFreeIndirect, FreeIndirect, Reported), the
  number of gold quotes, quote recall, end-to-end recall and message-token recall.

The held-apart split is the last 20 % of the files sorted by name (``split="test"``); the first
80 % are ``"dev"`` (the quote tagger is trained on them), ``"all"`` is both.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from lagebild.evaluation.extraction import prf
from lagebild.model import Article, Paragraph
from lagebild.settings import Settings

HELD_APART = 0.2
MATCH = 0.5


def split_files(directory: Path, split: str = "test") -> list[Path]:
    """The files of ``split`` ("dev", "test" or "all"); "test" is the last 20 % sorted by name."""
    files = sorted(Path(directory).glob("*.json"))
    cut = len(files) - round(len(files) * HELD_APART)
    if split == "all":
        return files
    if split == "dev":
        return files[:cut]
    if split == "test":
        return files[cut:]
    raise ValueError(f"unknown split {split!r}: use dev, test or all")


def rebuild(document: dict[str, Any], paragraphs: str = "document") -> tuple[Article, dict[str, tuple[int, int]]]:
    """The article text from the tokens, and each token's "sentId:tokIdx" -> (start, end)."""
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    blocks: list[Paragraph] = []
    position = 0
    for sentence in document["Sentences"]:
        start = position
        for index, token in enumerate(sentence["Tokens"]):
            if index:
                parts.append(" ")
                position += 1
            offsets[f"{sentence['SentenceId']}:{index}"] = (position, position + len(token))
            parts.append(token)
            position += len(token)
        blocks.append(Paragraph(start, position, "body"))
        parts.append(" ")
        position += 1
    text = "".join(parts).rstrip(" ")
    if paragraphs == "document" or not blocks:
        blocks = [Paragraph(0, len(text), "body")]
    name = document.get("DocumentName", "spkatt")
    return Article(id=name, source=name, raw=text, text=text, language="de", paragraphs=blocks), offsets


def _tokens(offsets: dict[str, tuple[int, int]], start: int, end: int) -> set[str]:
    return {key for key, (s, e) in offsets.items() if s < end and start < e}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


#: Quote kind (docs/schema.md) -> SpkAtt form, for the predictions files.
FORM_OF_KIND = {"direct": "Direct", "indirect": "Indirect", "mixed": "Indirect", "free_indirect": "FreeIndirect",
                "reported": "Reported"}
FORMS = ("Direct", "Indirect", "IndirectFreeIndirect", "FreeIndirect", "Reported")


def gold_quotes(document: dict[str, Any], nested: bool = False) -> list[dict[str, Any]]:
    """The annotations scored as gold quotes: those with a message, top-level unless ``nested``."""
    return [a for a in document.get("Annotations", []) if a.get("Message") and (nested or not a.get("IsNested"))]


def score_document(document: dict[str, Any], article: Article, offsets: dict[str, tuple[int, int]],
                   nested: bool = False) -> dict[str, Any]:
    """Counts for one article (see the module docstring)."""
    gold = gold_quotes(document, nested)
    gold_messages = [set(a["Message"]) for a in gold]
    gold_tokens = set().union(*gold_messages) if gold_messages else set()
    gold_cues = {t for a in gold for t in a.get("Cue", [])}
    predicted = [_tokens(offsets, q.content.start, q.content.end) for q in article.quotes]
    predicted_tokens = set().union(*predicted) if predicted else set()
    cue_tokens: set[str] = set()
    for quote in article.quotes:
        if quote.cue is not None:
            cue = sorted(_tokens(offsets, quote.cue.start, quote.cue.end), key=lambda k: offsets[k])
            cue_tokens |= {cue[0], cue[-1]} if cue else set()
    candidates = sorted(((_jaccard(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold_messages)),
                        reverse=True)
    matched_p: set[int] = set()
    matched_g: dict[int, bool] = {}  # gold index -> speaker right
    addressee = [0, 0, 0]  # on matched quotes: right, predicted wrongly or where gold has none, gold missed
    for jaccard, i, j in candidates:
        if jaccard < MATCH:
            break
        if i in matched_p or j in matched_g:
            continue
        matched_p.add(i)
        speaker = article.quotes[i].speaker
        said = _tokens(offsets, speaker.start, speaker.end) if speaker else set()
        source = set(gold[j].get("Source", []))
        matched_g[j] = bool(said & source) or (not said and not source)
        spoken_to = article.quotes[i].addressee
        told = _tokens(offsets, spoken_to.start, spoken_to.end) if spoken_to else set()
        gold_addressee = set(gold[j].get("Addr", []))
        if told & gold_addressee:
            addressee[0] += 1
        else:
            addressee[1] += bool(told)
            addressee[2] += bool(gold_addressee)
    speaker_right = sum(matched_g.values())
    forms: dict[str, list[int]] = {}
    for j, annotation in enumerate(gold):
        counts = forms.setdefault(annotation.get("Form", "?"), [0, 0, 0, 0, 0])
        counts[0] += 1
        counts[1] += j in matched_g
        counts[2] += matched_g.get(j, False)
        counts[3] += len(gold_messages[j] & predicted_tokens)
        counts[4] += len(gold_messages[j])
    return {
        "message": (len(predicted_tokens & gold_tokens), len(predicted_tokens - gold_tokens),
                    len(gold_tokens - predicted_tokens)),
        "quotes": (len(matched_p), len(predicted) - len(matched_p), len(gold) - len(matched_g)),
        "end_to_end": (speaker_right, len(predicted) - speaker_right, len(gold) - speaker_right),
        "cue": (len(cue_tokens & gold_cues), len(cue_tokens - gold_cues), len(gold_cues - cue_tokens)),
        "speaker": (speaker_right, len(matched_p)),
        "addressee": tuple(addressee),
        "forms": forms,
    }


def spkatt_annotations(article: Article, offsets: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """The article's quotes as SpkAtt annotations (spans as ``"sentId:tokIdx"`` lists)."""
    def keys(span) -> list[str]:
        if span is None:
            return []
        return sorted(_tokens(offsets, span.start, span.end), key=lambda k: tuple(int(x) for x in k.split(":")))

    return [{"Form": FORM_OF_KIND.get(q.kind, "Indirect"), "Cue": keys(q.cue), "Source": keys(q.speaker),
             "Message": keys(q.content), "Addr": keys(q.addressee), "Kind": q.kind,
             "SpeakerName": q.speaker.name if q.speaker else None,
             "SpeakerEntity": q.speaker.entity if q.speaker else None}
            for q in article.quotes]


def _stages(settings: Settings):
    import lagebild.pipeline.quotes  # noqa: F401  (registers the stage)
    from lagebild.pipeline import registry

    # rebuild() makes text, paragraphs and language, so the stages before ``tokens`` are skipped.
    known = registry()
    return [known[name].factory(settings) for name in ("tokens", "morphology", "entities", "quotes")]


def evaluate_spkatt(directory: Path, *, split: str = "test", settings: Settings | None = None,
                    paragraphs: str = "document", predictions: Path | None = None,
                    limit: int | None = None, nested: bool = False) -> dict[str, Any]:
    """Quote, message-token, speaker, end-to-end, cue and per-form figures on SpkAtt-2023 task-2 files.

    Args:
        directory: folder of SpkAtt task-2 JSON files.
        split: "test" (held apart: last 20 % by name), "dev" or "all".
        settings: settings for the stages (``ner_backend``, ``quote_model``); default settings if None.
        paragraphs: "document" (one paragraph) or "sentence" (one per gold sentence).
        predictions: if given, a folder to write one JSON per input file to: its ``DocumentName``
            and ``Sentences`` and the predicted ``Annotations`` (``Form``, ``Cue``, ``Source``,
            ``Message`` as "sentId:tokIdx" lists, plus lagebild's ``Kind`` and resolved speaker).
        limit: score only the first ``limit`` files of the split.
        nested: score against all annotations, not only the top-level ones.

    Returns:
        A dict with ``files``, ``seconds``, ``tokens`` and, per figure, precision/recall/f1
        (``speaker``: accuracy and the number of matched quotes; ``forms``: per gold form).
    """
    stages = _stages(settings or Settings())
    files = split_files(directory, split)[:limit]
    totals: dict[str, Any] = {"message": [0, 0, 0], "quotes": [0, 0, 0], "end_to_end": [0, 0, 0], "cue": [0, 0, 0],
                              "addressee": [0, 0, 0], "speaker": [0, 0]}
    forms: dict[str, list[int]] = {}
    tokens = 0
    started = time.perf_counter()
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        article, offsets = rebuild(document, paragraphs)
        for run in stages:
            article = run(article)
        tokens += len(offsets)
        counts = score_document(document, article, offsets, nested)
        for form, values in counts.pop("forms").items():
            forms[form] = [a + b for a, b in zip(forms.get(form, [0] * len(values)), values)]
        for key, values in counts.items():
            totals[key] = [a + b for a, b in zip(totals[key], values)]
        if predictions is not None:
            predictions.mkdir(parents=True, exist_ok=True)
            out = {"DocumentName": document.get("DocumentName", path.stem), "Sentences": document.get("Sentences", []),
                   "Annotations": spkatt_annotations(article, offsets)}
            (predictions / path.name).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    result: dict[str, Any] = {"files": len(files), "split": split, "paragraphs": paragraphs, "nested": nested,
                              "quote_model": (settings or Settings()).quote_model, "tokens": tokens,
                              "seconds": round(time.perf_counter() - started, 2)}
    for key in ("message", "quotes", "end_to_end", "cue", "addressee"):
        precision, recall, f1 = prf(*totals[key])
        result[key] = {"precision": precision, "recall": recall, "f1": f1, "tp": totals[key][0],
                       "fp": totals[key][1], "fn": totals[key][2]}
    right, matched = totals["speaker"]
    result["speaker"] = {"accuracy": right / matched if matched else 0.0, "matched": matched}
    result["forms"] = {
        form: {"gold": n, "quote_recall": found / n if n else 0.0, "end_to_end_recall": right_ / n if n else 0.0,
               "message_recall": hit / size if size else 0.0}
        for form, (n, found, right_, hit, size) in sorted(forms.items(), key=lambda x: (FORMS + (x[0],)).index(x[0]))
    }
    return result


def render_markdown(result: dict[str, Any], directory: Path) -> str:
    """The figures of :func:`evaluate_spkatt` as a Markdown report."""
    gold = "all annotations" if result.get("nested") else "top-level annotations (IsNested = false)"
    lines = [
        "# Quotes: SpkAtt-2023 task 2",
        "",
        f"Data: `{Path(directory).name}`, split `{result['split']}` ({result['files']} files, {result['tokens']} tokens), "
        f"one paragraph per {result['paragraphs']}; gold: {gold}; quote model `{result['quote_model']}`; "
        f"{result['seconds']} s.",
        "",
        "| figure | precision | recall | F1 |",
        "|---|---:|---:|---:|",
    ]
    for key, label in (("message", "message tokens"), ("quotes", "quotes (Jaccard >= 0.5)"),
                       ("end_to_end", "quote + speaker (end to end)"), ("cue", "cue tokens"),
                       ("addressee", "addressee (matched quotes)")):
        if key not in result:
            continue
        figure = result[key]
        lines.append(f"| {label} | {figure['precision']:.3f} | {figure['recall']:.3f} | {figure['f1']:.3f} |")
    speaker = result["speaker"]
    lines += ["", f"Speaker accuracy on matched quotes: {speaker['accuracy']:.3f} ({speaker['matched']} quotes).",
              "", "Recall by gold form:", "",
              "| form | gold quotes | quote recall | quote + speaker recall | message-token recall |",
              "|---|---:|---:|---:|---:|"]
    for form, figure in result["forms"].items():
        lines.append(f"| {form} | {figure['gold']} | {figure['quote_recall']:.3f} | {figure['end_to_end_recall']:.3f} "
                     f"| {figure['message_recall']:.3f} |")
    return "\n".join(lines) + "\n"
