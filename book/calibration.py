"""Calibration and temperature scaling, as taught in chapter 9 ("Are softmax outputs
probabilities?").

Every function in this file is shown, in full and letter for letter, in
`chapters/09_calibration.ipynb`; `tests/test_chapter_sources.py` fails if they differ.
"""

import numpy as np

from book.information import as_distribution
from book.loss import check_labels
from book.softmax import as_logits, softmax


def reliability_bins(probs, labels, n_bins=15):
    """Group predictions by confidence (the largest probability) into n_bins equal-width
    bins of (0, 1]; bin r (0-based) holds confidences in (r/M, (r+1)/M], M = n_bins.

    probs: shape (N, K), one predicted distribution per row; labels: the N true classes.
    Returns (count, confidence, accuracy), each of length n_bins: how many predictions
    fall in each bin, their mean confidence and the fraction of them that is correct
    (both 0 for an empty bin).
    """
    probs = as_distribution(probs, name="probs")
    if probs.ndim != 2:
        raise ValueError(f"probs must have shape (N, K), got {probs.shape}")
    labels = check_labels(labels, *probs.shape)
    if isinstance(n_bins, bool) or not (
        isinstance(n_bins, (int, np.integer)) and n_bins >= 1
    ):
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    which = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    count = np.bincount(which, minlength=n_bins)
    filled = np.maximum(count, 1)  # an empty bin reports 0, not 0/0
    mean_confidence = np.bincount(which, weights=confidence, minlength=n_bins) / filled
    accuracy = np.bincount(which, weights=correct, minlength=n_bins) / filled
    return count, mean_confidence, accuracy


def expected_calibration_error(probs, labels, n_bins=15):
    """ECE = sum over bins of (bin size / N) * |accuracy - mean confidence|
    (Guo et al., 2017)."""
    count, confidence, accuracy = reliability_bins(probs, labels, n_bins)
    return float(np.sum(count / count.sum() * np.abs(accuracy - confidence)))


def fit_temperature(logits, labels, tol=1e-12):
    """The temperature T > 0 that minimises the mean NLL of softmax(logits / T).

    With beta = 1/T the NLL is convex in beta: its second derivative is the mean over
    examples of the variance of the logits under softmax(beta z), which is zero only if
    every example has all its logits equal (refused: then every T is optimal). So its
    derivative mean(E_a[z] - z_y) increases, and bisection on log(beta) in [1e-4, 1e4]
    finds its one zero, to a bracket of width tol in log(beta) (or to the resolution
    of floating point, if that is coarser). Raises ValueError when the NLL still falls
    at an end of the bracket, so that its minimum, if any, lies outside: at T > 1e4
    (the logits carry no usable information about the labels, or point away from
    them) or T < 1e-4 (as when no example is misclassified: sharpening then always
    lowers the NLL, and no finite T is optimal).
    """
    z = as_logits(logits, name="logits")
    if z.ndim != 2 or not np.isfinite(z).all():
        raise ValueError(
            f"logits must be a finite array of shape (N, K), got shape {z.shape}"
        )
    labels = check_labels(labels, *z.shape)
    if not 0 < tol < np.inf:
        raise ValueError(f"tol must be positive and finite, got {tol}")
    if (z == z[:, :1]).all():  # the slope is 0 up to rounding, whose sign is noise
        raise ValueError(
            "every example has all its logits equal: they carry no information "
            "about the labels, and the NLL is log K at every temperature"
        )
    true_logit = z[np.arange(len(labels)), labels]

    def slope(log_beta):  # dNLL/dbeta at beta = exp(log_beta)
        a = softmax(np.exp(log_beta) * z)
        return float(np.mean(np.sum(a * z, axis=1) - true_logit))

    low, high = np.log(1e-4), np.log(1e4)
    if slope(low) >= 0:
        raise ValueError(
            "the NLL still falls at T = 1e4, so it is least at T > 1e4: the logits "
            "carry no information about the labels, or point away from them"
        )
    if slope(high) <= 0:
        raise ValueError(
            "the NLL still falls at T = 1e-4: as when every example is classified "
            "with room to spare, no temperature in [1e-4, 1e4] is optimal"
        )
    while high - low > tol:
        middle = (low + high) / 2
        if middle in (low, high):  # no float between them: a tiny tol cannot hang
            break
        if slope(middle) > 0:
            high = middle
        else:
            low = middle
    return float(np.exp(-(low + high) / 2))
