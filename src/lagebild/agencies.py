"""News agencies: find credits in a line and normalise them (resource ``agencies.tsv``)."""

from __future__ import annotations

import re
from functools import lru_cache

from lagebild.resources import load_rows

# Words that may stand in an agency credit line besides agency names:
# "Mit Material der AP und der dpa", "Quelle: dpa", "(dpa/AFP/lk)", "red, ORF.at/Agenturen", "APA/Reuters".
_CREDIT_WORDS = re.compile(
    r"(?i)\b(mit|material|von|der|des|den|und|sowie|quelle|quellen|agentur|agenturen|nachrichtenagentur|"
    r"nachrichtenagenturen|red|redaktion|text|infocom|cf|ag|dts|nachrichten|informationen|angaben)\b"
)
_CREDIT_PREFIX = re.compile(r"(?i)^\(?\s*(mit material|material|mit informationen|quelle|quellen|mit agenturen|agenturen|red\b|text:)")
_PHOTO = re.compile(r"(?i)^\s*(foto|fotos|bild|bilder|grafik)\b")
_SITE = re.compile(r"(?i)\b[\w-]+\.(de|at|ch|com)\b")


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern)) for name, pattern in load_rows("agencies.tsv", 2))


@lru_cache(maxsize=1)
def _screen() -> re.Pattern[str]:
    """One alternation of every agency pattern: most lines name no agency, one search says so."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _table()))


def find_agencies(text: str) -> list[str]:
    """Canonical names of the agencies credited in ``text``, in order of first appearance."""
    if not _screen().search(text):
        return []
    return list(_agencies_in(text))


@lru_cache(maxsize=8192)
def _agencies_in(text: str) -> tuple[str, ...]:
    """Cached: credit lines ("Foto: dpa", "(APA/Reuters)") repeat from article to article."""
    hits: list[tuple[int, str]] = []
    for name, pattern in _table():
        match = pattern.search(text)
        if match:
            hits.append((match.start(), name))
    return tuple(name for _, name in sorted(hits))


def residue(text: str) -> str:
    """What is left of a line once agency names and credit words are removed."""
    rest = text
    for _, pattern in _table():
        rest = pattern.sub(" ", rest)
    rest = _CREDIT_WORDS.sub(" ", rest)
    rest = _SITE.sub(" ", rest)  # "red, ORF.at/Agenturen"
    rest = re.sub(r"(?<![A-Za-zÄÖÜäöüß])[a-zäöü]{1,3}(?![A-Za-zÄÖÜäöüß])", " ", rest)  # author codes: "lk", "jm"
    rest = re.sub(r"/[a-zäöü]{1,5}\b", " ", rest)  # "sda/brut"
    rest = re.sub(r"\d{6}-\d+-\d+(/\d+)?", " ", rest)  # dpa document numbers
    return re.sub(r"[\W_]+", "", rest)


def is_credit_line(text: str) -> bool:
    """True for a line that only credits agencies ("Mit Material der AP und der dpa", "(dpa/AFP)")."""
    if len(text) > 120 or _PHOTO.match(text):
        return False
    if not find_agencies(text):
        return re.search(r"(?i)\bagenturen\b", text) is not None and len(residue(text)) <= 3
    return not residue(text) or (_CREDIT_PREFIX.match(text) is not None and len(residue(text)) <= 12)


_PARENS = re.compile(r"\(([^()]{1,40})\)")


def inline_credits(text: str) -> list[str]:
    """Agencies credited in parentheses inside article text: "Berlin (dpa) - ...", "... (AFP)"."""
    found: list[str] = []
    for match in _PARENS.finditer(text):
        inner = match.group(1)
        names = find_agencies(inner)  # one screening search; residue() runs a dozen substitutions
        if names and len(residue(inner)) <= 3:
            for name in names:
                if name not in found:
                    found.append(name)
    return found


def sort_agencies(names: list[str]) -> list[str]:
    return sorted(dict.fromkeys(names), key=str.lower)
