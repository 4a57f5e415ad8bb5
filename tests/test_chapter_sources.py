"""What the reader sees is what is tested: each `book/` function is shown, letter for
letter, in its chapter.

A chapter shows a package file in a code cell whose first line is `# book/<file>.py:
shown in full...`. Every top-level function of that cell must equal the function of the
same name in the file, and the file must define no function that the cell does not show.
Every file of `book/` (but `__init__.py`) is shown exactly once.
"""

import ast
import re

import nbformat
import pytest

from conftest import ROOT, notebooks

HEADER = re.compile(r"^# (book/\w+\.py): shown in full")


def functions(source):
    """Map each top-level function name to its exact source text."""
    tree = ast.parse(source)
    return {
        node.name: ast.get_source_segment(source, node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }


def shown_files():
    """(notebook, package file, cell source) for every cell that shows a package file.
    """
    found = []
    for path in notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            match = HEADER.match(cell.source) if cell.cell_type == "code" else None
            if match:
                found.append((path.name, match.group(1), cell.source))
    return found


@pytest.mark.parametrize(
    ("chapter", "package_file", "cell"), shown_files(), ids=lambda x: str(x)[:40]
)
def test_chapter_shows_the_package_code_exactly(chapter, package_file, cell):
    in_chapter = functions(cell)
    in_package = functions((ROOT / package_file).read_text())
    assert in_chapter, f"{chapter} shows {package_file} but defines no function"
    assert set(in_chapter) == set(in_package), (
        f"{chapter} shows {sorted(in_chapter)} "
        f"but {package_file} defines {sorted(in_package)}"
    )
    for name, source in in_package.items():
        assert in_chapter[name] == source, (
            f"{name} in {chapter} differs from {package_file}"
        )


def test_every_package_file_is_taught_exactly_once():
    package_files = sorted(
        f"book/{p.name}"
        for p in (ROOT / "book").glob("*.py")
        if p.name != "__init__.py"
    )
    shown = sorted(package_file for _, package_file, _ in shown_files())
    assert shown == package_files


def test_the_check_detects_a_difference():
    """The comparison is strict: one changed character in a function body is a
    difference.
    """
    original = functions("def f(x):\n    return x + 1\n")
    changed = functions("def f(x):\n    return x + 2\n")
    assert original != changed
