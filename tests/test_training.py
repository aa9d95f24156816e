"""The shared training loop trains a toy NER for a few steps and keeps the best model (no shipped weights touched)."""

import io

from lagebild.training import train_loop


def test_train_loop_writes_model_best(tmp_path):
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp

    nlp = spacy.blank("de")
    bin_ = DocBin()
    for text, name in [("Heute sprach Anna Beispiel in Kiel.", "Anna Beispiel"), ("Gestern kam Karl Weber nach Ulm.", "Karl Weber")] * 4:
        doc = nlp.make_doc(text)
        start = text.index(name)
        doc.ents = [doc.char_span(start, start + len(name), label="PER")]
        bin_.add(doc)
    bin_.to_disk(tmp_path / "toy.spacy")
    config = init_config(lang="de", pipeline=["ner"], optimize="efficiency")
    config["paths"]["train"] = config["paths"]["dev"] = str(tmp_path / "toy.spacy")
    config["training"]["max_steps"] = 12
    config["training"]["eval_frequency"] = 4
    log = io.StringIO()
    best = train_loop(init_nlp(config), tmp_path / "out", None, log, progress=lambda info: f"step {info['step']}")
    assert (best / "meta.json").exists() and spacy.load(best).pipe_names == ["tok2vec", "ner"]
    assert "step 4" in log.getvalue()
    limited = train_loop(init_nlp(config), tmp_path / "out2", 0.0, io.StringIO())
    assert limited.exists()  # a time limit still leaves a usable model
