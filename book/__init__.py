"""The `book` package: the functions the course teaches.

Each function enters here in the chapter that teaches it, where it is shown in full;
later chapters import it. Chapter 1 defines softmax in three lines of its own and adds
nothing here.

- chapter 2, Computing softmax safely: `as_logits`, `check_axis`,
  `limit_of_infinite_slices`, `softmax`, `logsumexp`, `log_softmax`
- chapter 3, The softmax Jacobian: `softmax_jacobian`, `softmax_jvp`,
  `numerical_jacobian`, `numerical_gradient`, `rel_error`
- chapter 4, Entropy, KL divergence and cross-entropy: `as_distribution`, `entropy`,
  `cross_entropy`, `kl_divergence`
- chapter 5, Sigmoid and softmax: `sigmoid`, `softplus`,
  `binary_cross_entropy_with_logits`, `multilabel_cross_entropy`
- chapter 6, The gradient of softmax + cross-entropy: `check_labels`,
  `softmax_cross_entropy`
- chapter 7, A softmax classifier from scratch: `check_problem`, `softmax_loss_naive`,
  `softmax_loss_vectorized`, `svm_loss_vectorized`, `digits_split`, `predict`,
  `train_softmax`, `tune_and_train`
- chapter 8, Softmax with bounded confidence: `bounded_softmax`, `gaussian_wrapper`,
  `gaussian_softmax`, `base_n_minus_1_wrapper`, `base_n_minus_1_softmax`,
  `bounded_softmax_jacobian`, `gaussian_softmax_jacobian`,
  `base_n_minus_1_softmax_jacobian`
- chapter 9, Calibration and temperature scaling: `reliability_bins`,
  `expected_calibration_error`, `fit_temperature`
- chapter 10, Softmax at speed: `online_normalizer`, `merge_normalizers`,
  `online_softmax`, `median_time`, `bandwidth_floor`
"""

from book.bounded import (
    base_n_minus_1_softmax,
    base_n_minus_1_softmax_jacobian,
    base_n_minus_1_wrapper,
    bounded_softmax,
    bounded_softmax_jacobian,
    gaussian_softmax,
    gaussian_softmax_jacobian,
    gaussian_wrapper,
)
from book.calibration import (
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
)
from book.classifier import (
    check_problem,
    softmax_loss_naive,
    softmax_loss_vectorized,
    svm_loss_vectorized,
)
from book.gradcheck import numerical_gradient, numerical_jacobian, rel_error
from book.information import as_distribution, cross_entropy, entropy, kl_divergence
from book.jacobian import softmax_jacobian, softmax_jvp
from book.loss import check_labels, softmax_cross_entropy
from book.sigmoid import (
    binary_cross_entropy_with_logits,
    multilabel_cross_entropy,
    sigmoid,
    softplus,
)
from book.online import merge_normalizers, online_normalizer, online_softmax
from book.softmax import as_logits, check_axis, limit_of_infinite_slices, softmax
from book.stable import log_softmax, logsumexp
from book.timing import bandwidth_floor, median_time
from book.training import digits_split, predict, train_softmax, tune_and_train

__all__ = [
    "as_distribution",
    "as_logits",
    "bandwidth_floor",
    "base_n_minus_1_softmax",
    "base_n_minus_1_softmax_jacobian",
    "base_n_minus_1_wrapper",
    "binary_cross_entropy_with_logits",
    "bounded_softmax",
    "bounded_softmax_jacobian",
    "check_axis",
    "check_labels",
    "check_problem",
    "cross_entropy",
    "digits_split",
    "entropy",
    "expected_calibration_error",
    "fit_temperature",
    "gaussian_softmax",
    "gaussian_softmax_jacobian",
    "gaussian_wrapper",
    "kl_divergence",
    "limit_of_infinite_slices",
    "log_softmax",
    "logsumexp",
    "median_time",
    "merge_normalizers",
    "multilabel_cross_entropy",
    "numerical_gradient",
    "numerical_jacobian",
    "online_normalizer",
    "online_softmax",
    "predict",
    "rel_error",
    "reliability_bins",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "softmax_jacobian",
    "softmax_jvp",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
    "softplus",
    "svm_loss_vectorized",
    "train_softmax",
    "tune_and_train",
]
