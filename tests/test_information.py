"""Unit and property tests of book.entropy, cross_entropy, kl_divergence and as_distribution (chapter 5)."""

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import as_distribution, cross_entropy, entropy, kl_divergence, softmax


def distributions(k, n=None):
    shape = (k,) if n is None else (n, k)
    return arrays(np.float64, shape, elements=st.floats(-20, 20)).map(softmax)


@given(data=st.data(), k=st.integers(1, 8))
@settings(max_examples=100, deadline=None)
def test_kl_is_cross_entropy_minus_entropy_and_matches_scipy(data, k):
    p, q = data.draw(distributions(k, 3)), data.draw(distributions(k, 3))
    kl = kl_divergence(p, q)
    np.testing.assert_allclose(kl, cross_entropy(p, q) - entropy(p), atol=1e-9)
    np.testing.assert_allclose(kl, scipy.special.rel_entr(p, q).sum(axis=-1), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(entropy(p), scipy.stats.entropy(p, axis=-1), rtol=1e-9, atol=1e-12)
    assert np.all(kl >= -1e-12)  # Gibbs' inequality


@given(p=distributions(5))
@settings(max_examples=60, deadline=None)
def test_identity_and_bounds(p):
    assert kl_divergence(p, p) == 0.0
    assert -1e-12 <= entropy(p) <= np.log(5) + 1e-12
    assert cross_entropy(p, p) == pytest.approx(entropy(p), abs=1e-12)


def test_zeros_and_one_hot():
    one_hot = np.array([0.0, 1.0, 0.0])
    q = np.array([0.2, 0.5, 0.3])
    assert entropy(one_hot) == 0.0
    assert cross_entropy(one_hot, q) == pytest.approx(-np.log(0.5))
    assert kl_divergence(one_hot, q) == pytest.approx(-np.log(0.5))
    assert cross_entropy(q, one_hot) == np.inf and kl_divergence(q, one_hot) == np.inf
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(np.log(2))


def test_not_symmetric():
    p, q = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    assert kl_divergence(p, q) != pytest.approx(kl_divergence(q, p))


def test_float32_kept():
    p = np.array([0.25, 0.75], dtype=np.float32)
    assert entropy(p).dtype == np.float32 and kl_divergence(p, p).dtype == np.float32


@pytest.mark.parametrize(
    ("p", "message"),
    [
        ([0.5, 0.6], "sum to 1"),
        ([-0.1, 1.1], "negative"),
        ([np.nan, 1.0], "NaN"),
        ([np.inf, 0.0], "inf"),
        ([], "empty"),
        (["a"], "real numbers"),
        ([[0.5, 0.5], [0.9, 0.2]], "sum to 1"),
    ],
)
def test_invalid_distributions(p, message):
    with pytest.raises(ValueError, match=message):
        as_distribution(p)
    with pytest.raises(ValueError, match=message):
        entropy(p)


def test_shape_mismatch_and_names():
    with pytest.raises(ValueError, match="shape"):
        kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="^q must sum to 1"):
        cross_entropy([0.5, 0.5], [0.5, 0.6])
