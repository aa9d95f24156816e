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


@lru_cache(maxsize=1)
def _languages_of() -> dict[str, tuple[str, ...]]:
    """Each function word with the languages whose list has it."""
    languages: dict[str, list[str]] = {}
    for code, vocabulary in _lists().items():
        for word in vocabulary:
            languages.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in languages.items()}


def guess_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code or None, share of words that are that language's function words)."""
    head = text[:20000]
    lowered = head.lower()
    if len(lowered) == len(head) and "Σ" not in head:
        # Lower-casing the text once finds the same words as lower-casing each word when no
        # character changes length ("İ" becomes two) and no final sigma depends on what follows
        # the word ("ΟΔΟΣ'Α").
        words = _WORD.findall(lowered)[:2000]
    else:
        words = [w.lower() for w in _WORD.findall(head)][:2000]
    if len(words) < 3:
        return None, 0.0
    counts = Counter(words)  # each distinct word looked up once
    hits = Counter(dict.fromkeys(_lists(), 0))  # every language, in the file's order (it breaks ties)
    languages = _languages_of()
    for word in languages.keys() & counts.keys():
        for code in languages[word]:
            hits[code] += counts[word]
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
