"""Stage ``structure``: classify every input line, build the clean text and the metadata.

The classifier looks at features of each line (length, sentence shape, dates, agency names, a
lexicon of furniture phrases in ``resources/furniture.tsv``, section names in
``resources/sections.txt``) and at its position relative to the headline and the body. The
cascade in :func:`classify`:

1. **Strong evidence per line**: markup hints (HTML ``h1``), datelines (dates cover most of the
   line), agency credit lines, lexicon phrases (video, related, promo, cta, navigation, notice,
   ad, byline, credit, other), captions with an inline credit ("... Foto: dpa").
2. **Prose**: lines shaped like running text (a finished sentence of some length, or long).
3. **Headline**: an HTML ``h1``, else the first title-shaped line of three words or more before
   the first prose line (a line right after a photo credit is its caption, not the headline).
4. **Captions**: the unlabelled short line next to each photo credit.
5. **Lead and body**: the first prose line after the headline is the lead, later prose lines are
   body until an agency credit line closes the article; after it, prose is furniture.
6. **Title-shaped lines in and after the body**: after a video notice or a related-articles heading,
   or shaped like a headline ("Thema: Aussage", long, "+++"), a teaser of another article;
   otherwise, when body text follows, a subheading.
7. **Lines above the headline**: section labels (known section names, all caps), the kicker right
   above the headline, else furniture.

The labels of the content lines (headline, lead, body, subheading) build :attr:`Article.text`;
every other line goes to :attr:`Article.boilerplate` with its label as ``kind``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from lagebild import agencies as agency_names
from lagebild.dates import date_coverage, find_dates, parse_iso
from lagebild.errors import Errors
from lagebild.model import CONTENT_KINDS, Article, Boilerplate, Image, Line, Paragraph
from lagebild.pipeline import stage
from lagebild.resources import load_lines, load_rows
from lagebild.settings import Settings

#: Every label a line can get. Content labels first.
LABELS = CONTENT_KINDS + (
    "section", "kicker", "dateline", "byline", "caption", "credit", "agency",
    "video", "teaser", "related", "promo", "cta", "navigation", "notice", "ad", "other",
)

_WORD = re.compile(r"[\wÄÖÜäöüß'’-]+")
_CLOSERS = "\"'“”»«›‹’)]"
_SENTENCE_END = re.compile(r"[.!?…][\"'“”»«›‹’)\]]*\s+[\"„“»«‚(]?[A-ZÄÖÜ0-9]")
_INLINE_CREDIT = re.compile(
    r"(?:\s*[|/(–-]?\s*)(?:\(?\s*(?:Foto|Fotos|Bild|Bilder|Quelle|Grafik|Archivbild|Symbolbild)\s*:\s*|©\s*|\(c\)\s*)"
    r"(?P<credit>[^()]{2,80}?)\)?\s*$",
    re.I,
)
_COLON_TITLE = re.compile(r"^[^:]{2,60}:\s+\S")
_BYLINE_INSIDE = re.compile(r"\b(von|by)\s+[A-ZÄÖÜ]")
_PICTURED = re.compile(r"\((l|r|m|li|re|v\.\s?l\.|v\.\s?r\.|Mitte|links|rechts)\.?\)")
_BULLET = re.compile(r"^[–•*·▪►-]\s+\S")
_NAME_STOP = frozenset("der die das und im in am an auf für mit von zu vor nach bei über ein eine ist sind hat".split())
_DATE_HINT = re.compile(r"\d|vor |gestern|heute", re.I)
_SEPARATORS = re.compile(r"\s[>›»|/]\s")


@dataclass
class LineInfo:
    """Features of one line (see the module docstring for how they are used)."""

    line: Line
    words: int
    terminal: bool  # ends like a finished sentence
    sentences: int
    dates: list
    date_share: float
    lexicon: str | None
    caps: bool  # all letters upper case
    prose: bool
    title: bool  # title-shaped: short, no final full stop


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    return tuple((kind, int(limit), re.compile(pattern, re.I)) for kind, limit, pattern in load_rows("furniture.tsv", 3))


@lru_cache(maxsize=1)
def _sections() -> frozenset[str]:
    return frozenset(name.lower() for name in load_lines("sections.txt"))


def lexicon_kind(text: str, words: int) -> str | None:
    """The kind of the first furniture phrase that matches a line of at most its word limit."""
    for kind, limit, pattern in _lexicon():
        if words <= limit and pattern.search(text):
            return kind
    return None


def features(line: Line, reference: datetime | None, tz: str) -> LineInfo:
    text = line.text
    words = len(_WORD.findall(text))
    stripped = text.rstrip(_CLOSERS + " ")
    terminal = stripped.endswith((".", "…", "!", "?", ":"))
    sentences = 1 + len(_SENTENCE_END.findall(text))
    dates = find_dates(text, tz=tz, reference=reference) if _DATE_HINT.search(text) else []
    share = date_coverage(text, dates) if dates else 0.0
    caps = text.upper() == text and sum(c.isalpha() for c in text[:40]) >= 2
    full_stop = stripped.endswith((".", "…")) and not re.search(r"\b\w{1,4}\.$", stripped[-6:] if words < 4 else "x")
    prose = words >= 30 or (words >= 4 and full_stop) or (words >= 4 and terminal and sentences >= 2) or (
        words >= 20 and terminal
    )
    title = not prose and not full_stop and 1 <= words <= 30
    return LineInfo(line, words, terminal, sentences, dates, share, lexicon_kind(text, words), caps, prose, title)


def _is_section(info: LineInfo) -> bool:
    return info.words <= 3 and info.line.text.strip(" :|>»").lower() in _sections()


_MASTHEAD = re.compile(
    r"(?i)\b[\w-]+\.(de|at|ch|com|net|org|eu|info)\b|\s[·•]\s|\b(die|ihre|unabhängige|unsere)\s+(\w+\s+)?"
    r"(zeitung|tageszeitung|wochenzeitung|nachrichten|stimme)\b|\bseit\s+1[89]\d\d\b"
)


def _masthead(info: LineInfo) -> bool:
    """An outlet's name or tagline at the top of the page ("ABENDBLITZ.de", "Die Zeitung für ...")."""
    return info.words <= 8 and _MASTHEAD.search(info.line.text) is not None


def _teaser_shaped(info: LineInfo) -> bool:
    text = info.line.text
    return (
        (info.words >= 6 and (_COLON_TITLE.match(text) is not None or " - " in text or " – " in text or "|" in text))
        or info.words >= 13
        or "+++" in text
    )


def classify(infos: list[LineInfo]) -> list[str]:
    """One label per line, following the cascade in the module docstring."""
    n = len(infos)
    labels: list[str | None] = [None] * n

    # 1. Strong evidence per line.
    for i, info in enumerate(infos):
        text = info.line.text
        if info.line.hint == "headline":
            labels[i] = "headline"
        elif info.dates and info.words <= 20 and (
            info.date_share >= 0.5 or (info.words <= 12 and _BYLINE_INSIDE.search(text)) or (info.words <= 6 and info.date_share >= 0.3)
        ):
            labels[i] = "dateline"
        elif agency_names.is_credit_line(text):
            labels[i] = "agency"
        elif info.lexicon:
            labels[i] = info.lexicon
        elif info.words <= 40 and (_INLINE_CREDIT.search(text) or _PICTURED.search(text)) and not info.line.hint:
            labels[i] = "caption"
        elif _SEPARATORS.search(text) and info.words <= 10 and not info.terminal and sum(
            1 for w in _WORD.findall(text) if w[:1].isupper()
        ) >= info.words - 1 and len(_SEPARATORS.findall(text)) >= 1 and info.words >= 2:
            labels[i] = "navigation"

    def free(i: int) -> bool:
        return 0 <= i < n and labels[i] is None

    # 2. Photo credits and their captions: the short line after a credit, else the one before it.
    first_text = next((i for i in range(n) if free(i) and infos[i].prose), n)
    top = next((i for i in range(n) if free(i) and infos[i].prose and infos[i].words > 25), n)
    for i in range(n):
        is_credit = labels[i] == "credit" or (labels[i] == "agency" and _lone_agency(infos[i]) and i < first_text)
        if not is_credit:
            continue
        labels[i] = "credit"
        before, after = i - 1, i + 1
        if free(after) and infos[after].words <= 25:
            labels[after] = "caption"
        elif free(before) and infos[before].words <= 30:
            labels[before] = "caption"

    # Bylines without "Von": a bare person name above the body ("Anna Beispiel").
    for i in range(top):
        if free(i) and _name_like(infos[i]):
            labels[i] = "byline"

    # 3. Headline.
    first_prose = next((i for i in range(n) if free(i) and infos[i].prose), n)
    headline = next((i for i, label in enumerate(labels) if label == "headline"), None)
    if headline is None:
        candidates = [
            i for i in range(first_prose)
            if free(i) and infos[i].title and not _is_section(infos[i]) and not _masthead(infos[i])
            and not infos[i].line.text.endswith(":") and not _BULLET.match(infos[i].line.text)
            and not (infos[i].words < 2 or len(infos[i].line.text) < 12)
            and not (i > 0 and labels[i - 1] == "credit")
        ]
        if candidates:
            # The headline stands closest above the lead: mastheads, taglines and navigation sit
            # higher up, bylines, datelines and photo credits between headline and lead are
            # labelled already. A much shorter line right below a headline-length line is not
            # the headline but a caption or subtitle.
            run = [candidates[-1]]
            while len(run) < len(candidates) and candidates[-len(run) - 1] == run[0] - 1:
                run.insert(0, candidates[-len(run) - 1])
            # In a run of title lines, a short first line is the kicker above the headline; else
            # the first line is the headline and the next one its subtitle.
            headline = run[0]
            if len(run) > 1 and infos[run[0]].words <= 4 < infos[run[1]].words:
                headline = run[1]
    if headline is None and first_prose < n and infos[first_prose].words <= 15:
        following = next((j for j in range(first_prose + 1, n) if free(j)), None)
        if following is not None and infos[following].prose:
            headline = first_prose
    if headline is not None:
        labels[headline] = "headline"

    # 5./6. Lead, body, subheadings and teasers.
    start = (headline + 1) if headline is not None else 0
    lead = next((i for i in range(start, n) if free(i) and infos[i].prose), None)
    if lead is None:
        lead = next((i for i in range(start, n) if free(i) and infos[i].words >= 8), None)
    in_body = lead is not None
    if lead is not None:
        labels[lead] = "lead"
        after_notice = False
        for i in range(lead + 1, n):
            info = infos[i]
            if labels[i] is not None:
                if labels[i] == "agency":
                    in_body = False
                after_notice = labels[i] in ("video", "related")
                continue
            if info.prose or (in_body and _BULLET.match(info.line.text)):
                labels[i] = "body" if in_body else "other"
            elif after_notice or _teaser_shaped(info) or not in_body:
                labels[i] = "teaser"
            else:
                following = next((j for j in range(i + 1, n) if labels[j] is None or labels[j] in ("body",)), None)
                labels[i] = "subheading" if following is not None and infos[following].prose else "teaser"
            after_notice = False

    # 7. Lines above the headline, and between headline and lead.
    for i in range(n):
        if labels[i] is not None:
            continue
        info = infos[i]
        if headline is not None and i < headline:
            if _is_section(info) and "section" not in labels[:i]:
                labels[i] = "section"
            elif i == headline - 1 or (i == headline - 2 and labels[headline - 1] in ("section", "dateline")):
                labels[i] = "kicker" if info.words <= 8 else "other"
            elif _is_section(info):
                labels[i] = "section"
            else:
                labels[i] = "other"
        elif lead is None or i < lead:
            if 1 <= info.words <= 4 and all(w[:1].isupper() for w in _WORD.findall(info.line.text)):
                labels[i] = "byline"
            elif info.words <= 30 and any(l == "credit" for l in labels[max(0, i - 2) : i + 3]):
                labels[i] = "caption"
            else:
                labels[i] = "other"
        else:
            labels[i] = "other"
    return [label or "other" for label in labels]


def _name_like(info: LineInfo) -> bool:
    """A bare person name: two to four capitalised words, no digits, no sentence punctuation."""
    words = _WORD.findall(info.line.text)
    return (
        2 <= len(words) <= 4
        and len(info.line.text) <= 40
        and all(w[:1].isupper() and w.lower() not in _NAME_STOP for w in words)
        and not re.search(r"[\d:!?„“\"»«|>]", info.line.text)
        and not info.caps
        and not agency_names.find_agencies(info.line.text)
        and info.line.text.lower() not in _sections()
    )


def _lone_agency(info: LineInfo) -> bool:
    """A line that is nothing but an agency name, as photo credits are ("AFP", "dpa")."""
    return info.words <= 3 and not re.search(r"(?i)material|quelle|[()]", info.line.text)


# ---------------------------------------------------------------------------------------------
# Metadata from the labelled lines


_BYLINE_PREFIX = re.compile(
    r"(?i)^(ein\s+\w+\s+)?(von|vom autor|autor(in|en)?\s*:|text\s*:|redaktion\s*:|interview\s*:|recherche\s*:)"
    r"(\s+unsere[mr]?\s+\w+)?\s*"
)


def authors_from(byline: str) -> list[str]:
    """Person names in a byline: "Von Anna Beispiel und Max Muster, Berlin" -> two names."""
    text = _BYLINE_PREFIX.sub("", byline).strip()
    names: list[str] = []
    for part in re.split(r"\s+und\s+|\s*,\s*|\s*&\s*|\s*/\s*|\s*\|\s*", text):
        words = part.strip(" .").split()
        if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in part) or agency_names.find_agencies(part):
            continue
        if all(w[:1].isupper() or w in ("von", "van", "de", "der", "zu", "al", "el") for w in words):
            names.append(" ".join(words))
    return names


def split_caption(text: str) -> tuple[str | None, str | None]:
    """A caption line with an inline credit -> (caption, credit)."""
    match = _INLINE_CREDIT.search(text)
    if not match:
        return text, None
    caption = text[: match.start()].strip(" |/–-(") or None
    return caption, match.group("credit").strip(" .)")


def clean_credit(text: str) -> str:
    return re.sub(r"(?i)^(fotos?|bilder?|quelle|grafik|copyright|photo)\s*:\s*|^(©|\(c\))\s*", "", text).strip()


def _reference_time(article: Article, settings: Settings) -> datetime | None:
    value = article.reference_time or settings.reference_time or settings.published
    return parse_iso(value) if value else None


@stage(
    "structure",
    version=1,
    requires=("lines",),
    assigns=("text", "paragraphs", "boilerplate", "headline", "section", "published", "updated",
             "authors", "agencies", "images"),
)
def make_structure(settings: Settings):
    """Classify lines into headline, body, metadata and furniture; build the clean text."""

    def structure(article: Article) -> Article:
        reference = _reference_time(article, settings)
        infos = [features(line, reference, settings.timezone) for line in article.lines or []]
        labels = classify(infos)
        _assemble(article, infos, labels, settings, reference)
        return article

    return structure


def _assemble(article: Article, infos: list[LineInfo], labels: list[str], settings: Settings,
              reference: datetime | None) -> None:
    hints = article.hints
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    title = hints.get("title")
    if title and "headline" not in labels:
        title = _strip_site(title, hints.get("sitename"))
        parts.append(title)
        paragraphs.append(Paragraph(0, len(title), "headline"))
        offset = len(title) + 2
        article.headline = title
    found: list[str] = []
    published = updated = None
    images: list[Image] = []
    for i, (info, label) in enumerate(zip(infos, labels)):
        text = info.line.text
        if label in CONTENT_KINDS:
            parts.append(text)
            paragraphs.append(Paragraph(offset, offset + len(text), label))
            offset += len(text) + 2
            if label == "headline" and article.headline is None:
                article.headline = text
            if label in ("lead", "body"):
                found.extend(agency_names.inline_credits(text))
            continue
        article.boilerplate.append(Boilerplate(text, label, info.line.index))
        if label == "section" and article.section is None:
            article.section = text.strip(" :|")
        elif label == "byline":
            article.authors.extend(a for a in authors_from(text) if a not in article.authors)
        elif label in ("agency", "credit", "caption"):
            found.extend(agency_names.find_agencies(text if label != "caption" else (split_caption(text)[1] or "")))
        if label in ("dateline", "byline") or (label in ("other", "agency") and info.date_share >= 0.5):
            for match in info.dates:
                if match.updated and updated is None:
                    updated = match.iso()
                elif not match.updated and published is None:
                    published = match.iso()
        if label == "caption":
            caption, credit = split_caption(text)
            if credit is None:
                credit = _neighbour(infos, labels, i, "credit")
            images.append(Image(caption, clean_credit(credit) if credit else None))
        elif label == "credit" and not (_neighbour(infos, labels, i, "caption")):
            images.append(Image(None, clean_credit(text)))
    for caption in hints.get("captions", []):
        text, credit = split_caption(caption)
        images.append(Image(text, clean_credit(credit) if credit else None))
        if credit:
            found.extend(agency_names.find_agencies(credit))
    if hints.get("published"):
        published = published or hints["published"]
    if hints.get("updated"):
        updated = updated or hints["updated"]
    if published is None and settings.published:
        published = parse_iso(settings.published).isoformat()
    if not article.authors and hints.get("authors"):
        article.authors = list(hints["authors"])
    if article.section is None and hints.get("section"):
        article.section = hints["section"]
    article.text = "\n\n".join(parts)
    article.paragraphs = paragraphs
    article.published, article.updated = published, updated
    article.agencies = agency_names.sort_agencies(found)
    article.images = images
    if article.headline is None:
        article.warnings.append(Errors.W001)
    if article.published is None:
        article.warnings.append(Errors.W002)
    if not any(p.kind in ("lead", "body") for p in paragraphs):
        article.warnings.append(Errors.W003)


def _neighbour(infos: list[LineInfo], labels: list[str], i: int, wanted: str) -> str | None:
    for j in (i + 1, i - 1):
        if 0 <= j < len(labels) and labels[j] == wanted:
            return infos[j].line.text
    return None


def _strip_site(title: str, sitename: str | None) -> str:
    """'Merz trifft Macron | Beispielzeitung' -> 'Merz trifft Macron'."""
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if (sitename and sitename.lower() in tail.lower()) or len(tail.split()) <= 3:
                return head.strip()
    return title
