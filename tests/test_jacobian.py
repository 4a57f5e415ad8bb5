"""Unit and property tests of the chapter-3 functions: softmax_jacobian, softmax_jvp and
the gradient checks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import (
    numerical_gradient,
    numerical_jacobian,
    rel_error,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)

logits = arrays(np.float64, st.integers(1, 7), elements=st.floats(-20, 20))


@given(z=logits)
@settings(max_examples=60, deadline=None)
def test_jacobian_properties(z):
    J = softmax_jacobian(z)
    K = z.size
    assert J.shape == (K, K)
    np.testing.assert_allclose(J, J.T, rtol=0, atol=0)  # symmetric
    np.testing.assert_allclose(J.sum(axis=1), 0.0, rtol=0, atol=1e-15)  # J 1 = 0
    assert np.linalg.eigvalsh(J).min() > -1e-15  # positive semi-definite


@given(z=arrays(np.float64, st.integers(1, 6), elements=st.floats(-5, 5)))
@settings(max_examples=40, deadline=None)
def test_jacobian_matches_finite_differences(z):
    assert rel_error(softmax_jacobian(z), numerical_jacobian(softmax, z)) < 1e-6


@given(z=logits, data=st.data())
@settings(max_examples=60, deadline=None)
def test_jvp_equals_jacobian_times_vector(z, data):
    v = data.draw(arrays(np.float64, z.shape, elements=st.floats(-10, 10)))
    np.testing.assert_allclose(softmax_jvp(z, v), softmax_jacobian(z) @ v,
                               rtol=0, atol=1e-12)


def test_batched_jacobian_and_jvp():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 2, 4))
    v = rng.normal(size=(3, 2, 4))
    J = softmax_jacobian(z)
    assert J.shape == (3, 2, 4, 4)
    np.testing.assert_allclose(J[1, 0], softmax_jacobian(z[1, 0]), rtol=0, atol=0)
    np.testing.assert_allclose(softmax_jvp(z, v), np.einsum("...ij,...j->...i", J, v),
                               rtol=0, atol=1e-14)


def test_jacobian_keeps_float32():
    assert softmax_jacobian(np.ones(3, dtype=np.float32)).dtype == np.float32


def test_jvp_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        softmax_jvp([1.0, 2.0], [1.0, 2.0, 3.0])


def test_numerical_gradient_of_logsumexp_is_softmax():
    z = np.array([0.5, -1.0, 2.0, 0.0])
    grad = numerical_gradient(lambda x: np.log(np.sum(np.exp(x))), z)
    assert rel_error(grad, softmax(z)) < 1e-9


def test_numerical_gradient_matrix_argument_and_input_untouched():
    W = np.arange(6.0).reshape(2, 3)
    grad = numerical_gradient(lambda w: np.sum(w**2), W)
    np.testing.assert_allclose(grad, 2 * W, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(W, np.arange(6.0).reshape(2, 3))


def test_gradcheck_errors():
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda x: x, np.ones(3))
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        numerical_jacobian(np.sin, np.ones(3), h=0.0)
    with pytest.raises(ValueError, match="shape"):
        rel_error(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        rel_error([np.nan], [1.0])


def test_rel_error_values():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 2.1, rel=1e-14, abs=0)


def test_rel_error_with_infinities_is_the_documented_limit():
    """The docstring: 0.0 when a == b (also for equal infinities; it was NaN), and 1 for
    an infinity against anything else, the limit of |a - b| / (|a| + |b|)."""
    assert rel_error([np.inf], [np.inf]) == 0.0
    assert rel_error([-np.inf, 2.0], [-np.inf, 2.0]) == 0.0
    assert rel_error([np.inf], [1.0]) == 1.0
    assert rel_error([5.0], [-np.inf]) == 1.0
    assert rel_error([np.inf], [-np.inf]) == 1.0
    assert rel_error([np.inf, 1.0], [np.inf, 1.1]) == pytest.approx(0.1 / 2.1,
                                                                   rel=1e-14, abs=0)


def test_rel_error_of_huge_finite_values_does_not_overflow():
    # a - b and |a| + |b| overflow to inf here: inf / inf was NaN (and a warning)
    assert rel_error([1e308], [-1e308]) == 1.0
    assert rel_error([1.5e308], [1.2e308]) == pytest.approx(0.3 / 2.7, rel=1e-14, abs=0)


@given(a=arrays(np.float64, 5, elements=st.floats(-1e300, 1e300)), data=st.data())
@settings(max_examples=60, deadline=None)
def test_rel_error_is_the_elementwise_formula(a, data):
    b = data.draw(arrays(np.float64, 5, elements=st.floats(-1e300, 1e300)))
    expected = np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8))
    # abs: halving a subnormal a or b can drop its last bit, 5e-324 / 1e-8 = 5e-316
    assert rel_error(a, b) == pytest.approx(float(expected), rel=1e-14, abs=1e-300)


def test_jacobian_at_infinite_logits_is_the_jacobian_of_the_limit():
    np.testing.assert_array_equal(softmax_jacobian([np.inf, 0.0]), np.zeros((2, 2)))
    J = softmax_jacobian([np.inf, np.inf, 0.0])  # the limit a = (1/2, 1/2, 0)
    np.testing.assert_allclose(J, [[0.25, -0.25, 0], [-0.25, 0.25, 0], [0, 0, 0]],
                               rtol=0, atol=0)
    J = softmax_jacobian([-np.inf, 0.0, 1.0])  # a masked class: its row, column are 0
    np.testing.assert_array_equal(J[0], 0.0)
    np.testing.assert_array_equal(J[:, 0], 0.0)
    np.testing.assert_allclose(J[1:, 1:], softmax_jacobian([0.0, 1.0]),
                               rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match="all -inf"):
        softmax_jacobian([-np.inf, -np.inf])


def test_jvp_at_infinite_logits_and_refusal_of_infinite_directions():
    v = np.array([1.0, -2.0, 3.0])
    for z in ([np.inf, 0.0, 1.0], [-np.inf, 0.0, 1.0], [np.inf, np.inf, -np.inf]):
        out = softmax_jvp(z, v)
        assert np.isfinite(out).all()
        np.testing.assert_allclose(out, softmax_jacobian(z) @ v, rtol=0, atol=1e-15)
    for bad in ([np.inf, 0.0], [0.0, -np.inf]):  # was [nan, -inf] for the first
        with pytest.raises(ValueError, match="^v contains"):
            softmax_jvp([0.0, 0.0], bad)


def test_jvp_of_huge_finite_directions_does_not_overflow():
    """v - a.v would overflow (and 0 * inf is NaN where a = 0); a*v - a*(a.v) does not.
    The exact result is a_i (v_i - a.v), at most max|v| / 2 in size."""
    z = np.array([0.0, 0.0, -np.inf])
    v = np.array([1.5e308, -1.5e308, 1.5e308])  # a = (1/2, 1/2, 0), a.v = 0
    np.testing.assert_allclose(softmax_jvp(z, v), [0.75e308, -0.75e308, 0.0],
                               rtol=1e-15, atol=0)
    z = np.array([0.0, np.log(3.0)])  # a = (1/4, 3/4)
    v = np.array([1.7e308, -1.7e308])  # a.v = -0.85e308, v_0 - a.v overflows
    expected = np.array([0.25 * 1.7e308 * 1.5, -0.75 * 1.7e308 * 0.5])
    np.testing.assert_allclose(softmax_jvp(z, v), expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: numerical_jacobian(np.sin, [np.inf, 0.0]), "^x contains"),
        (lambda: numerical_gradient(np.sum, [0.0, -np.inf]), "^x contains"),
        (lambda: numerical_jacobian(np.sin, [1.0], h=np.inf), "h must be a finite"),
        (lambda: numerical_jacobian(np.sin, [1.0], h=-np.inf), "h must be a finite"),
        (lambda: numerical_jacobian(np.sin, [1.0], h=np.nan), "h must be a finite"),
        (lambda: numerical_jacobian(np.sin, [1.0], h=[1e-5]), "h must be a finite"),
        (lambda: numerical_jacobian(lambda x: np.full(2, np.inf), [1.0]),
         "not finite at j"),
        (lambda: numerical_jacobian(lambda x: np.sign(x - 1) * 1e308, [1.0]),
         "not finite at j"),  # finite values whose difference overflows
        (lambda: numerical_gradient(lambda x: np.where(x[0] > 1, np.inf, 0.0), [1.0]),
         "not finite at j"),
    ],
)
def test_gradcheck_refuses_infinities(call, message):
    with pytest.raises(ValueError, match=message):
        call()
