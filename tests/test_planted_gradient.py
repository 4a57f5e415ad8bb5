"""Chapter 6's three-way check of the loss and gradient catches planted errors.

The test runs the chapter's own check: it takes the code cells marked `# check-cell:`
from `chapters/06_gradient.ipynb` (SymPy's loss and gradient, lambdified, and
`check_loss_and_gradient`), executes them, and calls the check with the package's
`softmax_cross_entropy` (which must pass) and with planted wrong versions: a wrong sign
(y - a), a dropped 1/N in the batch mean (in the gradient only, or in both loss and
gradient, which finite differences alone cannot see), and a missing max shift (which
overflows). Each must fail with AssertionError. If someone weakened the chapter's
tolerances until a wrong implementation passed, this test would fail.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

from book import log_softmax, numerical_gradient, softmax, softmax_cross_entropy

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "06_gradient.ipynb"
MARKERS = ["# check-cell: symbolic gradient", "# check-cell: three ways"]


@pytest.fixture(scope="module")
def check():
    """Execute the marked cells of the chapter and return its check function."""
    code_cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
                  if c.cell_type == "code"]
    namespace = {"np": np, "sp": sp, "numerical_gradient": numerical_gradient}
    for marker in MARKERS:
        sources = [source for source in code_cells if marker in source]
        assert len(sources) == 1, f"{len(sources)} cells marked {marker!r}, not one"
        code = compile(sources[0], f"{NOTEBOOK.name}: {marker}", "exec")
        exec(code, namespace)  # noqa: S102 (the chapter's own cell, from the repository)
    return namespace["check_loss_and_gradient"]


def one_hot(labels, k):
    return np.eye(k)[labels]


def wrong_sign(logits, labels):
    """Gradient y - a instead of a - y."""
    loss, grad = softmax_cross_entropy(logits, labels)
    return loss, -grad


def gradient_without_one_over_n(logits, labels):
    """The mean loss, but the gradient of the summed loss: a - y, no 1/N."""
    loss, grad = softmax_cross_entropy(logits, labels)
    return loss, grad * len(labels)


def sum_instead_of_mean(logits, labels):
    """Loss and gradient both without 1/N: consistent with each other, so only the
    comparison with SymPy's batch mean can catch it."""
    loss, grad = softmax_cross_entropy(logits, labels)
    return loss * len(labels), grad * len(labels)


def no_max_shift(logits, labels):
    """The textbook formula: exp(z) / sum(exp(z)) and log of the probabilities."""
    e = np.exp(logits)
    a = e / e.sum(axis=1, keepdims=True)
    n = len(labels)
    loss = -np.mean(np.log(a[np.arange(n), labels]))
    return loss, (a - one_hot(labels, logits.shape[1])) / n


def reference(logits, labels):
    """A correct implementation of its own (log_softmax and softmax of chapter 2)."""
    n = len(labels)
    loss = -np.mean(log_softmax(logits)[np.arange(n), labels])
    return loss, (softmax(logits) - one_hot(labels, logits.shape[1])) / n


def test_the_chapter_check_passes_for_the_package(check):
    worst_sympy, worst_finite = check(softmax_cross_entropy)
    assert worst_sympy < 1e-15 and worst_finite < 1e-9


def test_the_chapter_check_passes_for_an_independent_correct_version(check):
    check(reference)


def test_the_textbook_formula_is_correct_for_moderate_logits():
    """The planted no-shift version fails only through overflow, not a wrong formula."""
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(size=(4, 3)), rng.integers(0, 3, size=4)
    loss, grad = no_max_shift(logits, labels)
    loss_ref, grad_ref = softmax_cross_entropy(logits, labels)
    assert np.isclose(loss, loss_ref, rtol=1e-14, atol=0)
    np.testing.assert_allclose(grad, grad_ref, rtol=1e-13, atol=1e-16)


PLANTED = [wrong_sign, gradient_without_one_over_n, sum_instead_of_mean, no_max_shift]


@pytest.mark.parametrize("planted", PLANTED, ids=lambda f: f.__name__)
def test_the_chapter_check_catches_a_planted_error(check, planted):
    with pytest.raises(AssertionError):
        check(planted)
