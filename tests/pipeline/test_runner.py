import pytest

from lagebild.errors import PipelineError
from lagebild.model import Article
from lagebild.pipeline import Pipeline, check_order, registry
from lagebild.settings import Settings


def test_builtin_stages_declare_needs_and_versions():
    stages = registry()
    assert {"extract", "structure", "tokens"} <= set(stages)
    assert stages["tokens"].requires == ("text", "paragraphs")
    assert stages["structure"].qualified == "structure.v1"


def test_order_is_checked_before_running():
    with pytest.raises(PipelineError) as info:
        check_order(["tokens", "extract"])
    assert info.value.code == "E011"
    assert "structure" in info.value.message  # names the stage that would provide it


def test_unknown_stage_is_E010():
    with pytest.raises(PipelineError) as info:
        Pipeline(Settings(stages=["extract", "magic"]))
    assert info.value.code == "E010"


def test_pipeline_records_what_produced_the_result():
    pipeline = Pipeline(Settings(stages=["extract", "structure"]))
    article = pipeline(Article(id="a", source=None, raw="Überschrift eines Artikels hier\n\nEin ganzer Satz steht hier im Text."))
    assert article.pipeline == ["extract.v1", "structure.v1"]
    assert article.sentences == []  # the tokens stage did not run
