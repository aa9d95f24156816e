"""Write a benchmark's table into docs/performance.md between its own markers."""

from __future__ import annotations

from pathlib import Path


def write_block(path: Path, name: str, lines: list[str]) -> None:
    """Replace the block between ``<!-- name -->`` markers in ``path`` (append it if absent)."""
    marker = f"<!-- {name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = "\n".join([marker, *lines, marker])
    if marker in text:
        head, _, rest = text.partition(marker)
        _, _, tail = rest.partition(marker)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
