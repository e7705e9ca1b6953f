"""Shared test set-up: the repository's paths, the seeds and their gold answers.

Tests import support modules from this folder (``seed_data``, ``report_support``)
by name; pytest puts the folder on ``sys.path`` because it has no ``__init__.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
RAW = DATA / "raw"
DEV = DATA / "dev" / "extraction"
GOLD_PATH = DATA / "gold" / "seeds.json"
REFERENCE = DATA / "reference"
NOTEBOOKS = REPO / "notebooks"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The checkout's root (its data/ is the embedded corpus and the gold answers)."""
    return REPO


@pytest.fixture(scope="session")
def gold() -> dict:
    """The hand-checked answers for the five seed articles."""
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The five seed text dumps in data/raw."""
    return sorted(RAW.glob("*.txt"))


@pytest.fixture(scope="session")
def reference():
    """The loaded reference tables of data/reference."""
    from workbench.reference import load_reference
    return load_reference(REFERENCE)


@pytest.fixture()
def seed_frame():
    """A corpus frame built from the seeds' gold answers (no ingest needed)."""
    from seed_data import seed_corpus
    return seed_corpus()
