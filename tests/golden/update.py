"""Rewrite the golden files from the current pipeline: run, then review `git diff tests/golden` by eye.

    .venv/bin/python tests/golden/update.py
"""

import json
from pathlib import Path

from lagebild.api import analyze_path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# Whole-article golden files: sample articles of different kinds, and the reference seed.
SAMPLES = [
    "corpora/samples/01-tabloid-energiegipfel.txt",
    "corpora/samples/19-schweiz-abstimmung.txt",
    "corpora/samples/08-broadsheet-nato-treffen.html",
    "corpora/samples/17-oesterreich-nationalrat.txt",
]
SEED = ROOT.parent / "shared" / "seed" / "huffpost-de-2015-11-27-hollande-putin.txt"
VOLATILE = ("id", "source")


def golden(path: Path) -> dict:
    data = analyze_path(path).to_dict()
    return {k: v for k, v in data.items() if k not in VOLATILE}


def main() -> None:
    for relative in SAMPLES:
        path = ROOT / relative
        (HERE / (path.name + ".json")).write_text(json.dumps(golden(path), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if SEED.exists():
        (HERE / "huffpost-seed.expected.json").write_text(json.dumps(golden(SEED), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
