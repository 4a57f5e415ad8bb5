"""Unit and property tests of book.sigmoid (chapter 4)."""

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from book import numerical_gradient, rel_error, sigmoid, softmax


@given(x=arrays(np.float64, array_shapes(max_dims=3, max_side=5), elements=st.floats(-1e308, 1e308)))
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
    assert sigmoid(x) + sigmoid(-x) == pytest.approx(1.0, abs=1e-15)
    derivative = numerical_gradient(lambda v: sigmoid(v)[0], [x])[0]
    s = sigmoid(x)
    assert derivative == pytest.approx(s * (1 - s), abs=1e-10)  # differences of values near 1: absolute accuracy


def test_extremes_dtypes_and_scalars():
    np.testing.assert_array_equal(sigmoid([-np.inf, 0.0, np.inf]), [0.0, 0.5, 1.0])
    assert sigmoid(np.float16(-20)).dtype == np.float16 and sigmoid(np.float32([3])).dtype == np.float32
    assert np.ndim(sigmoid(0.0)) == 0 and sigmoid(0.0) == 0.5
    assert sigmoid(-700.0) == pytest.approx(np.exp(-700.0), rel=1e-15)  # tiny but representable: not 0
    assert rel_error(sigmoid(-30.0), np.exp(-30.0) / (1 + np.exp(-30.0))) < 1e-15


@pytest.mark.parametrize(("bad", "message"), [([np.nan], "NaN"), (["a"], "real numbers"), ([], "empty")])
def test_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        sigmoid(bad)
