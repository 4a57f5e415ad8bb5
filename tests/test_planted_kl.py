"""Chapter 4's three-way check of KL = H(p, q) - H(p) catches a planted error.

The test runs the chapter's own check: it takes the code cell marked
`# check-cell: KL three ways` from `chapters/04_information.ipynb`, executes it, and
calls `check_kl_three_ways` with the package's functions (which must pass) and with
planted wrong versions (which must fail with AssertionError): source 001's entropy
without its minus sign, p and q swapped, and a flipped log ratio. The same for the
chapter's check of lse(z) = max over the simplex of p . z + H(p), attained at softmax
(`# check-cell: variational`).
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

from book import (
    cross_entropy,
    entropy,
    kl_divergence,
    logsumexp,
    numerical_gradient,
    softmax,
)

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "04_information.ipynb"
MARKER = "# check-cell: KL three ways"
P = np.array([0.5, 0.3, 0.2])  # the chapter's target and logits
Z = np.array([0.4, -1.0, 2.0])


def chapter_function(marker, name):
    """Execute the chapter's cell marked `marker`; return its function `name`."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    sources = [c.source for c in cells if c.cell_type == "code" and marker in c.source]
    assert len(sources) == 1, f"{len(sources)} cells marked {marker!r}, not one"
    namespace = {
        "np": np,
        "sp": sp,
        "softmax": softmax,
        "numerical_gradient": numerical_gradient,
        "eps": np.finfo(np.float64).eps,
    }
    code = compile(sources[0], f"{NOTEBOOK.name}: {marker}", "exec")
    exec(code, namespace)  # noqa: S102 (the chapter's own cell, from the repository)
    return namespace[name]


@pytest.fixture(scope="module")
def check():
    return chapter_function(MARKER, "check_kl_three_ways")


@pytest.fixture(scope="module")
def check_variational():
    return chapter_function("# check-cell: variational", "check_variational")


def entropy_without_minus(p):
    """Source 001's equation (3): sum p log p, which is -H(p)."""
    p = np.asarray(p, dtype=float)
    return np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1)


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


Z_VAR = np.array([1.0, -0.5, 2.0])  # the chapter's logits for the variational identity
POINTS = np.random.default_rng(0).dirichlet(np.full(3, 0.3), size=20_000)


def test_the_chapter_variational_check_passes_for_the_package(check_variational):
    best = check_variational(entropy, logsumexp, softmax, kl_divergence, Z_VAR, POINTS)
    assert best <= logsumexp(Z_VAR)


def hard_max(z):
    return np.max(z)  # the maximum without the entropy: no log-sum-exp


def softmax_too_hot(z):
    return softmax(z / 2)  # the maximiser at temperature 2 instead of 1


@pytest.mark.parametrize(
    ("ent", "lse", "smax", "kl"),
    [
        (entropy_without_minus, logsumexp, softmax, kl_divergence),
        (entropy, hard_max, softmax, kl_divergence),
        (entropy, logsumexp, softmax_too_hot, kl_divergence),
        (entropy, logsumexp, softmax, kl_swapped),
    ],
    ids=["source-001-entropy", "hard-max", "softmax-at-T-2", "kl-p-q-swapped"],
)
def test_the_chapter_variational_check_catches_a_planted_error(
    check_variational, ent, lse, smax, kl
):
    with pytest.raises(AssertionError):
        check_variational(ent, lse, smax, kl, Z_VAR, POINTS)
