"""Shared paths and helpers for the test suite."""

from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"


def toc_files():
    """Every page listed in _toc.yml (root first), as paths relative to the repo without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def notebooks():
    return sorted(CHAPTERS.glob("*.ipynb"))


@pytest.fixture(params=notebooks(), ids=lambda p: p.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)
