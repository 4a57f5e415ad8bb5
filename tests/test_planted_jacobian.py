"""Chapter 3's three-way check of the softmax Jacobian catches a planted error.

The test runs the chapter's own check: it takes the code cells marked `# check-cell:`
from `chapters/03_jacobian.ipynb` (the symbolic softmax, `check_jacobian_three_ways`),
executes them, and calls the check with the package's `softmax_jacobian` (which must
pass) and with planted wrong versions (which must fail with AssertionError). If someone
weakened the chapter's tolerances until a wrong Jacobian passed, this test would fail.
The same holds for the chapter's check of the product J v (`check_jvp`): the package's
`softmax_jvp` passes, a product without the projection or with a wrong weight fails.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

from book import (
    numerical_gradient,
    numerical_jacobian,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "03_jacobian.ipynb"
MARKERS = ["# check-cell: softmax_sym", "# check-cell: three ways", "# check-cell: jvp"]
Z = np.array([2.0, 1.0, 0.1, -1.5])  # the chapter's logits
V = np.array([0.3, -1.2, 0.8, 2.0])  # an upstream gradient


@pytest.fixture(scope="module")
def chapter_checks():
    """Execute the marked cells of the chapter and return their namespace."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    namespace = {
        "np": np,
        "sp": sp,
        "softmax": softmax,
        "numerical_jacobian": numerical_jacobian,
        "numerical_gradient": numerical_gradient,
        "softmax_jacobian": softmax_jacobian,
        "eps": np.finfo(np.float64).eps,
    }
    for marker in MARKERS:
        code_cells = [c.source for c in cells if c.cell_type == "code"]
        sources = [source for source in code_cells if marker in source]
        assert len(sources) == 1, f"{len(sources)} cells marked {marker!r}, not one"
        code = compile(sources[0], f"{NOTEBOOK.name}: {marker}", "exec")
        exec(code, namespace)  # noqa: S102 (the chapter's own cell, from the repository)
    return namespace


@pytest.fixture(scope="module")
def check(chapter_checks):
    return chapter_checks["check_jacobian_three_ways"]


@pytest.fixture(scope="module")
def check_jvp(chapter_checks):
    return chapter_checks["check_jvp"]


def wrong_off_diagonal_sign(z):
    a = softmax(z)
    return np.diag(a) + np.outer(a, a)  # + a a^T instead of - a a^T


def squared_diagonal(z):
    a = softmax(z)
    return np.diag(a**2) - np.outer(a, a)  # diag(a^2): the diagonal a_i^2 - a_i^2 = 0


def off_by_one_entry(z):
    J = softmax_jacobian(z).copy()
    J[0, 1] += 1e-6  # one entry wrong in the sixth digit
    return J


def test_the_chapter_check_passes_for_the_package(check):
    err_sympy, err_finite, fd_tol = check(softmax_jacobian, Z)
    assert err_sympy < 1e-15 and err_finite < fd_tol < 1e-9


PLANTED = [wrong_off_diagonal_sign, squared_diagonal, off_by_one_entry]


@pytest.mark.parametrize("planted", PLANTED)
def test_the_chapter_check_catches_a_planted_error(check, planted):
    with pytest.raises(AssertionError):
        check(planted, Z)


def jvp_without_projection(z, v):
    return softmax(z) * v  # diag(a) v: the - a (a . v) term dropped


def jvp_wrong_weight(z, v):
    a = softmax(z)
    return a * (v - v.mean())  # the plain mean of v instead of a . v


def jvp_wrong_sign(z, v):
    a = softmax(z)
    return a * (v + a @ v)


def test_the_chapter_jvp_check_passes_for_the_package(check_jvp):
    check_jvp(softmax_jvp, Z, V)


@pytest.mark.parametrize(
    "planted", [jvp_without_projection, jvp_wrong_weight, jvp_wrong_sign]
)
def test_the_chapter_jvp_check_catches_a_planted_error(check_jvp, planted):
    with pytest.raises(AssertionError):
        check_jvp(planted, Z, V)
