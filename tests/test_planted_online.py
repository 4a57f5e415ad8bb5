"""Chapter 10's checks of the -inf rule catch planted errors.

The test runs the chapter's own cells (found by their first line in
`chapters/10_online.ipynb`): the teaching loop, the merge rule on random splits and
blockwise attention. With the chapter's code they pass; with the rule for a running
maximum of -inf removed (the NaN of e^(-inf - (-inf))) they must fail with
AssertionError. The merge check used to take `max(worst, error)`, which ignores NaN.
"""

import math
from pathlib import Path

import nbformat
import numpy as np
import pytest

from book import merge_normalizers, online_normalizer, softmax

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "10_online.ipynb"


def cell(first_line):
    """The source of the one code cell of the chapter that starts with first_line."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    found = [c.source for c in cells
             if c.cell_type == "code" and c.source.startswith(first_line)]
    assert len(found) == 1, f"{len(found)} cells start with {first_line!r}, not one"
    return found[0]


def run(*sources, **names):
    """Execute chapter cells in one namespace (names override the package's)."""
    namespace = {"np": np, "math": math, "softmax": softmax,
                 "online_normalizer": online_normalizer,
                 "merge_normalizers": merge_normalizers,
                 "rng": np.random.default_rng(10), "eps": np.finfo(np.float64).eps,
                 "glue": lambda *args, **kwargs: None}
    namespace.update(names)
    for source in sources:
        exec(compile(source, NOTEBOOK.name, "exec"), namespace)  # noqa: S102
    return namespace


def without(source, lines):
    assert lines in source, "the planted error's target is not in the chapter"
    return source.replace(lines, "")


LOOPS = "def softmax_three_pass(z, out):"
LOOP_CHECK = "def normaliser_unguarded(z):"
SKIP = ("        if new_m == -math.inf:  # only -inf so far: the sum is still empty\n"
        "            continue\n")
MERGE_CHECK = "worst, n_trials = 0.0, 300"
ATTENTION = "def attention_blockwise(query, keys, values, block_size, mask=None):"
ATTENTION_CHECK = "query = rng.normal(size=16)"
ATTENTION_SKIP = (
    "        if new_m == -np.inf:  # every key so far is masked: nothing to add\n"
    "            continue\n"
)


def merge_without_rule(m_a, d_a, m_b, d_b):
    """The merge formula with no rule for m = -inf (and none of the checks)."""
    m = np.maximum(m_a, m_b)
    with np.errstate(invalid="ignore"):
        return m, d_a * np.exp(m_a - m) + d_b * np.exp(m_b - m)


def test_the_chapter_cells_pass_as_written():
    run(cell(LOOPS), cell(LOOP_CHECK))
    run(cell(MERGE_CHECK))
    run(cell(ATTENTION), cell(ATTENTION_CHECK))


def test_the_teaching_loop_without_its_skip_fails():
    with pytest.raises(AssertionError):
        run(without(cell(LOOPS), SKIP), cell(LOOP_CHECK))


def test_the_merge_check_fails_on_a_merge_without_the_rule():
    with pytest.raises(AssertionError):
        run(cell(MERGE_CHECK), merge_normalizers=merge_without_rule)


def test_blockwise_attention_without_its_skip_fails():
    with pytest.raises(AssertionError), np.errstate(invalid="ignore"):
        run(without(cell(ATTENTION), ATTENTION_SKIP), cell(ATTENTION_CHECK))
