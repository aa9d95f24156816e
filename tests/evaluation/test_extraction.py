"""The extraction evaluator on a tiny hand-made folder, with figures computed by hand."""

import json

from lagebild.evaluation.extraction import evaluate_folder, figures, prf, render_markdown

PAGE = "POLITIK\n\nLandtag beschließt Schulgesetz\n\nDer Landtag hat am Donnerstag ein Gesetz beschlossen. Die Opposition stimmte dagegen.\n\nZurück zur Startseite\n"


def _pair(folder, name, lines, **fields):
    (folder / f"{name}.txt").write_text(PAGE, encoding="utf-8")
    gold = {"headline": "Landtag beschließt Schulgesetz", "section": "POLITIK", "published": None, "updated": None,
            "authors": [], "agencies": [], "images": [], "lines": lines}
    gold.update(fields)
    (folder / f"{name}.expected.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def test_prf():
    assert prf(3, 1, 2) == (0.75, 0.6, 2 * 0.75 * 0.6 / 1.35)
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)


def test_scores_lines_paragraphs_and_fields(tmp_path):
    right = [{"label": "section", "text": "POLITIK"}, {"label": "headline", "text": "Landtag beschließt Schulgesetz"},
             {"label": "lead", "text": "Der Landtag hat am Donnerstag ein Gesetz beschlossen. Die Opposition stimmte dagegen."},
             {"label": "navigation", "text": "Zurück zur Startseite"}]
    # The second gold file says the last line is body: one content line the system (rightly) dropped.
    wrong = right[:3] + [{"label": "body", "text": "Zurück zur Startseite"}]
    _pair(tmp_path, "a", right)
    _pair(tmp_path, "b", wrong, section="Inland")
    result = evaluate_folder(tmp_path)
    assert result.articles == 2
    assert sum(result.confusion.values()) == 8
    assert result.accuracy() == 7 / 8
    assert (result.content["tp"], result.content["fp"], result.content["fn"]) == (4, 0, 1)
    assert (result.paragraphs["tp"], result.paragraphs["fp"], result.paragraphs["fn"]) == (4, 0, 1)
    assert result.fields["section"] == 1 and result.field_totals["section"] == 2
    numbers = figures(result)
    assert numbers["line_accuracy"] == 7 / 8 and numbers["section_accuracy"] == 0.5
    report = render_markdown(result, tmp_path, show_errors=True)
    assert "gold body, got navigation" in report and "| navigation |" in report


def test_missing_input_is_reported(tmp_path):
    (tmp_path / "x.expected.json").write_text("{}", encoding="utf-8")
    result = evaluate_folder(tmp_path)
    assert result.articles == 0 and "no input file" in result.failures[0]
