"""The quotes stage's fast paths (issue 4's speed figure) give what the plain Token-by-Token code gives.

Each test keeps the plain version of a step as its reference (a Token per question, ``doc.sents``)
and compares it with the stage's version on hand-made sentences and on the sample corpus.
"""

import bisect
from pathlib import Path

import pytest

from lagebild.api import analyze_path, analyze_text
from lagebild.pipeline import quotes as stage
from lagebild.pipeline.quotes import CLAUSE_BREAKS, cues, quotation_pairs
from lagebild.settings import Settings

STAGES = ["extract", "structure", "language", "tokens", "morphology", "entities"]
SETTINGS = Settings(stages=STAGES, ner_backend="none", reference_time="2024-03-05T12:00:00+01:00")

TEXTS = [
    "Maria Keller sagte, die Verhandlungen seien gescheitert. Neue Gespräche seien nicht geplant.",
    "Der Minister wies die Vorwürfe zurück. Dann sicherte er zu, die Bäume zu schonen. Es gebe Streit, hieß es.",
    "„Wir sind, wie man sieht, müde“, sagte er.  Laut Polizei wurden drei Männer festgenommen.\n\nDer Bus fährt.",
    "Nach Angaben des Ministeriums ist die Lage ruhig. Der Polizei zufolge gab es keine Verletzten, so der Sprecher.",
    "Er heißt Peter. Demnach ereignete sich der Unfall am Morgen. Sie haben nach eigenen Angaben lange gearbeitet.",
    "z. B. 3,5 Prozent — ohne Verb",
]


def articles():
    out = [analyze_text(text, settings=SETTINGS) for text in TEXTS]
    samples = sorted((Path(__file__).resolve().parents[2] / "corpora" / "samples").glob("*.txt"))[:4]
    out += [analyze_path(path, settings=SETTINGS) for path in samples]
    return out


@pytest.fixture(scope="module")
def analysed():
    return articles()


def plain_sentence(span, pairs):
    """Tokens and clauses of a sentence as the stage built them before (a Token per question)."""
    opens = sorted((p.open, p.close) for p in pairs)
    starts = [o for o, _ in opens]

    def inside(token) -> bool:
        k = bisect.bisect_left(starts, token.idx) - 1
        return k >= 0 and opens[k][0] < token.idx < opens[k][1]

    tokens = [t for t in span if not t.is_space]
    clauses = [[]]
    for token in tokens:
        if token.text in CLAUSE_BREAKS and inside(token):
            clauses[-1].append(token)
        elif token.text in CLAUSE_BREAKS:
            clauses.append([])
        else:
            clauses[-1].append(token)
    return [t.i for t in tokens], [[t.i for t in c] for c in clauses if c]


def plain_cue_in(clause, table):
    """The cue look-up as it was, every token asked for its UPOS, tag and lemma."""
    for index, token in enumerate(clause):
        if not (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VV")):
            continue
        lemma = token.lemma_
        if lemma == "heißen" and not (index + 1 < len(clause) and clause[index + 1].lower_ == "es"):
            continue
        words = [t for t in clause[index + 1:] if not t.is_punct]
        for particle in [t for t in words if t.tag_ == "PTKVZ"] + words[-1:]:
            if particle.lower_ + lemma in table:
                return token, particle
        if lemma in table and (token.tag_ in ("VVFIN", "VVPP", "VVINF", "VVIZU")
                               or (token.pos_ == "VERB" and token.tag_ in ("ADJD", "ADJA"))):
            return token, None
    return None


def test_sentences_equal_the_plain_ones(analysed):
    for article in analysed:
        pairs = quotation_pairs(article)
        built = stage._sentences(article, pairs)
        plain = [plain_sentence(span, pairs) for span in article.doc.sents]
        assert [([t.i for t in s.tokens], [[t.i for t in c] for c in s.clauses]) for s in built] == plain
        assert [(s.span.start, s.span.end) for s in built] == [(s.start, s.end) for s in article.doc.sents]
        assert stage._sentence_starts(article) == [s.start_char for s in article.doc.sents]
        # A sentence made from a Span (as step 4 does for the one before "Demnach") is the same.
        for span, sentence in zip(article.doc.sents, built):
            alone = stage._Sentence(article.doc, span, pairs)
            assert [[t.i for t in c] for c in alone.clauses] == [[t.i for t in c] for c in sentence.clauses]


def test_cue_look_up_equals_the_plain_one(analysed):
    verbs = cues()["verb"]
    other = set(verbs) | {"hoffen"}  # a table the stage has not seen
    found = 0
    for article in analysed:
        for sentence in stage._sentences(article, quotation_pairs(article)):
            for clause in sentence.clauses + [[t for c in sentence.clauses for t in c if not t.is_punct]]:
                for part in (clause, clause[1:]):
                    expected = plain_cue_in(part, verbs)
                    got = stage._cue_in(part, verbs)
                    assert (None if got is None else [t.i if t is not None else None for t in got]) == \
                        (None if expected is None else [t.i if t is not None else None for t in expected])
                    found += expected is not None
                    assert stage._cue_in(part, other) == plain_cue_in(part, other)
    assert found > 5


def test_finite_and_subject_equal_the_plain_ones(analysed):
    for article in analysed:
        for sentence in stage._sentences(article, quotation_pairs(article)):
            assert stage._finite(sentence.tokens) == [t for t in sentence.tokens if t.tag_.endswith("FIN")]


def test_prepositional_and_source_cues_equal_the_plain_ones(analysed, monkeypatch):
    """The string-id pre-checks of step 4 only skip sentences where the plain check finds nothing."""
    table = cues()

    def found():
        out = []
        for article in analysed:
            mentions = stage._Mentions(article)
            for sentence in [s for s in stage._sentences(article, quotation_pairs(article)) if s.tokens]:
                out.append((stage._prep_cue(article, sentence, table, mentions),
                            stage._source_cue(article, sentence, mentions)))
        return out

    got = found()
    # Without the pre-checks: every pattern passes the id test, every token may be "nach".
    monkeypatch.setattr(stage, "_word_ids", lambda patterns: ((), [set() for _ in patterns]))
    monkeypatch.setattr(stage, "_lower_positions", lambda doc, ids: (list(range(len(doc))), []))
    plain = found()
    assert got == plain
    assert sum(bool(a) + bool(b) for a, b in got) >= 4


def test_verb_flags_and_moods_equal_the_plain_ones(analysed):
    """Per-token flags read from the tag ids (``_words``) and moods kept per analysis (``_mood``)."""
    from lagebild.linguistic.annotate import mood_label

    for article in analysed:
        doc = article.doc
        words = stage._words(doc)
        assert words.verbal == [t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VV") for t in doc]
        assert words.finite == [t.tag_.endswith("FIN") for t in doc]
        assert [stage._mood(t) for t in doc] == [mood_label(t) for t in doc]
    assert any(stage._mood(t) == "KI" for article in analysed for t in article.doc)


def test_cue_candidates_equal_the_plain_ones(analysed):
    """Only verbs' lemmas are looked up among the cue endings: the same flags as looking up every token."""
    for table in (cues()["verb"], stage._reported_verbs()[0]):
        endings = stage._cue_endings(table)
        assert endings is not None
        for article in analysed:
            doc = article.doc
            expected = [(t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VV")) and t.lemma_ in endings for t in doc]
            assert stage._cue_candidates(doc, table, endings) == expected
            assert any(expected) or len(doc) < 20


def test_cue_look_up_after_the_table_grows(analysed):
    """The last table's candidates are kept between calls; a table that grew is looked at afresh."""
    table = set(cues()["verb"])
    article = analysed[1]  # "Der Minister wies die Vorwürfe zurück. ..."
    clauses = [c for s in stage._sentences(article, quotation_pairs(article)) for c in s.clauses]
    before = [stage._cue_in(c, table) for c in clauses]
    assert before == [plain_cue_in(c, table) for c in clauses]
    table.add("schonen")
    after = [stage._cue_in(c, table) for c in clauses]
    assert after == [plain_cue_in(c, table) for c in clauses]
    assert after != before


def test_token_selections_equal_the_plain_ones(analysed):
    """The cue's tokens by bisection and the tokens outside the blocked spans (``_addressee``)."""
    for article in analysed:
        for sentence in stage._sentences(article, quotation_pairs(article)):
            tokens = sentence.tokens
            if not tokens:
                continue
            offsets = [t.idx for t in tokens] + [tokens[0].idx - 1, tokens[-1].idx + 5]
            for start in offsets[::3]:
                for end in (start, start + 1, start + 12, start + 100):
                    assert stage._tokens_in(tokens, start, end) == [t for t in tokens if start <= t.idx < end]
                    for blocked in ([], [(start, end)], [(start, end), (tokens[0].idx, tokens[0].idx + 3)]):
                        assert stage._tokens_outside(tokens, blocked) == [
                            t for t in tokens if not any(a <= t.idx < b for a, b in blocked)]
