"""Per-operator precomputations shared by every pair an operator takes part in."""

from dataclasses import dataclass

import numpy as np
from scipy.linalg import schur

from ..utils._signs import flip_signs, largest_entry_signs
from ._orthogonal import skew


@dataclass(frozen=True)
class PreparedOperator:
    """Per-operator work shared by every pair it takes part in.

    Attributes
    ----------
    operator : ndarray of shape (n, n)
        The operator as given (float64).
    norm : float
        Its Frobenius norm.
    unit : ndarray of shape (n, n)
        ``operator / norm`` (zeros for the zero operator).
    sym_values, sym_vectors : ndarray
        Eigen-decomposition of the symmetric part of ``unit`` (ascending).
    skew_values : ndarray of shape (n,)
        Eigenvalues of ``i * skew part of unit`` (real, ascending).
    skew_frame : ndarray of shape (n, n)
        Orthonormal basis in which the skew part of ``unit`` is block diagonal,
        with 2x2 blocks ``[[0, s], [-s, 0]]``, ``s > 0`` decreasing.
    singular_values : ndarray of shape (n,)
        Singular values of ``unit`` (ascending).
    """

    operator: np.ndarray
    norm: float
    unit: np.ndarray
    sym_values: np.ndarray
    sym_vectors: np.ndarray
    skew_values: np.ndarray
    skew_frame: np.ndarray
    singular_values: np.ndarray


def prepare_operator(A):
    """Precompute what every comparison with operator ``A`` needs.

    Parameters
    ----------
    A : ndarray of shape (n, n)
        A validated real square operator (see ``check_operator``).

    Returns
    -------
    prepared : PreparedOperator
        Its arrays in C order whatever the layout of ``A`` (a DMD operator is
        often Fortran-ordered), so that a distance does not depend on the
        layout: BLAS sums the products of C- and Fortran-ordered arrays in
        different orders, and those last bits can tip a search into another
        minimum.
    """
    A = np.ascontiguousarray(A, dtype=np.float64)
    norm = float(np.linalg.norm(A))
    unit = A / norm if norm > 0 else np.zeros_like(A)
    sym_part = (unit + unit.T) / 2
    sym_values, sym_vectors = np.linalg.eigh(sym_part)
    skew_part = skew(unit)
    skew_values = np.linalg.eigvalsh(1j * skew_part)
    singular_values = np.linalg.svd(unit, compute_uv=False)[::-1]
    return PreparedOperator(A, norm, unit, sym_values, sym_vectors, skew_values,
                            _skew_frame(skew_part, sym_part), singular_values)


def _skew_frame(K, S):
    """Real Schur basis of a skew-symmetric ``K``, fixed where Schur leaves it free.

    Blocks are sorted by strength. Schur determines each block's plane but not
    the rotation within it (any rotation of the plane keeps the block), and a
    perturbation of ``K`` at rounding level can change that rotation by a
    finite angle. So within each plane, and within the span of the zero
    directions, the basis is turned onto the principal axes of the symmetric
    part ``S`` restricted to it, with the largest entry of its first vector
    positive: the frame then moves continuously with the operator.
    """
    T, Z = schur(K, output="real")
    n, i, blocks, singles = len(K), 0, [], []
    tiny = 1e-12 * max(np.abs(T).max(), 1e-300)
    while i < n:
        if i + 1 < n and abs(T[i + 1, i]) > tiny:
            strength = T[i, i + 1]
            blocks.append((-abs(strength), [i, i + 1] if strength > 0 else [i + 1, i]))
            i += 2
        else:
            singles.append(i)
            i += 1
    blocks.sort(key=lambda block: block[0])
    planes = [_principal_rotation(Z[:, cols], S) for _, cols in blocks]
    kernel = Z[:, singles]
    if singles:
        kernel = kernel @ np.linalg.eigh(kernel.T @ S @ kernel)[1][:, ::-1]
        kernel = flip_signs(kernel)
    return np.hstack(planes + [kernel])


def _principal_rotation(U, S):
    """Basis ``U`` of a plane, rotated onto the main principal axis of ``S`` there."""
    v = np.linalg.eigh(U.T @ S @ U)[1][:, -1]
    rotated = U @ np.array([[v[0], -v[1]], [v[1], v[0]]])
    return rotated * largest_entry_signs(rotated[:, :1])

