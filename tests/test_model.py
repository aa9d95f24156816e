import pytest

from lagebild.errors import SpanError
from lagebild.model import SCHEMA, Article

SCHEMA_FIELDS = [
    "schema", "id", "source", "language", "headline", "section", "published", "updated", "authors", "agencies",
    "images", "text", "paragraphs", "boilerplate", "sentences", "entities", "quotes", "events",
]


def test_span_takes_text_from_offsets():
    article = Article(id="a", source=None, raw="", text="Putin traf Hollande.")
    span = article.span(11, 19)
    assert span.text == "Hollande"
    assert span.to_dict() == {"start": 11, "end": 19, "text": "Hollande"}


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 2), (0, 99)])
def test_span_refuses_offsets_outside_the_text(start, end):
    article = Article(id="a", source=None, raw="", text="kurz")
    with pytest.raises(SpanError) as info:
        article.span(start, end)
    assert info.value.code == "E012"


def test_to_dict_has_every_fixed_field():
    data = Article(id="a", source="x.txt", raw="").to_dict()
    assert data["schema"] == SCHEMA == "lagebild.article/1"
    assert [name for name in SCHEMA_FIELDS if name not in data] == []
    for name in ("entities", "quotes", "events", "sentences", "paragraphs", "boilerplate"):
        assert data[name] == []
