"""The logistic sigmoid, softplus and binary cross-entropy from logits, as taught
in chapter 5 ("Sigmoid and softmax").

Every function in this file is shown, in full and letter for letter, in
`chapters/05_sigmoid.ipynb`; `tests/test_chapter_sources.py` fails if the two ever
differ.
"""

import numpy as np

from book.softmax import as_logits


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), elementwise, without overflow.

    With e = exp(-|x|), which lies in (0, 1]: 1 / (1 + e) for x >= 0 and e / (1 + e)
    for x < 0, the same function written so that exp never sees a large positive
    argument. Keeps the dtype of x; a scalar in gives a scalar out.
    """
    scalar = np.ndim(x) == 0
    x = as_logits(np.atleast_1d(x), name="x")
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return s[0] if scalar else s


def softplus(x):
    """softplus(x) = log(1 + exp(x)), elementwise, accurate for every real x.

    Computed as max(x, 0) + log1p(exp(-|x|)): exp never sees a positive argument
    (no overflow), and log1p keeps the digits of a tiny exp(-|x|) that log(1 + ...)
    would round away, so softplus(-40) = 4.25e-18, not 0. The two terms are never of
    opposite sign: no cancellation. softplus(-inf) = 0 and softplus(inf) = inf.
    Keeps the dtype of x; a scalar in gives a scalar out. Since
    1 - sigmoid(x) = sigmoid(-x), log(sigmoid(x)) = -softplus(-x).
    """
    scalar = np.ndim(x) == 0
    x = as_logits(np.atleast_1d(x), name="x")
    s = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    return s[0] if scalar else s


def binary_cross_entropy_with_logits(logits, targets):
    """Binary cross-entropy of sigmoid(logits) against targets in [0, 1], elementwise.

    loss = -y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z))
         = y softplus(-z) + (1 - y) softplus(z),
    computed in the second form, a sum of two non-negative terms: no probability is
    rounded to 0 or 1 and then logged, and a small loss keeps its digits. logits and
    targets have the same shape (or targets is a scalar); the result has that shape.
    An infinite logit gives loss 0 when its target agrees (y = 1 for +inf, y = 0 for
    -inf) and inf otherwise.
    """
    z = as_logits(np.atleast_1d(logits), name="logits")
    y = as_logits(np.atleast_1d(targets), name="targets").astype(z.dtype, copy=False)
    if y.shape not in (z.shape, (1,)):
        raise ValueError(f"targets must have the shape of logits {np.shape(logits)}, "
                         f"got shape {np.shape(targets)}")
    if y.min() < 0 or y.max() > 1:
        raise ValueError(f"targets must lie in [0, 1], got values from {y.min()} "
                         f"to {y.max()}")
    y = np.broadcast_to(y, z.shape)
    loss = np.multiply(y, softplus(-z), out=np.zeros_like(z), where=y > 0)
    loss += np.multiply(1 - y, softplus(z), out=np.zeros_like(z), where=y < 1)
    return loss[0] if np.ndim(logits) == 0 else loss


def multilabel_cross_entropy(logits, targets):
    """The multi-label loss: binary cross-entropy summed over the labels (last axis)
    of each example, averaged over the examples.

    logits, targets: shape (N, K) for N examples with K independent labels each, or
    (K,) for one example; targets in [0, 1] (usually 0 or 1: label absent or present).
    """
    if np.ndim(logits) not in (1, 2):
        raise ValueError(f"logits must have shape (N, K) or (K,), "
                         f"got {np.shape(logits)}")
    per_label = binary_cross_entropy_with_logits(logits, targets)
    return float(np.mean(np.sum(per_label, axis=-1)))
