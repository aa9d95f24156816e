"""Run one NER training variant and record its GermEval scores (docs/eval-ner.md, "Experiments").

    OMP_NUM_THREADS=1 PYTHONPATH=src python training/ner/experiment.py NAME \
        [--mix germeval2014_ner=6,smartdata_corpus=2,...] [--set components.ner.model.tok2vec.encode.width=128] \
        [--augment 0.5] [--max-minutes 30]

Writes the model to /tmp/lagebild-ner-exp/NAME and the scores (tune-dev part: checkpoint
selection; test half: reported, never used for a choice) to training/ner/results/NAME.json.
``--table`` prints the Markdown comparison of all recorded runs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

RESULTS = Path(__file__).resolve().parent / "results"


def _value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def table() -> str:
    rows = ["| run | data mix | changes | tune-dev F1 | test P | test R | **test F1** | PER | LOC | ORG | train s |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for path in sorted(RESULTS.glob("*.json"), key=lambda p: p.stat().st_mtime):
        r = json.loads(path.read_text(encoding="utf-8"))
        test, dev = r["germeval"]["test"], r["germeval"]["tune-dev"]
        mix = ", ".join(f"{k.split('_')[0]} ×{v:g}" for k, v in r["mix"].items())
        parts = [f"{k.split('.')[-1]}={v}" for k, v in r.get("overrides", {}).items()]
        if r.get("pretrained_tok2vec"):
            parts.append(f"pretrained tok2vec `{Path(r['pretrained_tok2vec']).stem}`")
        if r.get("seed"):
            parts.append(f"seed {r['seed']}")
        if r.get("augment") != 0.5:
            parts.append(f"augment {r.get('augment')}")
        changes = "; ".join(parts) or "–"
        per = {lab: test["per_label"][lab]["f"] for lab in ("PER", "LOC", "ORG")}
        t = test["micro_PER_LOC_ORG"]
        rows.append(f"| {path.stem} | {mix} | {changes} | {dev['micro_PER_LOC_ORG']['f']:.3f} | {t['p']:.3f} | "
                    f"{t['r']:.3f} | **{t['f']:.3f}** | {per['PER']:.3f} | {per['LOC']:.3f} | {per['ORG']:.3f} | "
                    f"{r['seconds_train']:.0f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--mix", default=None, help="corpus=weight,... (default: DEFAULT_MIX)")
    parser.add_argument("--set", action="append", default=[], help="spaCy config override key=value")
    parser.add_argument("--augment", type=float, default=0.5)
    parser.add_argument("--max-minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--pretrained-tok2vec", type=Path, default=None,
                        help="tok2vec weights from lagebild.ner.pretrain (lagebild train ner --pretrain-minutes)")
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    if args.table:
        print(table())
        return
    from lagebild.ner.train import DEFAULT_MIX, train_ner

    mix = DEFAULT_MIX if args.mix is None else {k: float(v) for k, v in (x.split("=") for x in args.mix.split(","))}
    overrides = {k: _value(v) for k, v in (x.split("=", 1) for x in args.set)}
    log = io.StringIO()

    class Tee:
        def write(self, s):
            sys.stdout.write(s)
            log.write(s)

        def flush(self):
            sys.stdout.flush()

    result = train_ner(Path("/tmp/lagebild-ner-exp") / args.name, args.data, max_minutes=args.max_minutes,
                       seed=args.seed, mix=mix, augment=args.augment, overrides=overrides, pretrained_tok2vec=args.pretrained_tok2vec,
                       stdout=Tee())
    result.update(name=args.name, mix=mix, overrides=overrides, log=log.getvalue().splitlines()[-40:])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    print(json.dumps({p: result["germeval"][p]["micro_PER_LOC_ORG"] for p in result["germeval"]}, indent=1))


if __name__ == "__main__":
    main()
