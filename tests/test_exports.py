"""What a chapter says `book` exports, it exports (issue 11, item 5).

The rule: every top-level function of a `book/*.py` module whose name does not start
with `_` is public. It is listed in `book.__all__` and `from book import name` gives it.
A name starting with `_` is private: a helper, shown in its chapter but not exported.
A chapter cell headed "`import book` gives you exactly these functions" shows public
functions that are all in `book.__all__`.
"""

import ast
import importlib
import re

import nbformat
import pytest

import book
from conftest import ROOT, notebooks

PROMISE = "`import book` gives you exactly these functions"
# Public names their owner has still to rename _name (or export): xfail(strict=True)
# here, and not counted against their chapter's cell, until the owner does. A renamed
# helper drops out of the parametrisation by itself; an exported one must leave here.
PENDING = {
    name: "owner H1: a public helper of book/stable.py or book/loss.py, not exported"
    for name in ("logsumexp_of_block", "log1p_rest", "log_softmax_of_block",
                 "in_blocks", "refuse_minus_inf_true_logits", "infinite_row")
}


def top_level_functions(source):
    return [node.name for node in ast.parse(source).body
            if isinstance(node, ast.FunctionDef)]


def public_functions(package=ROOT / "book"):
    """(module, name) for every public top-level function of the package's files."""
    found = []
    for path in sorted(package.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for name in top_level_functions(path.read_text()):
            if not name.startswith("_"):
                found.append((f"book.{path.stem}", name))
    return found


def pending(found):
    """pytest params of (module, name), the pending ones marked xfail."""
    return [pytest.param(module, name, id=f"{module.removeprefix('book.')}-{name}",
                         marks=[pytest.mark.xfail(strict=True, reason=PENDING[name])]
                         if name in PENDING else [])
            for module, name in found]


def promising_cells():
    """(notebook, public names defined) for every cell that makes the promise."""
    found = []
    for path in notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and PROMISE in cell.source:
                names = [name for name in top_level_functions(cell.source)
                         if not name.startswith("_")]
                found.append(pytest.param(path.name, names, id=path.name))
    return found


@pytest.mark.parametrize(("module", "name"), pending(public_functions()))
def test_every_public_function_is_exported(module, name):
    assert name in book.__all__, (
        f"{module}.{name} is public (no leading _) but not in book.__all__: export it "
        f"in book/__init__.py, or rename it _{name} if it is a private helper"
    )
    namespace = {}
    exec(f"from book import {name}", namespace)  # what a reader types
    assert namespace[name] is getattr(importlib.import_module(module), name)


def test_all_lists_only_importable_public_functions():
    public = {name for _, name in public_functions()}
    assert len(book.__all__) == len(set(book.__all__)), "a name twice in __all__"
    assert set(book.__all__) <= public, "__all__ names something no module defines"
    for name in book.__all__:
        assert callable(getattr(book, name))


@pytest.mark.parametrize(("notebook", "names"), promising_cells())
def test_cells_promising_the_exports_show_only_exported_functions(notebook, names):
    assert names, f"{notebook}: the cell promises functions but defines none"
    missing = sorted(set(names) - set(book.__all__) - set(PENDING))
    assert not missing, f"{notebook} says `import book` gives {missing}; it does not"


def test_the_promise_is_found_in_the_chapters():
    """The grep finds the cells: a reworded header would make the check vacuous."""
    cells = promising_cells()
    assert len(cells) >= 10
    assert all(re.match(r"^\w+\.ipynb$", param.values[0]) for param in cells)


def test_a_planted_unexported_helper_is_found(tmp_path):
    """A module with a public helper and a private one: only the public one must be
    exported, and it is not in book.__all__, so the first test would fail on it."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "planted.py").write_text(
        "def helper():\n    pass\n\n\ndef _private():\n    pass\n\n\nX = 1\n")
    found = public_functions(tmp_path)
    assert found == [("book.planted", "helper")]
    assert not set(name for _, name in found) <= set(book.__all__)
