import codecs

import pytest

from lagebild.errors import InputError
from lagebild.reader import read_bytes, read_path

GERMAN = "Die Bürgermeisterin äußerte sich über die Straßenbahn in Köln.\n"


@pytest.mark.parametrize(
    "data,encoding",
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), "utf-8"),
        (GERMAN.encode("utf-16"), "utf-16"),
        (GERMAN.encode("cp1252"), "cp1252"),
        (GERMAN.encode("latin-1"), "cp1252"),
        (("„Wir müssen reden“, sagte sie – 5 €. " + GERMAN).encode("cp1252"), "cp1252"),
    ],
)
def test_text_encodings_are_detected(data, encoding):
    raw = read_bytes(data, source="t")
    assert raw.encoding == encoding
    assert "Bürgermeisterin äußerte" in raw.text
    assert raw.kind == "text"


def test_misdeclared_html_charset_is_decoded_by_its_bytes():
    page = f'<html><head><meta charset="utf-8"><title>T</title></head><body><p>{GERMAN}</p></body></html>'
    raw = read_bytes(page.encode("cp1252"), source="t.html")
    assert raw.kind == "html"
    assert "Straßenbahn" in raw.text


def test_declared_windows_charset_is_used_when_bytes_are_not_utf8():
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>„{GERMAN}“</p></body></html>'
    raw = read_bytes(page.encode("cp1252"), source="t.html")
    assert raw.encoding == "cp1252"
    assert "„Die Bürgermeisterin" in raw.text


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "E001"),
        (b"  \n\t \n", "E001"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "E002"),
        (b"abc\x00def\x00" * 10, "E002"),
        (b"\x1f\x8b\x08\x00rest", "E002"),
        (bytes(range(1, 32)) * 50, "E002"),
    ],
)
def test_bad_input_gets_a_coded_error(data, code):
    with pytest.raises(InputError) as info:
        read_bytes(data, source="bad")
    assert info.value.code == code
    assert "bad" in info.value.message


def test_oversized_file_fails_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputError) as info:
        read_path(path, max_bytes=1000)
    assert info.value.code == "E003"


def test_missing_file_is_E005(tmp_path):
    with pytest.raises(InputError) as info:
        read_path(tmp_path / "nope.txt", max_bytes=1000)
    assert info.value.code == "E005"


def test_html_detected_from_content_not_extension(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><body><p>Hallo</p></body></html>", encoding="utf-8")
    assert read_path(path, max_bytes=10_000).kind == "html"
    text = tmp_path / "text.html"
    text.write_text("Kein Markup hier, nur Text über <3 Dinge.", encoding="utf-8")
    assert read_path(text, max_bytes=10_000).kind == "text"
