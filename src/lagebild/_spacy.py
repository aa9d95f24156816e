"""Import spaCy without torch when no configured stage can need it.

thinc, spaCy's machine-learning library, imports torch at import time whenever torch is
installed (the ``hf`` extra installs it). That costs about 250 MB of memory in every process and
worker, although lagebild's own models are thinc-native. So spaCy is imported with torch hidden
for the duration of that one import, unless the configured NER backend may need torch (a user's
spaCy pipeline could be transformer-based; the Hugging Face backend uses torch directly). torch
stays importable afterwards, for lagebild and for the user.
"""

from __future__ import annotations

import sys


def import_spacy(*, allow_torch: bool) -> None:
    """Import spaCy (once per process), hiding torch from thinc unless ``allow_torch``."""
    if "spacy" in sys.modules or "thinc" in sys.modules or allow_torch or "torch" in sys.modules:
        import spacy  # noqa: F401
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail inside thinc
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


def numpy_matmul(nlp) -> None:
    """Let the CPU models of ``nlp`` multiply matrices with numpy instead of thinc's blis.

    thinc's ``NumpyOps`` calls blis for ``gemm``; on the small matrices of lagebild's shipped
    models (widths 48 to 96, one article at a time) numpy's BLAS was 2 to 3 times faster on this
    machine, and the rest of each layer stays the same code. Only models on plain ``NumpyOps``
    are switched (a user's GPU or Apple ops stay as they are). Results agree up to the last bits
    of a float (summation order); ``tests/test_spacy_import.py`` checks that the shipped models
    give the same annotations either way.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, proc in getattr(nlp, "pipeline", []):
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
