"""The corpus store: ingest at scale into SQLite or PostgreSQL, query and export (docs/store.md).

Modules: :mod:`~lagebild.store.schema` (tables and migrations), :mod:`~lagebild.store.db` (one
connection type for both databases), :mod:`~lagebild.store.sources` (inputs),
:mod:`~lagebild.store.ingest` (workers and the resumable ingest loop),
:mod:`~lagebild.store.writer` (the one writer), :mod:`~lagebild.store.dedup` (exact and near
duplicates), :mod:`~lagebild.store.query` (questions and exports). The public face is
:class:`lagebild.corpus.Corpus`.
"""
