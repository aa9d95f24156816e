"""Stage ``extract``: turn the raw input (plain text or HTML) into lines and metadata hints.

For plain text every non-blank line becomes a :class:`~lagebild.model.Line`. For HTML the
cascade in :func:`html_lines` runs:

1. trafilatura's main-text extraction (``bare_extraction``), its XML body giving one line per
   paragraph, list item or heading, with ``h1`` marked as headline and other headings as
   subheadings; its metadata (title, author, site name) become hints;
2. htmldate for the publication date (original) and the last update, with time and offset;
3. figure captions read from the page itself (trafilatura drops them);
4. if trafilatura finds no main text: the page's visible block texts (W005);
5. if even that is empty: E004.

The structure stage then classifies the lines of both kinds of input the same way, so teasers and
promos that trafilatura keeps are still caught.
"""

from __future__ import annotations

import re
from typing import Any

from lagebild.errors import Errors, InputError
from lagebild.model import Article, Line
from lagebild.pipeline import stage
from lagebild.settings import Settings

_SPACE = re.compile(r"\s+")


def text_lines(raw: str) -> list[Line]:
    """Every non-blank line of a plain-text input, stripped, with its 0-based line index.

    Hard-wrapped text (text browsers and mail dumps wrap at 70-80 columns) is unwrapped first:
    a line that fills the wrap width continues on the next line (:func:`wrap_width`).
    """
    lines = []
    soft_hyphens = "\u00ad" in raw  # looked for once: most texts have none
    for index, line in enumerate(raw.splitlines()):
        # str.split() splits on what re's \s matches (str.isspace), and drops the ends as strip() does.
        clean = " ".join((line.replace("\u00ad", "") if soft_hyphens else line).split())
        if clean:
            lines.append(Line(index, clean))
    width = wrap_width([line.text for line in lines])
    if width is None:
        return lines
    blocks: list[list[Line]] = []
    for line in lines:
        previous = blocks[-1][-1] if blocks else None
        wrapped = previous is not None and line.index == previous.index + 1 and len(previous.text) >= width - 18
        if wrapped:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return [Line(block[0].index, _join(block)) for block in blocks]


def _join(block: list[Line]) -> str:
    """Join wrapped lines; a hyphen before a lower-case continuation was a word break."""
    text = block[0].text
    for line in block[1:]:
        if text.endswith("-") and line.text[:1].islower() and not text.endswith(" -"):
            text = text[:-1] + line.text
        else:
            text = text + " " + line.text
    return text


def wrap_width(texts: list[str]) -> int | None:
    """The column a hard-wrapped text was wrapped at, or None when it is not hard-wrapped.

    Hard-wrapped: at least 8 lines and 40 % of them end within 12 characters of one maximum
    between 60 and 100 characters, and no line is longer than that maximum.
    """
    if len(texts) < 8:
        return None
    longest = max(map(len, texts))
    if not 60 <= longest <= 100:
        return None
    near = sum(1 for t in texts if len(t) >= longest - 12)
    return longest if near >= 0.4 * len(texts) else None


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").replace("\u00ad", "")).strip()


def _iso_from_htmldate(value: str | None) -> str | None:
    if not value:
        return None
    from lagebild.dates import parse_iso

    try:
        if re.search(r"[+-]\d{4}$", value):
            value = value[:-2] + ":" + value[-2:]
        return parse_iso(value).isoformat()
    except Exception:  # noqa: BLE001 - htmldate output we cannot read is simply no hint
        return None


def html_lines(html: str, source: str) -> tuple[list[Line], dict[str, Any], list[str]]:
    """Lines, hints and warnings for an HTML page (see the module docstring for the cascade)."""
    import trafilatura
    from lxml import html as lxml_html

    warnings: list[str] = []
    hints: dict[str, Any] = {}
    lines: list[Line] = []
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
        output_format="python",
    )
    if document is not None and document.body is not None and _clean(document.text):
        for element in document.body.iter("head", "p", "item", "quote"):
            if element.tag == "p" and element.getparent() is not None and element.getparent().tag in ("item", "quote"):
                continue
            text = _clean(" ".join(element.itertext()))
            if not text:
                continue
            hint = None
            if element.tag == "head":
                hint = "headline" if element.get("rend") == "h1" else "subheading"
            lines.append(Line(len(lines), text, hint))
        title = _clean(document.title)
        if title and not any(line.hint == "headline" for line in lines):
            hints["title"] = title
        hints["authors"] = [a.strip() for a in re.split(r";|\s+und\s+|,\s*", document.author or "") if a.strip()]
        hints["sitename"] = _clean(document.sitename) or None
        hints["section"] = (document.categories or [None])[0]
    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several types on broken markup
        tree = None
    if not lines and tree is not None:
        warnings.append(Errors.W005)
        body = tree.find(".//body")
        if body is not None:
            for element in body.iter("h1", "h2", "h3", "p", "li", "div", "td"):
                if element.tag in ("div", "td") and len(element):
                    continue
                text = _clean(element.text_content())
                if text:
                    hint = "headline" if element.tag == "h1" else ("subheading" if element.tag in ("h2", "h3") else None)
                    lines.append(Line(len(lines), text, hint))
        title = tree.findtext(".//title")
        if title and not any(line.hint == "headline" for line in lines):
            hints["title"] = _clean(title)
    if not lines:
        raise InputError(Errors.E004.format(source=source))
    if tree is not None:
        _markup_hints(tree, hints)
        captions = []
        for caption in tree.iterfind(".//figcaption"):
            text = _clean(caption.text_content())
            if text:
                captions.append(text)
        hints["captions"] = captions
    try:
        import htmldate

        fmt = "%Y-%m-%dT%H:%M:%S%z"
        hints["published"] = _iso_from_htmldate(
            htmldate.find_date(html, outputformat=fmt, original_date=True, extensive_search=False)
        )
        updated = _iso_from_htmldate(htmldate.find_date(html, outputformat=fmt, original_date=False, extensive_search=False))
        hints["updated"] = updated if updated != hints["published"] else None
    except Exception:  # noqa: BLE001 - a date we cannot find is no error
        hints.setdefault("published", None)
    return lines, hints, warnings


_BYLINE_CLASS = re.compile(r"author|byline|autor", re.I)
_SECTION_CLASS = re.compile(r"(^|[\s_-])(section|ressort|rubrik|department|channel)($|[\s_-])", re.I)


def _markup_hints(tree, hints: dict[str, Any]) -> None:
    """Headline, section, authors and a precise time from the page's own markup.

    trafilatura's title comes from ``<title>``, which often carries the site name; the ``h1`` is the
    article's own headline. ``article:section`` names the section; elements whose class says
    author or byline hold the authors; ``<time datetime>`` often has the time that htmldate drops.
    """
    h1 = tree.find(".//h1")
    if h1 is not None and _clean(h1.text_content()):
        hints["headline"] = _clean(h1.text_content())
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("article:section", "section", "parsely-section") and meta.get("content"):
            hints["section"] = _clean(meta.get("content"))
    if not hints.get("section"):
        for element in tree.iter():
            if not isinstance(element.tag, str) or element.tag in ("section", "nav", "body", "main", "article"):
                continue
            if _SECTION_CLASS.search(element.get("class", "")):
                text = _clean(element.text_content())
                if text and len(text.split()) <= 3:
                    hints["section"] = text
                    break
    if not hints.get("authors"):
        for element in tree.iter():
            if not isinstance(element.tag, str) or element.tag in ("html", "body", "article", "main", "header", "meta"):
                continue
            if _BYLINE_CLASS.search(element.get("class", "") + " " + element.get("rel", "")):
                text = _clean(element.text_content())
                if 3 <= len(text) <= 80:
                    hints["byline"] = text
                    break
    for element in tree.iterfind(".//time"):
        value = element.get("datetime") or ""
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
            hints["time"] = _iso_from_htmldate(value)
            break


@stage("extract", version=1, requires=(), assigns=("lines", "hints"))
def make_extract(settings: Settings):
    """Split plain text into lines, or extract the main text and metadata of an HTML page."""

    def extract(article: Article) -> Article:
        if article.input_kind == "html":
            article.lines, article.hints, warnings = html_lines(article.raw, article.source or article.id)
            article.warnings.extend(warnings)
        else:
            article.lines = text_lines(article.raw)
        return article

    return extract
