"""Unit and property tests of book/sigmoid.py (chapter 5): sigmoid, softplus, binary and
multi-label cross-entropy from logits."""

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from book import (
    binary_cross_entropy_with_logits,
    multilabel_cross_entropy,
    numerical_gradient,
    rel_error,
    sigmoid,
    softmax,
    softplus,
)

mpmath.mp.dps = 50
EPS = np.finfo(np.float64).eps


def softplus_reference(x):
    """log(1 + exp(x)) with 50 significant digits."""
    return float(mpmath.log1p(mpmath.exp(mpmath.mpf(float(x)))))


def bce_reference(z, y):
    """-y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z)), from the definition, with
    enough digits (360) that 1 - sigmoid(z) keeps its own digits for |z| <= 745."""
    with mpmath.workdps(360):
        z, y = mpmath.mpf(float(z)), mpmath.mpf(float(y))
        s = 1 / (1 + mpmath.exp(-z))
        return float(-y * mpmath.log(s) - (1 - y) * mpmath.log(1 - s))


@given(x=arrays(np.float64, array_shapes(max_dims=3, max_side=5),
                elements=st.floats(-1e308, 1e308)))
@settings(max_examples=100, deadline=None)
def test_matches_scipy_expit_for_any_finite_input(x):
    np.testing.assert_allclose(sigmoid(x), scipy.special.expit(x), rtol=1e-15, atol=0)


@given(x=st.floats(-30, 30), y=st.floats(-30, 30))
@settings(max_examples=100, deadline=None)
def test_two_class_softmax_is_sigmoid_of_the_difference(x, y):
    assert softmax([x, y])[0] == pytest.approx(sigmoid(x - y), rel=1e-12, abs=1e-300)


@given(x=st.floats(-20, 20))
@settings(max_examples=60, deadline=None)
def test_symmetry_and_derivative(x):
    assert sigmoid(x) + sigmoid(-x) == pytest.approx(1.0, rel=0, abs=1e-15)
    derivative = numerical_gradient(lambda v: sigmoid(v)[0], [x])[0]
    s = sigmoid(x)
    # central differences of values near 1: absolute accuracy about eps / h = 2e-11
    assert derivative == pytest.approx(s * (1 - s), rel=0, abs=1e-10)


def test_extremes_dtypes_and_scalars():
    np.testing.assert_array_equal(sigmoid([-np.inf, 0.0, np.inf]), [0.0, 0.5, 1.0])
    assert sigmoid(np.float16(-20)).dtype == np.float16
    assert sigmoid(np.float32([3])).dtype == np.float32
    assert np.ndim(sigmoid(0.0)) == 0 and sigmoid(0.0) == 0.5
    # tiny but representable: not 0
    assert sigmoid(-700.0) == pytest.approx(np.exp(-700.0), rel=1e-15, abs=0)
    assert rel_error(sigmoid(-30.0), np.exp(-30.0) / (1 + np.exp(-30.0))) < 1e-15


@pytest.mark.parametrize(("bad", "message"),
                         [([np.nan], "NaN"), (["a"], "real numbers"), ([], "empty")])
@pytest.mark.parametrize("function", [sigmoid, softplus])
def test_bad_input(function, bad, message):
    with pytest.raises(ValueError, match=message):
        function(bad)


# softplus: relative error against 50 digits, in ulps. Each step (exp, log1p, the sum
# of two non-negative terms) is rounded to within ~1 ulp, so a few ulps in all.
@given(x=st.floats(-745, 700))
@settings(max_examples=300, deadline=None)
def test_softplus_is_accurate_to_a_few_ulps(x):
    exact = softplus_reference(x)
    assert softplus(x) == pytest.approx(exact, rel=4 * EPS, abs=0)


def test_softplus_where_the_naive_formula_fails():
    assert np.log(1 + np.exp(-40.0)) == 0.0  # the naive formula rounds 1 + 4e-18 to 1
    exact = softplus_reference(-40.0)
    assert softplus(-40.0) == pytest.approx(exact, rel=2 * EPS, abs=0)
    with np.errstate(over="ignore"):
        assert np.log(1 + np.exp(800.0)) == np.inf  # the naive formula overflows
    assert softplus(800.0) == 800.0
    np.testing.assert_array_equal(softplus([-np.inf, np.inf]), [0.0, np.inf])
    assert softplus(np.finfo(np.float64).max) == np.finfo(np.float64).max


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_softplus_keeps_the_dtype_and_matches_logaddexp(dtype):
    x = np.linspace(-30, 30, 61).astype(dtype)
    result = softplus(x)
    assert result.dtype == dtype
    eps = np.finfo(dtype).eps
    reference = np.logaddexp(0, x.astype(np.float64)).astype(dtype)  # rounded
    # a few ulps, or one subnormal step where the true value is below the normal range
    tiny = np.finfo(dtype).smallest_subnormal
    np.testing.assert_allclose(result, reference, rtol=4 * eps, atol=tiny)


def test_log_sigmoid_is_minus_softplus_of_minus_x():
    x = np.linspace(-30, 30, 121)
    with mpmath.workdps(60):
        exact = np.array([float(-mpmath.log1p(mpmath.exp(-mpmath.mpf(v))))
                          for v in x])
    np.testing.assert_allclose(-softplus(-x), exact, rtol=4 * EPS, atol=0)
    # log(sigmoid(x)) takes the log of a number rounded near 1: at x = 30 it loses
    # digits
    assert abs(np.log(sigmoid(30.0)) - exact[-1]) > 1e-3 * abs(exact[-1])
    # and for x = -800 sigmoid underflows to 0: log gives -inf, -softplus(800) = -800
    assert sigmoid(-800.0) == 0.0 and -softplus(800.0) == -800.0


@given(z=st.floats(-700, 700), y=st.sampled_from([0.0, 1.0]) | st.floats(0, 1))
@settings(max_examples=300, deadline=None)
def test_binary_cross_entropy_is_accurate(z, y):
    exact = bce_reference(z, y)
    # a weighted sum of two non-negative few-ulp terms: relative error a few ulps, plus
    # the rounding of 1 - y (absolute, at most eps times the larger term)
    got = binary_cross_entropy_with_logits(z, y)
    assert got == pytest.approx(exact, rel=8 * EPS, abs=0)


def test_binary_cross_entropy_small_losses_keep_their_digits():
    # a confident, correct prediction: loss = softplus(-40) = 4.25e-18, not 0
    got = binary_cross_entropy_with_logits(40.0, 1.0)
    assert got == pytest.approx(bce_reference(40.0, 1.0), rel=2 * EPS, abs=0)
    with np.errstate(divide="ignore"):  # the textbook route: log of a rounded number
        assert -np.log(sigmoid(40.0)) == 0.0
        assert -np.log(1 - sigmoid(40.0)) == np.inf


def test_binary_cross_entropy_infinite_logits_and_shapes():
    z = np.array([np.inf, -np.inf, np.inf, -np.inf])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(binary_cross_entropy_with_logits(z, y),
                                  [0.0, 0.0, np.inf, np.inf])
    assert np.ndim(binary_cross_entropy_with_logits(0.0, 1.0)) == 0
    assert binary_cross_entropy_with_logits(0.0, 1.0) == pytest.approx(np.log(2),
                                                                        rel=EPS, abs=0)
    per_label = binary_cross_entropy_with_logits(np.zeros((2, 3)), 0.5)
    np.testing.assert_allclose(per_label, np.full((2, 3), np.log(2)), rtol=EPS, atol=0)
    f32 = binary_cross_entropy_with_logits(np.float32([1.0]), np.float32([1.0]))
    assert f32.dtype == np.float32


def test_binary_cross_entropy_gradient_is_sigmoid_minus_target():
    rng = np.random.default_rng(5)
    z, y = rng.normal(scale=3, size=6), rng.uniform(size=6)
    def loss(v):
        return binary_cross_entropy_with_logits(v, y).sum()

    numeric = numerical_gradient(loss, z)
    # central differences with h = 1e-5: error O(h^2) + O(eps / h), below 1e-9 here
    np.testing.assert_allclose(numeric, sigmoid(z) - y, rtol=0, atol=1e-9)


@pytest.mark.parametrize(("logits", "targets", "message"), [
    ([0.0, 1.0], [0.5, np.nan], "targets contains NaN"),
    ([0.0, np.nan], [0.5, 0.5], "logits contains NaN"),
    ([0.0, 1.0], [0.5, 1.5], r"targets must lie in \[0, 1\]"),
    ([0.0, 1.0], [-0.1, 1.0], r"targets must lie in \[0, 1\]"),
    ([0.0, 1.0], [0.5, 0.5, 0.5], "targets must have the shape of logits"),
    (["a"], [0.5], "logits must hold real numbers"),
])
def test_binary_cross_entropy_bad_input(logits, targets, message):
    with pytest.raises(ValueError, match=message):
        binary_cross_entropy_with_logits(logits, targets)


def test_multilabel_loss_sums_labels_and_averages_examples():
    rng = np.random.default_rng(6)
    logits = rng.normal(scale=2, size=(5, 4))
    targets = (rng.uniform(size=(5, 4)) < 0.5).astype(float)
    exact = np.mean([sum(bce_reference(z, y) for z, y in zip(zr, yr))
                     for zr, yr in zip(logits, targets)])
    got = multilabel_cross_entropy(logits, targets)
    assert got == pytest.approx(exact, rel=16 * EPS, abs=0)
    one = multilabel_cross_entropy(logits[0], targets[0])  # (K,): one example
    assert one == pytest.approx(sum(bce_reference(z, y) for z, y in
                                    zip(logits[0], targets[0])), rel=16 * EPS, abs=0)
    with pytest.raises(ValueError, match=r"logits must have shape \(N, K\) or \(K,\)"):
        multilabel_cross_entropy(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


# Planted errors: chapter 5's accuracy criterion for the binary cross-entropy (within 4
# ulps of a 360-digit reference, on logits in [-700, 700] with labels 0 and 1) must
# reject each wrong version below, and accept the package's.
def _bce_max_ulps(bce):
    rng = np.random.default_rng(7)
    z = np.concatenate([rng.uniform(-700, 700, size=60), [-40.0, 40.0, 25.0, -25.0]])
    y = np.concatenate([rng.integers(0, 2, size=60), [0, 1, 1, 0]]).astype(float)
    reference = np.array([bce_reference(zv, yv) for zv, yv in zip(z, y)])
    with np.errstate(all="ignore"):
        got = np.asarray(bce(z, y), dtype=np.float64)
        ulps = np.abs(got - reference) / (reference * EPS)
    return float(np.nanmax(np.where(np.isfinite(ulps), ulps, np.inf)))


def _textbook_bce(z, y):
    """-y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z)), as written."""
    s = sigmoid(z)
    return -y * np.log(s) - (1 - y) * np.log(1 - s)


def _bce_log_not_log1p(z, y):
    """softplus as max(x, 0) + log(1 + exp(-|x|)): small losses lose their digits."""
    def soft(x):
        return np.maximum(x, 0) + np.log(1 + np.exp(-np.abs(x)))
    return y * soft(-z) + (1 - y) * soft(z)


def _bce_swapped_terms(z, y):
    """The two softplus terms exchanged: the loss of the opposite label."""
    return y * softplus(z) + (1 - y) * softplus(-z)


def test_the_bce_accuracy_check_accepts_the_package():
    assert _bce_max_ulps(binary_cross_entropy_with_logits) <= 4


@pytest.mark.parametrize("planted", [_textbook_bce, _bce_log_not_log1p,
                                     _bce_swapped_terms], ids=lambda f: f.__name__)
def test_the_bce_accuracy_check_catches_a_planted_error(planted):
    assert _bce_max_ulps(planted) > 4
