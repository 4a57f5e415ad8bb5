"""Unit and property tests of calibration and temperature scaling (chapter 9)."""

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st

from book import softmax, softmax_cross_entropy
from book.calibration import expected_calibration_error, fit_temperature, reliability_bins


def noisy_problem(seed, n=400, k=5, scale=4.0):
    """Logits whose true class is usually, not always, the largest."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), labels] += 1.5
    return scale * logits, labels


@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.3, 1.0, 4.0, 20.0]))
@settings(max_examples=30, deadline=None)
def test_fit_temperature_minimises_the_nll(seed, scale):
    logits, labels = noisy_problem(seed, scale=scale)
    t = fit_temperature(logits, labels)
    reference = scipy.optimize.minimize_scalar(
        lambda log_t: softmax_cross_entropy(logits / np.exp(log_t), labels)[0],
        bounds=(np.log(1e-3), np.log(1e3)), method="bounded", options={"xatol": 1e-10},
    )
    assert t == pytest.approx(np.exp(reference.x), rel=1e-6)
    # scaling the logits by c scales the optimal temperature by c
    assert fit_temperature(3 * logits, labels) == pytest.approx(3 * t, rel=1e-8)


def test_temperature_scaling_keeps_predictions_and_reduces_overconfidence():
    logits, labels = noisy_problem(1, scale=6.0)  # far too confident for how noisy it is
    t = fit_temperature(logits, labels)
    assert t > 1
    np.testing.assert_array_equal(np.argmax(logits / t, axis=1), np.argmax(logits, axis=1))
    assert expected_calibration_error(softmax(logits / t), labels) < expected_calibration_error(softmax(logits), labels)


def test_ece_known_values_and_bins():
    always = np.tile([0.8, 0.2], (10, 1))
    assert expected_calibration_error(always, np.array([0] * 8 + [1] * 2)) < 1e-15
    assert expected_calibration_error(always, np.array([0] * 6 + [1] * 4)) == pytest.approx(0.2)
    count, confidence, accuracy = reliability_bins(always, np.zeros(10, int), n_bins=10)
    # 0.8 is the upper edge of bin 8, (0.7, 0.8]: bins are closed on the right
    assert count.tolist() == [0] * 7 + [10, 0, 0] and confidence[7] == pytest.approx(0.8) and accuracy[7] == 1
    one_hot = np.eye(3)[[0, 1, 2, 0]]
    assert expected_calibration_error(one_hot, np.array([0, 1, 2, 0])) == 0.0
    assert expected_calibration_error(one_hot, np.array([1, 1, 2, 0])) == pytest.approx(0.25)


@given(seed=st.integers(0, 2**32 - 1), bins=st.integers(1, 40))
@settings(max_examples=40, deadline=None)
def test_ece_is_a_weighted_mean_of_gaps(seed, bins):
    logits, labels = noisy_problem(seed, n=50)
    probs = softmax(logits)
    count, confidence, accuracy = reliability_bins(probs, labels, bins)
    assert count.sum() == 50
    assert np.all((confidence >= 0) & (confidence <= 1)) and np.all((accuracy >= 0) & (accuracy <= 1))
    ece = expected_calibration_error(probs, labels, bins)
    assert 0 <= ece <= 1
    if bins == 1:  # one bin: |accuracy - mean confidence|
        accuracy_all = np.mean(np.argmax(probs, axis=1) == labels)
        assert ece == pytest.approx(abs(accuracy_all - probs.max(axis=1).mean()))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: expected_calibration_error([[0.5, 0.6]], [0]), "sum to 1"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [2]), r"labels must lie in \[0, 2\)"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0.0]), "integer labels must have shape"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0], n_bins=0), "n_bins"),
        (lambda: expected_calibration_error([0.5, 0.5], [0]), "shape"),
        (lambda: fit_temperature([[2.0, 0.0], [0.0, 2.0]], [0, 1]), "room to spare"),
        (lambda: fit_temperature([[0.0, 2.0], [2.0, 0.0]], [0, 1]), "no information"),
        (lambda: fit_temperature([[0.0, np.inf]], [0]), "finite"),
        (lambda: fit_temperature([[0.0, 1.0], [1.0, 0.0]], [0, 0], tol=0), "tol"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
