"""Docs tests: every command, setting and output field is documented."""

import re
from pathlib import Path

import pytest

from lagebild.cli import app, eval_app
from lagebild.model import Article
from lagebild.settings import SETTINGS, load_config

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
CONFIG_DOC = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", list(Article(id="x", source=None, raw="").to_dict()))
def test_every_output_field_is_in_schema_doc(field):
    assert f"| `{field}` |" in SCHEMA_DOC


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_setting_is_documented_and_in_default_config(name):
    assert f"| `{name}` |" in CONFIG_DOC
    default = (ROOT / "src/lagebild/resources/lagebild.default.toml").read_text(encoding="utf-8")
    assert re.search(rf"^#?\s*{name} =", default, re.M)


def test_default_config_file_loads():
    assert set(load_config(ROOT / "src/lagebild/resources/lagebild.default.toml")) <= set(SETTINGS)


def _commands():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [f"eval {c.name}" for c in eval_app.registered_commands]
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command):
    assert f"lagebild {command}" in CONFIG_DOC


def test_readme_has_the_two_commands_first():
    setup = README.index("## Set up and run")
    block = README[setup : README.index("##", setup + 5)]
    assert re.findall(r"^make (\w+)", block, re.M) == ["run", "test"]
