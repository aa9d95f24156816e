"""Rule components of the entities stage (lagebild.ner.rules): text -> expected spans, with negatives."""

import pytest

from lagebild.ner import rules

KNOWN = frozenset({"Frankreich", "Frankreichs", "Bayern"})
PLACES = frozenset({"Erfurt", "Kassel"})


def surfaces(text, spans):
    return [(text[s:e], label) for s, e, label in spans]


@pytest.mark.parametrize("text, expected", [
    ("Der bei dem Label stehende Rapper Alpa Gun ist dabei.", [("Alpa Gun", "PER")]),
    ("Mit Trainer Jürgen Klopp und Bundeskanzlerin Angela Merkel.", [("Jürgen Klopp", "PER"), ("Angela Merkel", "PER")]),
    ("Der Schriftsteller Joseph Victor von Scheffel kam.", [("Joseph Victor von Scheffel", "PER")]),
    ("Präsident Frankreichs ist er.", []),  # a place, not a person
    ("Trainer Klopp Montag ist frei.", []),  # the name must end before a lower-case word
    ("Gründer Dr. Bernd Rödl sprach.", []),  # "Dr" is no name
    ("Der Trainer sagte, es sei gut.", []),
])
def test_title_person_spans(text, expected):
    assert surfaces(text, rules.title_person_spans(text, KNOWN)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Charakteristisch für Kádárs Werke ist der Stil.", [("Kádárs", "PER")]),
    ("Ein Kritiker charakterisierte Critchlows Stil genau.", [("Critchlows", "PER")]),
    ("Auch Erfurts Trainer sprach.", [("Erfurts", "LOC")]),  # a known city's genitive is a place
    ("Er ist Vizepräsident des Kantons Bern.", []),  # after a determiner: a common noun
    ("Zum Beweis Der Operator wird gezeigt.", []),
    ("Die Zukunft Frankreichs Politik", []),  # known place names are left to the gazetteer
    ("Anfangs Januar kam er.", []),  # an adverb in -s
    ("Allein das Bankhaus Credito Emiliano lagert Käse.", []),
    ("Der Master of Business Administration", []),
])
def test_genitive_person_spans(text, expected):
    assert surfaces(text, rules.genitive_person_spans(text, KNOWN, PLACES)) == expected


def test_extend_persons_replaces_a_shorter_person_with_the_same_end():
    text = "Der von Percy Heath gestrichene Bass."
    heath = (text.index("Heath"), text.index("Heath") + 5, "PER")
    percy = (text.index("Percy"), heath[1], "PER")
    assert rules.extend_persons([heath], [percy]) == [percy]
    longer = (percy[0], text.index(" Bass"), "PER")  # a given-name match that runs on: the model's end wins
    assert rules.extend_persons([heath], [longer]) == [heath]
    assert rules.extend_persons([(heath[0], heath[1], "LOC")], [percy]) == [(heath[0], heath[1], "LOC")]


@pytest.mark.parametrize("text, given, expected", [
    ("so das Fazit der Deutschen Vermögensberatung (DVAG) nach einer Umfrage", [("Deutschen Vermögensberatung", "ORG")],
     [("DVAG", "ORG")]),
    ("Die Freie Demokratische Partei (FDP) tagt.", [], [("Freie Demokratische Partei", "ORG"), ("FDP", "ORG")]),  # initials
    ("Die Freie Partei (FDP) tagt.", [], []),  # initials do not match
    ("im Gespräch mit der Deutschen Presse-Agentur (dpa).", [("Deutschen Presse-Agentur", "ORG")], []),  # one capital
    ("laut der Bundesanstalt Technisches Hilfswerk (THW) heute", [("Bundesanstalt Technisches Hilfswerk", "ORG")],
     [("THW", "ORG")]),
    ("Genf (AFP) - Deutschland hat zugesagt.", [("Genf", "LOC")], []),  # a dateline
    ("Das kostet (EUR) viel.", [], []),  # no name before the brackets
])
def test_abbreviation_spans(text, given, expected):
    spans = [(text.index(s), text.index(s) + len(s), label) for s, label in given]
    assert surfaces(text, rules.abbreviation_spans(text, spans)) == expected


@pytest.mark.parametrize("text, given, expected", [
    ("Die Dörfer Hokkala, Kumpula, Oikari und Pölkki liegen dort.", [("Hokkala", "LOC"), ("Kumpula", "LOC")],
     [("Oikari", "LOC"), ("Pölkki", "LOC")]),
    ("Es stimmten 13 der 15 Mitglieder, Russland und China enthielten sich.", [("Russland", "LOC"), ("China", "LOC")], []),
    ("Mit Anna, Berlin, Paris und Rom.", [("Anna", "PER"), ("Berlin", "LOC"), ("Paris", "LOC")], []),  # mixed types
    ("Hokkala, Kumpula und Oikari.", [("Hokkala", "LOC")], []),  # only one typed item
])
def test_list_spans(text, given, expected):
    spans = [(text.index(s), text.index(s) + len(s), label) for s, label in given]
    assert surfaces(text, rules.list_spans(text, spans)) == expected


@pytest.mark.parametrize("text, person, expected", [
    ("Analog Heidi Klums Modelsuche mussten sie", "Heidi Klums Modelsuche", "Heidi Klums"),
    ("Mit Klaus Thomas Müller sprach er", "Klaus Thomas Müller", "Klaus Thomas Müller"),  # a given name in -s
    ("Mit Anna Beispiel sprach er", "Anna Beispiel", "Anna Beispiel"),
    ("Merkels Politik", "Merkels Politik", "Merkels Politik"),  # only after another name word
])
def test_cut_genitive_persons(text, person, expected):
    start = text.index(person)
    (s, e, label), = rules.cut_genitive_persons(text, [(start, start + len(person), "PER")])
    assert (text[s:e], label) == (expected, "PER")
