"""Find and resolve publication dates in datelines: German and international formats.

Cascade in :func:`find_dates`, each step over what the earlier ones left:

1. ISO 8601 (``2015-11-27T04:36:00+01:00``, ``2015-11-27 04:36``);
2. numeric day-month-year (``27/11/2015 04:36 CET``, ``27.11.2015, 13:44 Uhr``, ``4.3.24, 17.02 Uhr``);
3. day, month name, year, optional time (``Mittwoch, 4. März 2024, 17:02 Uhr``, ``4. Jänner 2024``),
   month names from babel's German, Austrian and Swiss locales;
4. relative expressions (``vor 3 Stunden``, ``gestern, 13:44 Uhr``) through dateparser, counted
   from a reference time.

A time without an explicit zone is local time in ``Europe/Berlin`` (or the configured zone), so
CET (+01:00) and CEST (+02:00) follow the daylight-saving rules; ``CET``/``MEZ`` and ``CEST``/
``MESZ`` written next to the time win. A keyword before the date (``Aktualisiert``, ``Update``)
marks it as the update time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from lagebild.errors import ConfigError, Errors

_ZONES = {
    "CET": 1, "MEZ": 1, "CEST": 2, "MESZ": 2, "UTC": 0, "GMT": 0, "Z": 0, "WEZ": 0, "WESZ": 1,
}
_UPDATED = re.compile(
    r"(aktualisiert|update|updated|geändert|zuletzt\s+bearbeitet|letzte\s+änderung)(\W*(am|um|vom|:))*\W*$", re.I
)
_UPDATE_TIME = re.compile(r"(?i)(?:aktualisiert|update)\W*(?:am|um)?\W*([01]?\d|2[0-3])[:.]([0-5]\d)\s*(?:uhr)?")
_TIME = r"(?:(?:,|\s|-|–|\||/)*(?:um\s+)?(?P<hh>[01]?\d|2[0-3])[:.h](?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?\s*(?:Uhr|h)?)?"
_ZONE = r"(?:\s*(?P<zone>CET|CEST|MEZ|MESZ|UTC|GMT|WEZ|WESZ)\b)?"


@dataclass(frozen=True)
class DateMatch:
    """A date found in a line: where, what, how precise and whether it is an update time."""

    start: int
    end: int
    value: datetime
    granularity: str  # "minute", "day", ...
    updated: bool

    def iso(self) -> str:
        return self.value.isoformat()


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 date-time given by a user; a missing offset means Europe/Berlin."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(Errors.E021.format(value=value)) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo("Europe/Berlin"))
    return parsed


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    """German month names and abbreviations (de, de_AT, de_CH) from babel's CLDR data."""
    from babel.dates import get_month_names

    table: dict[str, int] = {}
    for locale in ("de_DE", "de_AT", "de_CH"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    table[name.lower().rstrip(".")] = number
    # Forms babel does not list but German pages use.
    table.update({"feber": 2, "sept": 9, "mrz": 3, "märz": 3, "maerz": 3, "jän": 1})
    return table


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    months = "|".join(sorted((re.escape(m) for m in _month_table()), key=len, reverse=True))
    iso = re.compile(
        r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
        r"(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?(?P<off>Z|[+-]\d{2}:?\d{2})?)?"
    )
    numeric = re.compile(
        r"(?<![\d.])(?P<d>[0-3]?\d)(?P<sep>[./])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d])" + _TIME + _ZONE
    )
    named = re.compile(
        r"(?<!\w)(?P<d>[0-3]?\d)\.?\s*(?P<mon>" + months + r")\.?\s+(?P<y>\d{4})" + _TIME + _ZONE, re.I
    )
    return iso, numeric, named


_RELATIVE = re.compile(
    r"\b(?:vor\s+(?:\d+|einer|einem|zwei|drei|vier|fünf|zehn|wenigen)\s+"
    r"(?:sekunden?|minuten?|min\.?|stunden?|std\.?|tag(?:en)?|wochen?|monaten?)"
    r"|(?:heute|gestern|vorgestern)(?:\s*,?\s*(?:um\s+)?\d{1,2}[:.]\d{2}\s*(?:uhr)?)?)",
    re.I,
)


def _local(y: int, m: int, d: int, hh: int, mi: int, ss: int, zone: str | None, tz: str) -> datetime:
    """A wall-clock time in the outlet's zone; a time with an explicit zone ("13:48 UTC") is
    converted to that zone too, so all dates of a corpus carry the same local offsets."""
    if zone:
        explicit = datetime(y, m, d, hh, mi, ss, tzinfo=timezone(timedelta(hours=_ZONES[zone.upper()])))
        return explicit.astimezone(ZoneInfo(tz))
    return datetime(y, m, d, hh, mi, ss, tzinfo=ZoneInfo(tz))


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 and year < 70 else (year + 1900 if year < 100 else year)


def find_dates(line: str, *, tz: str = "Europe/Berlin", reference: datetime | None = None) -> list[DateMatch]:
    """All dates in ``line``, left to right (see the module docstring for the cascade)."""
    iso, numeric, named = _patterns()
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(match: re.Match[str], value: datetime, granularity: str) -> None:
        updated = bool(_UPDATED.search(line[max(0, match.start() - 40) : match.start()]))
        found.append(DateMatch(match.start(), match.end(), value, granularity, updated))
        taken.append((match.start(), match.end()))

    for match in iso.finditer(line):
        g = match.groupdict()
        try:
            if g["off"]:
                value = datetime.fromisoformat(match.group(0).replace(" ", "T").replace("Z", "+00:00")).astimezone(ZoneInfo(tz))
            else:
                value = _local(int(g["y"]), int(g["m"]), int(g["d"]), int(g["hh"] or 0), int(g["mi"] or 0),
                               int(g["ss"] or 0), None, tz)
        except ValueError:
            continue
        add(match, value, "minute" if g["hh"] else "day")
    for pattern in (numeric, named):
        for match in pattern.finditer(line):
            if not free(match.start(), match.end()):
                continue
            g = match.groupdict()
            month = int(g["m"]) if "m" in g and g.get("m") else _month_table().get(g["mon"].lower().rstrip("."))
            if not month:
                continue
            try:
                value = _local(_year(g["y"]), month, int(g["d"]), int(g["hh"] or 0), int(g["mi"] or 0),
                               int(g["ss"] or 0), g["zone"], tz)
            except ValueError:
                continue
            add(match, value, "minute" if g["hh"] else "day")
    if reference is not None:
        for match in _RELATIVE.finditer(line):
            if not free(match.start(), match.end()):
                continue
            value = resolve_relative(match.group(0), reference)
            if value is not None:
                add(match, value, "minute")
    # "10.10.2021, 21:37 Uhr | Aktualisiert: 23:05 Uhr": an update time alone is on the same day.
    if found:
        for match in _UPDATE_TIME.finditer(line):
            if not free(match.start(1), match.end()):
                continue
            day = max((m for m in found if m.start < match.start()), key=lambda m: m.start, default=None)
            if day is None:
                continue
            value = day.value.replace(hour=int(match.group(1)), minute=int(match.group(2)), second=0)
            found.append(DateMatch(match.start(1), match.end(), value, "minute", True))
            taken.append((match.start(1), match.end()))
    found.sort(key=lambda m: m.start)
    return found


@lru_cache(maxsize=4096)
def resolve_relative(expression: str, reference: datetime) -> datetime | None:
    """Resolve 'vor 3 Stunden', 'gestern, 13:44 Uhr' against ``reference`` with dateparser.

    Cached: dateparser takes about 2 ms a call, and the pages of one crawl share the reference
    time and say "vor 2 Stunden" or "gestern" over and over.
    """
    import dateparser

    settings = {
        "RELATIVE_BASE": reference.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    value = dateparser.parse(expression.replace("Std.", "Stunden").replace("Min.", "Minuten"),
                             languages=["de"], settings=settings)
    if value is None:
        return None
    tzinfo = reference.tzinfo
    if isinstance(tzinfo, ZoneInfo):
        return value.replace(tzinfo=tzinfo)
    return value.replace(tzinfo=tzinfo).astimezone(tzinfo)


def date_coverage(line: str, matches: list[DateMatch]) -> float:
    """Share of the line's non-space characters that dates and date words cover."""
    rest = line
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + rest[m.end :]
    rest = re.sub(
        r"(?i)\b(aktualisiert|update|stand|veröffentlicht|erstellt|publiziert|erschienen|am|um|uhr|vom|"
        r"zuletzt|datum|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
        r"mo|di|mi|do|fr|sa|so|heute|gestern)\b\.?",
        "",
        rest,
    )
    rest = re.sub(r"[\W_]+", "", rest)
    total = len(re.sub(r"[\W_]+", "", line)) or 1
    return 1 - len(rest) / total
