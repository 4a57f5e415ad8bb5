"""The chapter contract that a reader cannot see but a reviewer can: checked on every
notebook.

- every `isclose` / `allclose` (NumPy, math, or `assert_allclose`) states both `rtol=`
  and `atol=`: the default atol of 1e-8 silently swamps a tight rtol;
- at least five exercises per chapter, and every solution is gated (`solution-start` /
  `solution-end`), so its code cells run in the build and under nbval;
- mentions of another chapter are links ({ref} / {numref} / {doc}), never "chapter 3"
  typed as plain text. Each rule is shown to catch a planted violation.
"""

import re

import nbformat
import pytest

from conftest import notebooks

CLOSE_CALL = re.compile(r"\b(?:isclose|allclose|assert_allclose)\(")
PLAIN_CHAPTER = re.compile(r"(?<![`\w])[Cc]hapters? \d+")


def calls_missing_tolerances(code):
    """The source of every isclose/allclose call in `code` that lacks rtol= or atol=."""
    missing = []
    for match in CLOSE_CALL.finditer(code):
        depth, i = 1, match.end()
        while i < len(code) and depth:
            depth += code[i] == "("
            depth -= code[i] == ")"
            i += 1
        call = code[match.start() : i]
        numpy_style = "rtol" in call and "atol" in call
        math_style = "rel_tol" in call and "abs_tol" in call  # math.isclose's names
        if not (numpy_style or math_style):
            missing.append(call)
    return missing


def plain_chapter_mentions(markdown):
    """'chapter 3' typed as text (outside code spans, roles and link targets)."""
    text = re.sub(r"`[^`]*`", "", markdown)  # code spans and {ref}`...` targets
    text = re.sub(r"\{[a-z:]+\}", "", text)
    return PLAIN_CHAPTER.findall(text)


def cells(path, kind):
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == kind]


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_every_closeness_check_states_rtol_and_atol(path):
    assert calls_missing_tolerances("\n".join(cells(path, "code"))) == []


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_five_exercises_with_solutions_that_run(path):
    markdown = "\n".join(cells(path, "markdown"))
    exercises = re.findall(r"\{exercise\}", markdown)
    assert len(exercises) >= 5, f"{path.name} has {len(exercises)} exercises"
    ungated = re.search(r"\{solution\}", markdown)
    assert not ungated, "an ungated solution: its code never runs"
    starts = len(re.findall(r"\{solution-start\}", markdown))
    assert starts == len(re.findall(r"\{solution-end\}", markdown)) == len(exercises)


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_chapter_mentions_are_links(path):
    assert plain_chapter_mentions("\n".join(cells(path, "markdown"))) == []


def test_the_rules_catch_planted_violations():
    assert calls_missing_tolerances("np.allclose(a, b, rtol=1e-15)") == [
        "allclose(a, b, rtol=1e-15)"
    ]
    assert calls_missing_tolerances("math.isclose(f(x), 1.0, rel_tol=1e-9)") != []
    assert calls_missing_tolerances("np.isclose(a, b, rtol=0, atol=f(1))") == []
    assert calls_missing_tolerances("math.isclose(x, y, rel_tol=0, abs_tol=1e-9)") == []
    assert plain_chapter_mentions("as chapter 3 shows") == ["chapter 3"]
    assert plain_chapter_mentions("{numref}`ch-jacobian`, then `chapter 3`") == []
