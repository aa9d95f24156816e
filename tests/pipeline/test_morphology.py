"""The morphology stage on hand-built articles: verb mood (Konjunktiv I/II), lemmas, registration.

These tests load the shipped tagger weights (src/lagebild/models/tagger_de); they never train.
"""

import pytest

from lagebild.linguistic.annotate import mood_label
from lagebild.model import Article, Paragraph
from lagebild.pipeline import check_order, registry
from lagebild.pipeline.morphology import make_morphology
from lagebild.pipeline.tokens import make_tokens
from lagebild.settings import Settings

tokens = make_tokens(Settings())


@pytest.fixture(scope="module")
def morphology():
    return make_morphology(Settings())


def analyse(morphology, text: str):
    article = Article(id="t", source=None, raw=text, text=text, paragraphs=[Paragraph(0, len(text), "body")])
    return morphology(tokens(article)).doc


def token(doc, form: str, nth: int = 1):
    found = [t for t in doc if t.text == form]
    assert len(found) >= nth, f"{form!r} not among {[t.text for t in doc]}"
    return found[nth - 1]


@pytest.mark.parametrize(
    "text,verb,mood",
    [
        # Konjunktiv I in indirect speech, 3rd person
        ("Der Außenminister sagte, Assad müsse gehen.", "müsse", "KI"),
        ("Die Sprecherin erklärte, man habe eine Waffenruhe vereinbart.", "habe", "KI"),
        ("Nach Angaben der Behörde sei der Brand unter Kontrolle.", "sei", "KI"),
        ("Der Vermittler sagte, der Konflikt brauche eine politische Lösung.", "brauche", "KI"),
        ("Die Partei erklärte, sie werde gegen das Gesetz stimmen.", "werde", "KI"),
        ("Der Verband betonte, dass die Branche mehr Personal brauche.", "brauche", "KI"),
        ("Die Diplomaten seien zuversichtlich, hieß es aus Genf.", "seien", "KI"),
        # the same forms with a 1st person subject are indicative
        ("Ich habe den Bericht gelesen.", "habe", "Ind"),
        ("Ich brauche eine Pause.", "brauche", "Ind"),
        ("Ich werde morgen abreisen.", "werde", "Ind"),
        # plain indicative
        ("Die Regierung hat den Haushalt beschlossen.", "hat", "Ind"),
        ("Die Stadt muss sparen.", "muss", "Ind"),
        ("Der Minister wird zurücktreten.", "wird", "Ind"),
        # 3rd person plural: Konjunktiv I looks like the indicative, so the form says Ind ...
        ("Die Bauern sagten, sie haben keine Wahl.", "haben", "Ind"),
        # ... and German news switches to Konjunktiv II
        ("Die Bauern sagten, sie hätten keine Wahl.", "hätten", "KII"),
        ("Ohne die Spenden hätte der Verein aufgeben müssen.", "hätte", "KII"),
        ("Ein Rücktritt wäre das falsche Signal.", "wäre", "KII"),
        ("Die Koalition würde einen Kompromiss begrüßen.", "würde", "KII"),
    ],
)
def test_mood_of_finite_verbs(morphology, text, verb, mood):
    assert mood_label(token(analyse(morphology, text), verb)) == mood


def test_konjunktiv_features_follow_ud_german(morphology):
    doc = analyse(morphology, "Der Sprecher sagte, die Lage sei ernst, doch man hätte früher handeln müssen.")
    sei, haette = token(doc, "sei"), token(doc, "hätte")
    assert sei.morph.to_dict() == {"Mood": "Sub", "Number": "Sing", "Person": "3", "Tense": "Pres", "VerbForm": "Fin"}
    assert haette.morph.get("Mood") == ["Sub"] and haette.morph.get("Tense") == ["Past"]
    assert token(doc, "sagte").morph.get("Mood") == ["Ind"]


@pytest.mark.parametrize(
    "text,form,lemma",
    [
        ("Die Ministerin sagte, es gebe keine Einigung.", "gebe", "geben"),
        ("Die Ministerin sagte, es gebe keine Einigung.", "sagte", "sagen"),
        ("Das Parlament hat den Vorschlag abgelehnt.", "abgelehnt", "ablehnen"),
        ("Die Truppen zogen sich aus der Stadt zurück.", "zogen", "ziehen"),
        ("Die Polizei hatte zwei Verdächtige festgenommen.", "festgenommen", "festnehmen"),
        ("Die Verhandlungen der Ministerien dauerten lange.", "Verhandlungen", "Verhandlung"),
        ("Die Verhandlungen der Ministerien dauerten lange.", "Ministerien", "Ministerium"),
        ("Die Häuser am Fluss wurden evakuiert.", "Häuser", "Haus"),
    ],
)
def test_lemmas(morphology, text, form, lemma):
    assert token(analyse(morphology, text), form).lemma_ == lemma


def test_every_token_gets_pos_tag_and_lemma(morphology):
    doc = analyse(morphology, "Die Regierung in Berlin sagte am Montag, sie prüfe den Antrag.")
    assert all(t.pos_ and t.tag_ and t.lemma_ for t in doc)
    assert token(doc, "Regierung").pos_ == "NOUN"
    assert token(doc, ",").pos_ == "PUNCT"
    assert token(doc, "prüfe").tag_ == "VVFIN"


def test_empty_article_passes_through(morphology):
    article = morphology(tokens(Article(id="t", source=None, raw="", text="", paragraphs=[])))
    assert len(article.doc) == 0


def test_stage_is_registered_with_its_needs():
    info = registry()["morphology"]
    assert info.qualified == "morphology.v1"
    assert info.requires == ("tokens",)
    assert info.assigns == ("lemmas", "pos", "morph")
    assert [i.name for i in check_order(["extract", "structure", "language", "tokens", "morphology"])][-1] == "morphology"
