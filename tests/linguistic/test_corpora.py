"""Corpus readers on tiny hand-written files, and the GSD dev split on the shared data."""

import pytest

from lagebild.linguistic.corpora import (
    EMPIRIST_TRAIN,
    GSD_DEV,
    gsd_dev_parts,
    read_conllu,
    read_empirist,
    to_doc,
)

VRT = """<?xml version="1.0" encoding="UTF-8"?>
<corpus>
<text subcorpus="cmc" set="train" id="t1">
<s>
Ich\tPPER\tPRON\tZ8\tich\tich\tich
komme\tVVFIN\tVERB\tM1\tkomme\tkommen\tkommen
ja\tPTKMA\tADV\tZ4\tja\tja\tja
an\tPTKVZ\tPART\tZ5\tan\tan\tan
,\t$,\tPUNCT\tZ9\t,\t,\t,
haste\tVAPPER\tAUX\tZ5\thast du\thaben\thaben
;-)\tEMOASC\tSYM\tE4\t;-)\t;-)\t;-)
</s>
</text>
</corpus>
"""


def test_empirist_tags_are_mapped_to_stts_and_gsd_upos(tmp_path):
    path = tmp_path / "mini.vrt"
    path.write_text(VRT, encoding="utf-8")
    (sentence,) = read_empirist(path)
    assert [(t.form, t.tag, t.upos) for t in sentence.tokens] == [
        ("Ich", "PPER", "PRON"), ("komme", "VVFIN", "VERB"), ("ja", "ADV", "ADV"), ("an", "PTKVZ", "ADP"),
        (",", "$,", "PUNCT"), ("haste", "", ""), (";-)", "XY", "SYM"),
    ]
    assert sentence.to_text() == "Ich komme ja an, haste ;-)"


def test_conllu_multiword_tokens_become_one_surface_token(tmp_path):
    path = tmp_path / "mini.conllu"
    path.write_text(
        "# sent_id = x\n# text = Zum Glück.\n"
        "1-2\tZum\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "1\tZu\tzu\tADP\tAPPR\t_\t3\tcase\t_\t_\n"
        "2\tdem\tder\tDET\tART\tCase=Dat\t3\tdet\t_\t_\n"
        "3\tGlück\tGlück\tNOUN\tNN\tCase=Dat\t0\troot\t_\tSpaceAfter=No\n"
        "4\t.\t.\tPUNCT\t$.\t_\t3\tpunct\t_\t_\n",
        encoding="utf-8",
    )
    (sentence,) = read_conllu(path)
    assert [(t.form, t.lemma, t.upos, t.tag, t.feats) for t in sentence.tokens][0] == ("Zum", "zu", "ADP", "APPRART", "Case=Dat")
    assert [t.space_after for t in sentence.tokens] == [True, False, False]
    import spacy

    doc = to_doc(spacy.blank("de").vocab, sentence)
    assert doc.text == "Zum Glück." and doc[0].tag_ == "APPRART" and doc[1].lemma_ == "Glück"


def test_gsd_dev_split(shared):
    parts = gsd_dev_parts(read_conllu(shared / GSD_DEV))
    assert {name: len(p) for name, p in parts.items()} == {"train": 320, "tune": 80, "heldout": 399}
    ids = [{s.id for s in p} for p in parts.values()]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])


def test_empirist_train_reads(shared):
    sentences = read_empirist(shared / EMPIRIST_TRAIN)
    assert len(sentences) == 1001 and sum(len(s.tokens) for s in sentences) == 10053
