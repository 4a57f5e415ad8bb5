"""Unit and property tests of the softmax classifier (chapter 7): book.classifier and
book.training, and the chapter's central three-way check of dW against planted
errors."""

import nbformat
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_info, threadpool_limits

from book import (
    digits_split,
    log_softmax,
    numerical_gradient,
    predict,
    softmax_loss_naive,
    softmax_loss_vectorized,
    svm_loss_vectorized,
    train_softmax,
    tune_and_train,
)
from book.training import _beyond_edge
from conftest import ROOT

CHAPTER = ROOT / "chapters" / "07_classifier.ipynb"


def random_problem(seed, n=12, d=5, c=4, scale=1.0):
    rng = np.random.default_rng(seed)
    W = scale * rng.normal(size=(d, c))
    return W, rng.normal(size=(n, d)), rng.integers(0, c, size=n)


@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_gradient_matches_finite_differences(reg):
    W, X, y = random_problem(3)
    analytic = softmax_loss_vectorized(W, X, y, reg)[1]
    numeric = numerical_gradient(lambda V: softmax_loss_vectorized(V, X, y, reg)[0], W)
    assert np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic) < 1e-8


def test_known_values():
    """Zero weights: uniform probabilities, loss log K, gradient X^T (1/K - Y) / N."""
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = np.array([0, 2])
    loss, grad = softmax_loss_vectorized(np.zeros((2, 3)), X, y, reg=1.0)
    assert loss == pytest.approx(np.log(3), rel=1e-15, abs=0)
    Y = np.eye(3)[y]
    np.testing.assert_allclose(grad, X.T @ (1 / 3 - Y) / 2, rtol=1e-15, atol=1e-16)
    # the penalty: (reg/2)||W||^2 and reg*W
    W = np.ones((2, 3))
    assert softmax_loss_vectorized(W, X, y, 2.0)[0] == pytest.approx(
        np.log(3) + 6.0, rel=1e-15, abs=0
    )


def test_huge_scores_stay_finite():
    W = np.array([[800.0, 0.0], [0.0, 800.0]])
    X = np.eye(2)
    y = np.array([1, 1])
    for loss_function in (softmax_loss_naive, softmax_loss_vectorized):
        loss, grad = loss_function(W, X, y, 0.0)
        assert loss == 400.0 and np.isfinite(grad).all()


BAD_INPUTS = [
    (np.zeros((3, 2)), np.zeros((4, 2)), np.zeros(4, int), 0.0, "features per example"),
    (np.zeros(3), np.zeros((4, 3)), np.zeros(4, int), 0.0, "shape"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.array([0, 1, 2, 0]), 0.0, r"\[0, 2\)"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.array([0, 1, -1, 0]), 0.0, "labels"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(3, int), 0.0, "4"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4), 0.0, "integer"),
    (np.zeros((3, 2)), np.full((4, 3), np.nan), np.zeros(4, int), 0.0, "finite"),
    (np.zeros((3, 2), int), np.zeros((4, 3)), np.zeros(4, int), 0.0, "floating-point"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4, int), -1.0, "reg"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4, int), np.nan, "reg"),
    (np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4, int), [0.1, 0.2], "reg"),
]


@pytest.mark.parametrize(("W", "X", "y", "reg", "message"), BAD_INPUTS)
def test_bad_input(W, X, y, reg, message):
    for loss_function in (
        softmax_loss_naive,
        softmax_loss_vectorized,
        svm_loss_vectorized,
    ):
        with pytest.raises(ValueError, match=message):
            loss_function(W, X, y, reg)


# --- the multiclass SVM (hinge) loss --------------------------------------------------


def svm_loss_loops(W, X, y, reg):
    """A reference written straight from the formula, one term at a time."""
    loss, dW = 0.0, np.zeros_like(W)
    for n in range(len(y)):
        z = X[n] @ W
        for j in range(W.shape[1]):
            if j != y[n] and z[j] - z[y[n]] + 1 > 0:
                loss += z[j] - z[y[n]] + 1
                dW[:, j] += X[n]
                dW[:, y[n]] -= X[n]
    return loss / len(y) + 0.5 * reg * np.sum(W * W), dW / len(y) + reg * W


@pytest.mark.parametrize(
    ("vectorized", "reference"),
    [
        (softmax_loss_vectorized, softmax_loss_naive),
        (svm_loss_vectorized, svm_loss_loops),
    ],
    ids=["softmax: vectorized == naive", "svm: vectorized == loops"],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    reg=st.floats(0.0, 10.0),
    scale=st.sampled_from([0.01, 1.0, 100.0]),
)
@settings(max_examples=60, deadline=None)
def test_vectorized_matches_the_loop_reference(vectorized, reference, seed, reg, scale):
    W, X, y = random_problem(seed, scale=scale)
    loss, grad = vectorized(W, X, y, reg)
    loss_ref, grad_ref = reference(W, X, y, reg)
    assert np.isfinite(loss_ref)
    assert loss == pytest.approx(loss_ref, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grad, grad_ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_svm_gradient_matches_finite_differences_away_from_kinks(reg):
    W, X, y = random_problem(5, scale=1.0)
    Z = X @ W
    terms = Z - Z[np.arange(len(y)), y][:, None] + 1
    terms[np.arange(len(y)), y] = np.nan
    h = 1e-6
    # a step h in one weight moves a term by at most h * max|x|: no kink is crossed
    assert np.nanmin(np.abs(terms)) > 2 * h * np.abs(X).max()
    assert np.nanmin(terms) < 0 < np.nanmax(terms)  # both sides of the hinge
    analytic = svm_loss_vectorized(W, X, y, reg)[1]
    numeric = numerical_gradient(lambda V: svm_loss_vectorized(V, X, y, reg)[0], W, h)
    np.testing.assert_allclose(analytic, numeric, rtol=0, atol=1e-8)


def test_svm_known_values():
    """CS231n's examples: margins met give exactly 0; tiny weights give K - 1."""
    identity = np.eye(3)
    for z in ([10.0, -2.0, 3.0], [10.0, -100.0, -100.0], [10.0, 9.0, 9.0]):
        assert (
            svm_loss_vectorized(identity, np.array([z]), np.array([0]), 0.0)[0] == 0.0
        )
    # CS231n's (13, -7, 11) with margin 10 is 8: ten times the margin-1 loss of z / 10
    z = np.array([[1.3, -0.7, 1.1]])
    assert svm_loss_vectorized(identity, z, np.array([0]), 0.0)[0] == pytest.approx(
        0.8, rel=1e-12, abs=0
    )
    loss, grad = svm_loss_vectorized(
        np.zeros((2, 4)), np.ones((3, 2)), np.array([0, 1, 2]), 0.0
    )
    assert loss == 3.0  # K - 1 margins of exactly 1 each
    # every other class gets +x once per example, the true class -3x
    np.testing.assert_array_equal(grad.sum(axis=1), np.zeros(2))


# --- the chapter's three-way check, and the errors it must catch ----------------------


def chapter_check():
    """Run the chapter's own cells up to `check_three_ways` and return that function.

    The imports, the SymPy derivation and the check are executed as written in the
    notebook (IPython magics dropped; the cells that show `book/` files are replaced by
    the package, which they equal letter for letter).
    """
    cells = nbformat.read(CHAPTER, as_version=4).cells
    namespace = {}
    with threadpool_limits(limits=None):  # undo the chapter's BLAS setting afterwards
        for cell in cells:
            if cell.cell_type != "code" or cell.source.startswith("# book/"):
                continue
            source = "\n".join(
                line for line in cell.source.splitlines() if not line.startswith("%")
            )
            exec(compile(source, str(CHAPTER), "exec"), namespace)
            if "def check_three_ways" in cell.source:
                return namespace["check_three_ways"]
    raise AssertionError("the chapter defines no check_three_ways")


@pytest.fixture(scope="module")
def check_three_ways():
    before = [pool["num_threads"] for pool in threadpool_info()]
    check = chapter_check()
    assert [pool["num_threads"] for pool in threadpool_info()] == before
    return check


def dropped_one_over_n(W, X, y, reg):
    loss, dW = softmax_loss_vectorized(W, X, y, reg)
    return loss, (dW - reg * W) * len(y) + reg * W  # X^T (P - Y) + reg W


def missing_penalty(W, X, y, reg):
    return softmax_loss_vectorized(W, X, y, 0.0)  # in the loss AND in the gradient


def wrong_sign(W, X, y, reg):
    loss, dW = softmax_loss_vectorized(W, X, y, reg)
    return loss, -(dW - reg * W) + reg * W  # X^T (Y - P) / N + reg W


def dropped_one_over_n_everywhere(W, X, y, reg):
    """Consistent in loss and gradient: finite differences alone cannot see it."""
    loss, dW = softmax_loss_vectorized(W, X, y, 0.0)
    penalty = 0.5 * reg * np.sum(W * W)
    return loss * len(y) + penalty, dW * len(y) + reg * W


def test_the_chapter_check_passes_the_real_implementations(check_three_ways):
    for implementation in (softmax_loss_naive, softmax_loss_vectorized):
        for seed in range(2):
            check_three_ways(implementation, seed)


@pytest.mark.parametrize(
    "planted",
    [dropped_one_over_n, missing_penalty, wrong_sign, dropped_one_over_n_everywhere],
)
def test_the_chapter_check_catches_a_planted_error(check_three_ways, planted):
    with pytest.raises(AssertionError):
        check_three_ways(planted)


# --- data, training and the grid search -----------------------------------------------


def test_digits_split_is_a_stratified_partition():
    data = digits_split(seed=0)
    sizes = [len(data[f"y_{name}"]) for name in ("train", "val", "test")]
    assert sum(sizes) == 1797 and sizes[1] == sizes[2]
    assert data["images"].shape == (sizes[2], 8, 8)
    full = load_digits()
    totals = np.bincount(full.target)
    for name, fraction in (("train", 0.6), ("val", 0.2), ("test", 0.2)):
        X = data[f"X_{name}"]
        assert X.shape[1] == 65 and np.all(X[:, -1] == 1)
        assert 0 <= X[:, :-1].min() and X[:, :-1].max() <= 1
        counts = np.bincount(data[f"y_{name}"], minlength=10)
        assert np.all(np.abs(counts - fraction * totals) <= 1)  # stratified
    # the three parts together are exactly the data set, each image once
    rows = np.vstack([data["X_train"], data["X_val"], data["X_test"]])[:, :-1] * 16
    labels = np.concatenate([data["y_train"], data["y_val"], data["y_test"]])
    ours = np.column_stack([rows, labels])
    theirs = np.column_stack([full.data, full.target])
    np.testing.assert_array_equal(
        ours[np.lexsort(ours.T)], theirs[np.lexsort(theirs.T)]
    )
    np.testing.assert_array_equal(
        data["images"].reshape(-1, 64) / 16, data["X_test"][:, :-1]
    )
    again = digits_split(seed=0)
    np.testing.assert_array_equal(again["X_test"], data["X_test"])
    assert not np.array_equal(digits_split(seed=1)["y_test"], data["y_test"])


@pytest.mark.parametrize(("val", "test"), [(0.0, 0.2), (0.5, 0.5), (-0.1, 0.2)])
def test_digits_split_rejects_bad_fractions(val, test):
    with pytest.raises(ValueError, match="val_fraction"):
        digits_split(val_fraction=val, test_fraction=test)


def blobs(n=150, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    y = rng.integers(0, 3, size=n)
    return np.hstack([centres[y] + rng.normal(size=(n, 2)), np.ones((n, 1))]), y


def test_training_learns_a_separable_problem():
    X, y = blobs()
    W, history = train_softmax(
        X, y, 3, learning_rate=0.5, reg=1e-3, epochs=30, X_val=X, y_val=y
    )
    assert history["train_loss"][-1] < history["train_loss"][0] < np.log(3)
    assert np.mean(predict(W, X) == y) > 0.95 and history["val_acc"][-1] > 0.95
    assert len(history["train_loss"]) == len(history["val_loss"]) == 30
    again, _ = train_softmax(X, y, 3, learning_rate=0.5, reg=1e-3, epochs=30)
    np.testing.assert_array_equal(W, again)  # seeded: the same weights every time


def test_training_takes_any_loss_and_a_zero_start():
    X, y = blobs()
    W, history = train_softmax(
        X,
        y,
        3,
        learning_rate=0.1,
        reg=0.0,
        epochs=30,
        loss_function=svm_loss_vectorized,
        init_scale=0.0,
    )
    assert history["train_loss"][0] < 2.0  # below the initial SVM loss K - 1
    assert np.mean(predict(W, X) == y) > 0.95
    assert history["train_loss"][-1] == svm_loss_vectorized(W, X, y, 0.0)[0]
    # a zero start: one plain gradient step from W = 0 is the first batch's update
    W1, _ = train_softmax(
        X, y, 3, learning_rate=0.1, reg=0.0, epochs=1, batch_size=len(y), init_scale=0.0
    )
    step = softmax_loss_vectorized(np.zeros((3, 3)), X, y, 0.0)[1]
    np.testing.assert_allclose(W1, -0.1 * step, rtol=1e-14, atol=1e-17)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"learning_rate": 0.0},
        {"learning_rate": np.inf},
        {"learning_rate": np.nan},
        {"epochs": 0},
        {"epochs": np.inf},
        {"epochs": 2.0},
        {"batch_size": 0},
        {"batch_size": np.inf},
        {"init_scale": -1.0},
        {"init_scale": np.inf},
        {"seed": np.inf},
        {"seed": -1},
        {"num_classes": np.inf},
        {"num_classes": 0},
    ],
)
def test_training_rejects_bad_settings(kwargs):
    settings_ = {
        "num_classes": 2,
        "learning_rate": 0.1,
        "reg": 0.0,
        "epochs": 1,
        "batch_size": 4,
    } | kwargs
    (argument,) = kwargs
    with pytest.raises(ValueError, match=rf"^{argument} must be"):
        train_softmax(np.ones((4, 2)), np.zeros(4, int), **settings_)


@pytest.mark.parametrize(
    ("values", "best", "expected"),
    [
        ([0.5, 1.0, 2.0], 2.0, 4.0),  # upper edge: one geometric step further
        ([0.5, 1.0, 2.0], 0.5, 0.25),  # lower edge
        ([0.5, 1.0, 2.0], 1.0, None),  # interior
        ([0.0, 1e-4, 1e-3], 1e-3, 1e-2),
        ([0.0, 1e-4, 1e-3], 0.0, None),  # lambda = 0 is the boundary of lambda >= 0
        ([0.0, 1e-3], 1e-3, 1e-2),  # next to 0 the step is a factor 10
        ([1.0], 1.0, None),  # one value: no edge to judge
    ],
)
def test_beyond_edge(values, best, expected):
    new = _beyond_edge(values, best)
    assert new == (
        None if expected is None else pytest.approx(expected, rel=1e-12, abs=0)
    )


def test_tune_and_train_keeps_the_lowest_validation_loss():
    data = digits_split(seed=0)
    W, history, (lr, reg), table = tune_and_train(
        data, learning_rates=(0.1, 1.0), regs=(0.0, 0.1), epochs=3
    )
    assert set(table) == {(0.1, 0.0), (0.1, 0.1), (1.0, 0.0), (1.0, 0.1)}
    assert table[lr, reg][0] == min(loss for loss, _ in table.values())
    assert table[lr, reg][0] == history["val_loss"][-1]
    again, _ = train_softmax(data["X_train"], data["y_train"], 10, lr, reg, epochs=3)
    np.testing.assert_array_equal(W, again)


def test_tune_and_train_extends_the_grid_until_the_best_is_inside():
    data = digits_split(seed=0)
    # one epoch: larger rates than these are better, so the grid must grow upwards
    _, _, (lr, reg), table = tune_and_train(
        data, learning_rates=(0.5, 1.0), regs=(0.0,), epochs=1, extend=True
    )
    lrs = sorted({rate for rate, _ in table})
    assert lrs[:2] == [0.5, 1.0] and len(lrs) > 3
    assert lrs[0] < lr < lrs[-1] and reg == 0.0
    np.testing.assert_allclose(np.diff(np.log2(lrs)), 1.0, rtol=1e-12, atol=1e-12)
    # without extend, the same grid keeps its edge
    _, _, (lr_fixed, _), table_fixed = tune_and_train(
        data, learning_rates=(0.5, 1.0), regs=(0.0,), epochs=1
    )
    assert lr_fixed == 1.0 and len(table_fixed) == 2


def test_tune_and_train_gives_up_after_max_rounds():
    data = digits_split(seed=0)
    _, _, (lr, _), table = tune_and_train(
        data,
        learning_rates=(0.001, 0.002),
        regs=(0.0,),
        epochs=1,
        extend=True,
        max_rounds=1,
    )
    lrs = sorted({rate for rate, _ in table})
    assert (
        len(lrs) == 3 and lr == lrs[-1]
    )  # still at the edge: the chapter's assert fails


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"learning_rates": (0.0, 1.0)}, "learning rate in learning_rates"),
        ({"learning_rates": (np.inf,)}, "learning rate in learning_rates"),
        ({"regs": (-1.0,)}, "reg in regs"),
        ({"regs": (np.inf,)}, "reg in regs"),
        ({"learning_rates": ()}, "at least one learning rate"),
        ({"max_rounds": -1}, "^max_rounds must be"),
        ({"max_rounds": np.inf}, "^max_rounds must be"),
        ({"epochs": np.inf}, "^epochs must be"),
        ({"seed": np.inf}, "^seed must be"),
    ],
)
def test_tune_and_train_rejects_bad_grids(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tune_and_train(digits_split(seed=0), **({"epochs": 1} | kwargs))


@pytest.mark.parametrize("labels", [[0.0, np.inf], [0.0, 1.0], [[0, 1]]])
def test_tune_and_train_wants_integer_training_labels(labels):
    rows = np.array([[0.1, 1.0], [0.3, 1.0]])
    data = {"X_train": rows, "y_train": np.array(labels), "X_val": rows,
            "y_val": np.array([0, 1])}
    with pytest.raises(ValueError, match=r"data\['y_train'\] must hold integer"):
        tune_and_train(data, learning_rates=(0.1,), regs=(0.0,), epochs=1)


def test_predict_says_which_input_is_not_finite():
    with pytest.raises(ValueError, match="W and X must be finite"):
        predict(np.full((2, 2), np.nan), np.ones((3, 2)))
    with pytest.raises(ValueError, match="overflow: W and X are finite"):
        predict(np.full((2, 2), 1e200), np.full((3, 2), 1e200))
    np.testing.assert_array_equal(predict(np.eye(2), np.array([[0.0, 1.0]])), [1])


@pytest.mark.parametrize("seed", [np.inf, -np.inf, 1.5, -1, None])
def test_digits_split_wants_an_integer_seed(seed):
    with pytest.raises(ValueError, match="^seed must be an int"):
        digits_split(seed=seed)


def test_log_softmax_sees_what_the_svm_ignores():
    """The chapter's claim: softmax is never satisfied, even far beyond every margin."""
    loss = -log_softmax(np.array([10.0, -100.0, -100.0]))[0]
    assert loss == pytest.approx(2 * np.exp(-110.0), rel=1e-12, abs=0) and loss > 0
