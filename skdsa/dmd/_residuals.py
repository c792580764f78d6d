"""Residual DMD: how well each eigenpair is followed by the data."""

import numpy as np


def eigenpair_residuals(eigenvalues, eigenvectors, current, transition, following):
    """Relative residual of each eigenpair over transitions, from Gram matrices.

    ``current = Z_t^T Z_t``, ``transition = Z_t^T Z_{t+1}``, ``following =
    Z_{t+1}^T Z_{t+1}``; for the left eigenvector ``g`` of ``lambda``,
    ``||Z_{t+1} g - lambda Z_t g||^2 / ||Z_t g||^2`` expands into them.
    """
    left = np.linalg.solve(eigenvectors, np.eye(len(eigenvalues))).T
    residuals = np.empty(len(eigenvalues))
    for k, (value, g) in enumerate(zip(eigenvalues, left.T)):
        quadratic = [np.real(np.conj(g) @ M @ g) for M in (current, following)]
        cross = np.real(value * (np.conj(g) @ transition.T @ g))
        squared = quadratic[1] - 2 * cross + abs(value) ** 2 * quadratic[0]
        residuals[k] = np.sqrt(max(squared, 0.0) / quadratic[0])
    return residuals
