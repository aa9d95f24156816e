"""The ``lagebild`` command line: parse options, call the library, format the output."""

from __future__ import annotations

import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from lagebild.errors import LagebildError

app = typer.Typer(help="German news in, structured knowledge out.", no_args_is_help=True, add_completion=False)
eval_app = typer.Typer(help="Measure lagebild against gold data; figures go to docs/.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
err = Console(stderr=True)


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"


def _emit(text: str, report: Optional[Path]) -> None:
    """Print an evaluation's figures and, if asked, write them to a report file."""
    typer.echo(text)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _shared_root(data: Optional[Path]) -> Path:
    """The shared training data folder: --data, else ../shared/data; exit 2 when there is none."""
    from lagebild.paths import shared_data

    root = data or shared_data()
    if root is None:
        err.print("[red]E005: cannot read input: no shared data folder; pass --data[/red]")
        raise typer.Exit(2)
    return root


def _settings(config: Optional[Path], **overrides):
    from lagebild.settings import settings_from

    try:
        return settings_from(config, **overrides)
    except LagebildError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc


@app.command()
def analyze(
    paths: list[Path] = typer.Argument(..., help="Files or folders (recursive) of plain text or HTML; '-' reads stdin."),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json: one object (a list for several inputs); jsonl: one line per article."),
    published: Optional[str] = typer.Option(None, help="Publication date (ISO 8601) when the input carries none; relative dates count from it."),
    reference_time: Optional[str] = typer.Option(None, help="Time that relative dates ('vor 3 Stunden') count from (ISO 8601)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    summary: bool = typer.Option(False, help="Print a summary table of what was found (to stderr when writing to stdout)."),
    config: Optional[Path] = typer.Option(None, help="TOML config file (see docs/configuration.md)."),
    stages: Optional[str] = typer.Option(None, help="Comma-separated stage names to run (default: all)."),
) -> None:
    """Analyse articles and print schema lagebild.article/1 (docs/schema.md)."""
    from lagebild.api import Failure, analyze_paths, analyze_text

    settings = _settings(config, published=published, reference_time=reference_time,
                         stages=stages.split(",") if stages else None)
    from lagebild.pipeline import Pipeline

    try:
        pipeline = Pipeline(settings)  # fail early, with the coded message, on a bad stage list or model
    except LagebildError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    if [str(p) for p in paths] == ["-"]:
        data = sys.stdin.buffer.read()
        from lagebild.api import article_from
        from lagebild.reader import read_bytes

        try:
            results = [pipeline(article_from(read_bytes(data, source="<stdin>", max_bytes=settings.max_input_bytes)))]
        except LagebildError as exc:
            results = [Failure("<stdin>", exc.code, exc.message)]
    else:
        missing = [p for p in paths if not p.exists()]
        for p in missing:
            err.print(f"[red]E005: cannot read input: no such file or folder: {p}[/red]")
        results = analyze_paths([p for p in paths if p.exists()], pipeline=pipeline) if len(missing) < len(paths) else iter(())
    failed = len(missing) if [str(p) for p in paths] != ["-"] else 0
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    collected: list[dict] = []
    stats: Counter = Counter()
    articles: list = []
    try:
        for result in results:
            if isinstance(result, Failure):
                failed += 1
                err.print(f"[red]{result.message}[/red]")
                record = result.to_dict()
            else:
                for warning in result.warnings:
                    err.print(f"[yellow]{result.source}: {warning}[/yellow]")
                record = result.to_dict()
                articles.append(result)
            if format == Format.jsonl:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                collected.append(record)
        if format == Format.json:
            payload = collected[0] if len(collected) == 1 else collected
            out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    finally:
        if output:
            out.close()
    if summary:
        _print_summary(articles, failed, Console(stderr=output is None, width=160))
    if failed:
        raise typer.Exit(1)


def _print_summary(articles: list, failed: int, console: Console) -> None:
    from rich.table import Table

    from lagebild.pipeline.entities import entity_index

    table = Table(title=f"{len(articles)} articles analysed, {failed} failed", title_justify="left")
    table.add_column("file", no_wrap=True, max_width=28)
    table.add_column("published", no_wrap=True)
    table.add_column("headline", no_wrap=True, max_width=58)
    table.add_column("para.", justify="right")
    table.add_column("sent.", justify="right")
    table.add_column("lang")
    table.add_column("agencies", no_wrap=True)
    for article in articles:
        table.add_row(
            Path(article.source or "").name,
            (article.published or "-")[:16].replace("T", " "),
            article.headline or "-",
            str(sum(p.kind in ("lead", "body") for p in article.paragraphs)),
            str(len(article.sentences)),
            article.language or "-",
            ", ".join(article.agencies) or "-",
        )
    console.print(table)
    kinds = Counter(b.kind for a in articles for b in a.boilerplate)
    console.print("Furniture and metadata lines set aside: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    entities: Counter = Counter()
    for article in articles:
        for entity_id, item in entity_index(article.entities).items():
            entities[(item["name"], item["label"])] += item["mentions"]
    if entities:
        console.print("Most mentioned entities: " + ", ".join(f"{name} ({label}) {count}" for (name, label), count in entities.most_common(15)))
    speakers = Counter(q.speaker.name for a in articles for q in a.quotes if q.speaker and q.speaker.name)
    if speakers:
        quotes = sum(len(a.quotes) for a in articles)
        console.print(f"{quotes} quotes; most quoted: " + ", ".join(f"{name} {count}" for name, count in speakers.most_common(10)))
    warnings = Counter(w.split(":", 1)[0] for a in articles for w in a.warnings)
    if warnings:
        console.print("Warnings: " + ", ".join(f"{k} x{v}" for k, v in sorted(warnings.items())))


@app.command("stages")
def list_stages() -> None:
    """List the registered pipeline stages with what they need and add."""
    from lagebild.pipeline import registry

    for info in registry().values():
        typer.echo(f"{info.qualified:16} needs: {', '.join(info.requires) or '-':20} adds: {', '.join(info.assigns)}")
        typer.echo(f"{'':16} {info.doc}")


@eval_app.command("extraction")
def eval_extraction(
    directory: Path = typer.Argument(..., help="Folder of NAME.txt|NAME.html + NAME.expected.json pairs (corpora/extraction/README.md)."),
    report: Optional[Path] = typer.Option(None, help="Also write the figures as Markdown to this file."),
    errors: bool = typer.Option(False, help="List every misclassified line."),
) -> None:
    """Score structure extraction: line labels, content paragraphs and metadata fields."""
    from lagebild.evaluation.extraction import evaluate_folder, render_markdown

    result = evaluate_folder(directory)
    text = render_markdown(result, directory, show_errors=errors)
    typer.echo(text)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(render_markdown(result, directory, show_errors=False), encoding="utf-8")


@eval_app.command("sentences")
def eval_sentences(
    conllu: Optional[Path] = typer.Option(None, help="UD CoNLL-U file (default: ../shared/data/ud_german_gsd/*dev*.conllu)."),
    report: Optional[Path] = typer.Option(None, help="Also write the figures as Markdown to this file."),
) -> None:
    """Score tokenisation and sentence segmentation against a UD treebank."""
    from lagebild.evaluation.sentences import default_conllu, evaluate_conllu, render_markdown

    path = conllu or default_conllu()
    if path is None or not path.exists():
        err.print("[red]E005: cannot read input: no UD CoNLL-U file; pass --conllu[/red]")
        raise typer.Exit(2)
    result = evaluate_conllu(path)
    text = render_markdown(result, path)
    _emit(text, report)


@eval_app.command("ner")
def eval_ner(
    germeval: Path = typer.Option(..., "--germeval", help="A GermEval 2014 TSV file (tokens given)."),
    predictions: Optional[Path] = typer.Option(None, help="Write predicted labels in the GermEval TSV layout."),
    part: str = typer.Option("full", help="full, the tune/test half of GermEval dev, or the tune half's tune-train/tune-dev parts (docs/eval-ner.md)."),
    backend: Optional[str] = typer.Option(None, help="NER backend (setting ner_backend): shipped, spacy:NAME, hf:PATH, none."),
    report: Optional[Path] = typer.Option(None, help="Also write the figures as Markdown to this file."),
) -> None:
    """Strict outer-chunk P/R/F1 of the entities stage per label and for PER/LOC/ORG together."""
    from lagebild.evaluation.ner import evaluate_germeval_file, render_markdown

    settings = _settings(None, ner_backend=backend)
    try:
        scores = evaluate_germeval_file(germeval, settings, predictions=predictions, part=part)
    except LagebildError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    text = render_markdown(scores, germeval)
    _emit(text, report)


@eval_app.command("quotes")
def eval_quotes(
    directory: Path = typer.Option(..., "--spkatt", help="Folder of SpkAtt-2023 task-2 JSON files."),
    split: str = typer.Option("test", help="test (held apart: last 20 % by name), dev or all."),
    backend: Optional[str] = typer.Option(None, help="NER backend (setting ner_backend)."),
    quote_model: Optional[str] = typer.Option(None, help="Quote tagger (setting quote_model): shipped, none (rules only) or a path."),
    nested: bool = typer.Option(False, help="Score against all annotations, not only the top-level ones."),
    predictions: Optional[Path] = typer.Option(None, help="Write one SpkAtt-style JSON per input file (predicted Annotations) to this folder."),
    report: Optional[Path] = typer.Option(None, help="Also write the figures as Markdown to this file."),
) -> None:
    """Quote detection, speaker, end-to-end, cue and per-form figures of the quotes stage on SpkAtt-2023 task 2."""
    from lagebild.evaluation.quotes import evaluate_spkatt, render_markdown

    settings = _settings(None, ner_backend=backend, quote_model=quote_model)
    result = evaluate_spkatt(directory, split=split, settings=settings, predictions=predictions, nested=nested)
    text = render_markdown(result, directory)
    _emit(text, report)


@eval_app.command("events")
def eval_events(
    directory: Path = typer.Argument(..., help="Folder of NAME.txt + NAME.events.json pairs (docs/eval-events.md)."),
    report: Optional[Path] = typer.Option(None, help="Also write the figures as Markdown to this file."),
    errors: bool = typer.Option(False, help="List missed and spurious events per article."),
) -> None:
    """P/R/F1 of the events stage for (type, source) and (type, source, target), per type."""
    from lagebild.evaluation.events import evaluate_folder, render_markdown

    if not directory.is_dir():
        err.print(f"[red]E005: cannot read input: no such folder: {directory}[/red]")
        raise typer.Exit(2)
    result = evaluate_folder(directory)
    typer.echo(render_markdown(result, directory, show_errors=errors))
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(render_markdown(result, directory, show_errors=errors), encoding="utf-8")


train_app = typer.Typer(help="Retrain the shipped models from ../shared/data (slow; see the model cards).", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("ner")
def train_ner_command(
    output: Path = typer.Option(Path("src/lagebild/models/ner_de"), help="Where to write the trained spaCy pipeline."),
    data: Optional[Path] = typer.Option(None, help="The shared data folder (default: ../shared/data)."),
    max_minutes: Optional[float] = typer.Option(None, help="Stop training after this many minutes."),
    seed: int = typer.Option(0, help="Random seed."),
    pretrained_tok2vec: Optional[Path] = typer.Option(None, help="Initialise the NER's tok2vec from these weights (written by --pretrain-minutes)."),
    pretrain_minutes: float = typer.Option(0, help="First pretrain the tok2vec on raw text for this many minutes (0: no pretraining)."),
    pretrain_output: Path = typer.Option(Path("training/ner/pretrained/tok2vec_chars.bin"), help="Where --pretrain-minutes writes the tok2vec weights."),
) -> None:
    """Train the NER model that lagebild ships (docs/model-card-ner.md)."""
    from lagebild.ner.train import train_ner

    root = _shared_root(data)
    if pretrain_minutes > 0:
        from lagebild.ner.pretrain import pretrain_tok2vec

        report = pretrain_tok2vec(pretrain_output, root, max_minutes=pretrain_minutes, seed=seed)
        typer.echo(json.dumps(report, indent=2, default=str))
        pretrained_tok2vec = pretrain_output
    scores = train_ner(output, root, max_minutes=max_minutes, seed=seed, pretrained_tok2vec=pretrained_tok2vec)
    typer.echo(json.dumps(scores, indent=2, default=str))


@train_app.command("quotes")
def train_quotes_command(
    output: Path = typer.Option(Path("src/lagebild/models/quotes_de"), help="Where to write the quote tagger."),
    data: Optional[Path] = typer.Option(None, help="The shared data folder (default: ../shared/data)."),
    max_minutes: float = typer.Option(6, help="Stop training after this many minutes."),
    seed: int = typer.Option(0, help="Random seed."),
    extra: Optional[list[str]] = typer.Option(None, help="Extra training source NAME[:WEIGHT[:FORMS]], e.g. redewiedergabe:0.5 or redewiedergabe:1:R (model card)."),
) -> None:
    """Train the quote tagger that lagebild ships (docs/model-card-quotes.md; non-commercial data)."""
    from lagebild.quotes.train import parse_extra, train_quotes

    try:
        for spec in extra or []:
            parse_extra(spec)
    except ValueError as exc:
        err.print(f"[red]E005: cannot read input: {exc}[/red]")
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(train_quotes(output, _shared_root(data), max_minutes, seed=seed, extra=extra or None),
                          indent=2, default=str))


@eval_app.command("linguistic")
def eval_linguistic(
    part: str = typer.Option("heldout", help="Half of UD German GSD dev: heldout (never trained on), tune, all."),
    mood: list[Path] = typer.Option(
        [Path("tests/linguistic/data/mood_gold.tsv"), Path("tests/linguistic/data/mood_blind.tsv")],
        help="Hand-written mood sets (TSV) to score."),
    report: Optional[Path] = typer.Option(None, help="Also write the figures as JSON to this file."),
) -> None:
    """POS, lemma and verb-mood accuracy of the morphology stage (docs/eval-linguistic.md)."""
    from lagebild.linguistic import evaluate
    from lagebild.linguistic.corpora import GSD_DEV, gsd_dev_ids
    from lagebild.paths import shared_data
    from lagebild.pipeline.morphology import make_stage

    stage_fn = make_stage(None)
    result: dict = {}
    root = shared_data()
    if root is not None and (root / GSD_DEV).exists():
        ids = None if part == "all" else gsd_dev_ids(root / GSD_DEV, part)
        result["ud_german_gsd"] = evaluate.evaluate_ud(stage_fn, root / GSD_DEV, sentence_ids=ids)
    else:
        err.print("[yellow]no ../shared/data/ud_german_gsd: UD figures skipped[/yellow]")
    for path in mood:
        if path.exists():
            result[f"mood:{path.name}"] = evaluate.evaluate_mood(path, stage_fn)
    _emit(json.dumps(result, indent=2, ensure_ascii=False, default=str), report)


@train_app.command("tagger")
def train_tagger_command(
    output: Path = typer.Option(Path("src/lagebild/models/tagger_de"), help="Where to write the tagger weights."),
    data: Optional[Path] = typer.Option(None, help="The shared data folder (default: ../shared/data)."),
    max_minutes: float = typer.Option(60, help="Stop training after this many minutes."),
    seed: int = typer.Option(0, help="Random seed."),
) -> None:
    """Train the POS tagger that lagebild ships (docs/model-card-tagger.md)."""
    from lagebild.linguistic.train import train_tagger

    typer.echo(json.dumps(train_tagger(output, _shared_root(data), max_minutes, seed=seed), indent=2, default=str))


def main() -> None:
    app()


import lagebild.cli_corpus  # noqa: E402,F401 - registers the corpus commands (ingest, quotes, export, ...) on `app`

if __name__ == "__main__":
    main()
