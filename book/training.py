"""Data and training for the softmax classifier, as taught in chapter 7 ("A softmax classifier from scratch").

Every function in this file is shown, in full and letter for letter, in `chapters/07_classifier.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.classifier import softmax_loss_vectorized


def digits_split(seed=0, val_fraction=0.2, test_fraction=0.2):
    """scikit-learn's bundled 8x8 digits (1797 images, no download), split into train, validation and test.

    The split is stratified by class and fixed by `seed`. Pixels (0..16) are scaled to [0, 1] and a constant
    1 is appended to every example, so the last row of W acts as the bias ("the bias trick").
    Returns a dict with X_train, y_train, X_val, y_val, X_test, y_test and images (the raw 8x8 test images).
    """
    if not (0 < val_fraction and 0 < test_fraction and val_fraction + test_fraction < 1):
        raise ValueError(f"need 0 < val_fraction, 0 < test_fraction, and their sum < 1; "
                         f"got {val_fraction} and {test_fraction}")
    from sklearn.datasets import load_digits  # imported here: `import book` itself needs only NumPy

    digits = load_digits()
    X = np.hstack([digits.data / 16.0, np.ones((len(digits.data), 1))])
    y = digits.target
    rng = np.random.default_rng(seed)
    parts = {"train": [], "val": [], "test": []}
    for c in np.unique(y):  # stratify: split each class in the same proportions
        members = rng.permutation(np.flatnonzero(y == c))
        n_val = round(val_fraction * len(members))
        n_test = round(test_fraction * len(members))
        parts["test"].append(members[:n_test])
        parts["val"].append(members[n_test:n_test + n_val])
        parts["train"].append(members[n_test + n_val:])
    data = {}
    for name, chunks in parts.items():
        index = rng.permutation(np.concatenate(chunks))
        data[f"X_{name}"], data[f"y_{name}"] = X[index], y[index]
        if name == "test":
            data["images"] = digits.images[index]
    return data


def predict(W, X):
    """The most probable class of each row of X: the argmax of the scores (softmax preserves order)."""
    W, X = np.asarray(W), np.asarray(X)
    if W.ndim != 2 or X.ndim != 2 or X.shape[1] != W.shape[0]:
        raise ValueError(f"need W of shape (D, C) and X of shape (N, D); got {W.shape} and {X.shape}")
    scores = X @ W
    if not np.isfinite(scores).all():
        raise ValueError("the scores X @ W are not all finite: W or X contains NaN or inf")
    return np.argmax(scores, axis=1)


def train_softmax(X, y, num_classes, learning_rate, reg, epochs=100, batch_size=64, seed=0,
                  X_val=None, y_val=None):
    """Mini-batch gradient descent on the regularised softmax loss, from small random weights.

    Each epoch visits the training set once in a fresh random order, in batches of `batch_size`, and takes one
    step W -= learning_rate * dW per batch. Returns (W, history): history lists, per epoch, the full training
    loss and accuracy and, when X_val and y_val are given, the validation loss and accuracy.
    """
    if not (learning_rate > 0 and epochs >= 1 and batch_size >= 1):
        raise ValueError(f"need learning_rate > 0, epochs >= 1 and batch_size >= 1; "
                         f"got {learning_rate}, {epochs}, {batch_size}")
    rng = np.random.default_rng(seed)
    W = 0.001 * rng.standard_normal((np.shape(X)[1], num_classes))
    history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            _, dW = softmax_loss_vectorized(W, X[batch], y[batch], reg)
            W -= learning_rate * dW
        history["train_loss"].append(softmax_loss_vectorized(W, X, y, reg)[0])
        history["train_acc"].append(float(np.mean(predict(W, X) == y)))
        if X_val is not None:
            history["val_loss"].append(softmax_loss_vectorized(W, X_val, y_val, 0.0)[0])
            history["val_acc"].append(float(np.mean(predict(W, X_val) == y_val)))
    return W, history


def tune_and_train(data, learning_rates=(0.25, 0.5, 1.0, 2.0), regs=(0.0, 1e-4, 1e-3, 1e-2), epochs=150, seed=0):
    """Train one classifier per (learning_rate, reg) pair and keep the one with the lowest validation loss.

    `data` is a dict as returned by digits_split. Returns (W, history, (learning_rate, reg), table), where table
    maps every pair to its final (validation loss, validation accuracy). The test set is not touched.
    """
    num_classes = int(data["y_train"].max()) + 1
    best, table = None, {}
    for lr in learning_rates:
        for reg in regs:
            W, history = train_softmax(data["X_train"], data["y_train"], num_classes, lr, reg, epochs=epochs,
                                       seed=seed, X_val=data["X_val"], y_val=data["y_val"])
            table[lr, reg] = (history["val_loss"][-1], history["val_acc"][-1])
            if best is None or table[lr, reg][0] < table[best[2]][0]:
                best = (W, history, (lr, reg))
    return best[0], best[1], best[2], table
