"""Duplicates: exact copies by hash, near copies by MinHash over word shingles (datasketch).

An input is a copy of a stored article when, in this order:

1. its bytes have the same SHA-256 (``content_hash``) as a stored article's input: ``exact``;
2. its clean text has the same SHA-256 (``text_hash``): ``exact`` (the same wire story on two
   sites whose pages differ only in furniture);
3. the MinHash of its clean text's word 4-grams (64 permutations, datasketch's ``affine32``
   scheme over CRC-32 shingle hashes) shares one of 16
   bands of 4 values with a stored article and the estimated Jaccard similarity of the two is at
   least :data:`NEAR_THRESHOLD`: ``near`` (a wire story with a changed headline or one more
   sentence).

Band keys live in the ``minhash_bands`` table, so the check is an indexed lookup that works the
same in SQLite and PostgreSQL and needs no index in memory. :func:`find_original` asks the store
for one input; :class:`BatchLookup` answers the same question for a whole batch of the writer
with one query per kind of check. Texts of fewer than
:data:`MIN_SHINGLES` shingles get no MinHash (too short to judge) and only the exact checks.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import numpy

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 4
MIN_SHINGLES = 8
#: Estimated Jaccard similarity of the shingle sets from which an article is a near copy.
NEAR_THRESHOLD = 0.8

_WORD = re.compile(r"\w+")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@lru_cache(maxsize=1)
def _permutations() -> tuple[numpy.ndarray, numpy.ndarray]:
    """datasketch's ``affine32`` permutation parameters (a odd, b) for seed 1, drawn as its
    ``MinHash._init_permutations`` draws them (without importing datasketch, which takes 0.5 s)."""
    generator = numpy.random.RandomState(1)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=numpy.uint32) * numpy.uint32(2) + numpy.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=numpy.uint32)
    return a, b


def signature(text: str) -> bytes | None:
    """The MinHash of the text's word 4-grams as 64 little-endian uint32, or None for short texts.

    The same values as datasketch's ``MinHash(num_perm=64, seed=1, hashfunc=zlib.crc32,
    scheme="affine32").update_batch(shingles)`` (tests/store/test_dedup.py checks it), computed
    here in one numpy pass: building a MinHash object per article cost more than the hashing.
    """
    words = _WORD.findall(text.lower())
    shingles = set(map(" ".join, zip(*(words[i:] for i in range(SHINGLE)))))  # every run of SHINGLE words
    if len(shingles) < MIN_SHINGLES:
        return None
    a, b = _permutations()
    hv = numpy.fromiter(map(zlib.crc32, map(str.encode, shingles)), dtype=numpy.uint32, count=len(shingles))
    # MurmurHash3's 32-bit finalizer (datasketch's pre-mix), then a * h + b mod 2^32 per permutation.
    hv ^= hv >> numpy.uint32(16)
    hv *= numpy.uint32(0x85EBCA6B)
    hv ^= hv >> numpy.uint32(13)
    hv *= numpy.uint32(0xC2B2AE35)
    hv ^= hv >> numpy.uint32(16)
    values = (hv[:, None] * a + b).min(axis=0)
    return values.astype("<u4").tobytes()


@lru_cache(maxsize=4096)
def band_keys(sig: bytes) -> tuple[int, ...]:
    """One signed 64-bit key per band (band number and its values hashed together).

    Cached: the writer needs them twice for each article (the near-copy lookup, then the rows);
    the cache holds more than a batch.
    """
    width = ROWS * 4
    return tuple([int.from_bytes(_blake2b(_BAND_NUMBERS[band] + sig[band * width:(band + 1) * width], digest_size=8)
                                 .digest(), "little", signed=True) for band in range(BANDS)])


_blake2b = hashlib.blake2b
_BAND_NUMBERS = [bytes([band]) for band in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal MinHash values."""
    return float(numpy.mean(numpy.frombuffer(a, dtype="<u4") == numpy.frombuffer(b, dtype="<u4")))


def find_original(db, *, source: str, content_hash: str | None = None, text_hash: str | None = None,
                  sig: bytes | None = None) -> tuple[int, str, float] | None:
    """The stored article this input copies, as ``(article_id, kind, similarity)``, or None.

    ``db`` is a :class:`~lagebild.store.db.Database`; the input's own earlier row (same
    ``source``) never counts as its original.
    """
    if content_hash is not None:
        row = db.one("SELECT id FROM articles WHERE content_hash = ? AND source <> ? ORDER BY id LIMIT 1",
                     (content_hash, source))
        if row:
            return int(row[0]), "exact", 1.0
    if text_hash is not None:
        row = db.one("SELECT id FROM articles WHERE text_hash = ? AND source <> ? ORDER BY id LIMIT 1",
                     (text_hash, source))
        if row:
            return int(row[0]), "exact", 1.0
    if sig is None:
        return None
    keys = band_keys(sig)
    marks = ",".join("?" * len(keys))
    candidates = db.rows(
        f"SELECT a.id, a.minhash FROM articles a WHERE a.source <> ? AND a.id IN "
        f"(SELECT article_id FROM minhash_bands WHERE band_key IN ({marks})) ORDER BY a.id",
        (source, *keys),
    )
    best: tuple[int, str, float] | None = None
    for article_id, other in candidates:
        if other is None:
            continue
        score = similarity(sig, bytes(other))
        if score >= NEAR_THRESHOLD and (best is None or score > best[2]):
            best = (int(article_id), "near", score)
    return best


#: Keys per ``IN (...)`` list: well below SQLite's and PostgreSQL's limits on parameters.
_CHUNK = 500


class BatchLookup:
    """:func:`find_original` for every input of one writer batch, from one query per kind of check.

    Built before the batch is written, from the hashes and band keys of all its inputs; each
    article the batch stores is then :meth:`add` ed, so a later input of the same batch finds it
    as its original. :meth:`find` then answers exactly what :func:`find_original` would answer
    against the store at that point, provided the batch only adds articles (the writer falls back
    to :func:`find_original` for a batch that replaces or removes one).
    """

    def __init__(self, db, inputs: Iterable[tuple[str | None, str | None, bytes | None]]):
        """``inputs``: ``(content_hash, text_hash, signature)`` of each input to check."""
        content: Counter = Counter()
        text: Counter = Counter()
        keys: Counter = Counter()
        for content_hash, text_hash, sig in inputs:
            if content_hash is not None:
                content[content_hash] += 1
            if text_hash is not None:
                text[text_hash] += 1
            if sig is not None:
                keys.update(band_keys(sig))
        # What a later input of the batch can look up: what any input has; of the band keys of an
        # article that was one of the inputs, those that more than one input has.
        self._wanted = set(content) | set(text) | set(keys)
        self._repeated = {key for key, count in keys.items() if count > 1}
        self.content = self._articles(db, "content_hash", set(content))
        self.text = self._articles(db, "text_hash", set(text))
        self.bands: dict[int, list[tuple[int, str, bytes]]] = defaultdict(list)
        for chunk in _chunks(set(keys)):
            for key, article_id, source, other in db.rows(
                    f"SELECT b.band_key, a.id, a.source, a.minhash FROM minhash_bands b JOIN articles a "
                    f"ON a.id = b.article_id WHERE b.band_key IN ({','.join('?' * len(chunk))})", chunk):
                if other is not None:
                    self.bands[int(key)].append((int(article_id), source, bytes(other)))

    @staticmethod
    def _articles(db, column: str, values: set[str]) -> dict[str, list[tuple[int, str]]]:
        found: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for chunk in _chunks(values):
            for value, article_id, source in db.rows(
                    f"SELECT {column}, id, source FROM articles WHERE {column} IN ({','.join('?' * len(chunk))})", chunk):
                found[value].append((int(article_id), source))
        return found

    def add(self, article_id: int, source: str, content_hash: str | None, text_hash: str | None,
            sig: bytes | None, *, checked: bool = True) -> None:
        """An article the batch has just stored (its hashes as stored); ``checked`` when its
        signature was one of the inputs'. Only what an input of the batch looks up is kept."""
        if content_hash in self._wanted:
            self.content[content_hash].append((article_id, source))
        if text_hash in self._wanted:
            self.text[text_hash].append((article_id, source))
        if sig is not None:
            for key in (self._repeated if checked else self._wanted).intersection(band_keys(sig)):
                self.bands[key].append((article_id, source, sig))

    def find(self, *, source: str, content_hash: str | None = None, text_hash: str | None = None,
             sig: bytes | None = None) -> tuple[int, str, float] | None:
        """What :func:`find_original` answers: ``(article_id, kind, similarity)`` or None."""
        for table, value in ((self.content, content_hash), (self.text, text_hash)):
            if value is not None:
                ids = [article_id for article_id, other in table.get(value, ()) if other != source]
                if ids:
                    return min(ids), "exact", 1.0
        if sig is None:
            return None
        candidates: dict[int, bytes] = {}
        for key in band_keys(sig):
            for article_id, other, other_sig in self.bands.get(key, ()):
                if other != source:
                    candidates[article_id] = other_sig
        best: tuple[int, str, float] | None = None
        for article_id in sorted(candidates):  # in id order, as find_original: the first best wins
            score = similarity(sig, candidates[article_id])
            if score >= NEAR_THRESHOLD and (best is None or score > best[2]):
                best = (article_id, "near", score)
        return best


def _chunks(values: Iterable) -> list[list]:
    ordered = sorted(values)
    return [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]
