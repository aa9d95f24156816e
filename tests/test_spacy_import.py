"""spaCy is imported without torch unless a backend may need it; torch stays importable."""

import subprocess
import sys
from pathlib import Path

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


def test_numpy_matmul_switches_the_shipped_models_and_keeps_their_annotations():
    """Both shipped CNNs (tagger, NER) run with numpy's matrix product; the annotations stay the same."""
    import numpy

    from lagebild._spacy import numpy_matmul
    from lagebild.linguistic.annotate import MODEL_PATH as TAGGER
    from lagebild.ner import MODEL_DIR as NER

    import spacy

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((Path(__file__).resolve().parents[1] / "corpora" / "samples").glob("*.txt"))[:6]]
    for path in (TAGGER, NER):
        blis, fast = spacy.load(path), spacy.load(path)
        numpy_matmul(fast)
        nodes = [node for _name, proc in fast.pipeline if hasattr(proc, "model") for node in proc.model.walk()]
        assert nodes and all(not getattr(node.ops, "use_blis", True) for node in nodes)
        for a, b in zip(blis.pipe(texts), fast.pipe(texts)):
            assert [t.tag_ for t in a] == [t.tag_ for t in b]
            assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
        for _name, proc in fast.pipeline:  # the tok2vec outputs themselves agree to float precision
            if hasattr(proc, "model") and proc.model.has_ref("tok2vec"):
                docs = list(blis.pipe(texts[:2]))
                ref = dict(blis.pipeline)[_name].model.get_ref("tok2vec").predict(docs)
                got = proc.model.get_ref("tok2vec").predict(docs)
                assert all(numpy.allclose(x, y, atol=1e-4) for x, y in zip(ref, got))
