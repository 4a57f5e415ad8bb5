"""Unit and property tests of book.softmax_cross_entropy (chapter 6)."""

import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import numerical_gradient, rel_error, softmax, softmax_cross_entropy


@st.composite
def batches(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    z = draw(arrays(np.float64, (n, k), elements=st.floats(-50, 50)))
    labels = draw(arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    return z, labels


@given(batch=batches())
@settings(max_examples=100, deadline=None)
def test_loss_and_gradient_match_the_definitions(batch):
    z, labels = batch
    n, k = z.shape
    loss, grad = softmax_cross_entropy(z, labels)
    expected = -np.mean(scipy.special.log_softmax(z, axis=1)[np.arange(n), labels])
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-12)
    one_hot = np.eye(k)[labels]
    np.testing.assert_allclose(grad, (softmax(z) - one_hot) / n, atol=1e-15)
    np.testing.assert_allclose(softmax_cross_entropy(z, one_hot)[1], grad, atol=1e-15)
    assert softmax_cross_entropy(z, one_hot)[0] == pytest.approx(
        loss, rel=1e-12, abs=1e-12
    )


@given(batch=batches())
@settings(max_examples=30, deadline=None)
def test_gradient_matches_finite_differences(batch):
    z, labels = batch
    z = z / 10  # moderate logits: finite differences are accurate there
    grad = softmax_cross_entropy(z, labels)[1]
    numeric = numerical_gradient(lambda x: softmax_cross_entropy(x, labels)[0], z)
    assert np.abs(grad - numeric).max() < 1e-9


def test_soft_labels_gradient_is_a_minus_y():
    z = np.array([[2.0, 1.0, 0.1]])
    y = np.array([[0.8, 0.1, 0.1]])
    loss, grad = softmax_cross_entropy(z, y)
    np.testing.assert_allclose(grad, softmax(z) - y)
    assert (
        rel_error(grad, numerical_gradient(lambda x: softmax_cross_entropy(x, y)[0], z))
        < 1e-8
    )


def test_single_example_and_huge_logits():
    loss, grad = softmax_cross_entropy([1000.0, 0.0], 1)
    assert loss == pytest.approx(1000.0) and np.isfinite(grad).all()
    assert grad.shape == (2,)
    loss, _ = softmax_cross_entropy(np.array([0.0, -800.0]), 0)
    assert loss == 0.0


def test_dtype_and_no_mutation():
    z = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    before = z.copy()
    _, grad = softmax_cross_entropy(z, np.array([2]))
    assert grad.dtype == np.float32
    np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize(
    ("logits", "targets", "message"),
    [
        ([[1.0, 2.0]], [2], r"labels must lie in \[0, 2\)"),
        ([[1.0, 2.0]], [-1], "labels must lie"),
        ([[1.0, 2.0], [0.0, 0.0]], [0], "integer labels must have shape"),
        (
            [[1.0, 2.0]],
            [0.0],
            r"targets \(the second argument\) must be integer labels",
        ),
        ([[1.0, 2.0]], [[0.5, 0.6]], "targets must sum to 1"),
        ([[1.0, np.inf]], [0], "finite"),
        ([[1.0, -np.inf]], [1], r"true class 1 of example 0 has logit -inf"),
        ([[-np.inf, -np.inf]], [1], "finite"),
        ([[0.0, -np.inf]], [[0.5, 0.5]], "finite"),
        ([[1.0, np.nan]], [0], "NaN"),
        (np.ones((2, 2, 2)), [0, 0], "shape"),
    ],
)
def test_bad_input(logits, targets, message):
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy(logits, targets)


def test_minus_inf_logit_of_a_wrong_class_is_allowed():
    """A logit of -inf for a class that is not the label means probability 0 there: a
    finite loss."""
    loss, grad = softmax_cross_entropy([[0.0, -np.inf, 0.0]], [0])
    assert loss == pytest.approx(np.log(2))
    np.testing.assert_allclose(grad, [[-0.5, 0.0, 0.5]])


def test_small_losses_keep_their_digits():
    """(m - z_y) + log1p(s), not lse - z_y through log(total): the old loss gave 0.0 and
    1.19e-7 here (the planted error); true values from mpmath, within 4 ulps."""
    loss, _ = softmax_cross_entropy([0.0, -40.0], 0)
    expected = float(mpmath.log1p(mpmath.exp(-40)))  # 4.248e-18
    assert loss == pytest.approx(expected, rel=4 * 2.0**-52, abs=0)
    z = np.array([[-64.06753, -47.49996]], dtype=np.float32)
    gap = mpmath.mpf(float(z[0, 0])) - mpmath.mpf(float(z[0, 1]))
    expected = float(mpmath.log1p(mpmath.exp(gap)))  # 6.38e-8
    loss, _ = softmax_cross_entropy(z, [1])
    assert loss == pytest.approx(expected, rel=4 * 2.0**-23, abs=0)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_finite_logits_up_to_the_largest_float_give_no_warning(dtype):
    """The loss of logits +-max apart is 2 max: a float64 for float16/32 logits, +inf
    (its correct rounding) for float64 ones; no RuntimeWarning either way. The old code
    raised 'a true class has logit -inf' for these finite logits."""
    big = np.finfo(dtype).max
    z = np.array([[big, -big]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = softmax_cross_entropy(z, [1])
        assert softmax_cross_entropy(z, [0])[0] == 0.0
        soft, soft_grad = softmax_cross_entropy(z, [[0.75, 0.25]])
    assert loss == (np.inf if dtype == np.float64 else 2 * float(big))
    np.testing.assert_array_equal(grad, [[1.0, -1.0]])
    assert soft == pytest.approx(0.5 * float(big), rel=1e-15, abs=0)  # 0.25 * 2 max
    np.testing.assert_allclose(
        soft_grad.astype(np.float64), [[0.25, -0.25]], rtol=1e-3, atol=0
    )


def test_mean_of_huge_finite_losses_does_not_overflow():
    """Two losses of 1e308 have mean 1e308: summing them first would give +inf."""
    loss, _ = softmax_cross_entropy([[5e307, -5e307], [5e307, -5e307]], [1, 1])
    assert loss == pytest.approx(1e308, rel=1e-15, abs=0)
    big = np.finfo(np.float64).max  # three losses of max / 3 rounded up could pass max
    z = [[-big, 0.0], [big, 0.0], [big, 0.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, _ = softmax_cross_entropy(z, [0, 1, 1])
    assert loss == pytest.approx(big, rel=1e-15, abs=0)


def test_float16_gradient_of_a_large_batch():
    """N (1 + s) = 210000 exceeds float16's 65504: the old code divided by inf."""
    n = 70_000
    z = np.zeros((n, 3), dtype=np.float16)
    _, grad = softmax_cross_entropy(z, np.zeros(n, int))
    expected = np.tile((np.array([1 / 3, 1 / 3, 1 / 3]) - [1, 0, 0]) / n, (8, 1))
    # float16: these are subnormal, spaced 6e-8 apart
    np.testing.assert_allclose(
        grad[::9999].astype(np.float64), expected, rtol=2e-3, atol=6e-8
    )


def test_messages_say_the_argument_order():
    labels, logits = np.array([0, 2, 1]), np.zeros((3, 4))
    order = r"softmax_cross_entropy\(logits, targets\)"
    with pytest.raises(ValueError, match=order + r".*second argument.*swapped"):
        softmax_cross_entropy(labels, logits)
    in_range = r": labels must lie in \[0, 4\)"
    with pytest.raises(ValueError, match="^" + order + in_range):
        softmax_cross_entropy(logits, [0, 4, 1])
    with pytest.raises(
        ValueError,
        match=r"logits \(the first argument\) must be finite, but the logits of "
        r"example 1 contain \+inf",
    ):
        softmax_cross_entropy([[0.0, 1.0], [np.inf, 0.0]], [0, 1])
