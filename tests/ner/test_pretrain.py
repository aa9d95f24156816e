"""Tok2vec pretraining (lagebild.ner.pretrain): masking keeps the gazetteer feature, weights load into the NER."""

import io

import numpy
import pytest

from lagebild.ner.pretrain import RAW_SOURCES, _CorpusWords, _mask_docs, pretrain_tok2vec, raw_texts


def test_mask_keeps_tag_of_unmasked_tokens_only():
    import spacy

    nlp = spacy.blank("de")
    doc = nlp.make_doc("Angela Merkel besuchte gestern Paris und Rom .")
    for token in doc:
        token.tag_ = "G-LOC" if token.text in {"Paris", "Rom"} else ""
    rng = numpy.random.default_rng(1)
    keep, (masked,) = _mask_docs([doc], _CorpusWords(["Haus"], rng), rng, mask_prob=0.5)
    assert len(masked) == len(doc) and 0 < keep.sum() < len(doc)
    for kept, orig, new in zip(keep, doc, masked):
        if kept:
            assert (new.text, new.tag_) == (orig.text, orig.tag_)
        else:
            assert new.tag_ == "" and new.text in {"[MASK]", "Haus", orig.text}


def test_pretrained_weights_load_into_the_ner(tmp_path):
    from spacy.training import Example
    from spacy.util import load_config, load_model_from_config

    from lagebild.ner.train import DEFAULT_CONFIG, load_pretrained_tok2vec

    texts = [("toy", "Heute sprach Anna Beispiel in Kiel über den Hafen."),
             ("toy", "Gestern kam Karl Weber mit dem Zug nach Ulm.")] * 20
    out = tmp_path / "t2v.bin"
    report = pretrain_tok2vec(out, tmp_path, max_minutes=0.02, batch_words=50, texts=texts, stdout=io.StringIO())
    assert report["tokens"] == 20 * (10 + 10) and report["words_seen"] > 0 and out.stat().st_size > 0
    nlp = load_model_from_config(load_config(DEFAULT_CONFIG), auto_fill=True)
    doc = nlp.make_doc("Karl Weber war in Ulm .")
    nlp.initialize(lambda: [Example.from_dict(doc, {"entities": ["B-PER", "L-PER", "O", "O", "U-LOC", "O"]})])
    load_pretrained_tok2vec(nlp, out)
    assert nlp.get_pipe("ner").model.get_ref("tok2vec").to_bytes() == out.read_bytes()


def test_raw_text_sources_are_commercially_usable_and_exclude_germeval_test():
    assert set(RAW_SOURCES) == {"germeval2014_ner", "smartdata_corpus", "mobie_ner", "europeana_newspapers_ner_de"}
    assert not any("NC" in licence or "SA" in licence for licence in RAW_SOURCES.values())
    with pytest.raises(ValueError):
        list(raw_texts(".", ["spkatt2023_task2_news"]))


def test_raw_germeval_text_is_the_training_part_only(shared):
    import re

    from lagebild.ner.germeval import read_germeval, select_part

    def letters(text):
        return re.sub(r"\W", "", text)

    raw = {letters(text) for source, text in raw_texts(shared, ["germeval2014_ner"])}
    sentences = read_germeval(shared / "germeval2014_ner" / "NER-de-dev.tsv")
    train = [letters("".join(s.tokens)) for s in select_part(sentences, "tune-train")]
    assert len(raw) <= 900 and sum(t in raw for t in train) >= 890
    for part in ("tune-dev", "test"):
        assert not any(letters("".join(s.tokens)) in raw for s in select_part(sentences, part))
