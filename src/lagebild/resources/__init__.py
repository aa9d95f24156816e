"""German linguistic resources shipped as data files, one per resource (see each file's header)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources as _resources


def read_text(name: str) -> str:
    """The text of a resource file shipped in this package."""
    return _resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_rows(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated resource, comment lines (#) and blank lines skipped."""
    rows = []
    for number, line in enumerate(read_text(name).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != columns:
            raise ValueError(f"{name}:{number}: expected {columns} tab-separated columns, got {len(parts)}")
        rows.append(tuple(parts))
    return tuple(rows)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (given_names.txt): bare bylines in the structure stage, person names in entities."""
    return frozenset(load_lines("given_names.txt"))


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """Entries of a one-per-line resource, comment lines (#) and blank lines skipped."""
    return tuple(
        line.strip() for line in read_text(name).splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
