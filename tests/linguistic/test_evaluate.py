"""The evaluator on a tiny hand-written CoNLL-U file and mood set, with a stand-in stage: exact numbers."""

import pytest

from lagebild.linguistic.evaluate import evaluate_mood, evaluate_ud, read_mood_gold

CONLLU = """\
# sent_id = a1
# text = Er sagte, sie sei krank.
1\tEr\ter\tPRON\tPPER\tCase=Nom|Number=Sing|Person=3|PronType=Prs\t2\tnsubj\t_\t_
2\tsagte\tsagen\tVERB\tVVFIN\tMood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin\t0\troot\t_\tSpaceAfter=No
3\t,\t,\tPUNCT\t$,\t_\t6\tpunct\t_\t_
4\tsie\tsie\tPRON\tPPER\tCase=Nom|Number=Sing|Person=3|PronType=Prs\t6\tnsubj\t_\t_
5\tsei\tsein\tAUX\tVAFIN\tMood=Sub|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin\t6\tcop\t_\t_
6\tkrank\tkrank\tADJ\tADJD\tDegree=Pos\t2\tccomp\t_\tSpaceAfter=No
7\t.\t.\tPUNCT\t$.\t_\t2\tpunct\t_\t_

# sent_id = a2
# text = Wir gehen zum Markt.
1\tWir\twir\tPRON\tPPER\tCase=Nom|Number=Plur|Person=1|PronType=Prs\t2\tnsubj\t_\t_
2\tgehen\tgehen\tVERB\tVVFIN\tMood=Ind|Number=Plur|Person=1|Tense=Pres|VerbForm=Fin\t0\troot\t_\t_
3-4\tzum\t_\t_\t_\t_\t_\t_\t_\t_
3\tzu\tzu\tADP\tAPPR\t_\t5\tcase\t_\t_
4\tdem\tder\tDET\tART\tCase=Dat|Definite=Def|Gender=Masc|Number=Sing|PronType=Art\t5\tdet\t_\t_
5\tMarkt\tMarkt\tNOUN\tNN\tCase=Dat|Gender=Masc|Number=Sing\t2\tobl\t_\tSpaceAfter=No
6\t.\t.\tPUNCT\t$.\t_\t2\tpunct\t_\t_
"""

#: What the stand-in stage predicts: form -> (UPOS, STTS, lemma, features). Wrong on purpose:
#: "krank" UPOS, "gehen" tag and mood, "zum" lemma, "sei" mood.
PREDICTIONS = {
    "Er": ("PRON", "PPER", "er", "Case=Nom|Number=Sing|Person=3|PronType=Prs"),
    "sagte": ("VERB", "VVFIN", "sagen", "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin"),
    ",": ("PUNCT", "$,", ",", ""),
    "sie": ("PRON", "PPER", "sie", ""),
    "sei": ("AUX", "VAFIN", "sein", "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"),
    "krank": ("ADV", "ADJD", "krank", ""),
    ".": ("PUNCT", "$.", ".", ""),
    "Wir": ("PRON", "PPER", "wir", ""),
    "gehen": ("VERB", "VVINF", "gehen", "VerbForm=Inf"),
    "zum": ("ADP", "APPRART", "zum", ""),
    "Markt": ("NOUN", "NN", "Markt", ""),
    "habe": ("AUX", "VAFIN", "haben", "Mood=Sub|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"),
    "hätte": ("AUX", "VAFIN", "haben", "Mood=Sub|Number=Sing|Person=3|Tense=Past|VerbForm=Fin"),
    "hat": ("AUX", "VAFIN", "haben", "Mood=Sub|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"),
}


def stand_in(article):
    for token in article.doc:
        pos, tag, lemma, feats = PREDICTIONS.get(token.text, ("X", "XY", token.text, ""))
        token.pos_, token.tag_, token.lemma_ = pos, tag, lemma
        token.set_morph(feats or None)
    return article


@pytest.fixture
def conllu(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    return path


def test_scores_every_gold_surface_token(conllu):
    scores = evaluate_ud(stand_in, conllu)
    assert (scores["sentences"], scores["tokens"], scores["aligned"]) == (2, 12, 1.0)
    assert scores["upos"] == scores["tag"] == scores["lemma"] == round(11 / 12, 4)
    assert scores["lemma_by_upos"]["ADP"] == 0.0  # "zum" is scored against the lemma of "zu"
    mood = scores["mood"]
    assert (mood["tokens"], mood["accuracy"], mood["label_accuracy"]) == (3, round(1 / 3, 4), round(1 / 3, 4))
    assert (mood["sub_gold"], mood["sub_predicted"], mood["sub_precision"], mood["sub_recall"]) == (1, 0, 0.0, 0.0)
    assert mood["person"] == round(2 / 3, 4)


def test_sentence_ids_select_sentences(conllu):
    scores = evaluate_ud(stand_in, conllu, sentence_ids=["a2"])
    assert (scores["sentences"], scores["tokens"]) == (1, 5)
    assert (scores["upos"], scores["tag"], scores["lemma"]) == (1.0, 0.8, 0.8)
    assert (scores["mood"]["tokens"], scores["mood"]["accuracy"]) == (1, 0.0)


def test_a_spacy_pipeline_can_be_scored(conllu):
    import spacy

    scores = evaluate_ud(spacy.blank("de"), conllu)
    assert scores["aligned"] == 1.0 and scores["upos"] == 0.0


def test_mood_set(tmp_path):
    path = tmp_path / "mood.tsv"
    path.write_text(
        "# id  sentence  verb  mood  note\n"
        "x1\tEr sagte, er habe Zeit.\thabe\tKI\n"
        "x2\tEr hätte Zeit.\thätte\tKII\n"
        "x3\tEr hat Zeit.\that\tInd\tthe stand-in gets this one wrong\n"
        "x4\tEr hat Zeit, und sie hat Geld.\that@2\tInd\n",
        encoding="utf-8",
    )
    assert [row["verb"] for row in read_mood_gold(path)] == ["habe", "hätte", "hat", "hat@2"]
    result = evaluate_mood(path, stand_in)
    assert (result["sentences"], result["accuracy"]) == (4, 0.5)
    assert result["confusion"] == {"Ind>KI": 2, "KI>KI": 1, "KII>KII": 1}
    assert result["labels"]["KI"] == {"gold": 1, "precision": round(1 / 3, 4), "recall": 1.0}
    assert [e["id"] for e in result["errors"]] == ["x3", "x4"]


def test_mood_set_rejects_unknown_labels(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("y1\tEr kam.\tkam\tPast\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mood must be one of"):
        read_mood_gold(path)
