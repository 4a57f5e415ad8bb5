"""Unit and property tests of book.entropy, cross_entropy, kl_divergence and
as_distribution (chapter 4)."""

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
    np.testing.assert_allclose(kl, cross_entropy(p, q) - entropy(p), rtol=0, atol=1e-9)
    reference = np.maximum(scipy.special.rel_entr(p, q).sum(axis=-1), 0)  # clamped
    np.testing.assert_allclose(kl, reference, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(entropy(p), scipy.stats.entropy(p, axis=-1),
                               rtol=1e-9, atol=1e-12)
    assert np.all(kl >= 0)  # Gibbs' inequality, kept exactly by the clamp


@given(p=distributions(5))
@settings(max_examples=60, deadline=None)
def test_identity_and_bounds(p):
    assert kl_divergence(p, p) == 0.0
    assert -1e-12 <= entropy(p) <= np.log(5) + 1e-12
    assert cross_entropy(p, p) == pytest.approx(entropy(p), rel=0, abs=1e-12)


def test_zeros_and_one_hot():
    one_hot = np.array([0.0, 1.0, 0.0])
    q = np.array([0.2, 0.5, 0.3])
    assert entropy(one_hot) == 0.0
    assert cross_entropy(one_hot, q) == pytest.approx(-np.log(0.5), rel=1e-15, abs=0)
    assert kl_divergence(one_hot, q) == pytest.approx(-np.log(0.5), rel=1e-15, abs=0)
    assert cross_entropy(q, one_hot) == np.inf and kl_divergence(q, one_hot) == np.inf
    kl = kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])
    assert kl == pytest.approx(np.log(2), rel=1e-15, abs=0)


def test_not_symmetric():
    p, q = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    assert kl_divergence(p, q) != pytest.approx(kl_divergence(q, p), rel=1e-3, abs=0)


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
    target = r"^p \(the target distribution, first argument\) "
    model = r"^q \(the model distribution, second argument\) "
    for f in (cross_entropy, kl_divergence):
        with pytest.raises(ValueError, match=model + "must sum to 1"):
            f([0.5, 0.5], [0.5, 0.6])
        with pytest.raises(ValueError, match=target + "must sum to 1"):
            f([0.5, 0.6], [0.5, 0.5])
        with pytest.raises(ValueError, match=model + "contains inf"):
            f([0.5, 0.5], [np.inf, 0.0])
        with pytest.raises(ValueError, match=target + "contains inf"):
            f([-np.inf, 1.0], [0.5, 0.5])
        with pytest.raises(ValueError, match=target + "has a negative entry"):
            f([-0.5, 1.5], [0.5, 0.5])
        with pytest.raises(ValueError, match=model + "contains NaN"):
            f([0.5, 0.5], [np.nan, 0.5])
        shapes = target + r"has shape \(2,\) but " + model[1:]
        with pytest.raises(ValueError, match=shapes):
            f([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match=r"^p contains inf"):
        entropy([np.inf, 0.0])


def test_integer_labels_are_told_to_become_one_hot_rows():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])
    labels = np.array([0, 1, 2])
    hint = r"holds integers: for class labels pass one-hot rows, np.eye\(K\)\[labels\]"
    with pytest.raises(ValueError, match="^p .*must sum to 1.*it " + hint):
        cross_entropy(labels, probs)  # was "p must sum to 1 ..., but one sum is 3"
    with pytest.raises(ValueError, match="^p .*has shape .*; p " + hint):
        cross_entropy([1], probs[:1])  # one label: a valid 1-class "distribution"
    with pytest.raises(ValueError, match="^p .*must sum to 1.*it holds integers"):
        cross_entropy([0, 2, 1], probs[0])  # a 1-D int array where a distribution goes
    with pytest.raises(ValueError, match="^q .*it holds integers"):
        kl_divergence(probs, labels)  # the arguments swapped: target first
    one_hot = np.eye(3, dtype=int)[labels]  # integer one-hot rows are distributions
    expected = -np.log(probs[np.arange(3), labels])
    np.testing.assert_allclose(cross_entropy(one_hot, probs), expected,
                               rtol=1e-15, atol=0)


def test_kl_of_a_distribution_one_ulp_away_was_negative():
    p = np.array([0.1, 0.2, 0.7])
    q = np.nextafter(p, 1)
    q /= q.sum()
    plain = np.sum(p * (np.log(p) - np.log(q)))  # the unclamped sum
    assert plain < 0  # rounding: the true value is >= 0 (Gibbs)
    assert kl_divergence(p, q) == 0.0


@given(p=distributions(6),
       noise=arrays(np.float64, 6, elements=st.floats(-1e-12, 1e-12)))
@settings(max_examples=200, deadline=None)
def test_kl_of_near_equal_distributions_is_never_negative(p, noise):
    """The docstring: never negative, and rounding-small when q is close to p. With q
    within a relative 1e-12 of p, the true value is below 1e-24 (about half the sum of
    (q_i - p_i)^2 / p_i); what is computed is rounding, a few ulps of the terms p_i
    log(p_i / q_i) at most: we allow 1e-14 (about 50 ulps of 1)."""
    q = p * (1 + noise)
    q /= q.sum()
    kl = kl_divergence(p, q)
    assert 0.0 <= kl <= 1e-14
    assert kl_divergence(p, p) == 0.0
