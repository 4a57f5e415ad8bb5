"""The logistic sigmoid, as taught in chapter 5 ("Sigmoid and softmax").

Every function in this file is shown, in full and letter for letter, in `chapters/05_sigmoid.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.softmax import as_logits


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), elementwise, for any real x without overflow.

    With e = exp(-|x|), which lies in (0, 1]: 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, the same
    function written so that exp never sees a large positive argument. Keeps the dtype of x; a scalar in
    gives a scalar out.
    """
    scalar = np.ndim(x) == 0
    x = as_logits(np.atleast_1d(x), name="x")
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return s[0] if scalar else s
