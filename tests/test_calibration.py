"""Unit and property tests of calibration and temperature scaling (chapter 9)."""

import itertools

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st

from book import softmax, softmax_cross_entropy
from book.calibration import (
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
)


def noisy_problem(seed, n=400, k=5, scale=4.0):
    """Logits whose true class is usually, not always, the largest."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), labels] += 1.5
    return scale * logits, labels


def mean_nll(logits, labels, t):
    return softmax_cross_entropy(logits / t, labels)[0]


@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.3, 1.0, 4.0, 20.0]))
@settings(max_examples=30, deadline=None)
def test_fit_temperature_minimises_the_nll(seed, scale):
    logits, labels = noisy_problem(seed, scale=scale)
    t = fit_temperature(logits, labels)
    reference = scipy.optimize.minimize_scalar(
        lambda log_t: mean_nll(logits, labels, np.exp(log_t)),
        bounds=(np.log(1e-3), np.log(1e3)), method="bounded",
        options={"xatol": 1e-10},
    )
    assert t == pytest.approx(np.exp(reference.x), rel=1e-6, abs=0)
    # scaling the logits by c scales the optimal temperature by c
    assert fit_temperature(3 * logits, labels) == pytest.approx(3 * t, rel=1e-8, abs=0)


def test_the_fit_is_a_stationary_point_and_a_planted_sign_error_is_not():
    """dNLL/dT = 0 at the fitted T; the temperature with the slope's sign flipped
    (a planted error: bisecting toward the wrong side) is far from stationary."""
    logits, labels = noisy_problem(3)
    t = fit_temperature(logits, labels)
    h = 1e-6 * t
    rise = mean_nll(logits, labels, t + h) - mean_nll(logits, labels, t - h)
    slope = rise / (2 * h)
    assert abs(slope) < 1e-6
    for wrong in (t / 2, 2 * t):
        assert mean_nll(logits, labels, wrong) > mean_nll(logits, labels, t) + 1e-3


def test_second_derivative_in_beta_is_the_mean_variance_of_the_logits():
    """d2 NLL / d beta2 = mean_n Var_{a_n}[z_n] > 0 (the convexity of chapter 9);
    a planted error, the variance under uniform weights, differs."""
    logits, labels = noisy_problem(5, n=200, scale=1.0)

    def nll_beta(b):
        return softmax_cross_entropy(b * logits, labels)[0]

    h = 1e-3
    second = (nll_beta(1 + h) - 2 * nll_beta(1.0) + nll_beta(1 - h)) / h**2
    a = softmax(logits)
    mean = np.sum(a * logits, axis=1, keepdims=True)
    variance = np.mean(np.sum(a * (logits - mean) ** 2, axis=1))
    assert variance > 0
    assert second == pytest.approx(variance, rel=1e-4, abs=0)
    uniform = np.mean(np.var(logits, axis=1))
    assert second != pytest.approx(uniform, rel=1e-2, abs=0)


def test_equal_logits_have_a_flat_nll_and_are_refused():
    """Var = 0 for every example: the NLL is log K at every T, no unique optimum."""
    rng = np.random.default_rng(0)
    flat = np.repeat(rng.normal(size=(8, 1)), 3, axis=1)
    labels = rng.integers(0, 3, size=8)
    for t in (0.01, 1.0, 100.0):
        assert mean_nll(flat, labels, t) == pytest.approx(np.log(3), rel=1e-13, abs=0)
    with pytest.raises(ValueError, match="no information"):
        fit_temperature(flat, labels)


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6, 7, 10])
def test_equal_logits_are_refused_for_every_k_with_the_right_reason(k):
    """With K = 5, 6 or 10 the rounded slope of a flat NLL (zero but for rounding) came
    out negative, and the fit used to say "classified with room to spare"."""
    rng = np.random.default_rng(k)
    flat = np.repeat(3 * rng.normal(size=(6, 1)), k, axis=1)
    labels = rng.integers(0, k, size=6)
    with pytest.raises(ValueError, match="all its logits equal"):
        fit_temperature(flat, labels)
    flat[0, 0] += 1.0  # one informative logit: now the fit is defined or refused
    try:
        t = fit_temperature(flat, labels)
    except ValueError as error:
        assert "all its logits equal" not in str(error)
    else:
        assert 1e-4 <= t <= 1e4


@pytest.mark.parametrize("tol", [1e-15, 1e-17, 1e-300])
def test_a_tolerance_below_float_resolution_terminates(tol):
    """high - low never falls below one ulp of log(beta): the bisection must stop when
    no float lies between its ends (it used to loop for ever)."""
    logits, labels = noisy_problem(7)
    t = fit_temperature(logits, labels, tol=tol)
    assert t == pytest.approx(fit_temperature(logits, labels), rel=1e-11, abs=0)


def test_temperature_scaling_keeps_predictions_and_reduces_overconfidence():
    logits, labels = noisy_problem(1, scale=6.0)  # far too confident for its noise
    t = fit_temperature(logits, labels)
    assert t > 1
    np.testing.assert_array_equal(
        np.argmax(logits / t, axis=1), np.argmax(logits, axis=1)
    )
    before = expected_calibration_error(softmax(logits), labels)
    assert expected_calibration_error(softmax(logits / t), labels) < before


def test_ece_known_values_and_bins():
    always = np.tile([0.8, 0.2], (10, 1))
    assert expected_calibration_error(always, np.array([0] * 8 + [1] * 2)) < 1e-15
    ece_60 = expected_calibration_error(always, np.array([0] * 6 + [1] * 4))
    assert ece_60 == pytest.approx(0.2, rel=1e-14, abs=0)
    count, confidence, accuracy = reliability_bins(always, np.zeros(10, int), n_bins=10)
    # 0.8 is the upper edge of bin 8, (0.7, 0.8]: bins are closed on the right
    assert count.tolist() == [0] * 7 + [10, 0, 0]
    assert confidence[7] == pytest.approx(0.8, rel=1e-15, abs=0) and accuracy[7] == 1
    one_hot = np.eye(3)[[0, 1, 2, 0]]
    assert expected_calibration_error(one_hot, np.array([0, 1, 2, 0])) == 0.0
    ece_one_wrong = expected_calibration_error(one_hot, np.array([1, 1, 2, 0]))
    assert ece_one_wrong == pytest.approx(0.25, rel=1e-15, abs=0)


@given(seed=st.integers(0, 2**32 - 1), bins=st.integers(1, 40))
@settings(max_examples=40, deadline=None)
def test_ece_is_a_weighted_mean_of_gaps(seed, bins):
    logits, labels = noisy_problem(seed, n=50)
    probs = softmax(logits)
    count, confidence, accuracy = reliability_bins(probs, labels, bins)
    assert count.sum() == 50
    assert np.all((confidence >= 0) & (confidence <= 1))
    assert np.all((accuracy >= 0) & (accuracy <= 1))
    ece = expected_calibration_error(probs, labels, bins)
    assert 0 <= ece <= 1
    accuracy_all = np.mean(np.argmax(probs, axis=1) == labels)
    one_bin = abs(accuracy_all - probs.max(axis=1).mean())
    assert ece >= one_bin - 1e-15  # triangle inequality: one bin is the least
    if bins == 1:
        assert ece == pytest.approx(one_bin, rel=1e-12, abs=1e-15)


@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.5, 2.0, 8.0]))
@settings(max_examples=30, deadline=None)
def test_refining_the_bins_never_lowers_the_ece(seed, scale):
    """Bins of 2M split the bins of M, so ECE_M <= ECE_2M (triangle inequality)."""
    logits, labels = noisy_problem(seed, n=120, scale=scale)
    probs = softmax(logits)
    ece = [expected_calibration_error(probs, labels, m) for m in (1, 2, 4, 8, 16, 32)]
    assert all(a <= b + 1e-15 for a, b in itertools.pairwise(ece))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: expected_calibration_error([[0.5, 0.6]], [0]), "sum to 1"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [2]),
         r"labels must lie in \[0, 2\)"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0.0]),
         "integer labels must have shape"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0], n_bins=0), "n_bins"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0], n_bins=True), "n_bins"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0], n_bins=2.0), "n_bins"),
        (lambda: expected_calibration_error([0.5, 0.5], [0]), "shape"),
        (lambda: fit_temperature([[2.0, 0.0], [0.0, 2.0]], [0, 1]), "room to spare"),
        (lambda: fit_temperature([[0.0, 2.0], [2.0, 0.0]], [0, 1]), "no information"),
        (lambda: fit_temperature([[0.0, np.inf]], [0]), "finite"),
        (lambda: fit_temperature([[0.0, -np.inf]], [0]), "finite"),
        (lambda: fit_temperature([[0.0, 1.0], [1.0, 0.0]], [0, 0], tol=0), "tol"),
        (lambda: fit_temperature([[0.0, 1.0], [1.0, 0.0]], [0, 0], tol=np.nan), "tol"),
        (lambda: fit_temperature([[0.0, 1.0], [1.0, 0.0]], [0, 0], tol=np.inf), "tol"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
