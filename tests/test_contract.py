"""The contract of every public function of `book`: NaN in, ValueError out, never a silent NaN.

Each name in `book.__all__` must appear below (a new function without a case fails
`test_every_public_function_is_covered`), with a call that passes NaN where the function takes numbers.
"""

import numpy as np
import pytest

import book

NAN_ROWS = np.array([[0.1, np.nan], [0.2, 0.3]])
LABELS = np.array([0, 1])

CASES = {
    "as_logits": lambda: book.as_logits([np.nan]),
    "check_axis": lambda: book.check_axis(np.nan, 2),
    "softmax": lambda: book.softmax(NAN_ROWS),
    "log_softmax": lambda: book.log_softmax(NAN_ROWS),
    "logsumexp": lambda: book.logsumexp(NAN_ROWS),
    "limit_of_infinite_slices": lambda: book.limit_of_infinite_slices(NAN_ROWS, np.array([[np.nan], [0.3]]), "f"),
    "softmax_jacobian": lambda: book.softmax_jacobian([0.1, np.nan]),
    "softmax_jvp": lambda: book.softmax_jvp([0.1, 0.2], [1.0, np.nan]),
    "numerical_jacobian": lambda: book.numerical_jacobian(book.softmax, [0.1, np.nan]),
    "numerical_gradient": lambda: book.numerical_gradient(np.sum, [0.1, np.nan]),
    "rel_error": lambda: book.rel_error([0.1, np.nan], [0.1, 0.2]),
    "sigmoid": lambda: book.sigmoid([np.nan]),
    "softplus": lambda: book.softplus([np.nan]),
    "binary_cross_entropy_with_logits": lambda: book.binary_cross_entropy_with_logits(
        [0.1, 0.2], [np.nan, 1.0]),
    "multilabel_cross_entropy": lambda: book.multilabel_cross_entropy(
        NAN_ROWS, np.ones((2, 2))),
    "as_distribution": lambda: book.as_distribution([np.nan, 1.0]),
    "entropy": lambda: book.entropy([np.nan, 1.0]),
    "cross_entropy": lambda: book.cross_entropy([0.5, 0.5], [np.nan, 1.0]),
    "kl_divergence": lambda: book.kl_divergence([0.5, 0.5], [np.nan, 1.0]),
    "check_labels": lambda: book.check_labels([np.nan, 1.0], 2, 2),
    "softmax_cross_entropy": lambda: book.softmax_cross_entropy(NAN_ROWS, LABELS),
    "softmax_loss_naive": lambda: book.softmax_loss_naive(np.ones((2, 2)), NAN_ROWS, LABELS, 0.1),
    "softmax_loss_vectorized": lambda: book.softmax_loss_vectorized(np.ones((2, 2)), NAN_ROWS, LABELS, 0.1),
    "predict": lambda: book.predict(np.ones((2, 2)), NAN_ROWS),
    "train_softmax": lambda: book.train_softmax(NAN_ROWS, LABELS, 2, 0.1, 0.0, epochs=1),
    "digits_split": lambda: book.digits_split(val_fraction=np.nan),
    "tune_and_train": lambda: book.tune_and_train({"X_train": NAN_ROWS, "y_train": LABELS, "X_val": NAN_ROWS,
                                                   "y_val": LABELS}, learning_rates=(0.1,), regs=(0.0,), epochs=1),
    "bounded_softmax": lambda: book.bounded_softmax(NAN_ROWS, 100),
    "gaussian_softmax": lambda: book.gaussian_softmax(NAN_ROWS, 100),
    "bounded_softmax_jacobian": lambda: book.bounded_softmax_jacobian([0.1, 0.2], np.nan),
    "gaussian_softmax_jacobian": lambda: book.gaussian_softmax_jacobian([0.1, np.nan], 100),
    "gaussian_wrapper": lambda: book.gaussian_wrapper([0.5, np.nan], 100),
    "base_n_minus_1_wrapper": lambda: book.base_n_minus_1_wrapper([0.5, 0.5], np.nan),
    "base_n_minus_1_softmax": lambda: book.base_n_minus_1_softmax(NAN_ROWS, 100),
    "base_n_minus_1_softmax_jacobian": lambda: book.base_n_minus_1_softmax_jacobian(
        [0.1, np.nan], 100),
    "reliability_bins": lambda: book.reliability_bins([[np.nan, 1.0]], [0]),
    "expected_calibration_error": lambda: book.expected_calibration_error([[np.nan, 1.0]], [0]),
    "fit_temperature": lambda: book.fit_temperature(NAN_ROWS, LABELS),
    "online_normalizer": lambda: book.online_normalizer([0.1, np.nan]),
    "merge_normalizers": lambda: book.merge_normalizers(np.nan, 1.0, 0.0, 1.0),
    "online_softmax": lambda: book.online_softmax(NAN_ROWS),
    "median_time": lambda: book.median_time(lambda: None, min_seconds=np.nan),
    "bandwidth_floor": lambda: book.bandwidth_floor(np.ones(3), repeats=np.nan),
}


def test_every_public_function_is_covered():
    assert set(CASES) == set(book.__all__)


@pytest.mark.parametrize("name", sorted(CASES))
def test_nan_is_refused_with_a_value_error(name):
    with pytest.raises(ValueError, match=r"NaN|finite|must|need"):
        CASES[name]()
