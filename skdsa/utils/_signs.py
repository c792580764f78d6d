"""A fixed sign for vectors that decompositions return only up to sign."""

import numpy as np


def largest_entry_signs(vectors):
    """Per column, the sign that makes its largest-magnitude entry positive (1 for zero)."""
    signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(vectors.shape[1])])
    return np.where(signs == 0, 1.0, signs)


def flip_signs(vectors):
    """``vectors`` with each column's largest-magnitude entry positive."""
    return vectors * largest_entry_signs(vectors)
