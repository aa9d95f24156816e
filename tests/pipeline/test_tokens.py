import pytest

from lagebild.model import Article, Paragraph
from lagebild.pipeline.tokens import make_tokens
from lagebild.settings import Settings

run = make_tokens(Settings())


def sentences(*paragraphs: str) -> list[str]:
    text = "\n\n".join(paragraphs)
    spans, offset = [], 0
    for p in paragraphs:
        spans.append(Paragraph(offset, offset + len(p), "body"))
        offset += len(p) + 2
    article = run(Article(id="t", source=None, raw=text, text=text, paragraphs=spans))
    return [article.text[s.start : s.end] for s in article.sentences]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Am 27. November 2015 traf er Putin. Dann flog er heim.", ["Am 27. November 2015 traf er Putin.", "Dann flog er heim."]),
        ("Dr. Müller kam z.B. mit Nr. 5 an. Ca. 100 Menschen warteten.", ["Dr. Müller kam z.B. mit Nr. 5 an.", "Ca. 100 Menschen warteten."]),
        ("Die 3. Liga spielt am 1. Mai. Es ist 13.44 Uhr.", ["Die 3. Liga spielt am 1. Mai.", "Es ist 13.44 Uhr."]),
        ("Er sagte: „Wir kommen.“ Dann ging er.", ["Er sagte: „Wir kommen.“", "Dann ging er."]),
        ("„Das ist gut“, sagte er. \"Ja!\" rief sie.", ["„Das ist gut“, sagte er.", "\"Ja!\" rief sie."]),
        ("Was nun? Niemand weiß es … Wirklich niemand!", ["Was nun?", "Niemand weiß es …", "Wirklich niemand!"]),
        ("Die Zahl stieg um ca. 5 Prozent – so die Behörde.", ["Die Zahl stieg um ca. 5 Prozent – so die Behörde."]),
        ("Er kam (wie erwartet.) spät an.", ["Er kam (wie erwartet.) spät an."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_sentences_never_cross_paragraphs():
    assert sentences("Überschrift ohne Punkt", "Erster Satz. Zweiter Satz.") == [
        "Überschrift ohne Punkt", "Erster Satz.", "Zweiter Satz."]


def test_tokens_have_offsets_into_the_text():
    text = "Putin traf Hollande in Moskau."
    article = run(Article(id="t", source=None, raw=text, text=text, paragraphs=[Paragraph(0, len(text), "body")]))
    assert [(t.idx, t.text) for t in article.doc][:3] == [(0, "Putin"), (6, "traf"), (11, "Hollande")]
    assert [s.text for s in article.doc.sents] == [text]


def test_empty_text_has_no_sentences():
    article = run(Article(id="t", source=None, raw="", text="", paragraphs=[]))
    assert article.sentences == []


def test_a_5000_token_run_without_punctuation_is_one_sentence():
    text = " ".join(["wort"] * 5000)
    assert len(sentences(text)) == 1
