"""The training loop shared by lagebild's trainers (``lagebild train ner``, ``lagebild train tagger``).

spaCy's own loop (:mod:`spacy.training.loop`) with a wall-clock limit: it evaluates every
``eval_frequency`` steps on the dev corpus of the pipeline's config, keeps the best model in
``output_path/model-best`` and stops at ``max_steps``, on ``patience`` or after ``max_seconds``.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def train_loop(nlp, output_path: Path, max_seconds: float | None, stdout=sys.stdout,
               progress: Callable[[dict[str, Any]], str] | None = None) -> Path:
    """Train ``nlp`` (initialised) as its config says; returns the path of ``model-best``.

    ``progress`` formats one evaluation line from spaCy's ``info`` dict (epoch, step, losses,
    score, other_scores, words).
    """
    from spacy.schemas import ConfigSchemaTraining
    from spacy.training.loop import (
        create_before_to_disk_callback,
        create_evaluation_callback,
        create_train_batches,
        train_while_improving,
        update_meta,
    )
    from spacy.util import registry, resolve_dot_names
    from thinc.api import fix_random_seed

    config = nlp.config.interpolate()
    if config["training"]["seed"] is not None:
        fix_random_seed(config["training"]["seed"])
    T = registry.resolve(config["training"], schema=ConfigSchemaTraining)
    train_corpus, dev_corpus = resolve_dot_names(config, [T["train_corpus"], T["dev_corpus"]])
    optimizer = T["optimizer"]
    before_to_disk = create_before_to_disk_callback(T["before_to_disk"])
    steps = train_while_improving(
        nlp,
        optimizer,
        create_train_batches(nlp, train_corpus, T["batcher"], T["max_epochs"]),
        create_evaluation_callback(nlp, dev_corpus, T["score_weights"]),
        dropout=T["dropout"],
        accumulate_gradient=T["accumulate_gradient"],
        patience=T["patience"],
        max_steps=T["max_steps"],
        eval_frequency=T["eval_frequency"],
        exclude=T["frozen_components"],
        annotating_components=T["annotating_components"],
        before_update=T["before_update"],
    )
    best = output_path / "model-best"
    output_path.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    for _batch, info, is_best in steps:
        if is_best is not None:
            update_meta(T, nlp, info)
            line = progress(info) if progress else f"epoch {info['epoch']:>3} step {info['step']:>6} score {info['score']:.4f}"
            stdout.write(f"{line} {'*' if is_best else ''} ({int(time.monotonic() - start)} s, {info['words']} words)\n")
            stdout.flush()
            if is_best:
                if best.exists():
                    shutil.rmtree(best)
                with nlp.use_params(optimizer.averages):
                    before_to_disk(nlp).to_disk(best)
        if max_seconds is not None and time.monotonic() - start > max_seconds:
            stdout.write("time limit reached\n")
            break
    if not best.exists():
        with nlp.use_params(optimizer.averages):
            nlp.to_disk(best)
    return best
