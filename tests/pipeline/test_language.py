import pytest

from lagebild.api import analyze_text
from lagebild.pipeline.language import guess_language


@pytest.mark.parametrize(
    "text,code",
    [
        ("Die Regierung hat am Montag beschlossen, dass die Steuern nicht steigen werden.", "de"),
        ("The government said on Monday that taxes would not rise this year.", "en"),
        ("Le gouvernement a annoncé lundi que les impôts ne vont pas augmenter.", "fr"),
        ("El gobierno dijo el lunes que los impuestos no van a subir.", "es"),
        ("12 345 678 901 234", None),
        ("", None),
    ],
)
def test_guess_language(text, code):
    assert guess_language(text)[0] == code


def test_non_german_article_is_analysed_with_a_warning():
    article = analyze_text("Minister resigns over scandal\n\nThe minister said on Monday that he would resign. It was the end of a long fight.\n")
    assert article.language == "en"
    assert any(w.startswith("W004") for w in article.warnings)
    assert article.text  # nothing silently dropped


@pytest.mark.parametrize("text", [
    "Die Regierung und der Rat haben am Montag über das Gesetz beraten, das im Mai in Kraft tritt.",
    "İstanbul ist die größte Stadt der Türkei und die Stadt hat viele Einwohner.",  # "İ" lower-cases to two characters
    "Η ΟΔΟΣ'Α και το σπίτι είναι στην πόλη και η οδός είναι μεγάλη.",  # a final sigma before an apostrophe
    "THE GOVERNMENT AND THE COUNCIL MET ON MONDAY TO DISCUSS THE LAW.",
])
def test_guess_language_counts_words_as_lower_cased_one_by_one(text):
    from collections import Counter

    from lagebild.pipeline.language import _WORD, _lists, guess_language

    words = [w.lower() for w in _WORD.findall(text)]
    hits = Counter({code: sum(w in vocabulary for w in words) for code, vocabulary in _lists().items()})
    code, count = hits.most_common(1)[0]
    share = count / len(words)
    assert guess_language(text) == ((code, share) if share >= 0.08 else (None, share))
