"""Decoding the tagger's labels into quotes (:mod:`lagebild.quotes.decode`)."""

from collections import Counter

import pytest

from lagebild.api import analyze_text
from lagebild.quotes.decode import decode
from lagebild.settings import Settings

TEXT = ("Der Hafen wird ausgebaut und die Stadt plant neue Straßen für alle Bewohner. "
        "Maria Keller sagte gestern am Abend in Berlin vor vielen Leuten, das dauert noch sehr lange.")


@pytest.fixture(scope="module")
def doc():
    return analyze_text(TEXT, settings=Settings(stages=["extract", "structure", "language", "tokens"])).doc


@pytest.mark.parametrize("forms", [
    "DDII", "IIDD", "IDID", "DIDI", "FIIF", "FRRF", "IIII", "DRFRFD", "RDRDRR",
])
def test_form_is_the_most_frequent_first_on_a_tie(doc, forms):
    """A message's form: the most frequent of its tokens' forms, the first seen on a tie (Counter's rule)."""
    labels = ["O"] * len(doc)
    start = 3
    for n, form in enumerate(forms):
        labels[start + n] = ("B-" if n == 0 else "I-") + form
    groups = decode(doc, labels)
    assert len(groups) == 1
    expected = Counter(labels[i][2:] for i in groups[0].message).most_common(1)[0][0]
    assert groups[0].form == expected
