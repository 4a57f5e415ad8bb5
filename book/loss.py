"""The fused softmax cross-entropy loss and its gradient, as taught in chapter 6 ("The gradient of softmax +
cross-entropy").

Every function in this file is shown, in full and letter for letter, in `chapters/06_gradient.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.information import as_distribution
from book.softmax import as_logits


def check_labels(labels, n, k):
    """`labels` as an array of n integer class indices in [0, k), or raise ValueError saying what is wrong."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu" or labels.shape != (n,):
        raise ValueError(f"integer labels must have shape ({n},): {n} integer labels in [0, {k}); "
                         f"got dtype {labels.dtype} and shape {labels.shape}")
    if labels.min() < 0 or labels.max() >= k:
        raise ValueError(f"labels must lie in [0, {k}), got values from {labels.min()} to {labels.max()}")
    return labels


def softmax_cross_entropy(logits, targets):
    """Mean cross-entropy of softmax(logits) against `targets`, and its gradient with respect to the logits.

    logits: shape (N, K), a batch of N logit vectors, or (K,) for a single example.
    targets: integer class labels in [0, K), shape (N,) (or one int for a single example); or probability
        vectors of the logits' shape (soft labels, label smoothing).
    Returns (loss, grad): loss = mean over the batch of -sum_k y_k log softmax(z)_k, computed as
    lse(z) - sum_k y_k z_k without ever forming log(softmax(z)); grad = (softmax(z) - y) / N, the shape of
    the logits. Integer labels are used as indices: no one-hot matrix is built.
    """
    z = as_logits(logits, name="logits", check_nan=False)
    single = z.ndim == 1
    if single:
        z = z[None, :]
    if z.ndim != 2:
        raise ValueError(f"logits must have shape (N, K) or (K,), got {z.shape}")
    n, k = z.shape
    top = z.max(axis=1, keepdims=True)
    if not np.isfinite(top).all():
        if np.isnan(top).any():
            raise ValueError("logits contain NaN")
        raise ValueError("logits must be finite: a row contains +inf or is all -inf")
    shifted = np.subtract(z, top)  # each row's largest logit becomes 0
    probs = np.exp(shifted)
    total = probs.sum(axis=1, keepdims=True)
    log_total = np.log(total[:, 0])  # lse(z) - max(z), row by row
    np.divide(probs, total * n, out=probs)  # softmax(z) / N, in place: the gradient's first term
    targets = np.asarray(targets)
    if targets.dtype.kind in "iu":
        labels = check_labels(targets.reshape(n) if single and targets.ndim == 0 else targets, n, k)
        rows = np.arange(n)
        true_logits = shifted[rows, labels]
        if not np.isfinite(true_logits).all():
            raise ValueError("logits must be finite: a true class has logit -inf (an infinite loss)")
        loss = np.mean(log_total - true_logits)
        grad = probs
        grad[rows, labels] -= 1 / n  # (softmax(z) - onehot(y)) / N, without building the one-hot matrix
    elif targets.shape == np.shape(logits):
        if not np.isfinite(z).all():
            raise ValueError("logits must be finite when the targets are probabilities")
        y = as_distribution(targets, name="targets").reshape(z.shape).astype(z.dtype, copy=False)
        loss = np.mean(log_total - np.sum(y * shifted, axis=1))
        grad = probs
        grad -= y / n
    else:
        raise ValueError(
            f"targets must be integer labels of shape ({n},) or probabilities of shape {np.shape(logits)}; "
            f"got dtype {targets.dtype} and shape {targets.shape}"
        )
    return float(loss), grad[0] if single else grad
