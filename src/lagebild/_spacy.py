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
