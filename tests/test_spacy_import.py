"""spaCy is imported without torch unless a backend may need it; torch stays importable."""

import subprocess
import sys

import pytest

CODE = """
import sys
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings
Pipeline(Settings(stages=["extract", "structure", "tokens"], ner_backend={backend!r}))
import thinc.compat
print(thinc.compat.has_torch)
import torch  # still importable for the user
print("torch" in sys.modules)
"""


@pytest.mark.parametrize("backend,has_torch", [("shipped", False), ("hf:/some/model", True)])
def test_torch_hidden_from_thinc_only_when_unneeded(backend, has_torch):
    pytest.importorskip("torch", reason="torch is not installed (the hf extra)")
    result = subprocess.run([sys.executable, "-c", CODE.format(backend=backend)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(has_torch), "True"]
