"""Tests for the NER corpus readers and the span/token alignment used in training."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
import spacy

from lagebild.ner import corpora
from lagebild.ner.corpora import LABELS, bio_to_spans, drop_derived_forms, guess_spaces, join_tokens


def shared_data() -> Path:
    """The shared data folder (``LAGEBILD_SHARED_DATA`` or ``../shared/data``)."""
    env = os.environ.get("LAGEBILD_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def corpus_dir(name: str) -> Path:
    path = shared_data() / name
    if not path.is_dir():
        pytest.skip(f"../shared/data not available: {path}")
    return path


def check_examples(examples, *, min_examples: int = 50, labels=LABELS) -> dict[str, int]:
    """Assert well-formed examples; return label counts."""
    counts: dict[str, int] = {}
    n = 0
    for text, spans in examples:
        n += 1
        assert isinstance(text, str) and text
        previous_end = -1
        for start, end, label in sorted(spans):
            assert 0 <= start < end <= len(text)
            assert label in labels
            surface = text[start:end]
            assert surface == surface.strip(), (text, surface)
            assert start >= previous_end, f"overlapping spans in {text!r}"
            previous_end = end
            counts[label] = counts.get(label, 0) + 1
    assert n >= min_examples
    return counts


# ----------------------------------------------------------------- no data needed


def test_guess_spaces_and_join() -> None:
    tokens = ["Er", "sagte", ":", "„", "Gut", "“", "(", "dpa", ")", "."]
    text, starts = join_tokens(tokens)
    assert text == "Er sagte: „Gut“ (dpa)."
    assert all(text[s : s + len(t)] == t for s, t in zip(starts, tokens))
    assert guess_spaces(['"', "A", '"', "B"]) == [False, False, True, False]


def test_bio_to_spans_tolerant() -> None:
    assert bio_to_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-LOC"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 6, "LOC"),
    ]


def test_tokens_to_example_maps_labels() -> None:
    tokens = ["Das", "BGH", "prüft", "§", "5", "BGB", "in", "Karlsruhe", "."]
    tags = ["O", "B-GRT", "O", "B-GS", "I-GS", "I-GS", "O", "B-ST", "O"]
    text, spans = corpora.tokens_to_example(tokens, tags, corpora.LER_LABEL_MAP, unknown_label="UNK")
    assert [(text[s:e], lab) for s, e, lab in spans] == [
        ("BGH", "ORG"),
        ("§ 5 BGB", "UNK"),
        ("Karlsruhe", "LOC"),
    ]
    _, spans = corpora.tokens_to_example(tokens, tags, corpora.LER_LABEL_MAP)
    assert [lab for *_, lab in spans] == ["ORG", "LOC"]


def test_drop_derived_forms() -> None:
    text = "Die deutschen Schweizer in Bern"
    spans = [(4, 13, "LOC"), (14, 23, "LOC"), (27, 31, "LOC")]
    _, kept = drop_derived_forms((text, spans), frozenset({"Schweizer"}))
    assert kept == [(27, 31, "LOC")]


def test_alignment_drops_compound_parts() -> None:
    from lagebild.ner.train import example_to_doc

    nlp = spacy.blank("de")
    text = "Die EU-Staaten und Angela Merkel trafen sich in Brüssel."
    spans = [(4, 6, "ORG"), (19, 32, "PER"), (48, 55, "LOC")]
    doc = example_to_doc(nlp, (text, spans))
    assert [(e.text, e.label_) for e in doc.ents] == [("Angela Merkel", "PER"), ("Brüssel", "LOC")]
    assert doc[1].ent_iob_ == "O"  # EU-Staaten is a *part*, not an entity


def test_alignment_marks_unknown_as_missing() -> None:
    from lagebild.ner.train import UNKNOWN, example_to_doc

    nlp = spacy.blank("de")
    text = "Nach § 5 BGB entschied das Gericht."
    doc = example_to_doc(nlp, (text, [(5, 12, UNKNOWN)]))
    assert [t.ent_iob_ for t in doc[1:4]] == ["", "", ""]
    assert doc[0].ent_iob_ == "O"


# ----------------------------------------------------------------- shared corpora


def test_read_smartdata() -> None:
    root = corpus_dir("smartdata_corpus")
    counts = check_examples(corpora.read_smartdata(root))
    assert counts.get("PER", 0) > 100 and counts.get("LOC", 0) > 100 and counts.get("ORG", 0) > 100


def test_read_mobie() -> None:
    root = corpus_dir("mobie_ner")
    counts = check_examples(corpora.read_mobie(root, unknown_label="UNK"), labels=(*LABELS, "UNK"))
    assert counts.get("LOC", 0) > 100


def test_read_europeana() -> None:
    root = corpus_dir("europeana_newspapers_ner_de")
    counts = check_examples(corpora.read_europeana(root))
    assert set(counts) <= {"PER", "LOC", "ORG"} and counts["PER"] > 100


def test_read_hipe() -> None:
    root = corpus_dir("hipe2022_de_historical_news")
    counts = check_examples(corpora.read_hipe(root))
    assert counts.get("LOC", 0) > 100 and counts.get("MISC", 0) > 0


def test_read_german_ler_subsample() -> None:
    root = corpus_dir("german_ler")
    examples = list(corpora.read_german_ler(root, max_sentences=300, empty_fraction=0.1, seed=1))
    assert len(examples) == 330
    check_examples(examples)
    again = list(corpora.read_german_ler(root, max_sentences=300, empty_fraction=0.1, seed=1))
    assert again == examples


def test_read_germeval_training_part_only() -> None:
    """The trainer reads the tune-train part (first 900 sentences); OTH is unknown, *deriv/*part are O."""
    from lagebild.ner.germeval import TUNE_TRAIN_SIZE, read_germeval, select_part

    root = corpus_dir("germeval2014_ner")
    examples = list(corpora.read_germeval(root, unknown_label="UNK"))
    assert len(examples) == TUNE_TRAIN_SIZE
    counts = check_examples(examples, labels=("PER", "LOC", "ORG", "UNK"))
    assert min(counts.values()) > 50
    test_texts = {corpora.join_tokens(s.tokens)[0] for s in select_part(read_germeval(root / "NER-de-dev.tsv"), "test")}
    assert not {text for text, _ in examples} & test_texts
    derived = 0
    for sentence, (text, spans) in zip(select_part(read_germeval(root / "NER-de-dev.tsv"), "tune-train"), examples):
        _, starts = corpora.join_tokens(sentence.tokens)
        starts_of_spans = {start for start, _end, _label in spans}
        for first, _last, label in corpora.bio_to_spans(sentence.outer):
            if label.endswith(("deriv", "part")):
                derived += 1
                assert starts[first] not in starts_of_spans, (text, label)
    assert derived > 50


def test_read_spkatt_news_texts() -> None:
    root = corpus_dir("spkatt2023_task2_news")
    texts = list(itertools.islice(corpora.read_spkatt_news_texts(root), 20))
    assert len(texts) == 20 and all(isinstance(t, str) and t for t in texts)


def test_spans_align_to_spacy_tokens() -> None:
    """Nearly all corpus spans map onto spaCy's blank German tokens (expand mode)."""
    root = corpus_dir("smartdata_corpus")
    nlp = spacy.blank("de")
    total = aligned = 0
    for text, spans in itertools.islice(corpora.read_smartdata(root), 500):
        doc = nlp.make_doc(text)
        for start, end, label in spans:
            total += 1
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and span.start_char <= start and span.end_char >= end:
                aligned += 1
    assert total > 0 and aligned / total > 0.99
