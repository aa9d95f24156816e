"""Commands of the linguistic layer: ``python -m lagebild.linguistic {train,eval-ud,eval-mood,bench}``.

A thin edge over :mod:`lagebild.linguistic.train` and :mod:`lagebild.linguistic.evaluate`: parse
arguments, call the library, print JSON. Shared data is found with
:func:`lagebild.paths.shared_data` unless ``--data`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[3]
MOOD_GOLD = ROOT / "tests" / "linguistic" / "data" / "mood_gold.tsv"


def _data(path: str | None) -> Path:
    from lagebild.paths import shared_data

    root = Path(path) if path else shared_data()
    if root is None or not root.is_dir():
        raise SystemExit("shared data not found: pass --data or set LAGEBILD_SHARED_DATA")
    return root


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lagebild.linguistic", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the tagger (reproduces src/lagebild/models/tagger_de)")
    train.add_argument("output", type=Path)
    train.add_argument("--data")
    train.add_argument("--max-minutes", type=float, default=60)
    train.add_argument("--seed", type=int, default=0)
    ud = sub.add_parser("eval-ud", help="UPOS, STTS, lemma and mood scores on UD German GSD dev")
    ud.add_argument("--data")
    ud.add_argument("--part", choices=("heldout", "tune", "train", "all"), default="heldout")
    ud.add_argument("--model", type=Path, help="tagger weights (default: shipped)")
    mood = sub.add_parser("eval-mood", help="mood accuracy on the hand-written mood set")
    mood.add_argument("path", type=Path, nargs="?", default=MOOD_GOLD)
    mood.add_argument("--model", type=Path)
    bench = sub.add_parser("bench", help="tokens/s of tokenisation + morphology on text files (one article each)")
    bench.add_argument("files", type=Path, nargs="+")
    bench.add_argument("--seconds", type=float, default=20)
    bench.add_argument("--model", type=Path)
    args = parser.parse_args(argv)

    from lagebild.linguistic import evaluate
    from lagebild.pipeline.morphology import make_stage

    if args.command == "train":
        from lagebild.linguistic.train import train_tagger

        result = train_tagger(args.output, _data(args.data), args.max_minutes, seed=args.seed, stdout=sys.stderr)
    elif args.command == "eval-ud":
        from lagebild.linguistic.corpora import GSD_DEV, gsd_dev_ids

        path = _data(args.data) / GSD_DEV
        ids = None if args.part == "all" else gsd_dev_ids(path, args.part)
        result = evaluate.evaluate_ud(make_stage(args.model), path, sentence_ids=ids)
    elif args.command == "eval-mood":
        result = evaluate.evaluate_mood(args.path, make_stage(args.model))
    else:
        texts = [_read(p) for p in args.files]
        result = evaluate.throughput(texts, seconds=args.seconds, nlp_or_stage=make_stage(args.model))
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
