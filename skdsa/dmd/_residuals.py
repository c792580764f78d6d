"""Residual DMD: how well each eigenpair is followed by the data."""

import numpy as np


def eigenpair_residuals(eigenvalues, eigenvectors, current, transition, following):
    """Relative residual of each eigenpair over transitions, from Gram matrices.

    ``current = Z_t^T Z_t``, ``transition = Z_t^T Z_{t+1}``, ``following =
    Z_{t+1}^T Z_{t+1}``; for the left eigenvector ``g`` of ``lambda``,
    ``||Z_{t+1} g - lambda Z_t g||^2 / ||Z_t g||^2`` expands into them.
    """
    left = np.linalg.solve(eigenvectors, np.eye(len(eigenvalues))).T

    def quadratic(M):  # conj(g) @ M @ g for every column g of left, at once
        return np.sum(np.conj(left) * (M @ left), axis=0)

    current_norms = np.real(quadratic(current))
    squared = (np.real(quadratic(following))
               - 2 * np.real(eigenvalues * quadratic(transition.T))
               + np.abs(eigenvalues) ** 2 * current_norms)
    return np.sqrt(np.maximum(squared, 0.0) / current_norms)
