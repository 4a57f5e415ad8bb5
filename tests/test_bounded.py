"""Unit and property tests of the bounded softmax wrappers (chapter 8)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import numerical_jacobian, softmax
from book.bounded import (
    bounded_softmax,
    bounded_softmax_jacobian,
    gaussian_softmax,
    gaussian_softmax_jacobian,
)

logit_batches = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 6)), elements=st.floats(-1e3, 1e3))


@given(z=logit_batches, n=st.sampled_from([7, 50, 500, 10**4, 10**6]))
@settings(max_examples=100, deadline=None)
def test_sums_bounds_and_order(z, n):
    k = z.shape[1]
    s = softmax(z)
    for f in (bounded_softmax, gaussian_softmax):
        p = f(z, n)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
        assert np.all(p > 0) and np.all(p < 1)
        # the ranking of softmax is kept (ties in s stay ties up to rounding)
        top = np.argmax(p, axis=1)
        assert np.all(s[np.arange(len(s)), top] >= s.max(axis=1) * (1 - 1e-9))
    p = bounded_softmax(z, n)
    assert p.min() >= 1 / n * (1 - 1e-12) and p.max() <= 1 - (k - 1) / n + 1e-12


def test_two_class_ranges_are_exact():
    n = 50
    extreme = np.array([[800.0, -800.0]])
    np.testing.assert_allclose(bounded_softmax(extreme, n), [[1 - 1 / n, 1 / n]])
    np.testing.assert_allclose(gaussian_softmax(extreme, n), [[(n + 1) / (n + 2), 1 / (n + 2)]])
    np.testing.assert_allclose(gaussian_softmax([0.0, 0.0], n), [0.5, 0.5])


@pytest.mark.parametrize("n", [20, 1000, 10**6])
def test_jacobians_match_finite_differences(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        z = rng.normal(size=4) * 3
        for f, jac in ((bounded_softmax, bounded_softmax_jacobian), (gaussian_softmax, gaussian_softmax_jacobian)):
            np.testing.assert_allclose(jac(z, n), numerical_jacobian(lambda v: f(v, n), z), atol=1e-9)


def test_jacobian_at_saturation_is_zero_not_nan():
    assert np.array_equal(gaussian_softmax_jacobian(np.array([800.0, 0.0, 0.0]), 50), np.zeros((3, 3)))


def test_axis_and_dtype():
    z = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(gaussian_softmax(z, 100, axis=0), gaussian_softmax(z.T, 100).T)
    np.testing.assert_allclose(bounded_softmax(z, 100, axis=0).sum(axis=0), 1.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bounded_softmax([1.0, 2.0, 3.0], 3), "exceed the number of classes 3"),
        (lambda: gaussian_softmax([1.0, 2.0], np.nan), "finite number"),
        (lambda: gaussian_softmax([1.0, 2.0], "100"), "finite number"),
        (lambda: bounded_softmax([1.0, 2.0], True), "finite number"),
        (lambda: bounded_softmax([1.0, np.nan], 100), "NaN"),
        (lambda: gaussian_softmax_jacobian(np.ones((2, 2)), 100), "1-D"),
        (lambda: bounded_softmax_jacobian(np.ones((2, 2)), 100), "1-D"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
