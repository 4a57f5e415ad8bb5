"""Entropy, cross-entropy and KL divergence, as taught in chapter 4 ("Entropy, KL divergence and cross-entropy").

Every function in this file is shown, in full and letter for letter, in `chapters/04_information.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.softmax import as_logits


def as_distribution(p, name="p"):
    """Return `p` as a float array whose last axis holds probability distributions, or raise ValueError."""
    p = as_logits(p, name=name)
    if np.isinf(p).any():
        raise ValueError(f"{name} contains inf; probabilities lie in [0, 1]")
    if (p < 0).any():
        raise ValueError(f"{name} has a negative entry ({p.min():.6g}); probabilities are >= 0")
    sums = np.sum(p, axis=-1, dtype=np.float64)
    tolerance = max(1e-6, float(np.sqrt(np.finfo(p.dtype).eps)))
    worst = sums.flat[np.argmax(np.abs(sums - 1))]
    if abs(worst - 1) > tolerance:
        raise ValueError(f"{name} must sum to 1 along its last axis, but one sum is {worst:.6g}")
    return p


def entropy(p):
    """Shannon entropy H(p) = -sum_i p_i log p_i in nats, along the last axis (with 0 log 0 = 0)."""
    p = as_distribution(p, name="p")
    return -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1)


def cross_entropy(p, q):
    """Cross-entropy H(p, q) = -sum_i p_i log q_i in nats, along the last axis; inf where q_i = 0 < p_i."""
    p, q = _same_shape(as_distribution(p, name="p"), as_distribution(q, name="q"))
    with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer where p_i > 0 = q_i
        log_q = np.log(np.where(p > 0, q, 1.0))
    return -np.sum(p * log_q, axis=-1)


def kl_divergence(p, q):
    """KL divergence D(p || q) = sum_i p_i log(p_i / q_i) in nats, along the last axis.

    Zero exactly when p == q, positive otherwise (Gibbs' inequality), inf where q_i = 0 < p_i.
    """
    p, q = _same_shape(as_distribution(p, name="p"), as_distribution(q, name="q"))
    with np.errstate(divide="ignore"):
        log_ratio = np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(p > 0, q, 1.0))
    return np.sum(p * log_ratio, axis=-1)


def _same_shape(p, q):
    if p.shape != q.shape:
        raise ValueError(f"p has shape {p.shape} but q has shape {q.shape}; they must match")
    return p, q
