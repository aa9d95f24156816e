"""Entities: gazetteers, consistency, linking, and each backend plug point with a tiny model made here."""

import pytest

from lagebild.errors import ConfigError
from lagebild.model import Article, Paragraph
from lagebild.pipeline.entities import EntityRecognizer, link, make_backend, propagate
from lagebild.settings import Settings

TEXT = (
    "Wladimir Putin empfing den französischen Präsidenten François Hollande in Moskau. "
    "Putin sagte, die Terrormiliz Islamischer Staat (IS) müsse besiegt werden. "
    "Frankreich und Russland wollen gegen den IS kooperieren. Die Russen sind skeptisch. "
    "Baschar al-Assad müsse gehen, sagte Hollande. Assads Zukunft bleibt offen."
)


def article(text: str = TEXT, language: str = "de") -> Article:
    return Article(id="t", source=None, raw=text, text=text, language=language, paragraphs=[Paragraph(0, len(text), "body")])


def run(settings: Settings, text: str = TEXT, language: str = "de") -> Article:
    return EntityRecognizer(settings)(article(text, language))


def mentions(a: Article) -> dict[str, tuple[str, str, str]]:
    return {e.text: (e.label, e.name, e.kind) for e in a.entities}


def test_gazetteer_only_backend_finds_places_and_groups():
    found = mentions(run(Settings(ner_backend="none")))
    assert found["Moskau"] == ("LOC", "Moskau", "name")
    assert found["Frankreich"][0] == "LOC" and found["Russland"][0] == "LOC"
    assert found["IS"] == ("ORG", "Islamischer Staat", "name")
    assert found["französischen"] == ("LOC", "Frankreich", "derived")
    assert found["Russen"] == ("LOC", "Russland", "derived")


def test_linking_shares_ids_and_canonical_names():
    text = TEXT
    spans = [(text.index("Wladimir Putin"), text.index("Wladimir Putin") + 14, "PER"),
             (text.index("Baschar al-Assad"), text.index("Baschar al-Assad") + 16, "PER")]
    spans = propagate(text, spans)
    entities = link(text, spans)
    by_text = {}
    for e in entities:
        by_text.setdefault(e.text, set()).add((e.id, e.name))
    assert by_text["Putin"] == by_text["Wladimir Putin"] == {(by_text["Putin"].pop()[0], "Wladimir Putin")}
    assert {name for _, name in by_text["Assad"]} == {"Baschar al-Assad"}  # "Assads" -> "Assad"
    assert len({e.id for e in entities}) == 2


def _spans(text, *mentions):
    return [(text.index(m), text.index(m) + len(m), label) for m, label in mentions]


def test_a_short_form_in_brackets_joins_its_name():
    text = ("Zu der Kundgebung hatte der Österreichische Gewerkschaftsbund (ÖGB) aufgerufen. "
            "Der ÖGB will weiter mobilisieren. Die Stadt Wien (Rathaus) schwieg.")
    spans = _spans(text, ("Österreichische Gewerkschaftsbund", "ORG"), ("ÖGB", "ORG"),
                   ("Wien", "LOC"))
    spans = propagate(text, spans)
    entities = link(text, spans)
    ogb = [e for e in entities if e.text in ("ÖGB", "Österreichische Gewerkschaftsbund")]
    assert len(ogb) == 3 and len({e.id for e in ogb}) == 1
    assert {e.name for e in ogb} == {"Österreichische Gewerkschaftsbund"}
    wien = [e for e in entities if e.text == "Wien"]
    assert wien[0].id not in {e.id for e in ogb}


@pytest.mark.parametrize("name, label", [("Österreichische Gewerkschaftsbund", "ORG"),
                                         ("Französische Nationalversammlung", "ORG")])
def test_a_country_inside_a_word_is_not_the_name(name, label):
    text = f"Am Montag tagte die {name}. Frankreich und Österreich schwiegen."
    entities = link(text, _spans(text, (name, label), ("Frankreich", "LOC"), ("Österreich", "LOC")))
    whole = next(e for e in entities if e.text == name)
    assert whole.name == name
    assert whole.id not in {e.id for e in entities if e.label == "LOC"}


def test_a_name_inside_a_longer_span_still_links_as_whole_words():
    text = "Die Terrormiliz Islamischer Staat (IS) drohte. Der Islamische Staat schwieg."
    entities = link(text, _spans(text, ("Terrormiliz Islamischer Staat", "ORG"), ("IS", "ORG")))
    assert {e.name for e in entities} == {"Islamischer Staat"}
    assert len({e.id for e in entities}) == 1


def test_derived_forms_link_to_the_named_country():
    a = run(Settings(ner_backend="none"))
    ids = {e.text: e.id for e in a.entities}
    assert ids["französischen"] == ids["Frankreich"]
    assert ids["Russen"] == ids["Russland"]


def test_offsets_are_faithful():
    a = run(Settings(ner_backend="none"))
    for e in a.entities:
        assert a.text[e.start : e.end] == e.text


def test_non_german_text_is_skipped_unless_forced():
    skipped = run(Settings(ner_backend="none"), "Putin met Hollande in Moscow.", language="en")
    assert skipped.entities == [] and any(w.startswith("W006") for w in skipped.warnings)
    forced = run(Settings(ner_backend="none", force_language=True), "Frankreich und Russland.", language="en")
    assert [e.text for e in forced.entities] == ["Frankreich", "Russland"]


def test_spacy_pipeline_plug_point(tmp_path):
    """A user's own spaCy pipeline, by path: here a tiny one with an entity ruler made in the test."""
    import spacy

    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Hollande"}, {"label": "PERSON", "pattern": [{"LOWER": "wladimir"}, {"LOWER": "putin"}]}])
    nlp.to_disk(tmp_path / "tiny")
    found = mentions(run(Settings(ner_backend=f"spacy:{tmp_path / 'tiny'}")))
    assert found["Wladimir Putin"] == ("PER", "Wladimir Putin", "name")  # PERSON mapped to PER
    assert found["Putin"][1] == "Wladimir Putin"  # consistency + linking on top of the backend
    assert found["Hollande"][0] == "PER"


def test_bad_backend_specs_are_coded_errors(tmp_path):
    with pytest.raises(ConfigError) as info:
        make_backend(f"spacy:{tmp_path / 'missing'}")
    assert info.value.code == "E030"
    with pytest.raises(ConfigError) as info:
        make_backend("magic")
    assert info.value.code == "E020"


def test_hugging_face_plug_point(tmp_path):
    """A local token-classification model directory: a tiny BERT built and saved in the test."""
    torch = pytest.importorskip("torch", reason="the hf extra is not installed")
    transformers = pytest.importorskip("transformers", reason="the hf extra is not installed")
    words = sorted(set(TEXT.replace(".", " . ").replace(",", " , ").replace("(", " ( ").replace(")", " ) ").split()))
    (tmp_path / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]), encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"), do_lower_case=False)
    config = transformers.BertConfig(vocab_size=len(words) + 5, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=16, num_labels=3, id2label={0: "O", 1: "B-PER", 2: "I-PER"},
                                     label2id={"O": 0, "B-PER": 1, "I-PER": 2})
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():  # every token scores as B-PER: deterministic, so the plumbing can be checked
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 10.0, 0.0]))
    model.save_pretrained(tmp_path / "hf")
    tokenizer.save_pretrained(tmp_path / "hf")
    backend = make_backend(f"hf:{tmp_path / 'hf'}")
    spans = backend(TEXT)
    assert spans and all(label == "PER" for _, _, label in spans)
    assert {TEXT[s:e] for s, e, _ in spans} >= {"Putin", "Moskau"}
    a = run(Settings(ner_backend=f"hf:{tmp_path / 'hf'}"))
    assert all(a.text[e.start : e.end] == e.text for e in a.entities)


def _roles(text: str, people: list[str]) -> list[tuple[str, str]]:
    from lagebild.pipeline.entities import role_mentions

    spans = propagate(text, [(text.index(p), text.index(p) + len(p), "PER") for p in people])
    entities = link(text, spans)
    return [(e.text, e.name) for e in role_mentions(text, entities)]


@pytest.mark.parametrize(
    "text,people,expected",
    [
        ("Bei einem Besuch des französischen Präsidenten François Hollande in Moskau lobte der russische Präsident "
         "Wladimir Putin die Gespräche. Der französische Präsident sagte, der Kremlchef sei ein Partner.",
         ["François Hollande", "Wladimir Putin"],
         [("französische Präsident", "François Hollande"), ("Kremlchef", "Wladimir Putin")]),
        # Two ministers: "der Minister" is ambiguous and stays unlinked.
        ("Innenminister Karl Weber traf Finanzminister Olaf Brandt. Der Minister sagte nichts.",
         ["Karl Weber", "Olaf Brandt"], []),
        # One minister: the article makes it clear.
        ("Innenminister Karl Weber besuchte Kiel. Der Innenminister sprach von Fortschritten.",
         ["Karl Weber"], [("Innenminister", "Karl Weber")]),
        # "Kremlchef" is not linked when the article never names Russia's president.
        ("Wladimir Putin schwieg. Der Kremlchef reiste ab.", ["Wladimir Putin"], []),
    ],
)
def test_role_nouns_link_only_where_the_article_makes_it_clear(text, people, expected):
    assert _roles(text, people) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Gestern sprach Ursula von der Leyen in Brüssel.", ["Ursula von der Leyen"]),
        ("Baschar al-Assad müsse gehen, sagte Hollande.", ["Baschar al-Assad"]),
        ("Der Vorschlag von Anna Beispiel und Mehmet Yılmaz fand Zustimmung.", ["Anna Beispiel", "Mehmet Yılmaz"]),
        ("Die Bahn fährt. Frank Im Haus", []),  # "Im" is no surname
        ("Kommunen Ostdeutschlands stimmen zu.", []),  # no given name
    ],
)
def test_person_names_from_given_names(text, expected):
    from lagebild.pipeline.entities import person_spans

    assert [text[s:e] for s, e, _ in person_spans(text)] == expected


def test_seed_entities(seed):
    """Issue 3's figure for the reference article: names, types and linked mentions."""
    from lagebild.api import analyze_path
    from lagebild.pipeline.entities import SHIPPED_MODEL

    if not SHIPPED_MODEL.is_dir():
        pytest.skip("the shipped NER model is not present")
    article = analyze_path(seed)
    names = {(e.name, e.label) for e in article.entities if e.kind == "name"}
    expected = {("François Hollande", "PER"), ("Putin", "PER"), ("Baschar al-Assad", "PER"), ("Islamischer Staat", "ORG")}
    expected |= {(place, "LOC") for place in ("Frankreich", "Russland", "Syrien", "Moskau", "Paris", "USA",
                                               "Großbritannien", "Deutschland", "Italien")}
    assert expected <= names
    by_text = {}
    for e in article.entities:
        by_text.setdefault(e.text, set()).add(e.id)
    ids = {e.text: e.id for e in article.entities}
    assert by_text["Hollande"] == by_text["François Hollande"]
    assert by_text["Assad"] == by_text["Baschar al-Assad"]
    assert by_text["IS"] == by_text["Islamischer Staat"]
    assert ids["französischen"] == ids["Frankreich"]


@pytest.mark.parametrize(
    "text,surface",
    [
        ("Putin und Putins Freund trafen Putin-Anhänger in Putinland.", "Putin"),
        ("Paris, Pariser, Parisienne und Paris.", "Paris"),
        ("IS-Kämpfer, der IS und des ISs", "IS"),
        ("Assads Ende: Assad_2 und Assad", "Assad"),
        ("Hollandes Hollande Hollandess", "Hollande"),
    ],
)
def test_mention_finder_matches_the_regular_expression(text, surface):
    """`_mentions` (str.find) finds what `(?<![\\w-])SURFACE s?(?![\\w-])` finds."""
    import re

    from lagebild.pipeline.entities import _mentions

    expected = []
    for match in re.finditer(r"(?<![\w-])" + re.escape(surface) + r"s?(?![\w-])", text):
        end = match.end() - (1 if match.group(0).endswith("s") and not surface.endswith("s") else 0)
        expected.append((match.start(), end))
    assert list(_mentions(text, surface)) == expected


def test_gazetteer_feature_table_only_for_one_token_tag_rulers():
    import spacy

    from lagebild.pipeline.entities import _token_classes

    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"ORTH": {"IN": ["Paris", "Rom"]}}]], "attrs": {"TAG": "G-LOC"}}])
    table = _token_classes(nlp)
    assert table == {nlp.vocab.strings["Paris"]: nlp.vocab.strings["G-LOC"], nlp.vocab.strings["Rom"]: nlp.vocab.strings["G-LOC"]}
    ruler.add_patterns([{"patterns": [[{"LOWER": "rom"}]], "attrs": {"TAG": "G-LOC"}}])
    assert _token_classes(nlp) is None  # any other pattern: the ruler itself runs


def test_shipped_backend_gives_the_same_spans_on_the_articles_doc_and_on_text():
    """The stage runs the shipped NER on the tokens stage's Doc (no second tokenisation)."""
    from lagebild.pipeline.entities import SHIPPED_MODEL
    from lagebild.pipeline.tokens import german_nlp

    if not SHIPPED_MODEL.is_dir():
        pytest.skip("the shipped NER model is not present")
    backend = make_backend("shipped")
    doc = german_nlp().make_doc(TEXT)
    doc[0].tag_ = "NE"  # the morphology stage's tags must not reach the NER's gazetteer feature
    assert backend.doc_spans(doc) == backend(TEXT)
    assert doc[0].tag_ == "NE" and not doc.ents  # the article's Doc is left as it was


@pytest.mark.parametrize(
    "surface,person",
    [("Kanzler Rüdiger Hallwachs", "Rüdiger Hallwachs"), ("Bundeskanzlerin Angela Merkel", "Angela Merkel"),
     ("Papst Franziskus", "Franziskus"), ("Rüdiger Hallwachs", "Rüdiger Hallwachs"), ("Kanzler", "Kanzler"),
     ("Präsident der Republik", "Präsident der Republik")],
)
def test_role_nouns_are_not_part_of_a_persons_name(surface, person):
    from lagebild.pipeline.entities import _strip_roles

    text = f"Gestern sagte {surface} etwas."
    (start, end, label), = _strip_roles(text, [(text.index(surface), text.index(surface) + len(surface), "PER")])
    assert (text[start:end], label) == (person, "PER")


@pytest.mark.parametrize("text, expected", [
    ("Die Siemens AG meldet Gewinne.", ["Siemens AG"]),
    ("Aktionäre der Deutsche Bank AG und der Google Inc. stimmten zu.", ["Deutsche Bank AG", "Google Inc."]),
    ("Der VfL Osnabrück spielt gegen den 1. FC Nürnberg, später der TSV 1860 München.",
     ["VfL Osnabrück", "1. FC Nürnberg", "TSV 1860 München"]),
    ("Beim SC Paderborn Am Montag", ["SC Paderborn"]),
    ("JFE Holdings rückten vor, Kuwait National Airways flog.", ["JFE Holdings", "Kuwait National Airways"]),
    ("Die Firma Läpple AG und das Zulieferer-Unternehmen Buhl AG.", ["Läpple AG", "Buhl AG"]),  # descriptors left out
    ("Er sagte AG dazu, und die SE wurde gegründet.", []),
    ("Das FC-Spiel fiel aus.", []),
])
def test_org_patterns(text, expected):
    from lagebild.pipeline.entities import org_pattern_spans

    assert [text[s:e] for s, e, label in org_pattern_spans(text) if label == "ORG"] == expected


def test_org_patterns_replace_contained_spans_and_respect_crossing_ones():
    from lagebild.pipeline.entities import apply_org_patterns

    text = "Die Audi AG und der FC Carl Zeiss Jena."
    audi, club = (4, 11, "ORG"), (20, 38, "ORG")
    assert apply_org_patterns([(4, 8, "LOC")], [audi]) == [audi]  # "Audi" LOC -> "Audi AG" ORG
    assert apply_org_patterns([(30, 38, "LOC")], [club]) == [club]
    assert apply_org_patterns([(0, 8, "ORG")], [audi]) == [(0, 8, "ORG")]  # crossing: the model wins
    assert text[4:11] == "Audi AG" and text[20:38] == "FC Carl Zeiss Jena"


def test_news_agencies_and_companies_are_organisations_but_ambiguous_names_are_not():
    text = ("Das berichtete die Deutsche Presse-Agentur. Die Welt ist rund, das zeigt ein Bild. "
            "Die Commerzbank und Borussia Dortmund melden Gewinne, der Stern leuchtet total.")
    found = mentions(run(Settings(ner_backend="none"), text))
    assert found["Deutsche Presse-Agentur"][0] == found["Commerzbank"][0] == found["Borussia Dortmund"][0] == "ORG"
    assert not {"Die Welt", "Bild", "Stern", "Total"} & set(found)


@pytest.mark.parametrize("text, expected", [
    ("Die Zukunft Syriens und die Lage in Frankreich.", [("Syriens", "LOC"), ("Frankreich", "LOC")]),
    ("Die Vereinte Nationen und die Deutsche Bank AG.", [("Vereinte Nationen", "ORG"), ("Deutsche Bank", "ORG")]),
    ("der die das dpa", [("dpa", "ORG")]),
])
def test_gazetteer_spans_longest_names_and_genitives(text, expected):
    from lagebild.pipeline.entities import gazetteer_spans

    assert [(text[s:e], label) for s, e, label in gazetteer_spans(text)] == expected
