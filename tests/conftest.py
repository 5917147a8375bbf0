from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
# Files in the corpus folder that are not agent specs.
CORPUS_SKIP = {"MANIFEST.tsv", "NOTES.tsv", "README.md"}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*")
        if p.is_file() and p.name not in CORPUS_SKIP and "licences" not in p.relative_to(CORPUS).parts
    )


@pytest.fixture
def corpus() -> list[Path]:
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus is not there")
    return files


def sample(index: int) -> Path:
    return next(SAMPLES.glob(f"{index}-*.md"))
