"""Score the ``entities`` stage on GermEval 2014 with each rule component switched off in turn
(docs/eval-ner.md, "Recall round"), and optionally with an added bias on the NER's
entity-starting actions (B-/U-: more entities, i.e. more recall and less precision).

    OMP_NUM_THREADS=1 PYTHONPATH=src python training/ner/stage_ablation.py --germeval FILE \
        --part test --bias 0.5,1 --report docs/eval-ner-stage-ablation.md
    ... --part tune --rules-alone --report docs/eval-ner-stage-ablation-tune.md

Only aggregate strict P/R/F1 over PER/LOC/ORG are printed, never single predictions, so the test
half can be scored without being looked at (error analysis belongs to the tune half).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from lagebild.evaluation.ner import sentence_text, spans_to_bio  # noqa: E402
from lagebild.ner import rules  # noqa: E402
from lagebild.ner.germeval import read_germeval, score_bio, select_part  # noqa: E402
from lagebild.pipeline.entities import EntityRecognizer  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

#: Rule component -> what it does when switched off.
SWITCHED_OFF = {
    "title_person_spans": lambda text, known: [],
    "genitive_person_spans": lambda text, known, places: [],
    "extend_persons": lambda spans, people: spans,
    "cut_genitive_persons": lambda text, spans: spans,
    "abbreviation_spans": lambda text, spans: [],
    "list_spans": lambda text, spans: [],
}


def score(recognizer: EntityRecognizer, sentences, off: tuple[str, ...] = ()) -> dict:
    originals = {name: getattr(rules, name) for name in SWITCHED_OFF}
    try:
        for name in off:
            setattr(rules, name, SWITCHED_OFF[name])
        gold, predicted = [], []
        for sentence in sentences:
            text, offsets = sentence_text(sentence.tokens)
            predicted.append(spans_to_bio(offsets, recognizer.spans(text)))
            gold.append(sentence.outer)
    finally:
        for name, function in originals.items():
            setattr(rules, name, function)
    return score_bio(gold, predicted)["micro_PER_LOC_ORG"]


def rules_alone(sentences) -> list[tuple[str, int, int]]:
    """(component, spans equal to a gold chunk, spans) of the span-producing rules run alone on
    the text, without the model: each rule's own precision."""
    from lagebild.ner.corpora import bio_to_spans
    from lagebild.pipeline import entities

    known, places = entities._non_person_names(), entities._city_names()
    producers = {
        "title_person_spans": lambda text: rules.title_person_spans(text, known),
        "genitive_person_spans": lambda text: rules.genitive_person_spans(text, known, places),
        "person_spans (given name + name)": entities.person_spans,
        "org_pattern_spans (club prefix, legal form)": entities.org_pattern_spans,
    }
    rows = []
    for name, produce in producers.items():
        exact = total = 0
        for sentence in sentences:
            text, offsets = sentence_text(sentence.tokens)
            gold = set(bio_to_spans(sentence.outer))
            found = bio_to_spans(spans_to_bio(offsets, produce(text)))
            exact += sum(span in gold for span in found)
            total += len(found)
        rows.append((name, exact, total))
    return rows


def entity_bias(recognizer: EntityRecognizer, bias: float) -> None:
    """Add ``bias`` to the output bias of the shipped NER's B- and U- actions (0 restores it)."""
    ner = recognizer.backend.nlp.get_pipe("ner")
    upper = ner.model.get_ref("upper")
    if not hasattr(recognizer, "_bias0"):
        recognizer._bias0 = upper.get_param("b").copy()
    values = recognizer._bias0.copy()
    for index in range(ner.moves.n_moves):
        name = ner.moves.get_class_name(index)
        if name[:2] in ("B-", "U-") and len(name) > 2:
            values[index] += bias
    upper.set_param("b", values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--germeval", type=Path, required=True)
    parser.add_argument("--part", default="test")
    parser.add_argument("--bias", default="", help="comma-separated biases on B-/U- actions to score as well")
    parser.add_argument("--rules-alone", action="store_true", help="also count each rule's own hits, without the model")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    sentences = select_part(read_germeval(args.germeval), args.part)
    recognizer = EntityRecognizer(Settings())
    rows = [("whole stage (all rule components)", score(recognizer, sentences)),
            ("without any rule component of `lagebild.ner.rules`", score(recognizer, sentences, tuple(SWITCHED_OFF)))]
    rows += [(f"without `{name}`", score(recognizer, sentences, (name,))) for name in SWITCHED_OFF]
    for bias in (float(b) for b in args.bias.split(",") if b):
        entity_bias(recognizer, bias)
        rows.append((f"whole stage, NER bias +{bias:g} on B-/U- actions", score(recognizer, sentences)))
    entity_bias(recognizer, 0.0)
    lines = [f"# Rule components of the `entities` stage on GermEval 2014 (part: {args.part})", "",
             f"Command: `python training/ner/stage_ablation.py --germeval FILE --part {args.part}"
             + (f" --bias {args.bias}" if args.bias else "") + (" --rules-alone" if args.rules_alone else "") + "`; strict micro P/R/F1 over PER/LOC/ORG "
             f"({len(sentences)} sentences).", "",
             "| variant | P | R | F1 | TP | FP |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {name} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} | {s['tp']} | {s['fp']} |" for name, s in rows]
    if args.rules_alone:
        lines += ["", "Rules alone (without the model): spans equal to a gold chunk / spans.", "",
                  "| rule | exact | spans |", "|---|---:|---:|"]
        lines += [f"| `{name}` | {exact} | {total} |" for name, exact, total in rules_alone(sentences)]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
