"""The softmax classifier's loss, as taught in chapter 7 ("A softmax classifier from scratch").

Every function in this file is shown, in full and letter for letter, in `chapters/07_classifier.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.loss import check_labels, softmax_cross_entropy


def check_problem(W, X, y, reg):
    """Check the arguments of a softmax loss and return them as arrays, or raise ValueError.

    W: weights, shape (D, C); X: data, shape (N, D), one example per row; y: labels, shape (N,), integers
    in [0, C); reg: the L2 strength lambda >= 0.
    """
    W = np.asarray(W)
    X = np.asarray(X)
    if W.ndim != 2 or X.ndim != 2:
        raise ValueError(f"W must have shape (D, C) and X shape (N, D); got {W.shape} and {X.shape}")
    if W.dtype.kind != "f" or X.dtype.kind != "f":
        raise ValueError(f"W and X must hold floating-point numbers; got {W.dtype} and {X.dtype}")
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} features per example but W expects {W.shape[0]}")
    if not (np.isfinite(W).all() and np.isfinite(X).all()):
        raise ValueError("W and X must be finite (no NaN or inf)")
    y = check_labels(y, X.shape[0], W.shape[1])
    if not (np.isfinite(reg) and reg >= 0):
        raise ValueError(f"reg must be a finite number >= 0, got {reg}")
    return W, X, y


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and its gradient dW, with explicit loops over examples i and classes j.

    L = -(1/N) sum_i log softmax(x_i W)_{y_i} + (reg/2) ||W||^2, and dL/dW of the shape of W.
    """
    W, X, y = check_problem(W, X, y, reg)
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(num_train):
        scores = np.zeros(num_classes)
        for j in range(num_classes):
            scores[j] = X[i] @ W[:, j]
        scores -= np.max(scores)  # the max shift of chapter 2: exact, and exp cannot overflow
        total = 0.0
        for j in range(num_classes):
            total += np.exp(scores[j])
        loss += np.log(total) - scores[y[i]]  # -log softmax(scores)[y_i], never log(0)
        for j in range(num_classes):
            p_j = np.exp(scores[j]) / total
            dW[:, j] += (p_j - (j == y[i])) * X[i]  # chapter 6: dL_i/dscores_j = p_j - y_j
    loss = loss / num_train + 0.5 * reg * np.sum(W * W)
    dW = dW / num_train + reg * W
    return float(loss), dW


def softmax_loss_vectorized(W, X, y, reg):
    """The same loss and gradient as softmax_loss_naive, without loops: dW = X^T (P - Y) / N + reg W."""
    W, X, y = check_problem(W, X, y, reg)
    data_loss, dscores = softmax_cross_entropy(X @ W, y)  # chapter 6: mean loss and (P - Y) / N
    loss = data_loss + 0.5 * reg * np.sum(W * W)
    dW = X.T @ dscores + reg * W
    return loss, dW
