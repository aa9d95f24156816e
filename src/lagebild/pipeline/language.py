"""Stage ``language``: guess the article's language from function words.

Counts, over the clean text's first 2,000 words, how many belong to each language's list of
frequent function words (``resources/function_words.tsv``); the language with most hits wins when
it covers at least 8 % of the words, else the language is ``None`` ("und" for undetermined).
German stages still run on other languages, with warning W004, so nothing is silently dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lagebild.errors import Errors
from lagebild.model import Article
from lagebild.pipeline import stage
from lagebild.resources import load_rows
from lagebild.settings import Settings

_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    return {code: frozenset(words.split()) for code, words in load_rows("function_words.tsv", 2)}


def guess_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code or None, share of words that are that language's function words)."""
    words = [w.lower() for w in _WORD.findall(text[:20000])][:2000]
    if len(words) < 3:
        return None, 0.0
    counts = Counter(words)  # each distinct word looked up once per language
    hits = Counter()
    for code, vocabulary in _lists().items():
        hits[code] = sum(map(counts.__getitem__, vocabulary.intersection(counts)))
    code, count = hits.most_common(1)[0]
    share = count / len(words)
    return (code, share) if share >= 0.08 else (None, share)


@stage("language", version=1, requires=("text",), assigns=("language",))
def make_language(settings: Settings):
    """Guess the language of the clean text; warn when it is not German."""

    def language(article: Article) -> Article:
        code, _ = guess_language(article.text)
        article.language = code
        if code is not None and code != "de":
            article.warnings.append(Errors.W004.format(language=code))
        return article

    return language
