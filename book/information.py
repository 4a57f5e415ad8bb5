"""Entropy, cross-entropy and KL divergence, as taught in chapter 4 ("Entropy, KL
divergence and cross-entropy").

Every function in this file is shown, in full and letter for letter, in
`chapters/04_information.ipynb`; `tests/test_chapter_sources.py` fails if they differ.
"""

import numpy as np

from book.softmax import as_logits

def as_distribution(p, name="p"):
    """Return `p` as a float array whose last axis holds probability distributions, or
    raise ValueError naming `name`. Integers that are not one-hot rows (class labels,
    say) are told to pass one-hot rows instead: np.eye(K)[labels].
    """
    labels = _labels_hint(p, "it")
    p = as_logits(p, name=name)
    if np.isinf(p).any():
        raise ValueError(f"{name} contains inf; probabilities lie in [0, 1]")
    if (p < 0).any():
        raise ValueError(f"{name} has a negative entry ({p.min():.6g}); probabilities "
                         "are >= 0")
    sums = np.sum(p, axis=-1, dtype=np.float64)
    tolerance = max(1e-6, float(np.sqrt(np.finfo(p.dtype).eps)))
    worst = sums.flat[np.argmax(np.abs(sums - 1))]
    if abs(worst - 1) > tolerance:
        raise ValueError(f"{name} must sum to 1 along its last axis, but one sum is "
                         f"{float(worst)!r} (off by {float(worst) - 1:.2g}){labels}")
    return p


def _labels_hint(p, name):
    """What to add to an error about p when p holds integers: they look like labels."""
    try:
        integers = np.asarray(p).dtype.kind in "iu"
    except ValueError:  # ragged: as_logits says so
        integers = False
    return (f"; {name} holds integers: for class labels pass one-hot rows, "
            "np.eye(K)[labels]" if integers else "")


def entropy(p):
    """Shannon entropy H(p) = -sum_i p_i log p_i in nats, along the last axis (with
    0 log 0 = 0)."""
    p = as_distribution(p, name="p")
    return -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1)


def cross_entropy(p, q):
    """Cross-entropy H(p, q) = -sum_i p_i log q_i in nats, along the last axis, for a
    target p (one-hot rows, not integer labels) and a model q; inf where q_i = 0 < p_i.
    """
    p, q = _check_pair(p, q)
    with np.errstate(divide="ignore"):  # log 0 = -inf is right where p_i > 0 = q_i
        log_q = np.log(np.where(p > 0, q, 1.0))
    return -np.sum(p * log_q, axis=-1)


def kl_divergence(p, q):
    """KL divergence KL(p || q) = sum_i p_i log(p_i / q_i) in nats, along the last axis,
    for a target p and a model q; inf where q_i = 0 < p_i.

    Zero when p == q. Gibbs' inequality makes D >= 0, but the rounded sum can fall a few
    ulps below 0 when q is close to p (down to about -5e-16 in float64); such a value is
    clamped to 0, so the result is never negative.
    """
    p, q = _check_pair(p, q)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(p > 0, q, 1.0))
    return np.maximum(np.sum(p * log_ratio, axis=-1), 0)


def _check_pair(p, q):
    """p and q as distributions of one shape; every message names the argument."""
    target = "p (the target distribution, first argument)"
    model = "q (the model distribution, second argument)"
    hint = _labels_hint(p, "p") + _labels_hint(q, "q")
    p, q = as_distribution(p, name=target), as_distribution(q, name=model)
    if p.shape != q.shape:
        raise ValueError(f"{target} has shape {p.shape} but {model} has shape "
                         f"{q.shape}; they must match{hint}")
    return p, q
