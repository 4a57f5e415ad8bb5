"""Unit and property tests of the chapter-2 functions: softmax_jacobian, softmax_jvp and the gradient checks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import numerical_gradient, numerical_jacobian, rel_error, softmax, softmax_jacobian, softmax_jvp

logits = arrays(np.float64, st.integers(1, 7), elements=st.floats(-20, 20))


@given(z=logits)
@settings(max_examples=60, deadline=None)
def test_jacobian_properties(z):
    J = softmax_jacobian(z)
    K = z.size
    assert J.shape == (K, K)
    np.testing.assert_allclose(J, J.T, atol=0)  # symmetric
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)  # rows sum to zero: J 1 = 0
    assert np.linalg.eigvalsh(J).min() > -1e-15  # positive semi-definite


@given(z=arrays(np.float64, st.integers(1, 6), elements=st.floats(-5, 5)))
@settings(max_examples=40, deadline=None)
def test_jacobian_matches_finite_differences(z):
    assert rel_error(softmax_jacobian(z), numerical_jacobian(softmax, z)) < 1e-6


@given(z=logits, data=st.data())
@settings(max_examples=60, deadline=None)
def test_jvp_equals_jacobian_times_vector(z, data):
    v = data.draw(arrays(np.float64, z.shape, elements=st.floats(-10, 10)))
    np.testing.assert_allclose(softmax_jvp(z, v), softmax_jacobian(z) @ v, atol=1e-12)


def test_batched_jacobian_and_jvp():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 2, 4))
    v = rng.normal(size=(3, 2, 4))
    J = softmax_jacobian(z)
    assert J.shape == (3, 2, 4, 4)
    np.testing.assert_allclose(J[1, 0], softmax_jacobian(z[1, 0]))
    np.testing.assert_allclose(softmax_jvp(z, v), np.einsum("...ij,...j->...i", J, v), atol=1e-14)


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
    np.testing.assert_allclose(grad, 2 * W, atol=1e-8)
    np.testing.assert_array_equal(W, np.arange(6.0).reshape(2, 3))


def test_gradcheck_errors():
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda x: x, np.ones(3))
    with pytest.raises(ValueError, match="positive"):
        numerical_jacobian(np.sin, np.ones(3), h=0.0)
    with pytest.raises(ValueError, match="shape"):
        rel_error(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        rel_error([np.nan], [1.0])


def test_rel_error_values():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 2.1)
