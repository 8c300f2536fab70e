import os
import pathlib

import pytest

SOURCE_DIR = pathlib.Path(
    os.environ.get("NEARDUP_SOURCE_DIR", pathlib.Path(__file__).parents[2]))
CORPUS = SOURCE_DIR / "corpus"


@pytest.fixture
def cli():
    path = os.environ.get("NEARDUP_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("NEARDUP_CLI does not name the built neardup program "
                    "(ctest sets it)")
    return path


@pytest.fixture
def seeds():
    files = sorted(CORPUS.glob("*.txt"))
    if len(files) < 2:
        pytest.skip(f"the seed corpus is missing from {CORPUS}")
    return files
