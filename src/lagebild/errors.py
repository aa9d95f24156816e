"""Coded, actionable errors and warnings in one place.

Exception tree::

    LagebildError                 every error lagebild raises on purpose carries a code (E...)
    ├── InputError                one input cannot be analysed (empty, binary, too large, ...)
    ├── PipelineError             the pipeline is misconfigured (unknown stage, wrong order)
    ├── SpanError                 an annotation's offsets do not fit the article text (a bug)
    ├── ConfigError               a setting has a bad value
    └── StoreError                the corpus store cannot be opened or written (read-only, full disk)

Batch code catches :class:`InputError` at the stage boundary, records it with the input's id and
goes on with the rest. Warnings (W...) are strings kept on the article.
"""

from __future__ import annotations


class Errors:
    """Message templates. The code is the stable part; the text says what to do."""

    E001 = "E001: input is empty (0 bytes or only whitespace): {source}"
    E002 = "E002: input looks binary, not text or HTML ({reason}): {source}"
    E003 = "E003: input is {size:,} bytes, over the limit of {limit:,} bytes (setting max_input_bytes): {source}"
    E004 = "E004: HTML has no body text to extract: {source}"
    E005 = "E005: cannot read input: {reason}: {source}"
    E006 = "E006: cannot decode input as text (tried {tried}): {source}"
    E010 = "E010: unknown pipeline stage '{name}'; known stages: {known}"
    E011 = "E011: stage '{stage}' needs '{need}', which no earlier stage assigns; put a stage that assigns it first ({providers})"
    E012 = "E012: annotation offsets {start}:{end} do not fit a text of length {length}"
    E013 = "E013: stage '{stage}' failed on {source}: {reason}"
    E030 = "E030: NER backend '{backend}' cannot be used: {reason}"
    E060 = "E060: cannot open the corpus store {db}: {reason}"
    E061 = "E061: cannot write to the corpus store {db}: {reason}; the last batch was rolled back, the database is intact"
    E062 = "E062: the corpus store {db} has schema version {found}, newer than this lagebild ({known}); upgrade lagebild"
    E063 = "E063: archive is truncated or broken after {records} records ({reason}): {source}"
    E064 = "E064: bad JSONL record ({reason}): {source}"
    E065 = "E065: no input matches: {source}"
    E066 = "E066: no stored article with id {id}"
    E020 = "E020: bad value for setting '{name}': {reason}"
    E021 = "E021: '{value}' is not an ISO 8601 date-time (example: 2015-11-27T04:36:00+01:00)"

    W001 = "W001: no headline recognised"
    W002 = "W002: no publication date recognised"
    W003 = "W003: no article text recognised; every line was classified as furniture or metadata"
    W004 = "W004: language looks like '{language}', not German; German stages ran all the same"
    W006 = "W006: language is '{language}', so German NER did not run; set force_language = true to run it anyway"
    W005 = "W005: HTML extractor found no main text; fell back to the plain text of the page"


class LagebildError(Exception):
    """Base class: every error raised on purpose has a stable ``code``."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.code = message.split(":", 1)[0] if message[:1] == "E" else self.code


class InputError(LagebildError):
    """One input cannot be analysed; the batch goes on with the rest."""


class PipelineError(LagebildError):
    """The pipeline cannot run as configured."""


class ConfigError(LagebildError):
    """A setting has a bad value."""


class SpanError(LagebildError):
    """An annotation's offsets do not fit the article text."""

    def __init__(self, start: int, end: int, length: int):
        super().__init__(Errors.E012.format(start=start, end=end, length=length))


class StoreError(LagebildError):
    """The corpus store cannot be opened or written; nothing half-written is left behind."""
