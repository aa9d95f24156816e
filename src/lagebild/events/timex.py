"""German time expressions of events, resolved against the publication date, with a granularity.

:func:`find_timex` looks for, in this order of precedence (the first found in the text wins):

* absolute dates: "am 3. März 2024", "3. März", "3.3.2024" (day);
* relative days: "gestern abend", "vorgestern", "heute", "morgen", "übermorgen" (day);
* weekdays: "am Mittwoch", "Mittwochabend", "in der Nacht zu Mittwoch" (day): the last such day
  before publication, or the next one for planned events;
* weeks: "vergangene Woche", "in dieser Woche", "nächste Woche" (week; the date is its Monday);
* months: "Ende November", "Anfang März", "im Mai" (month; the first of the month),
  "vergangenen Monat";
* years: "im vergangenen Jahr", "2019" after "im (Jahr)" (year; 1 January);
* "vor drei Tagen", "vor zwei Wochen" (day or week).

Month names come from babel's CLDR data (through :mod:`lagebild.dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lagebild.dates import _month_table

WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6}
NUMBERS = {"einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
           "acht": 8, "neun": 9, "zehn": 10, "wenigen": 2}
_PART = r"(?:\s*(?:abend|morgen|nachmittag|vormittag|mittag|nacht|früh))?"


@dataclass(frozen=True)
class Timex:
    start: int  # offsets into the searched text
    end: int
    value: date
    granularity: str  # day | week | month | year

    def to_dict(self, offset: int = 0, text: str | None = None) -> dict:
        start, end = self.start + offset, self.end + offset
        value = self.value
        if self.granularity == "week":
            value = value - timedelta(days=value.weekday())
        elif self.granularity == "month":
            value = value.replace(day=1)
        elif self.granularity == "year":
            value = value.replace(month=1, day=1)
        return {"value": value.isoformat(), "granularity": self.granularity, "start": start, "end": end,
                "text": text[start:end] if text is not None else None}


@lru_cache(maxsize=1)
def _names() -> tuple[str, str]:
    """The regular-expression alternations of the month names (3 letters or more, longest first) and
    of the weekdays, shared by :func:`_patterns` and :func:`_screen`."""
    months = "|".join(sorted((re.escape(m) for m in _month_table() if len(m) >= 3), key=len, reverse=True))
    return months, "|".join(WEEKDAYS)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    months, weekdays = _names()
    numbers = "|".join(NUMBERS)
    flags = re.I
    return [
        ("named", re.compile(r"\b(?P<d>[0-3]?\d)\.\s*(?P<mon>" + months + r")\.?(?:\s+(?P<y>\d{4}))?\b", flags)),
        ("numeric", re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d{4}|\d{2})?(?![\d])")),
        ("relday", re.compile(r"\b(?P<w>vorgestern|gestern|heute|übermorgen)" + _PART + r"\b", flags)),
        ("tomorrow", re.compile(r"(?<!heute )(?<!gestern )(?<!am )(?<!jeden )\bmorgen(?!\s*(?:früh|abend))?\b(?=\s+\w)")),
        ("weekday", re.compile(r"\b(?:(?:am|vom|seit|bis|ab|für|in\s+der\s+nacht\s+(?:zu|zum|auf)(?:\s+den)?)\s+)?"
                               r"(?P<wd>" + weekdays + r")(?:abend|morgen|nachmittag|vormittag|mittag|nacht)?\b", flags)),
        ("week", re.compile(r"\b(?:(?P<past>vergangene|vergangenen|letzte|letzten|vorige|vorigen)"
                            r"|(?P<this>diese|dieser|in\s+dieser)|(?P<next>nächste|nächsten|kommende|kommenden))\s+woche\b", flags)),
        ("month_part", re.compile(r"\b(?P<part>anfang|mitte|ende|im|seit|bis)\s+(?P<mon>" + months + r")(?:\s+(?P<y>\d{4}))?\b", flags)),
        ("month_rel", re.compile(r"\b(?:(?P<past>vergangenen|letzten|vorigen)|(?P<this>diesen|in\s+diesem)|(?P<next>nächsten|kommenden))\s+monat\b", flags)),
        ("year_rel", re.compile(r"\b(?:(?:im\s+)?(?P<past>vergangenen|letzten|vorigen|vergangenes|letztes)|(?P<this>in\s+diesem|dieses)|(?P<next>im\s+nächsten|nächstes|im\s+kommenden|kommendes))\s+jahr\b", flags)),
        ("year", re.compile(r"\b(?:im\s+(?:jahr\s+)?|seit\s+|bis\s+)(?P<y>(?:19|20)\d\d)\b", flags)),
        ("ago", re.compile(r"\bvor\s+(?P<n>\d+|" + numbers + r")\s+(?P<unit>tag|tagen|woche|wochen|monat|monaten|jahr|jahren)\b", flags)),
    ]


def _month(name: str) -> int | None:
    return _month_table().get(name.lower().rstrip("."))


def _year_for(month: int, anchor: date, future: bool) -> int:
    """The year of a month named without one: the nearest one in the direction of the event."""
    if future:
        return anchor.year + (1 if month < anchor.month else 0)
    return anchor.year - (1 if month > anchor.month else 0)


@lru_cache(maxsize=1)
def _screen() -> re.Pattern[str]:
    """What every pattern of :func:`_patterns` needs somewhere in its match: a digit, a month or
    weekday name (the same alternations), or one of the words the relative patterns are built on.
    A text without any of them holds no time expression; one search instead of twelve."""
    months, weekdays = _names()
    return re.compile(r"\d|gestern|heute|morgen|woche|monat|jahr|tag|" + weekdays + "|" + months, re.I)


def find_timex(text: str, anchor: date, *, future: bool = False) -> Timex | None:
    """The first time expression in ``text`` resolved against ``anchor`` (see the module docstring)."""
    if _screen().search(text) is None:
        return None
    found: list[Timex] = []
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            value = _resolve(kind, match, anchor, future)
            if value is not None:
                found.append(Timex(match.start(), match.end(), value[0], value[1]))
                break
    return min(found, key=lambda t: t.start) if found else None


def _resolve(kind: str, match: re.Match[str], anchor: date, future: bool) -> tuple[date, str] | None:
    g = match.groupdict()
    try:
        if kind == "named":
            month = _month(g["mon"])
            if not month:
                return None
            year = int(g["y"]) if g.get("y") else _year_for(month, anchor, future)
            return date(year, month, int(g["d"])), "day"
        if kind == "numeric":
            year = int(g["y"]) if g.get("y") else _year_for(int(g["m"]), anchor, future)
            year = year + 2000 if year < 100 else year
            return date(year, int(g["m"]), int(g["d"])), "day"
    except ValueError:
        return None
    if kind == "relday":
        shift = {"vorgestern": -2, "gestern": -1, "heute": 0, "übermorgen": 2}[g["w"].lower()]
        return anchor + timedelta(days=shift), "day"
    if kind == "tomorrow":
        return anchor + timedelta(days=1), "day"
    if kind == "weekday":
        weekday = WEEKDAYS[g["wd"].lower()]
        future = future or match.group(0).lower().startswith(("für ", "ab "))  # "für Donnerstag": ahead
        delta = (weekday - anchor.weekday()) % 7 if future else -((anchor.weekday() - weekday) % 7)
        return anchor + timedelta(days=delta), "day"
    if kind in ("week", "month_rel", "year_rel"):
        step = -1 if g.get("past") else (1 if g.get("next") else 0)
        if kind == "week":
            return anchor + timedelta(weeks=step), "week"
        if kind == "month_rel":
            month = anchor.month + step
            year = anchor.year + (month - 1) // 12
            return date(year, (month - 1) % 12 + 1, 1), "month"
        return date(anchor.year + step, 1, 1), "year"
    if kind == "month_part":
        month = _month(g["mon"])
        if not month:
            return None
        year = int(g["y"]) if g.get("y") else _year_for(month, anchor, future)
        return date(year, month, 1), "month"
    if kind == "year":
        return date(int(g["y"]), 1, 1), "year"
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else NUMBERS[g["n"].lower()]
        unit = g["unit"].lower()
        if unit.startswith("tag"):
            return anchor - timedelta(days=n), "day"
        if unit.startswith("woche"):
            return anchor - timedelta(weeks=n), "week"
        if unit.startswith("monat"):
            month = anchor.month - n
            return date(anchor.year + (month - 1) // 12, (month - 1) % 12 + 1, 1), "month"
        return date(anchor.year - n, 1, 1), "year"
    return None
