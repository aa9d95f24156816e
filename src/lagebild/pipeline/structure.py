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
from lagebild.resources import given_names, load_lines, load_rows
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
_TRAILING_AGENCY_CREDIT = re.compile(
    r"\s(?P<credit>(?:REUTERS|Reuters|AFP|AP|dpa|DPA|EPA|epa|APA|KEYSTONE|Keystone|IMAGO|imago|ddp|KNA|epd)"
    r"\s?/\s?[A-ZÄÖÜ][^/()]{1,40})$"
)
_COLON_TITLE = re.compile(r"^[^:]{2,60}:\s+\S")
# A wire-style opener names the place, maybe the agency, and a dash: "Gelsenkirchen – ...", "Bonn (KNA) ..."
_PLACE_OPENER = re.compile(r"^[A-ZÄÖÜ][\w./-]+(\s[A-ZÄÖÜ(][\w./-]+)?\s(\([^()]{2,20}\)\s*)?[–—-]\s")
_UPDATE_TIME_ONLY = re.compile(r"(?i)^(?:zuletzt\s+)?(?:aktualisiert|update|geändert)\s*(?:am|um|:)?\s*(?:um\s+)?([01]?\d|2[0-3])[:.]([0-5]\d)\s*(?:uhr)?\s*$")
_BYLINE_INSIDE = re.compile(r"\b(von|by)\s+[A-ZÄÖÜ]")
_PICTURED = re.compile(r"\((l|r|m|li|re|v\.\s?l\.|v\.\s?r\.|Mitte|links|rechts)\.?\)")
_BULLET = re.compile(r"^[–•*·▪►-]\s+\S")
_NAME_STOP = frozenset("der die das und im in am an auf für mit von zu vor nach bei über ein eine ist sind hat".split())
_DATE_HINT = re.compile(r"\d|vor |gestern|heute", re.I)
# Precompiled: these run on every line (re's own cache lookup costs more than the match).
_ABBREVIATION_END = re.compile(r"\b\w{1,4}\.$")
_CRUMB_SEPARATOR = re.compile(r"\s[/>›»|]\s|\s?[>›»]\s?")
_MENU_SEPARATOR = re.compile(r"\s*[·•|/]\s*|\s+")
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
    strong: str | None = None  # the label from the line's own evidence (step 1 of classify)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[str, int, re.Pattern[str], bool], ...]:
    """(kind, word limit, pattern, cased). Patterns without capital-letter classes run on the
    lower-cased line without re.IGNORECASE, which is several times faster in Python's engine."""
    rows = []
    for kind, limit, pattern in load_rows("furniture.tsv", 3):
        cased = bool(re.search(r"[A-ZÄÖÜ]", pattern.replace("\\A", "").replace("\\Z", "")))
        rows.append((kind, int(limit), re.compile(pattern, re.I) if cased else re.compile(pattern), cased))
    return tuple(rows)


@lru_cache(maxsize=1)
def _lexicon_limit() -> int:
    """The largest word limit of the lexicon: longer lines match no phrase."""
    return max((limit for _, limit, _, _ in _lexicon()), default=0)


@lru_cache(maxsize=1)
def _sections() -> frozenset[str]:
    return frozenset(name.lower() for name in load_lines("sections.txt"))


@lru_cache(maxsize=65536)
def lexicon_kind(text: str, words: int) -> str | None:
    """The kind of the first furniture phrase that matches a line of at most its word limit.

    Cached: furniture lines (menus, share bars, footers) repeat on every page of an outlet, and
    running ~90 phrase patterns over each is the stage's largest cost. A pattern runs only on a
    line that contains one of the strings every match of it contains (:func:`_needles`): most
    lines contain none, and looking for a few words costs less than running the pattern.
    """
    lower = text.lower()
    for kind, pattern, cased, needles in _lexicon_for(min(words, _lexicon_limit() + 1)):
        target = text if cased else lower
        if needles is not None:
            for needle in needles:  # a loop costs less here than any() over a generator
                if needle in target:
                    break
            else:
                continue
        if pattern.search(target):
            return kind
    return None


@lru_cache(maxsize=None)
def _lexicon_for(words: int) -> tuple[tuple[str, re.Pattern[str], bool, tuple[str, ...] | None], ...]:
    """The lexicon rows (in file order) whose word limit admits a line of ``words`` words, each
    with its needles."""
    return tuple((kind, pattern, cased, _needles(pattern)) for kind, limit, pattern, cased in _lexicon()
                 if words <= limit)


@lru_cache(maxsize=None)
def _needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of the pattern contains, or None when there are none to
    be had (a case-insensitive pattern, or one that can match without a literal)."""
    if pattern.flags & re.IGNORECASE:
        return None
    from re import _constants, _parser

    parsed = _parser.parse(pattern.pattern, pattern.flags)
    if _anchored(parsed, _constants):
        return None  # tried at the start of the line only: cheaper than looking for needles
    found = _required(parsed)
    return tuple(sorted(found)) if found and all(found) else None


def _anchored(sequence, c) -> bool:
    """Whether a parsed pattern can only match at the start of the string (``^...``)."""
    if not sequence.data:
        return False
    op, value = sequence.data[0]
    if op is c.AT:
        return value is c.AT_BEGINNING or value is c.AT_BEGINNING_STRING
    if op is c.BRANCH:
        return all(_anchored(branch, c) for branch in value[1])
    if op is c.SUBPATTERN:
        return _anchored(value[3], c)
    return False


def _required(sequence) -> set[str] | None:
    """Literals one of which every match of a parsed pattern sequence contains (None: unknown).

    Of the items that must match in order, each run of literal characters and each group or
    alternation whose every branch has required literals is a candidate; the candidate whose
    shortest literal is longest is the most selective and is taken.
    """
    from re import _constants as c

    candidates: list[set[str]] = []
    run: list[str] = []
    for op, value in sequence:
        if op is c.LITERAL:
            run.append(chr(value))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        found = None
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, inner = value
            found = None if add_flags & re.IGNORECASE else _required(inner)
        elif op is c.ATOMIC_GROUP:
            found = _required(value)
        elif op is c.BRANCH:
            branches = [_required(branch) for branch in value[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and value[0] >= 1:
            found = _required(value[2])
        if found:
            candidates.append(found)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    return max(candidates, key=lambda option: (min(map(len, option)), -len(option)))


def features(line: Line, reference: datetime | None, tz: str) -> LineInfo:
    text = line.text
    # The reference time only resolves relative dates ("vor 2 Stunden", "gestern, 13:44 Uhr"); a
    # line without one of their words gets the same features whatever the reference, so the
    # cache is shared across inputs with different reference times (each file's mtime).
    if reference is not None and not _relative_word(text):
        reference = None
    return LineInfo(line, *_line_features(text, line.hint, reference, tz))


#: Every relative date expression (lagebild.dates._RELATIVE) contains one of these words, matched
#: case-insensitively (:func:`features` looks for them with :func:`_relative_word`).
_RELATIVE_WORDS = re.compile(r"vor|heute|gestern", re.I)


def _relative_word(text: str) -> bool:
    """Whether the line may hold one of :data:`_RELATIVE_WORDS`: substring tests on the
    case-folded line find every line the pattern finds (and a few more, which only cost their
    cache entries) at a third of its cost."""
    folded = text.casefold()
    return "vor" in folded or "heute" in folded or "gestern" in folded


@lru_cache(maxsize=65536)
def _line_features(text: str, hint: str | None, reference: datetime | None, tz: str) -> tuple:
    """The features of a line (all of :class:`LineInfo` but the line itself) and its step-1 label.

    Cached: short lines (menus, datelines, credits, teasers) repeat on every page of an outlet;
    the dates found depend on the reference time, which is part of the key. The returned tuple,
    its date list included, is shared and never changed.
    """
    words = len(_WORD.findall(text))
    stripped = text.rstrip(_CLOSERS + " ")
    terminal = stripped.endswith((".", "…", "!", "?", ":"))
    sentences = 1 + len(_SENTENCE_END.findall(text))
    # Datelines are short; dates inside body paragraphs are the event stage's business.
    dates = find_dates(text, tz=tz, reference=reference) if words <= 25 and _DATE_HINT.search(text) else []
    share = date_coverage(text, dates) if dates else 0.0
    caps = text.upper() == text and sum(c.isalpha() for c in text[:40]) >= 2
    full_stop = stripped.endswith((".", "…")) and not _ABBREVIATION_END.search(stripped[-6:] if words < 4 else "x")
    prose = (
        words >= 30
        or (words >= 4 and full_stop)
        or (words >= 4 and terminal and sentences >= 2)
        or (words >= 10 and sentences >= 2)
        or (words >= 12 and terminal)
        or (words >= 8 and _PLACE_OPENER.match(text) is not None)
    )
    title = not prose and not full_stop and 1 <= words <= 30
    lexicon = lexicon_kind(text, words)
    strong = _strong_label(text, hint, words, terminal, dates, share, lexicon, prose)
    return words, terminal, sentences, dates, share, lexicon, caps, prose, title, strong


def _strong_label(text: str, hint: str | None, words: int, terminal: bool, dates: list, share: float,
                  lexicon: str | None, prose: bool) -> str | None:
    """Step 1 of :func:`classify`: the label a line gets from its own evidence, or None."""
    if hint == "headline":
        return "headline"
    if text.startswith("(") and agency_names.is_credit_line(_strip_dates(text, dates)):
        return "agency"  # "(APA, red, 16.1.2023)"
    if _UPDATE_TIME_ONLY.match(text):
        return "dateline"
    if dates and words <= 20 and (
        share >= 0.5 or (words <= 12 and _BYLINE_INSIDE.search(text)) or (words <= 6 and share >= 0.3)
    ):
        return "dateline"
    if agency_names.is_credit_line(text):
        return "agency"
    if words <= 12 and _share_bar(text):
        return "notice"
    if words <= 12 and not prose and (_breadcrumb(text) or _menu(text)):
        return "navigation"
    if lexicon == "credit" and _CAPTION_PREFIX.match(text) and _describes(text[_CAPTION_PREFIX.match(text).end():]):
        return "caption"  # "Bild: Enttäuschte Gesichter in Bern. (Keystone/Peter Schneider)"
    if lexicon:
        return lexicon
    if words <= 40 and not hint and _credited(text):
        caption, _ = split_caption(text)
        return "credit" if not caption or not agency_names.residue(caption) else "caption"
    if words <= 10 and _SEPARATORS.search(text) and not terminal and sum(
        1 for w in _WORD.findall(text) if w[:1].isupper()
    ) >= words - 1 and len(_SEPARATORS.findall(text)) >= 1 and words >= 2:
        return "navigation"
    return None


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
    )


def classify(infos: list[LineInfo]) -> list[str]:
    """One label per line, following the cascade in the module docstring."""
    n = len(infos)
    labels: list[str | None] = [None] * n

    # 1. Strong evidence per line (computed with the line's features, see _strong_label).
    for i, info in enumerate(infos):
        labels[i] = info.strong

    def free(i: int) -> bool:
        return 0 <= i < n and labels[i] is None

    # 2. Photo credits and their captions: the short line after a credit, else the one before it.
    first_text = next((i for i in range(n) if free(i) and infos[i].prose), n)
    top = next((i for i in range(n) if free(i) and infos[i].prose and infos[i].words > 25), n)
    for i in range(n):
        was_agency = labels[i] == "agency" and _lone_agency(infos[i])
        is_credit = labels[i] == "credit" or (was_agency and i > 0 and (i < first_text or _prose_follows(infos, labels, i, 2)))
        if not is_credit:
            continue
        labels[i] = "credit"
        before, after = i - 1, i + 1
        if free(after) and (not infos[after].prose or infos[after].words <= 15) and infos[after].words <= 25:
            labels[after] = "caption"
        elif free(before) and infos[before].words <= 30 and _title_above(infos, labels, before) \
                and not _continues_body(infos, labels, before):
            labels[before] = "caption"
        elif was_agency:
            labels[i] = "agency"  # "dpa" under the only title line: the agency credit, no photo

    # Bylines without "Von": a bare person name (a known given name first), maybe with a place or
    # a role ("Anna Beispiel", "Reto Ammann, Luzern", "Paul Westerkamp, Redakteur"), above the
    # body or right below the lead. The first line of a page is its masthead, not a byline.
    prose_lines = [i for i in range(n) if free(i) and infos[i].prose]
    second = prose_lines[1] if len(prose_lines) > 1 else n
    for i in range(1, max(top, second)):
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
            if len(run) > 1 and infos[run[0]].words <= max(4, infos[run[1]].words):
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
                if labels[i] == "agency" and not _prose_follows(infos, labels, i, 2):
                    in_body = False
                # A related-articles heading or a bare video notice announces the next title line
                # as another article's; "Video: So reagieren die Wiener" carries its own title.
                after_notice = labels[i] == "related" or (labels[i] == "video" and not _COLON_TITLE.match(info.line.text))
                continue
            if info.prose or (in_body and (_BULLET.match(info.line.text) or (info.words >= 4 and info.line.text.endswith("!")))):
                labels[i] = "body" if in_body else "other"
            elif after_notice or _teaser_shaped(info) or not in_body:
                labels[i] = "teaser"
            else:
                following = next((j for j in range(i + 1, n) if labels[j] is None or labels[j] in ("body",)), None)
                labels[i] = "subheading" if following is not None and infos[following].prose else "teaser"
            after_notice = False

    # 7. Lines above the headline: masthead, section, kicker; then lines between headline and lead.
    if headline is not None:
        _label_top(infos, labels, headline)
    for i in range(n):
        if labels[i] is not None:
            continue
        info = infos[i]
        if headline is not None and i < headline:
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


_CREDIT_WORDS = ("foto", "bild", "quelle", "grafik", "©", "(c)")


def _credited(text: str) -> bool:
    """A photo credit in the line ("... Foto: dpa", "(l.)", "REUTERS/Name"). Each pattern needs a
    literal that a plain substring test finds first, so most lines cost no regex search."""
    lower = text.lower()
    return (
        (any(word in lower for word in _CREDIT_WORDS) and _INLINE_CREDIT.search(text) is not None)
        or ("(" in text and _PICTURED.search(text) is not None)
        or ("/" in text and _TRAILING_AGENCY_CREDIT.search(text) is not None)
    )


def _breadcrumb(text: str) -> bool:
    """Section names joined by separators: "Politik / Österreich", "Schweiz > Abstimmungen"."""
    parts = [p.strip().lower() for p in _CRUMB_SEPARATOR.split(text)]
    return len(parts) >= 2 and sum(p in _sections() for p in parts) >= len(parts) - (len(parts) > 2)


_PLACE_SECTION = re.compile(r"^(stadt|landkreis|kreis|region|bezirk|kanton|gemeinde|stadtteil)\s+[A-ZÄÖÜ]", re.I)
_SHARE_WORDS = frozenset(
    "teilen twittern tweet tweeten e-mail email mail per versenden drucken kommentieren kommentare merken "
    "speichern mailen verschenken facebook twitter x whatsapp linkedin xing pinterest telegram messenger link kopieren diesen "
    "artikel beitrag seite vorlesen anhören feedback senden teilen:".split()
)


def _share_bar(text: str) -> bool:
    """"Teilen | Twittern | Per Mail versenden", "Diesen Artikel teilen: Facebook | E-Mail"."""
    words = [w.lower() for w in _WORD.findall(text)]
    return 1 <= len(words) <= 12 and sum(w in _SHARE_WORDS for w in words) >= 0.75 * len(words) and any(
        w in ("teilen", "tweet", "twittern", "drucken", "versenden", "kommentieren", "merken", "mailen", "verschenken")
        for w in words)


def _menu(text: str) -> bool:
    """A site menu dumped as one line: "Politik Wirtschaft Gesellschaft Kultur Wissen Archiv"."""
    words = _MENU_SEPARATOR.split(text.strip())
    return len(words) >= 3 and sum(w.lower() in _sections() for w in words) >= 0.6 * len(words) and not text.endswith(".")


@lru_cache(maxsize=1)
def _home_places() -> frozenset[str]:
    """German, Austrian and Swiss town names (gazetteers/cities.tsv): regional papers' sections."""
    places = set()
    for row in load_rows("gazetteers/cities.tsv", 3):
        if row[1] in ("DE", "AT", "CH"):
            places.add(row[0].lower())
            places.add(re.split(r"\s(am|an der|im|in|ob|bei)\s|\s\(", row[0])[0].lower())
    return frozenset(places)


def _section_like(info: LineInfo) -> bool:
    text = info.line.text.strip(" :|>»").lower()
    return _is_section(info) or (info.words <= 4 and (_PLACE_SECTION.match(info.line.text) is not None or text in _home_places()))


def _label_top(infos: list[LineInfo], labels: list[str | None], headline: int) -> None:
    """Masthead, section and kicker among the unlabelled lines above the headline.

    The page's first line is its masthead (outlet name or slogan) unless it names a section. A
    known section or place name is the section (the last one, as breadcrumbs go from general to
    specific). Otherwise, of two short lines above the headline, the upper is the section and the
    one right above the headline the kicker; a single short line right above the headline is its
    kicker, a single one higher up the section.
    """
    _label_menus(infos, labels, headline)
    top = [i for i in range(headline) if labels[i] is None]
    if top and top[0] == 0 and not _section_like(infos[0]):
        labels[0] = "other"
        top = top[1:]
    short = [i for i in top if infos[i].words <= 4 and not infos[i].line.text.endswith((".", "!", "?"))
             and not _masthead(infos[i])]
    adjacent = bool(short) and short[-1] == headline - 1
    if adjacent and len(short) >= 2:
        labels[short[-1]] = "kicker"
        rest = short[:-1]
        named = [i for i in rest if _section_like(infos[i])]
        section = named[-1] if named else rest[-1]
    elif len(short) == 1:
        section = short[0] if (_section_like(infos[short[0]]) or not adjacent) else None
    else:
        named = [i for i in short if _section_like(infos[i])]
        section = (named or short or [None])[-1]
    if section is not None:
        labels[section] = "section"
        for i in short:
            if i < section and _section_like(infos[i]) and labels[i] is None:
                labels[i] = "navigation"
    above = headline - 1
    if above >= 0 and labels[above] is None and infos[above].words <= 25 and not _masthead(infos[above]):
        labels[above] = "kicker"


_MENU_KINDS = (None, "video", "promo", "related", "ad", "navigation", "notice", "other")


def _label_menus(infos: list[LineInfo], labels: list[str | None], headline: int) -> None:
    """A site menu dumped one item per line: four or more adjacent input lines of at most three
    words without sentence punctuation above the headline ("Startseite", "Inland", "Video", ...)."""
    run: list[int] = []

    def close() -> None:
        if len(run) >= 4:
            for j in run:
                labels[j] = "navigation"
        run.clear()

    for i in range(1, headline):  # the first line is the masthead
        info = infos[i]
        short = info.words <= 3 and not info.line.text.endswith((".", "!", "?", ":")) and labels[i] in _MENU_KINDS
        if short and run and info.line.index != infos[run[-1]].line.index + 1:
            close()
        if short:
            run.append(i)
        else:
            close()
    close()


def _continues_body(infos: list[LineInfo], labels: list[str | None], i: int) -> bool:
    """Two sentences right after a prose paragraph continue the body: the last paragraph of an
    article above a closing "Foto: dpa" is no caption (one sentence there is often the caption of
    a picture at the end)."""
    return i > 0 and labels[i - 1] is None and infos[i - 1].prose and infos[i].sentences >= 2


def _title_above(infos: list[LineInfo], labels: list[str | None], i: int) -> bool:
    """True when a title-shaped line that could be the headline stands above line ``i``."""
    return any(labels[j] is None and infos[j].title and infos[j].words >= 3 for j in range(i))


def _strip_dates(text: str, dates: list) -> str:
    for match in sorted(dates, key=lambda m: m.start, reverse=True):
        text = text[: match.start] + text[match.end :]
    return text


def _name_like(info: LineInfo) -> bool:
    """A bare person name, maybe with a place or role: "Anna Beispiel", "Reto Ammann, Luzern"."""
    words = _WORD.findall(info.line.text.split(",")[0])
    return (
        2 <= len(words) <= 4
        and (words[0] in given_names() or re.fullmatch(r"[A-ZÄÖÜ]\.", info.line.text.split()[0]) is not None)
        and len(info.line.text) <= 40
        and all(w[:1].isupper() and w.lower() not in _NAME_STOP for w in words)
        and not re.search(r"[\d:!?„“\"»«|>/]", info.line.text)
        and not info.caps
        and not agency_names.find_agencies(info.line.text)
        and info.line.text.lower() not in _sections()
    )


def _prose_follows(infos: list[LineInfo], labels: list[str | None], i: int, count: int) -> bool:
    """True when at least ``count`` unlabelled prose lines come after line ``i``."""
    return sum(1 for j in range(i + 1, len(infos)) if labels[j] is None and infos[j].prose) >= count


def _lone_agency(info: LineInfo) -> bool:
    """A line that is nothing but an agency name, as photo credits are ("AFP", "dpa")."""
    return info.words <= 3 and not re.search(r"(?i)material|quelle|[()]", info.line.text)


# ---------------------------------------------------------------------------------------------
# Metadata from the labelled lines


_BYLINE_PREFIX = re.compile(
    r"(?i)^\(?(ein\s+\w+\s+|bericht\s+|text\s+|recherche\s+|mitarbeit\s+)?(von|vom autor|autor(in|en)?\s*:|text\s*:|redaktion\s*:|interview\s*:|recherche\s*:)"
    r"(\s+unsere[mr]?\s+\w+)?\s*"
)


def authors_from(byline: str) -> list[str]:
    """Person names in a byline: "Von Anna Beispiel und Max Muster, Berlin" -> two names."""
    return list(_authors(byline))


@lru_cache(maxsize=8192)
def _authors(byline: str) -> tuple[str, ...]:
    """Cached: an outlet's bylines repeat from article to article."""
    text = _BYLINE_PREFIX.sub("", byline).strip()
    text = re.split(r"(?i),?\s*(redigiert|bearbeitet|übersetzt) von\b", text)[0].rstrip(" )")
    text = re.sub(r"(?i)\b(mitarbeit|mit|recherche|text|fotos?)\s*:\s*", "", text)
    names: list[str] = []
    for part in re.split(r"\s+und\s+|\s*,\s*|\s*&\s*|\s*/\s*|\s*\|\s*", text):
        words = part.strip(" .").split()
        if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in part) or agency_names.find_agencies(part):
            continue
        if all(w[:1].isupper() or w in ("von", "van", "de", "der", "zu", "al", "el") for w in words):
            names.append(" ".join(words))
    return tuple(names)


_CAPTION_PREFIX = re.compile(r"(?i)^(bildtext|bildunterschrift|bu|foto|bild|symbolbild|archivbild|archivfoto)\s*:\s*")
_DESCRIPTIVE = re.compile(r"\b(der|die|das|dem|den|des|ein|eine|einem|einer|in|im|bei|beim|am|an|auf|vor|nach|mit|aus|während)\b")


def _describes(text: str) -> bool:
    """A credit field that is really a caption: it describes a scene ("Ein Kleinbus im Einsatz")
    rather than naming a photographer or agency ("Thomas Brügge für Die Wochenlage")."""
    return len(_DESCRIPTIVE.findall(text)) >= 2 or text.rstrip(" )").endswith(".") or bool(_PICTURED.search(text))
_TRAILING_PARENS = re.compile(r"\s*\(([^()]{2,60})\)\s*$")


@lru_cache(maxsize=8192)
def split_caption(text: str) -> tuple[str | None, str | None]:
    """A caption line with an inline credit -> (caption, credit). Cached: credit lines repeat."""
    prefixed = _CAPTION_PREFIX.match(text)
    if prefixed:
        text = text[prefixed.end() :]
        trailing = _TRAILING_PARENS.search(text)
        if trailing and "/" in trailing.group(1) or (trailing and agency_names.find_agencies(trailing.group(1))):
            return text[: trailing.start()].strip() or None, trailing.group(1).strip()
    match = _INLINE_CREDIT.search(text)
    if not match:
        trailing = _TRAILING_AGENCY_CREDIT.search(text)
        if trailing:
            return text[: trailing.start()].strip() or None, trailing.group("credit").strip()
        via = re.search(r",?\s+über\s+(?P<credit>[\w .-]*(nachrichtenagentur|agentur)[\w .-]*)$", text, re.I)
        if via:
            return text[: via.start()].strip() or None, via.group("credit").strip()
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
    title = hints.get("headline") or (_strip_site(hints["title"], hints.get("sitename")) if hints.get("title") else None)
    if title and "headline" not in labels:
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
        # Only plain-text inputs have line numbers a user can look up; HTML blocks have none.
        article.boilerplate.append(Boilerplate(text, label, info.line.index if article.input_kind == "text" else None))
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
    if updated is None and published is not None:
        # "Aktualisiert: 14:20 Uhr" on a line of its own: the published day at that time.
        for info, label in zip(infos, labels):
            time_only = _UPDATE_TIME_ONLY.match(info.line.text) if label == "dateline" and not info.dates else None
            if time_only:
                day = datetime.fromisoformat(published)
                updated = day.replace(hour=int(time_only.group(1)), minute=int(time_only.group(2))).isoformat()
    if hints.get("published"):
        published = published or hints["published"]
        precise = hints.get("time")
        if precise and published and published[11:19] == "00:00:00" and precise[:10] == published[:10]:
            published = precise  # htmldate found the day; <time datetime> has the minute
    if hints.get("updated"):
        updated = updated or hints["updated"]
    if published is None and settings.published:
        published = parse_iso(settings.published).isoformat()
    if not article.authors and hints.get("authors"):
        article.authors = list(hints["authors"])
    if not article.authors and hints.get("byline"):
        article.authors = authors_from(hints["byline"])
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
