from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lagebild.dates import find_dates, parse_iso
from lagebild.errors import ConfigError

REF = datetime(2024, 3, 5, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    "line,expected",
    [
        ("27/11/2015 04:36 CET", ["2015-11-27T04:36:00+01:00"]),
        ("27.11.2015, 13:44 Uhr", ["2015-11-27T13:44:00+01:00"]),
        ("04.07.2024, 13:44 Uhr", ["2024-07-04T13:44:00+02:00"]),  # summer time: CEST
        ("Mittwoch, 04. März 2024, 17:02 Uhr", ["2024-03-04T17:02:00+01:00"]),
        ("4. Jänner 2023 um 9:15", ["2023-01-04T09:15:00+01:00"]),  # Austrian month name
        ("4.7.2024, 17.02 Uhr", ["2024-07-04T17:02:00+02:00"]),  # Swiss time with a period
        ("Erstellt: 04.07.24, 08:00 Uhr", ["2024-07-04T08:00:00+02:00"]),
        ("2024-10-27T01:30:00Z", ["2024-10-27T02:30:00+01:00"]),  # UTC, converted to local time
        ("10. Juni 2021 13:48 UTC", ["2021-06-10T15:48:00+02:00"]),
        ("2024-03-31 03:30", ["2024-03-31T03:30:00+02:00"]),  # the night clocks go forward
        ("12. August 2025", ["2025-08-12T00:00:00+02:00"]),
        ("14:00 MESZ am 1.3.2024", ["2024-03-01T00:00:00+01:00"]),  # a zone without a date next to it is not used
        ("Der Vertrag von 1991 gilt weiter.", []),
        ("Nr. 12.5 der Liste", []),
    ],
)
def test_absolute_dates(line, expected):
    assert [m.iso() for m in find_dates(line)] == expected


def test_update_keyword_marks_the_second_date():
    matches = find_dates("27/11/2015 04:36 CET | Aktualisiert 27/11/2015 13:44 CET")
    assert [(m.iso(), m.updated) for m in matches] == [
        ("2015-11-27T04:36:00+01:00", False),
        ("2015-11-27T13:44:00+01:00", True),
    ]


@pytest.mark.parametrize(
    "line,expected",
    [
        ("vor 3 Stunden", "2024-03-05T09:00:00+01:00"),
        ("Aktualisiert vor 45 Minuten", "2024-03-05T11:15:00+01:00"),
        ("gestern, 13:44 Uhr", "2024-03-04T13:44:00+01:00"),
    ],
)
def test_relative_dates_count_from_the_reference(line, expected):
    matches = find_dates(line, reference=REF)
    assert [m.iso() for m in matches] == [expected]


def test_relative_dates_need_a_reference():
    assert find_dates("vor 3 Stunden") == []


def test_parse_iso_rejects_garbage():
    with pytest.raises(ConfigError) as info:
        parse_iso("gestern")
    assert info.value.code == "E021"
    assert parse_iso("2015-11-27T04:36").isoformat() == "2015-11-27T04:36:00+01:00"
