"""Verb paradigms and readings from the data files in resources/mood/ (no model involved)."""

import pytest

from lagebild.linguistic.verbs import analyse, choose, form_for, weak_paradigm


def label(form, person="3", number=None, hint=None):
    reading = choose(analyse(form, hint), person, number)
    return reading.label if reading else None


@pytest.mark.parametrize(
    "form,person,expected",
    [
        ("habe", "3", "KI"), ("habe", "1", "Ind"), ("haben", "3", "Ind"), ("hätte", "3", "KII"),
        ("sei", "3", "KI"), ("seien", "3", "KI"), ("ist", "3", "Ind"), ("wäre", "1", "KII"),
        ("werde", "3", "KI"), ("werde", "1", "Ind"), ("wird", "3", "Ind"), ("würde", "3", "KII"),
        ("müsse", "3", "KI"), ("muss", "3", "Ind"), ("könne", "3", "KI"), ("solle", "3", "KI"),
        ("möge", "3", "KI"), ("dürfe", "3", "KI"), ("wolle", "3", "KI"), ("wisse", "3", "KI"),
        ("gebe", "3", "KI"), ("gibt", "3", "Ind"), ("gäbe", "3", "KII"), ("gab", "3", "Ind"),
        ("brauche", "3", "KI"), ("brauche", "1", "Ind"), ("braucht", "3", "Ind"),
        ("käme", "3", "KII"), ("kämen", "3", "KII"), ("kamen", "3", "Ind"),
        # the past of weak verbs and of sollen/wollen is also their Konjunktiv II: the form says Ind
        ("sagte", "3", "Ind"), ("sollte", "3", "Ind"), ("wollten", "3", "Ind"),
        ("ändere", "3", "KI"), ("arbeite", "3", "KI"), ("arbeitet", "3", "Ind"),
    ],
)
def test_mood_from_form_and_person(form, person, expected):
    assert label(form, person) == expected


@pytest.mark.parametrize(
    "form,hint,lemma,verbform",
    [
        ("vorgeschlagen", None, "vorschlagen", "Part"),
        ("bekam", None, "bekommen", "Fin"),
        ("aufgenommen", None, "aufnehmen", "Part"),
        ("anzurufen", None, "anrufen", "Inf"),
        ("abgestimmt", "abstimmen", "abstimmen", "Part"),
        ("verkauft", "verkaufen", "verkaufen", "Fin"),
        ("aufbrächten", None, "aufbringen", "Fin"),
        ("anerkannt", None, "anerkennen", "Part"),
        ("stünde", None, "stehen", "Fin"),
        ("bereitete", "bereiten", "bereiten", "Fin"),  # not be + reiten
    ],
)
def test_lemma_behind_prefixes(form, hint, lemma, verbform):
    readings = analyse(form, hint)
    assert any(r.lemma == lemma and r.verbform == verbform for r in readings), readings


def test_subject_number_decides_between_cells():
    assert choose(analyse("haben"), "1", "Plur").feats() == "Mood=Ind|Number=Plur|Person=1|Tense=Pres|VerbForm=Fin"
    assert choose(analyse("habe"), "3", "Sing").feats() == "Mood=Sub|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"


def test_weak_paradigm_links_e_after_t_and_d():
    forms = weak_paradigm("arbeiten")
    assert {"arbeite", "arbeitest", "arbeitet", "arbeitete", "gearbeitet"} <= set(forms)
    assert {r.mood for r in weak_paradigm("lernen")["lernt"]} == {"Ind"}  # no linking e: "lernt"
    assert "rechnet" in weak_paradigm("rechnen")


@pytest.mark.parametrize(
    "lemma,cell,form",
    [
        ("geben", ("Sub", "Pres", "3", "Sing"), "gebe"),
        ("sein", ("Sub", "Pres", "3", "Plur"), "seien"),
        ("haben", ("Sub", "Past", "3", "Plur"), "hätten"),
        ("kommen", ("Sub", "Past", "3", "Sing"), "käme"),
        ("vorschlagen", ("Sub", "Past", "3", "Sing"), "vorschlüge"),
        ("fordern", ("Sub", "Pres", "3", "Sing"), "fordere"),
    ],
)
def test_form_for_cell(lemma, cell, form):
    assert form_for(lemma, *cell) == form


def test_unknown_shapes_have_no_reading():
    assert analyse("xyz") == ()
