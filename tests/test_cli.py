"""The CLI end to end, in a real subprocess: exit codes, stdout JSON, stderr messages."""

import json
import subprocess
import sys

import pytest

ARTICLE = "POLITIK\n\nLandtag beschließt neues Schulgesetz\n\n12.05.2022, 14:05 Uhr\n\nDer Landtag hat am Donnerstag ein neues Schulgesetz beschlossen. Die Opposition stimmte dagegen.\n\nZurück zur Startseite\n"


def lagebild(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "lagebild.cli", *args], input=stdin, capture_output=True, timeout=120)


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (tmp_path / "d.txt").write_text(ARTICLE.replace("Schulgesetz", "Polizeigesetz"), encoding="cp1252")
    return tmp_path


def test_analyze_one_file_prints_one_object(folder):
    result = lagebild("analyze", str(folder / "a.txt"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "lagebild.article/1"
    assert data["headline"] == "Landtag beschließt neues Schulgesetz"
    assert data["published"] == "2022-05-12T14:05:00+02:00"
    assert data["section"] == "POLITIK"


def test_batch_goes_on_after_bad_inputs_and_exits_nonzero(folder):
    result = lagebild("analyze", str(folder), "--format", "jsonl")
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) == 4  # nothing lost: two articles, two error records
    errors = {r["source"].rsplit("/", 1)[-1]: r["code"] for r in records if "error" in r}
    assert errors == {"b.txt": "E001", "c.txt": "E002"}
    ok = [r for r in records if "error" not in r]
    assert sorted(r["headline"] for r in ok) == ["Landtag beschließt neues Polizeigesetz", "Landtag beschließt neues Schulgesetz"]
    stderr = result.stderr.decode()
    assert "E001" in stderr and "E002" in stderr


def test_stdin_and_published_option():
    text = "Kurze Meldung ohne Datum hier\n\nDie Regierung trat gestern zurück. Neuwahlen sind geplant.\n"
    result = lagebild("analyze", "-", "--published", "2021-01-05T10:00:00+01:00", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["published"] == "2021-01-05T10:00:00+01:00"


def test_bad_option_value_is_a_coded_error(folder):
    result = lagebild("analyze", str(folder / "a.txt"), "--published", "gestern")
    assert result.returncode == 2
    assert b"E021" in result.stderr


def test_missing_path_is_reported(folder):
    result = lagebild("analyze", str(folder / "a.txt"), str(folder / "nope.txt"), "--format", "jsonl")
    assert result.returncode == 1
    assert b"E005" in result.stderr
    assert len(result.stdout.decode().splitlines()) == 1


def test_stages_lists_every_stage():
    result = lagebild("stages")
    assert result.returncode == 0
    for name in (b"extract.v1", b"structure.v1", b"tokens.v1"):
        assert name in result.stdout


def test_file_over_20_mb_fails_alone(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"Wort " * 4_200_001)  # 21 MB
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    result = lagebild("analyze", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r.get("code") for r in records] == ["E003", None]


def test_bad_pipeline_configuration_is_a_coded_error(folder):
    result = lagebild("analyze", str(folder / "a.txt"), "--stages", "extract,tokens")
    assert result.returncode == 2
    assert b"E011" in result.stderr and b"Traceback" not in result.stderr


def test_train_quotes_rejects_an_unknown_extra_source(tmp_path):
    result = lagebild("train", "quotes", "--output", str(tmp_path / "m"), "--data", str(tmp_path), "--extra", "wikipedia:0.5")
    assert result.returncode == 2
    assert "E005" in result.stderr.decode() and "wikipedia" in result.stderr.decode()
    assert not (tmp_path / "m").exists()
