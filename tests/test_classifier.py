"""Unit and property tests of the softmax classifier (chapter 7): book.classifier and book.training."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits

from book import (
    digits_split,
    numerical_gradient,
    predict,
    softmax_loss_naive,
    softmax_loss_vectorized,
    train_softmax,
    tune_and_train,
)


def random_problem(seed, n=12, d=5, c=4, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(d, c)), rng.normal(size=(n, d)), rng.integers(0, c, size=n)


@given(seed=st.integers(0, 2**32 - 1), reg=st.floats(0.0, 10.0), scale=st.sampled_from([0.01, 1.0, 100.0]))
@settings(max_examples=60, deadline=None)
def test_naive_and_vectorized_agree(seed, reg, scale):
    W, X, y = random_problem(seed, scale=scale)
    loss_a, grad_a = softmax_loss_naive(W, X, y, reg)
    loss_b, grad_b = softmax_loss_vectorized(W, X, y, reg)
    assert np.isfinite(loss_a) and loss_a == pytest.approx(loss_b, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grad_a, grad_b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_gradient_matches_finite_differences(reg):
    W, X, y = random_problem(3)
    analytic = softmax_loss_vectorized(W, X, y, reg)[1]
    numeric = numerical_gradient(lambda V: softmax_loss_vectorized(V, X, y, reg)[0], W)
    assert np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic) < 1e-8


def test_known_values():
    """Zero weights: uniform probabilities, loss log C; the gradient is X^T (1/C - Y) / N."""
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = np.array([0, 2])
    loss, grad = softmax_loss_vectorized(np.zeros((2, 3)), X, y, reg=1.0)
    assert loss == pytest.approx(np.log(3))
    Y = np.eye(3)[y]
    np.testing.assert_allclose(grad, X.T @ (1 / 3 - Y) / 2)
    # the penalty: (reg/2)||W||^2 and reg*W
    W = np.ones((2, 3))
    assert softmax_loss_vectorized(W, X, y, 2.0)[0] == pytest.approx(np.log(3) + 6.0)


def test_huge_scores_stay_finite():
    W = np.array([[800.0, 0.0], [0.0, 800.0]])
    X = np.eye(2)
    y = np.array([1, 1])
    for loss_function in (softmax_loss_naive, softmax_loss_vectorized):
        loss, grad = loss_function(W, X, y, 0.0)
        assert loss == 400.0 and np.isfinite(grad).all()


@pytest.mark.parametrize(
    ("W", "X", "y", "reg", "message"),
    [
        (np.zeros((3, 2)), np.zeros((4, 2)), np.zeros(4, int), 0.0, "features per example"),
        (np.zeros(3), np.zeros((4, 3)), np.zeros(4, int), 0.0, "shape"),
        (np.zeros((3, 2)), np.zeros((4, 3)), np.array([0, 1, 2, 0]), 0.0, r"labels must lie in \[0, 2\)"),
        (np.zeros((3, 2)), np.zeros((4, 3)), np.array([0, 1, -1, 0]), 0.0, "labels must lie"),
        (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(3, int), 0.0, "4 integer labels"),
        (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4), 0.0, "integer labels"),
        (np.zeros((3, 2)), np.full((4, 3), np.nan), np.zeros(4, int), 0.0, "finite"),
        (np.zeros((3, 2), int), np.zeros((4, 3)), np.zeros(4, int), 0.0, "floating-point"),
        (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4, int), -1.0, "reg"),
        (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4, int), np.nan, "reg"),
    ],
)
def test_bad_input(W, X, y, reg, message):
    for loss_function in (softmax_loss_naive, softmax_loss_vectorized):
        with pytest.raises(ValueError, match=message):
            loss_function(W, X, y, reg)


def test_digits_split_is_a_stratified_partition():
    data = digits_split(seed=0)
    sizes = [len(data[f"y_{name}"]) for name in ("train", "val", "test")]
    assert sum(sizes) == 1797 and sizes[1] == sizes[2] and data["images"].shape == (sizes[2], 8, 8)
    full = load_digits()
    totals = np.bincount(full.target)
    for name, fraction in (("train", 0.6), ("val", 0.2), ("test", 0.2)):
        X = data[f"X_{name}"]
        assert X.shape[1] == 65 and np.all(X[:, -1] == 1) and 0 <= X[:, :-1].min() and X[:, :-1].max() <= 1
        counts = np.bincount(data[f"y_{name}"], minlength=10)
        assert np.all(np.abs(counts - fraction * totals) <= 1)  # stratified: each class in the same proportion
    # the three parts together are exactly the data set, each image once
    rows = np.vstack([data["X_train"], data["X_val"], data["X_test"]])[:, :-1] * 16
    labels = np.concatenate([data["y_train"], data["y_val"], data["y_test"]])
    ours = np.column_stack([rows, labels])
    theirs = np.column_stack([full.data, full.target])
    np.testing.assert_array_equal(ours[np.lexsort(ours.T)], theirs[np.lexsort(theirs.T)])
    np.testing.assert_array_equal(data["images"].reshape(-1, 64) / 16, data["X_test"][:, :-1])
    again = digits_split(seed=0)
    np.testing.assert_array_equal(again["X_test"], data["X_test"])
    assert not np.array_equal(digits_split(seed=1)["y_test"], data["y_test"])


@pytest.mark.parametrize(("val", "test"), [(0.0, 0.2), (0.5, 0.5), (-0.1, 0.2)])
def test_digits_split_rejects_bad_fractions(val, test):
    with pytest.raises(ValueError, match="val_fraction"):
        digits_split(val_fraction=val, test_fraction=test)


def test_training_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    y = rng.integers(0, 3, size=150)
    X = np.hstack([centres[y] + rng.normal(size=(150, 2)), np.ones((150, 1))])
    W, history = train_softmax(X, y, 3, learning_rate=0.5, reg=1e-3, epochs=30, X_val=X, y_val=y)
    assert history["train_loss"][-1] < history["train_loss"][0] < np.log(3)
    assert np.mean(predict(W, X) == y) > 0.95 and history["val_acc"][-1] > 0.95
    assert len(history["train_loss"]) == len(history["val_loss"]) == 30
    again, _ = train_softmax(X, y, 3, learning_rate=0.5, reg=1e-3, epochs=30)
    np.testing.assert_array_equal(W, again)  # seeded: the same weights every time


@pytest.mark.parametrize("kwargs", [{"learning_rate": 0.0}, {"epochs": 0}, {"batch_size": 0}])
def test_training_rejects_bad_settings(kwargs):
    settings_ = {"learning_rate": 0.1, "reg": 0.0, "epochs": 1, "batch_size": 4} | kwargs
    with pytest.raises(ValueError, match="need learning_rate"):
        train_softmax(np.ones((4, 2)), np.zeros(4, int), 2, **settings_)


def test_tune_and_train_keeps_the_lowest_validation_loss():
    data = digits_split(seed=0)
    W, history, (lr, reg), table = tune_and_train(data, learning_rates=(0.1, 1.0), regs=(0.0, 0.1), epochs=3)
    assert set(table) == {(0.1, 0.0), (0.1, 0.1), (1.0, 0.0), (1.0, 0.1)}
    assert table[lr, reg][0] == min(loss for loss, _ in table.values()) == history["val_loss"][-1]
    again, _ = train_softmax(data["X_train"], data["y_train"], 10, lr, reg, epochs=3)
    np.testing.assert_array_equal(W, again)
