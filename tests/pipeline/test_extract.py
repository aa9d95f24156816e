"""HTML input: trafilatura for the main text, then the same structure stage as plain text."""

import pytest

from lagebild.api import analyze_text
from lagebild.errors import InputError

PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Stadtrat beschließt Radwegenetz | Beispiel-Kurier</title>
<meta property="og:site_name" content="Beispiel-Kurier">
<meta property="article:published_time" content="2023-07-18T06:30:00+02:00">
<meta name="author" content="Petra Klein"></head><body>
<div class="cookie">Wir verwenden Cookies, um unsere Website zu verbessern. Alle akzeptieren</div>
<header><nav><a href="/">Startseite</a> <a href="/lokales">Lokales</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Stadtrat beschließt Radwegenetz</h1>
<p class="byline">Von Petra Klein</p>
<figure><img src="rad.jpg" alt=""><figcaption>Radfahrer auf der Hauptstraße. Foto: Beispiel-Kurier/Max Bild</figcaption></figure>
<p>Der Stadtrat hat am Montagabend mit großer Mehrheit ein neues Radwegenetz beschlossen. Bis 2030 sollen 40 Kilometer neue Wege entstehen.</p>
<p>„Das ist ein guter Tag für alle, die in der Stadt Rad fahren“, sagte die Oberbürgermeisterin nach der Sitzung. Die Opposition kritisierte die Kosten von 25 Millionen Euro.</p>
<h2>Streit um die Finanzierung</h2>
<p>Die Fraktion der Freien Wähler verlangte, das Projekt zu strecken. Die Stadt könne sich das nicht leisten, sagte ihr Sprecher.</p>
<p>Lesen Sie auch: Parkgebühren steigen ab Januar deutlich</p>
<p>Der Bau des ersten Abschnitts soll im Frühjahr beginnen. Anwohner werden im Herbst informiert.</p>
</article></main>
<footer><p>Impressum</p><p>Datenschutz</p></footer></body></html>"""


def test_html_page_gives_headline_body_and_metadata():
    article = analyze_text(PAGE, source="page.html")
    assert article.input_kind == "html"
    assert article.headline == "Stadtrat beschließt Radwegenetz"
    assert article.published == "2023-07-18T06:30:00+02:00"
    assert article.authors == ["Petra Klein"]
    assert [(i.caption, i.credit) for i in article.images] == [("Radfahrer auf der Hauptstraße.", "Beispiel-Kurier/Max Bild")]
    kinds = [p.kind for p in article.paragraphs]
    assert kinds == ["headline", "lead", "body", "subheading", "body", "body"]
    assert "Lesen Sie auch" not in article.text
    assert "Cookies" not in article.text and "Impressum" not in article.text
    assert any(b.kind == "related" or b.kind == "teaser" for b in article.boilerplate)


def test_html_same_json_shape_as_text():
    html = analyze_text(PAGE).to_dict()
    text = analyze_text("Eine Überschrift für den Test\n\nEin erster Absatz mit einem ganzen Satz.\n").to_dict()
    assert list(html) == list(text)


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Leer</title></head></html>",
        "<html><head><title>Nur Kopf</title></head><body>   </body></html>",
    ],
)
def test_html_without_body_is_E004(page):
    with pytest.raises(InputError) as info:
        analyze_text(page, source="leer.html")
    assert info.value.code == "E004"


def test_broken_html_does_not_crash():
    page = "<html><body><div><p>Der Landtag hat das Gesetz verabschiedet. Die Opposition stimmte dagegen.<p>Ein zweiter Absatz folgt hier, ohne schließende Tags. Er ist lang genug.<div></span></body>"
    article = analyze_text(page, source="broken.html")
    assert "Landtag" in article.text


def test_html_boilerplate_has_no_line_numbers():
    article = analyze_text(PAGE, source="page.html")
    assert article.boilerplate and all(b.line is None for b in article.boilerplate)


def test_hard_wrapped_text_is_unwrapped(seed):
    """The seed wrapped at 72 columns, as a text browser dumps it, gives the same article."""
    import textwrap

    original = seed.read_text(encoding="utf-8")
    wrapped = "\n".join(textwrap.fill(line, 72) if line.strip() else line for line in original.splitlines())
    assert max(len(line) for line in wrapped.splitlines()) <= 72
    plain, hard = analyze_text(original), analyze_text(wrapped)
    assert hard.text == plain.text
    assert hard.headline == plain.headline and hard.published == plain.published
    assert [b.kind for b in hard.boilerplate] == [b.kind for b in plain.boilerplate]


def test_short_line_texts_are_not_unwrapped():
    from lagebild.pipeline.extract import wrap_width

    assert wrap_width(["Kurz", "Auch kurz"] * 10) is None
    assert wrap_width(["x" * 72] * 3 + ["y" * 20] * 10) is None
