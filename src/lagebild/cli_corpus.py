"""Corpus commands of the ``lagebild`` CLI: ingest, reanalyze, questions and export.

Each command parses options, calls :class:`lagebild.corpus.Corpus` and formats what it returns;
the commands register themselves on the ``app`` of :mod:`lagebild.cli`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from lagebild.cli import _settings, app, err
from lagebild.errors import LagebildError

DB_HELP = "SQLite file or postgresql://user:password@host:port/dbname URL."
#: Quotes `lagebild quotes` shows unless --limit says otherwise.
QUOTES_PAGE = 100


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


class ExportTable(str, Enum):
    articles = "articles"
    quotes = "quotes"
    entities = "entities"
    events = "events"


def _fail(exc: LagebildError) -> typer.Exit:
    err.print(f"[red]{exc.message}[/red]")
    return typer.Exit(2)


def _corpus(db: str):
    from lagebild.corpus import Corpus

    return Corpus(db)


def _print(rows: list[dict[str, Any]], format: TableFormat, columns: list[str], *, title: str = "",
           wide: tuple[str, ...] = ()) -> None:
    """Rows as a terminal table (the named columns), JSON or CSV (every column) on stdout."""
    if format == TableFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if format == TableFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.table import Table

    table = Table(title=f"{title} ({len(rows)})" if title else None, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold" if column in wide else "ellipsis", no_wrap=column not in wide,
                         max_width=None if column in wide else 30)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c))[:16] if c == "published" else str(row.get(c))
                        for c in columns))
    Console(width=max(Console().width, 120)).print(table)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive), globs, .warc/.warc.gz, .jsonl; '-' reads stdin."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes, each with its own pipeline."),
    stages: Optional[str] = typer.Option(None, help="Comma-separated stages (default: all); stages they need are added."),
    published: Optional[str] = typer.Option(None, help="Publication date (ISO 8601) for inputs that carry none."),
    reference_time: Optional[str] = typer.Option(None, help="Time that relative dates count from (ISO 8601)."),
    config: Optional[Path] = typer.Option(None, help="TOML config file (see docs/configuration.md)."),
    batch_size: int = typer.Option(1000, min=1, help="Inputs per transaction (a crash loses at most one batch)."),
    progress: bool = typer.Option(True, help="Show a progress bar on stderr."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Summary as a table (stderr) or json (stdout)."),
) -> None:
    """Analyse inputs into the corpus store; the same command again resumes or adds nothing."""
    from lagebild.store.sources import count_files

    settings = _settings(config, published=published, reference_time=reference_time,
                         stages=stages.split(",") if stages else None)
    corpus = _corpus(db)
    try:
        # Counting the inputs lists every folder once more: only for a bar that shows the total.
        with _progress(progress, lambda: None if paths == ["-"] else count_files(paths)) as advance:
            report = corpus.ingest(paths, settings, workers=workers, on_outcome=advance, batch_size=batch_size)
    except LagebildError as exc:
        raise _fail(exc) from exc
    _summary(report, format)
    if report.counts.get("failed"):
        raise typer.Exit(1)


@app.command()
def reanalyze(
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    stages: Optional[str] = typer.Option(None, help="Comma-separated stages (default: all)."),
    config: Optional[Path] = typer.Option(None, help="TOML config file."),
    progress: bool = typer.Option(True, help="Show a progress bar on stderr."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Summary as a table (stderr) or json (stdout)."),
) -> None:
    """Rerun the current pipeline over stored articles made by another pipeline version."""
    from lagebild.store.ingest import reanalyze as count_stale

    settings = _settings(config, stages=stages.split(",") if stages else None)
    try:
        total = count_stale(db, settings, count_only=True)
        with _progress(progress, total) as advance:
            report = _corpus(db).reanalyze(settings, workers=workers, on_outcome=advance)
    except LagebildError as exc:
        raise _fail(exc) from exc
    _summary(report, format)


class _progress:
    """A Rich progress bar (articles/s, ETA) on stderr, or nothing."""

    def __init__(self, show: bool, total: int | None | Callable[[], int | None]):
        self.show = show and err.is_terminal
        self.total = total  # or a function that counts, called only when the bar shows

    def __enter__(self):
        if not self.show:
            return None
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task):
                return Text(f"{task.speed or 0:,.0f} articles/s")

        self.bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), Rate(), TimeElapsedColumn(),
                            TextColumn("ETA"), TimeRemainingColumn(), console=err)
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=self.total() if callable(self.total) else self.total)
        return lambda outcome: self.bar.advance(self.task)

    def __exit__(self, *exc) -> None:
        if self.show:
            self.bar.stop()


def _summary(report, format: TableFormat) -> None:
    if format == TableFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    counts = report.counts
    rate = report.total / report.seconds if report.seconds else 0
    err.print(f"run {report.run_id} into {report.db}: {report.total} inputs in {report.seconds:.1f} s ({rate:,.1f}/s)")
    table = Table()
    table.add_column("status")
    table.add_column("inputs", justify="right")
    table.add_column("reasons")
    for status in ("processed", "duplicate", "skipped", "failed", "unchanged"):
        reasons = ", ".join(f"{reason} {n}" for (s, reason), n in sorted(report.reasons.items()) if s == status)
        table.add_row(status, str(counts.get(status, 0)), reasons)
    err.print(table)


def _run(call):
    try:
        return call()
    except LagebildError as exc:
        raise _fail(exc) from exc


@app.command()
def quotes(
    speaker: Optional[str] = typer.Option(None, help="Part of the speaker's canonical name (case-insensitive)."),
    search: Optional[str] = typer.Option(None, help="Full-text query over the quoted words."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Published on or after this day (YYYY-MM-DD, UTC)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Published on or before this day (YYYY-MM-DD, UTC)."),
    limit: int = typer.Option(QUOTES_PAGE, min=0, help="At most this many quotes (a page); 0 for all."),
    offset: int = typer.Option(0, min=0, help="Skip this many quotes first (the next page: --offset 100)."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """Who said what: quotes with speaker, cue and article, oldest first, a page at a time."""
    corpus = _corpus(db)
    rows = _run(lambda: corpus.quotes(speaker, search, date_from, date_to, limit=limit or None, offset=offset))
    if limit and (len(rows) == limit or offset):  # a page: say which, and of how many
        total = _run(lambda: corpus.count_quotes(speaker, search, date_from, date_to))
        shown = f"{offset + 1:,}-{offset + len(rows):,}" if rows else "none"
        err.print(f"quotes {shown} of {total:,}" + (f"; --offset {offset + limit} for the next {limit}, --limit 0 for all"
                                                     if offset + len(rows) < total else ""))
    _print(rows, format, ["published", "speaker", "kind", "content", "article_id"], title="quotes", wide=("content",))


@app.command()
def speakers(
    top: int = typer.Option(10, help="How many speakers."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """The most quoted speakers."""
    rows = _run(lambda: _corpus(db).speakers(top))
    _print(rows, format, ["speaker", "quotes", "articles"], title="most quoted")


@app.command()
def entities(
    type: Optional[str] = typer.Option(None, "--type", help="PER, LOC, ORG or MISC."),
    top: int = typer.Option(20, help="How many entities."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """Corpus entities (one per canonical name and type) by mentions."""
    rows = _run(lambda: _corpus(db).entities(type, top))
    _print(rows, format, ["name", "label", "mentions", "articles", "quotes"], title="entities")


@app.command()
def events(
    type: Optional[str] = typer.Option(None, "--type", help="Event type (PLOVER), e.g. ACCUSE."),
    actor: Optional[str] = typer.Option(None, help="Part of the name of the source or target actor."),
    date_from: Optional[str] = typer.Option(None, "--from", help="On or after this day (YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="On or before this day (YYYY-MM-DD)."),
    limit: Optional[int] = typer.Option(None, help="At most this many events."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """Who did what to whom: events with actors, date and evidence."""
    rows = _run(lambda: _corpus(db).events(type, actor, date_from, date_to, limit=limit))
    _print(rows, format, ["event_date", "type", "source_actor", "target_actor", "evidence", "article_id"], title="events",
           wide=("evidence",))


@app.command()
def search(
    text: str = typer.Argument(..., help="Words that must all occur; \"quoted phrase\" for a phrase."),
    limit: int = typer.Option(20, help="At most this many articles."),
    rank_limit: Optional[int] = typer.Option(None, min=0, help="Rank by relevance when at most this many articles "
                                             "match (default 30,000 in SQLite, 3,000 in PostgreSQL); more are too "
                                             "common to rank and come in the order stored, last first (0: always rank)."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """Full-text search over headlines and article text, best match first (the last stored first when too common to rank)."""
    corpus = _corpus(db)
    rows = _run(lambda: corpus.search(text, limit=limit, rank_limit=rank_limit))
    if rows and rows[0]["order"] == "stored":
        from lagebild.store.query import RANK_LIMITS

        most = RANK_LIMITS[corpus.db.dialect] if rank_limit is None else rank_limit
        err.print(f"{text!r} matches more than {most:,} articles: too common to rank, last stored first")
    _print(rows, format, ["article_id", "published", "headline", "snippet"], title=f"articles matching {text!r}",
           wide=("snippet", "headline"))


@app.command()
def show(
    article_id: int = typer.Argument(..., help="The article's id (article_id in other commands' output)."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table (readable) or json."),
) -> None:
    """One stored article with its metadata, text, entities, quotes, events and copies."""
    record = _run(lambda: _corpus(db).article(article_id))
    if format != TableFormat.table:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2, default=str))
        return
    console = Console()
    console.print(f"[bold]{record['headline'] or '(no headline)'}[/bold]")
    for name in ("article_id", "published", "section", "authors", "agencies", "language", "source", "url", "pipeline",
                 "content_hash"):
        value = record.get(name)
        if value:
            console.print(f"[dim]{name}:[/dim] {', '.join(value) if isinstance(value, list) else value}")
    console.print()
    console.print(record["text"], highlight=False)
    console.print()
    for quote in record["quotes"]:
        console.print(f"[cyan]{quote['speaker'] or '?'}[/cyan] ({quote['kind']}): {quote['content']}", highlight=False)
    for event in record["events"]:
        console.print(f"[magenta]{event['type']}[/magenta] {event['source_actor'] or '?'} -> {event['target_actor'] or '?'}: "
                      f"{event['evidence']}", highlight=False)
    for copy in record["copies"]:
        console.print(f"[dim]copy ({copy['kind']}, {copy['similarity']:.2f}): {copy['source']}[/dim]")


@app.command()
def export(
    table: ExportTable = typer.Argument(..., help="articles, quotes, entities or events."),
    out: Path = typer.Argument(..., help="Output file."),
    format: ExportFormat = typer.Option(ExportFormat.parquet, "--format", "-f", help="parquet, csv or jsonl."),
    db: str = typer.Option("lagebild.db", "--db", help=DB_HELP),
) -> None:
    """Write a table of the corpus to Parquet, CSV or JSON lines (for pandas, R, Spark)."""
    count = _run(lambda: _corpus(db).export(table.value, out, format.value))
    err.print(f"{count} {table.value} written to {out}")
