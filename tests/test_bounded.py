"""Unit and property tests of the bounded softmax readings (chapter 8)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import numerical_jacobian, softmax, softmax_jacobian
from book.bounded import (
    base_n_minus_1_softmax,
    base_n_minus_1_softmax_jacobian,
    base_n_minus_1_wrapper,
    bounded_softmax,
    bounded_softmax_jacobian,
    gaussian_softmax,
    gaussian_softmax_jacobian,
    gaussian_wrapper,
)

shapes = st.tuples(st.integers(1, 5), st.integers(2, 6))
logit_batches = arrays(np.float64, shapes, elements=st.floats(-1e3, 1e3))
READINGS = (bounded_softmax, gaussian_softmax, base_n_minus_1_softmax)


def order_is_kept(s, p):
    """s_i > s_j (beyond rounding) implies p_i > p_j; s_i >= s_j implies p_i >= p_j."""
    ds = s[:, :, None] - s[:, None, :]
    dp = p[:, :, None] - p[:, None, :]
    return bool(np.all(dp[ds > 1e-9] > 0) and np.all(dp[ds >= 0] >= -1e-15))


@given(z=logit_batches, n=st.sampled_from([7, 50, 500, 10**4, 10**6]))
@settings(max_examples=100, deadline=None)
def test_sums_bounds_and_order(z, n):
    k = z.shape[1]
    s = softmax(z)
    for f in READINGS:
        p = f(z, n)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12, atol=0)
        assert order_is_kept(s, p)
    p = bounded_softmax(z, n)
    assert p.min() >= 1 / n * (1 - 1e-12) and p.max() <= 1 - (k - 1) / n + 1e-12
    p = gaussian_softmax(z, n)
    low, high = 1 / (n + k + np.sqrt(n * (k - 2))), (n + 1) / (n + k)
    assert p.min() >= low * (1 - 1e-12) and p.max() <= high * (1 + 1e-12)
    p = base_n_minus_1_softmax(z, n)
    assert p.min() >= 1 / (n + k - 2) * (1 - 1e-12)
    assert p.max() <= (n - 1) / (n + k - 2) * (1 + 1e-12)
    odds = p[:, :, None] / p[:, None, :]
    assert odds.max() <= (n - 1) * (1 + 1e-12)


def test_order_check_catches_a_reversal():
    """Planted error: n < K turns the linear wrapper's factor 1 - K/n negative."""
    s = softmax(np.array([[0.0, 1.0, 2.0]]))
    n, k = 2.0, 3
    reversed_p = 1 / n + (1 - k / n) * s
    assert not order_is_kept(s, reversed_p)
    assert order_is_kept(s, bounded_softmax(np.array([[0.0, 1.0, 2.0]]), 4))


def test_gaussian_needs_only_positive_n_and_base_needs_n_above_2():
    z = np.linspace(-2.0, 2.0, 10)  # K = 10 classes
    s = softmax(z)
    for f, n in ((gaussian_softmax, 3), (base_n_minus_1_softmax, 3)):
        p = f(z, n)  # n < K is fine for these two
        assert np.all(np.diff(p) > 0) and abs(p.sum() - 1) < 1e-12
    assert np.all(np.diff(s) > 0)
    with pytest.raises(ValueError, match="exceed 10"):
        bounded_softmax(z, 10)
    with pytest.raises(ValueError, match="base n - 1 must exceed 1"):
        base_n_minus_1_softmax(z, 2)


def test_two_class_ranges_are_exact():
    n = 50
    extreme = np.array([[800.0, -800.0]])
    rtol, atol = 1e-14, 0
    linear = [[1 - 1 / n, 1 / n]]
    np.testing.assert_allclose(bounded_softmax(extreme, n), linear, rtol, atol)
    gauss = [[(n + 1) / (n + 2), 1 / (n + 2)]]
    np.testing.assert_allclose(gaussian_softmax(extreme, n), gauss, rtol, atol)
    base = [[(n - 1) / n, 1 / n]]
    np.testing.assert_allclose(base_n_minus_1_softmax(extreme, n), base, rtol, atol)
    np.testing.assert_allclose(gaussian_softmax([0.0, 0.0], n), [0.5, 0.5], rtol, atol)


@pytest.mark.parametrize("n", [10**3, 10**4, 10**6])
def test_the_sources_eleven_class_example(n):
    """A: score 0, ten others 0.1. Base n - 1: 1/(1 + 10 (n-1)^0.1). Gaussian: ~1/n."""
    r = np.array([0.0] + [0.1] * 10)
    p = base_n_minus_1_wrapper(r, n)
    expected_a = 1 / (1 + 10 * (n - 1) ** 0.1)
    np.testing.assert_allclose(p[0], expected_a, rtol=1e-13, atol=0)
    np.testing.assert_allclose(p[1:], (n - 1) ** 0.1 * expected_a, rtol=1e-13, atol=0)
    assert abs(p[0] * 10 * n**0.1 - 1) < 0.06  # the source's approximation 1/(10 n^0.1)
    q, _ = gaussian_wrapper(r, n)
    np.testing.assert_allclose(q[0], 1 / (n + 11 + 3 * np.sqrt(n)), rtol=1e-13, atol=0)


@pytest.mark.parametrize("n", [20, 1000, 10**6])
def test_jacobians_match_finite_differences(n):
    rng = np.random.default_rng(n)
    pairs = (
        (bounded_softmax, bounded_softmax_jacobian),
        (gaussian_softmax, gaussian_softmax_jacobian),
        (base_n_minus_1_softmax, base_n_minus_1_softmax_jacobian),
    )
    for _ in range(5):
        z = rng.normal(size=4) * 3
        for f, jac in pairs:
            numeric = numerical_jacobian(lambda v, f=f: f(v, n), z)
            np.testing.assert_allclose(jac(z, n), numeric, rtol=1e-6, atol=1e-9)


def test_jacobian_check_catches_a_dropped_factor():
    """Planted error: the base reading's Jacobian without its log(n - 1) factor."""
    z, n = np.array([0.3, -1.0, 2.0]), 500
    scaled = np.log(n - 1) * softmax(z)
    wrong = softmax_jacobian(scaled) @ softmax_jacobian(z)
    numeric = numerical_jacobian(lambda v: base_n_minus_1_softmax(v, n), z)
    assert not np.allclose(wrong, numeric, rtol=1e-6, atol=1e-9)


def test_jacobian_at_saturation_is_zero_not_nan():
    jac = gaussian_softmax_jacobian(np.array([800.0, 0.0, 0.0]), 50)
    assert np.array_equal(jac, np.zeros((3, 3)))


def test_axis_and_dtype():
    z = np.arange(12.0).reshape(3, 4)
    for f in READINGS:
        np.testing.assert_allclose(f(z, 100, axis=0), f(z.T, 100).T, rtol=1e-15, atol=0)
    p32 = gaussian_softmax(z.astype(np.float32), 100)
    assert p32.dtype == np.float32


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bounded_softmax([1.0, 2.0, 3.0], 3), "exceed 3"),
        (lambda: gaussian_softmax([1.0, 2.0], np.nan), "finite number"),
        (lambda: gaussian_softmax([1.0, 2.0], np.inf), "finite number"),
        (lambda: gaussian_softmax([1.0, 2.0], "100"), "finite number"),
        (lambda: gaussian_softmax([1.0, 2.0], 0), "exceed 0"),
        (lambda: bounded_softmax([1.0, 2.0], True), "finite number"),
        (lambda: bounded_softmax([1.0, np.nan], 100), "NaN"),
        (lambda: gaussian_wrapper([0.5, 1.5], 100), "a must lie in"),
        (lambda: base_n_minus_1_wrapper([-0.1, 0.5], 100), "r must lie in"),
        (lambda: base_n_minus_1_wrapper([0.5, 0.5], 1.5), "exceed 2"),
        (lambda: gaussian_softmax([1.0, 2.0], 100, axis=None), "axis"),
        (lambda: gaussian_softmax_jacobian(np.ones((2, 2)), 100), "1-D"),
        (lambda: bounded_softmax_jacobian(np.ones((2, 2)), 100), "1-D"),
        (lambda: base_n_minus_1_softmax_jacobian(np.ones((2, 2)), 100), "1-D"),
        (lambda: bounded_softmax_jacobian([1.0, 2.0], 2), "exceed 2"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_exact_bounds_catch_a_wrong_base():
    """Planted error: base n instead of n - 1 misses the bounds (n - 1)/n and 1/n."""
    n = 50
    wrong = softmax(np.log(n) * np.array([1.0, 0.0]))
    right = base_n_minus_1_wrapper(np.array([1.0, 0.0]), n)
    target = [(n - 1) / n, 1 / n]
    np.testing.assert_allclose(right, target, rtol=1e-14, atol=0)
    assert not np.allclose(wrong, target, rtol=1e-6, atol=0)


def near_corner(k, t):
    """Probability rows (1 - t, t, 0, ..., 0) of k classes, one per entry of t."""
    rows = np.zeros((t.size, k))
    rows[:, 0], rows[:, 1] = 1 - t, t
    return rows


def test_gaussian_ceiling_needs_n_at_least_k_minus_2():
    """(n + 1)/(n + K) caps each class iff n >= K - 2; below, a corner's neighbour wins.

    Planted error: claiming the ceiling for every n > 0 (the docstring once did) fails.
    """
    t = np.geomspace(1e-8, 0.5, 400)
    for k in (3, 5, 10):
        for n in (0.5, k - 2.1, k - 2, k + 5, 1000):
            if n <= 0:
                continue
            top = gaussian_wrapper(near_corner(k, t), n)[0][:, 0].max()
            assert (top > (n + 1) / (n + k) * (1 + 1e-12)) == (n < k - 2)


def test_gaussian_floor_holds_for_every_n():
    """The floor 1/(n + K + sqrt(n (K - 2))), also for n < K; attained at a_i = 0.

    Planted error: the floor without its square-root term, 1/(n + K), is beaten.
    """
    rng = np.random.default_rng(3)
    for k in (3, 6, 11):
        a = rng.dirichlet(np.full(k, 0.3), size=20_000)
        flat = np.array([0.0] + [1 / (k - 1)] * (k - 1))
        for n in (0.2, 1.0, 5.0, 1000.0):
            low = 1 / (n + k + np.sqrt(n * (k - 2)))
            found = gaussian_wrapper(a, n)[0].min()
            assert low * (1 - 1e-12) <= found < 1 / (n + k)
            exact = gaussian_wrapper(flat, n)[0][0]
            np.testing.assert_allclose(exact, low, rtol=1e-13, atol=0)
