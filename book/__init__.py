"""The `book` package: the functions the course teaches.

Each function enters here in the chapter that teaches it, where it is shown in full; later chapters import it.

- chapter 1, What softmax is: `as_logits`, `softmax`
- chapter 2, The softmax Jacobian: `softmax_jacobian`, `softmax_jvp`, `numerical_jacobian`,
  `numerical_gradient`, `rel_error`
"""

from book.gradcheck import numerical_gradient, numerical_jacobian, rel_error
from book.jacobian import softmax_jacobian, softmax_jvp
from book.softmax import as_logits, softmax

__all__ = [
    "as_logits",
    "numerical_gradient",
    "numerical_jacobian",
    "rel_error",
    "softmax",
    "softmax_jacobian",
    "softmax_jvp",
]
