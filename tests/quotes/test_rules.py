"""Quote rules of the fourth round (pipeline/quotes.py), on hand-made German sentences.

Rules alone (``quote_model="none"``) with the given-name rule for persons (``ner_backend="none"``),
as in ``tests/pipeline/test_quotes.py``; each case failed before its rule existed.
"""

import pytest

from lagebild.api import analyze_text
from lagebild.settings import Settings

STAGES = ["extract", "structure", "language", "tokens", "morphology", "entities", "quotes"]
SETTINGS = Settings(stages=STAGES, ner_backend="none", quote_model="none")


def quotes_of(text: str) -> list[tuple[str, str, str | None]]:
    article = analyze_text(text, settings=SETTINGS)
    return [(q.kind, q.content.text, q.speaker.text if q.speaker else None) for q in article.quotes]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A Konjunktiv I sentence after a sentence whose subject can speak gives its words, also
        # far from the last quote ...
        ("Maria Keller sagte, die Schule brauche mehr Geld. Die Stadt plant einen Neubau. "
         "Der Verband der Eltern traf sich am Abend. Der Neubau sei zu klein.",
         [("indirect", "die Schule brauche mehr Geld", "Maria Keller"),
          ("free_indirect", "Der Neubau sei zu klein", "Der Verband der Eltern")]),
        # ... and with no quote before at all.
        ("Thomas Berger sieht den Streit gelassen. Die Vorwürfe seien haltlos.",
         [("free_indirect", "Die Vorwürfe seien haltlos", "Thomas Berger")]),
        # Right after a quote, the quote's speaker as before.
        ("Maria Keller sagte, die Schule brauche mehr Geld. Der Neubau sei zu klein.",
         [("indirect", "die Schule brauche mehr Geld", "Maria Keller"),
          ("free_indirect", "Der Neubau sei zu klein.", "Maria Keller")]),
    ],
)
def test_konjunktiv_continues_after_an_introducing_subject(text, expected):
    assert quotes_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Nobody is named as saying it: no quote, no invented speaker.
        "Die Brücke ist alt. Sie wurde 1950 gebaut. Der Verkehr nimmt zu. Die Brücke sei marode.",
        # Indicative sentences between a quote and a Konjunktiv I sentence whose subject names nobody.
        "Maria Keller sagte, die Schule brauche mehr Geld. Die Stadt plant seit Jahren einen Neubau. "
        "Der Bau ist teuer. Ohne Hilfe des Landes sei er nicht zu bezahlen.",
    ],
)
def test_konjunktiv_far_from_any_speaker_stays_no_quote(text):
    assert [q for q in quotes_of(text) if q[0] == "free_indirect"] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Maria Keller besuchte die Schule. „Wir brauchen mehr Lehrer. Das ist klar.“",
         [("direct", "Wir brauchen mehr Lehrer. Das ist klar.", "Maria Keller")]),
        ("Maria Keller sprach vor den Eltern über die Schule: „Wir brauchen mehr Lehrer und bessere Räume.“",
         [("direct", "Wir brauchen mehr Lehrer und bessere Räume.", "Maria Keller")]),
        # A title is no quote, nor a quotation after a sentence that names no speaker.
        ("Die Show beginnt um acht. „Wer wird Millionär?“ läuft danach.", []),
        ("Das Wetter war schön. „Wir brauchen mehr Lehrer und bessere Räume.“", []),
    ],
)
def test_quotation_filling_sentences_after_its_speaker(text, expected):
    assert quotes_of(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Es gibt einen Bericht der Zeitung, wonach der Bürgermeister zurücktreten werde.",
         [("indirect", "der Bürgermeister zurücktreten werde", "der Zeitung")]),
        ("Im Netz kursieren Gerüchte, wonach das Wasser verseucht sei.",
         [("indirect", "das Wasser verseucht sei", "Gerüchte")]),
    ],
)
def test_wonach_clause_is_indirect_speech(text, expected):
    assert quotes_of(text) == expected


def test_wonach_cue_span():
    article = analyze_text("Es gibt einen Bericht der Zeitung, wonach der Bürgermeister zurücktreten werde.",
                           settings=SETTINGS)
    (quote,) = article.quotes
    assert quote.cue is not None and quote.cue.text == "wonach"


@pytest.mark.parametrize(
    "text, speaker",
    [
        # A fronted object before the cue verb; the person after it is the speaker.
        ("Eine Verschiebung der Wahl bezeichnete Maria Keller als fatal.", "Maria Keller"),
        ("Die Pläne der Regierung lehnte Thomas Berger ab.", "Thomas Berger"),
        # A source noun in the prefield stays the speaker: the report accuses the person.
        ("Der Bericht warf Thomas Berger vor, die Kosten verschwiegen zu haben.", "Der Bericht"),
    ],
)
def test_fronted_object_is_no_speaker(text, speaker):
    assert [q[2] for q in quotes_of(text)] == [speaker]


@pytest.mark.parametrize(
    "text, speaker",
    [
        # Reported speech of a country, and of a pronoun that names nobody (plural "sie").
        ("Die USA lehnten den Vorschlag zunächst ab.", "Die USA"),
        ("Die Delegierten kamen am Morgen an. Sie forderten ein Ende der Kämpfe.", "Sie"),
    ],
)
def test_reported_speech_of_places_and_pronouns(text, speaker):
    assert [(q[0], q[2]) for q in quotes_of(text)] == [("reported", speaker)]


@pytest.mark.parametrize(
    "text, addressee",
    [
        # Reported speech keeps its addressee although the whole sentence is the content.
        ("Thomas Berger rief die Bürger zum Sparen auf.", "die Bürger"),
        # A reproach in quotation marks after the object is no title of it.
        ("Maria Keller warf der Koalition „Chaos mit Ansage“ vor.", "der Koalition"),
    ],
)
def test_addressee_of_reported_speech(text, addressee):
    article = analyze_text(text, settings=SETTINGS)
    assert [q.addressee.text if q.addressee else None for q in article.quotes] == [addressee]


@pytest.mark.parametrize(
    "text, content",
    [
        # A source phrase inside a relative clause: the clause is what the source said.
        ("Bei der Kontrolle fand man eine Tasche, die nach Angaben der Polizei Sprengstoff enthalten sollte.",
         "die nach Angaben der Polizei Sprengstoff enthalten sollte"),
        ("Das Projekt scheiterte am Verfahren, das laut dem Ministerium nicht rechtzeitig abgeschlossen wurde.",
         "das laut dem Ministerium nicht rechtzeitig abgeschlossen wurde"),
        # In the main clause after a fronted clause, the whole sentence stays the content.
        ("Nachdem er Probleme hatte, geht es ihm nach Angaben der Ärzte wieder gut.",
         "Nachdem er Probleme hatte, geht es ihm nach Angaben der Ärzte wieder gut"),
    ],
)
def test_source_phrase_inside_a_clause(text, content):
    assert [q[1] for q in quotes_of(text)] == [content]
