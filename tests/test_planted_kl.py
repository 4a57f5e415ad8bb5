"""Chapter 4's three-way check of KL = H(p, q) - H(p) catches a planted error.

The test runs the chapter's own check: it takes the code cell marked
`# check-cell: KL three ways` from `chapters/04_information.ipynb`, executes it, and
calls `check_kl_three_ways` with the package's functions (which must pass) and with
planted wrong versions (which must fail with AssertionError): source 001's entropy
without its minus sign, p and q swapped, and a flipped log ratio.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

from book import cross_entropy, entropy, kl_divergence, numerical_gradient, softmax

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "04_information.ipynb"
MARKER = "# check-cell: KL three ways"
P = np.array([0.5, 0.3, 0.2])  # the chapter's target and logits
Z = np.array([0.4, -1.0, 2.0])


@pytest.fixture(scope="module")
def check():
    """Execute the marked cell of the chapter and return its check function."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    sources = [c.source for c in cells if c.cell_type == "code" and MARKER in c.source]
    assert len(sources) == 1, f"{len(sources)} cells marked {MARKER!r}, not one"
    namespace = {
        "np": np,
        "sp": sp,
        "softmax": softmax,
        "numerical_gradient": numerical_gradient,
        "eps": np.finfo(np.float64).eps,
    }
    code = compile(sources[0], f"{NOTEBOOK.name}: {MARKER}", "exec")
    exec(code, namespace)  # noqa: S102 (the chapter's own cell, from the repository)
    return namespace["check_kl_three_ways"]


def entropy_without_minus(p):
    """Source 001's equation (3): sum p log p, which is -H(p)."""
    p = np.asarray(p, dtype=float)
    return np.sum(p * np.log(np.where(p > 0, p, 1.0)))


def kl_swapped(p, q):
    return kl_divergence(q, p)


def kl_flipped_ratio(p, q):
    return np.sum(p * np.log(q / p))


def cross_entropy_swapped(p, q):
    return cross_entropy(q, p)


def test_the_chapter_check_passes_for_the_package(check):
    kl_exact, _, grad_error, grad_tol = check(
        kl_divergence, cross_entropy, entropy, P, Z
    )
    assert np.isclose(kl_exact, kl_divergence(P, softmax(Z)), rtol=1e-14, atol=0)
    assert grad_error < grad_tol < 1e-8


@pytest.mark.parametrize(
    ("kl", "ce", "ent"),
    [
        (kl_divergence, cross_entropy, entropy_without_minus),
        (kl_swapped, cross_entropy, entropy),
        (kl_flipped_ratio, cross_entropy, entropy),
        (kl_divergence, cross_entropy_swapped, entropy),
    ],
    ids=["source-001-entropy", "kl-p-q-swapped", "kl-flipped-ratio", "ce-p-q-swapped"],
)
def test_the_chapter_check_catches_a_planted_error(check, kl, ce, ent):
    with pytest.raises(AssertionError):
        check(kl, ce, ent, P, Z)
