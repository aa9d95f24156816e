"""Where lagebild finds the shared training and evaluation data (never shipped with the package)."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data() -> Path | None:
    """``$LAGEBILD_SHARED_DATA``, else ``../shared/data`` beside the repository or the working folder."""
    candidates = []
    if os.environ.get("LAGEBILD_SHARED_DATA"):
        candidates.append(Path(os.environ["LAGEBILD_SHARED_DATA"]))
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    candidates.append(Path.cwd().parent / "shared" / "data")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None
