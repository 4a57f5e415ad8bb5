"""Unit and property tests of book.logsumexp and book.log_softmax (chapter 3), against scipy.special and mpmath."""

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from book import log_softmax, logsumexp, softmax

finite_logits = arrays(
    np.float64, array_shapes(min_dims=1, max_dims=3, max_side=6), elements=st.floats(-1e300, 1e300)
)


@given(z=finite_logits, data=st.data())
@settings(max_examples=100, deadline=None)
def test_logsumexp_matches_scipy_on_extreme_inputs(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    expected = scipy.special.logsumexp(z, axis=axis)
    np.testing.assert_allclose(logsumexp(z, axis=axis), expected, rtol=1e-14, atol=1e-300)


@given(z=arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=6), elements=st.floats(-1e4, 1e4)),
       data=st.data())
@settings(max_examples=100, deadline=None)
def test_log_softmax_matches_scipy(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    np.testing.assert_allclose(log_softmax(z, axis=axis), scipy.special.log_softmax(z, axis=axis),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@given(data=st.data())
@settings(max_examples=40, deadline=None)
def test_dtype_kept_and_consistent_with_softmax(dtype, data):
    z = data.draw(arrays(dtype, (3, 5), elements=st.floats(-10, 10, width=16)))
    lse, logp = logsumexp(z), log_softmax(z)
    assert lse.dtype == dtype and logp.dtype == dtype
    tol = {np.float16: 2e-2, np.float32: 1e-5, np.float64: 1e-12}[dtype]
    np.testing.assert_allclose(np.exp(logp.astype(np.float64)), softmax(z).astype(np.float64), atol=tol)


def test_logsumexp_is_accurate_where_the_plain_shift_is_not():
    """lse(0, -40) = log1p(e^-40): the plain shift rounds 1 + e^-40 to 1 and returns 0."""
    reference = float(mpmath.log(1 + mpmath.exp(-40)))
    assert logsumexp([0.0, -40.0]) == pytest.approx(reference, rel=1e-15)
    assert log_softmax([0.0, -40.0])[0] == pytest.approx(-reference, rel=1e-15)


@given(offset=st.floats(1e3, 1e12), gap=st.floats(0.0, 30.0))
@settings(max_examples=100, deadline=None)
def test_log_softmax_keeps_its_digits_for_huge_logits(offset, gap):
    """(z - max) - log1p(s), not z - lse(z): near the max the log-probabilities keep full relative accuracy."""
    z = np.array([offset, offset - gap])
    shift = float(z[0] - z[1])  # the gap as actually stored
    reference = -mpmath.log1p(mpmath.exp(-mpmath.mpf(shift)))
    assert log_softmax(z)[0] == pytest.approx(float(reference), rel=4e-16)


def test_keepdims_and_axis():
    z = np.arange(24.0).reshape(2, 3, 4)
    assert logsumexp(z, axis=1).shape == (2, 4)
    assert logsumexp(z, axis=1, keepdims=True).shape == (2, 1, 4)
    np.testing.assert_allclose(logsumexp(z, axis=0), scipy.special.logsumexp(z, axis=0))


def test_infinities():
    inf = np.inf
    assert logsumexp([inf, 0.0]) == inf
    assert logsumexp([-inf, -inf]) == -inf
    assert logsumexp([-inf, 0.0]) == 0.0
    np.testing.assert_array_equal(log_softmax([inf, 0.0]), [0.0, -inf])
    np.testing.assert_allclose(log_softmax([inf, inf, 1.0]), [-np.log(2), -np.log(2), -inf])
    batch = logsumexp(np.array([[inf, 1.0], [-inf, -inf], [0.0, 0.0]]))
    np.testing.assert_allclose(batch, [inf, -inf, np.log(2)])
    with pytest.raises(ValueError, match="all -inf"):
        log_softmax([-inf, -inf])
    with pytest.raises(ValueError, match="NaN"):
        logsumexp([[0.0, 1.0], [inf, np.nan]])


def test_huge_logits_per_row():
    z = np.array([[0.0, 1.0], [1000.0, 1001.0]])
    np.testing.assert_allclose(log_softmax(z), [[-1.31326169, -0.31326169]] * 2, rtol=1e-8)


@pytest.mark.parametrize(("bad", "message"), [([], "empty"), ([np.nan, 1.0], "NaN"), (["x"], "real numbers")])
def test_bad_input(bad, message):
    for function in (logsumexp, log_softmax):
        with pytest.raises(ValueError, match=message):
            function(bad)
