"""The fused softmax cross-entropy loss and its gradient, as taught in chapter 6 ("The
gradient of softmax + cross-entropy").

Every function in this file is shown, in full and letter for letter, in
`chapters/06_gradient.ipynb`; `tests/test_chapter_sources.py` fails if the two ever
differ.
"""

import numpy as np

from book.information import as_distribution
from book.softmax import as_logits


def check_labels(labels, n, k):
    """`labels` as an array of n integer class indices in [0, k), or raise ValueError
    saying what is wrong."""
    for name, size in (("n", n), ("k", k)):
        whole = isinstance(size, (int, np.integer)) and not isinstance(size, bool)
        if not whole or size < 1:
            raise ValueError(f"{name} must be an int >= 1, got {size!r}")
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu" or labels.shape != (n,):
        raise ValueError(f"integer labels must have shape ({n},): {n} integer labels "
                         f"in [0, {k}); got dtype {labels.dtype} and shape "
                         f"{labels.shape}")
    if labels.min() < 0 or labels.max() >= k:
        raise ValueError(f"labels must lie in [0, {k}), got values from {labels.min()} "
                         f"to {labels.max()}")
    return labels


def softmax_cross_entropy(logits, targets):
    """Mean cross-entropy of softmax(logits) against `targets`, and its gradient with
    respect to the logits. The order is softmax_cross_entropy(logits, targets).

    logits: shape (N, K), a batch of N logit vectors, or (K,) for a single example;
        finite (a logit of -inf is allowed for a class that is not a true class).
    targets: integer class labels in [0, K), shape (N,) (or one int for a single
        example); or probability vectors of the logits' shape (soft labels, label
        smoothing).
    Returns (loss, grad). Each example's loss -sum_k y_k log softmax(z)_k is computed
    as sum_k y_k (m - z_k) + log1p(s), with m = max(z) and s = the sum of exp(z_i - m)
    over all i but the max, as log_softmax does (Blanchard, Higham & Higham, 2021):
    every term is >= 0, so small losses of confident, correct predictions keep their
    digits, and log(softmax(z)) is never formed. The loss is a float64 (+inf only if it
    exceeds the largest float64); grad = (softmax(z) - y) / N has the logits' shape and
    dtype. Integer labels are used as indices: no one-hot matrix is built.
    """
    z = as_logits(logits, name="logits", check_nan=False)
    single = z.ndim == 1
    if single:
        z = z[None, :]
    if z.ndim != 2:
        raise ValueError("logits (the first argument) must have shape (N, K) or (K,), "
                         f"got {z.shape}")
    n, k = z.shape
    rows = np.arange(n)
    at_max = z.argmax(axis=1)  # each row's largest logit (or its first NaN)
    top = z[rows, at_max][:, None]
    if not np.isfinite(top).all():
        raise ValueError(f"logits (the first argument) must be finite, but "
                         f"{_infinite_row(z, top, single)}")
    with np.errstate(over="ignore"):  # z - m < -(largest float) is -inf: exp gives 0
        grad = np.subtract(z, top)
    np.exp(grad, out=grad)  # exp(z - m), in place: the only full-size array
    grad[rows, at_max] = 0  # leave the max's term exp(0) = 1 out of the sum
    rest = grad.sum(axis=1, dtype=np.promote_types(z.dtype, np.float32))  # s, by row
    grad[rows, at_max] = 1
    scale = 1 / np.multiply(n, 1 + rest, dtype=np.float64)  # float64: N (1 + s) > 65504
    grad *= scale.astype(z.dtype, copy=False)[:, None]  # softmax(z) / N
    targets = np.asarray(targets)
    if targets.dtype.kind in "iu":
        one = single and targets.ndim == 0
        try:
            labels = check_labels(targets.reshape(n) if one else targets, n, k)
        except ValueError as err:
            raise ValueError(f"softmax_cross_entropy(logits, targets): {err}") from None
        true_logits = z[rows, labels]
        with np.errstate(over="ignore"):  # +inf only where m - z_y > the largest float
            gaps = top[:, 0].astype(np.float64) - true_logits  # m - z_y >= 0
        grad[rows, labels] -= 1 / n  # (softmax(z) - onehot(y)) / N, no one-hot matrix
    elif targets.shape == np.shape(logits):
        if not np.isfinite(z).all():
            raise ValueError("logits (the first argument) must be finite when the "
                             "targets (the second) are probabilities")
        y = as_distribution(targets, name="targets").reshape(z.shape)
        half_gaps = top / 2 - z / 2  # (m - z) / 2 >= 0: halved, it cannot overflow
        with np.errstate(over="ignore"):  # +inf only where the loss > the largest float
            gaps = 2 * np.sum(y * half_gaps, axis=1, dtype=np.float64)
        grad -= y / n
    else:
        swapped = (np.asarray(logits).dtype.kind in "iu" and np.ndim(logits) == 1
                   and targets.ndim == 2 and len(targets) == len(logits))
        raise ValueError(
            "softmax_cross_entropy(logits, targets): targets (the second argument) "
            f"must be integer labels of shape ({n},) or probabilities of the logits' "
            f"shape {np.shape(logits)}; got dtype {targets.dtype} and shape "
            f"{targets.shape}"
            + ("; the logits are integers: are the two arguments swapped?"
               if swapped else "")
        )
    losses = gaps + np.log1p(rest, dtype=np.float64)  # (m - z_y) + log1p(s), per row
    loss = 2 * float((losses / (2 * n)).sum())  # the mean; halved, it cannot overflow
    if loss == np.inf:  # rare: a -inf true logit, or a loss near the largest float64
        if targets.dtype.kind in "iu":
            _refuse_minus_inf_true_logits(true_logits, labels)
        loss = float(losses.max())  # the mean is at most the largest loss
    return loss, grad[0] if single else grad


def _refuse_minus_inf_true_logits(true_logits, labels):
    """Raise ValueError if a true class has logit -inf: probability 0, infinite loss."""
    if (true_logits == -np.inf).any():
        bad = int(np.flatnonzero(true_logits == -np.inf)[0])
        raise ValueError(f"the true class {labels[bad]} of example {bad} has logit "
                         "-inf: its probability is 0 and its loss infinite")


def _infinite_row(z, top, single):
    """What is wrong with the first row of z whose max `top` is not finite, in words."""
    bad = int(np.flatnonzero(~np.isfinite(top[:, 0]))[0])
    what = ("contain NaN" if np.isnan(z[bad]).any() else
            "contain +inf" if top[bad, 0] == np.inf else "are all -inf")
    return f"they {what}" if single else f"the logits of example {bad} {what}"
