"""The screen in front of the time patterns (lagebild.events.timex._screen) changes no result."""

import re
from datetime import date
from pathlib import Path

import pytest

from lagebild.events import timex

ROOT = Path(__file__).resolve().parents[2]


def _lines() -> list[str]:
    lines = [line for path in sorted((ROOT / "corpora").rglob("*.txt"))
             for line in path.read_text("utf-8", errors="replace").splitlines()
             if line.strip()]
    return lines + ["am Mittwoch", "vor drei Wochen", "übermorgen früh", "Ende März 2016", "im Jahr 2019", "3.10.",
                    "gestern Abend", "vergangene Woche", "kommenden Monat", "dieses Jahr", "Sonntagnacht", "MONTAG"]


def test_screen_changes_no_result(monkeypatch):
    lines = _lines()
    anchor = date(2015, 11, 27)
    screened = [(timex.find_timex(line, anchor), timex.find_timex(line, anchor, future=True)) for line in lines]
    monkeypatch.setattr(timex, "_screen", lambda: re.compile(""))  # matches every text: all patterns tried
    plain = [(timex.find_timex(line, anchor), timex.find_timex(line, anchor, future=True)) for line in lines]
    assert screened == plain
    assert sum(found is not None for found, _ in plain) > 50  # the texts hold time expressions to find


@pytest.mark.parametrize("text", ["am Mittwoch", "vor drei Wochen", "gestern Abend", "Ende März", "3.10.2015"])
def test_screen_passes_time_expressions(text):
    assert timex._screen().search(text) is not None
    assert timex.find_timex(text, date(2015, 11, 27)) is not None


def test_screen_rejects_text_without_any():
    assert timex._screen().search("Die Regierung lehnte den Vorschlag ab.") is None
