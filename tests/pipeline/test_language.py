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
