"""One settings table with defaults and help strings, one typed options object.

The CLI maps its options onto :class:`Settings` with :func:`settings_from`; a TOML file
(``lagebild.toml``, see ``src/lagebild/resources/lagebild.default.toml``) can set the same names.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from lagebild.errors import ConfigError, Errors

#: name -> (default, help). The single source of truth; docs/schema.md and the default config
#: file are checked against it by tests/test_docs.py.
SETTINGS: dict[str, tuple[Any, str]] = {
    "stages": (
        ["extract", "structure", "language", "tokens", "morphology", "entities", "quotes", "events"],
        "Pipeline stages to run, in order (see `lagebild stages`).",
    ),
    "max_input_bytes": (20_000_000, "Inputs larger than this many bytes fail with E003."),
    "timezone": (
        "Europe/Berlin",
        "Time zone for dates printed without an offset (CET/CEST rules; Vienna and Zurich share them).",
    ),
    "reference_time": (
        None,
        "ISO date-time that relative dates ('vor 3 Stunden', 'gestern') count from; default: "
        "the publication date if known, else the file's modification time.",
    ),
    "published": (None, "Publication date to use when the input carries none (ISO 8601)."),
    "ner_backend": (
        "shipped",
        "NER model: 'shipped' (lagebild's own), 'spacy:NAME_OR_PATH' (an installed spaCy pipeline such as "
        "de_core_news_lg), 'hf:PATH' (a local Hugging Face token-classification model; extra 'hf'), or 'none'.",
    ),
    "quote_model": (
        "shipped",
        "Quote tagger of the quotes stage: 'shipped' (rules plus lagebild's trained tagger; its weights come "
        "from CC BY-NC-SA data: non-commercial use only), 'none' (rules only, fit for commercial use), or the "
        "path of a model written by `lagebild train quotes`.",
    ),
    "force_language": (False, "Run the German stages even when the text's language is not German."),
}


@dataclass(frozen=True)
class Settings:
    """Typed options; every field has its default and help in :data:`SETTINGS`."""

    stages: list[str] = field(default_factory=lambda: list(SETTINGS["stages"][0]))
    max_input_bytes: int = SETTINGS["max_input_bytes"][0]
    timezone: str = SETTINGS["timezone"][0]
    reference_time: str | None = None
    published: str | None = None
    ner_backend: str = SETTINGS["ner_backend"][0]
    quote_model: str = SETTINGS["quote_model"][0]
    force_language: bool = False

    def __post_init__(self) -> None:
        if self.max_input_bytes <= 0:
            raise ConfigError(Errors.E020.format(name="max_input_bytes", reason="must be positive"))
        for name in ("reference_time", "published"):
            value = getattr(self, name)
            if value is not None:
                from lagebild.dates import parse_iso

                parse_iso(value)  # raises ConfigError E021 on a bad value


def load_config(path: Path) -> dict[str, Any]:
    """Read a TOML config file's ``[lagebild]`` table (or its top level)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    table = data.get("lagebild", data)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(Errors.E020.format(name=", ".join(unknown), reason="unknown setting"))
    return table


def settings_from(config: Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the config file, then explicit overrides (``None`` means 'not given')."""
    settings = Settings()
    if config is not None:
        settings = replace(settings, **load_config(config))
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **given) if given else settings
