"""Shared fixtures: paths to the repository's corpora and the optional shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.paths import shared_data
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared/data, or skip: CI and this machine have it, a plain clone elsewhere does not."""
    path = shared_data()
    if path is None:
        pytest.skip("../shared/data not available (set LAGEBILD_SHARED_DATA to run this test)")
    return path


@pytest.fixture(scope="session")
def seed() -> Path:
    path = ROOT.parent / "shared" / "seed" / "huffpost-de-2015-11-27-hollande-putin.txt"
    if not path.exists():
        pytest.skip("../shared/seed not available: the reference article lives outside the repository")
    return path


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Settings(reference_time="2024-03-05T12:00:00+01:00"))
