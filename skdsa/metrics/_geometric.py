"""Geometric (representational) similarity of state trajectories: the baselines of DSA.

Each compares two matrices of states ``X (n_samples, p)`` and ``Y (n_samples,
q)`` whose rows are matched (the same conditions and time points), after
centring the columns. They ignore how states evolve, which is what DSA adds.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.utils.validation import check_array

from ._bounds import chord_to_angle

GEOMETRIC_METRICS = ("procrustes", "cka", "cca", "svcca")


def _centred(X):
    X = check_array(X, dtype=np.float64, input_name="states")
    return X - X.mean(axis=0)


def _orthonormal_basis(X, variance=None):
    """Orthonormal basis of the column space of ``X`` (optionally its top components)."""
    U, s, _ = np.linalg.svd(X, full_matrices=False)
    keep = s > s[0] * max(X.shape) * np.finfo(float).eps if s[0] > 0 else s > 0
    if variance is not None:
        cumulative = np.cumsum(s**2) / np.sum(s**2)
        keep &= np.arange(len(s)) < np.searchsorted(cumulative, variance - 1e-12) + 1
    return U[:, keep]


def procrustes_shape_distance(X, Y):
    """Angular orthogonal Procrustes shape distance (Williams et al., 2021).

    ``arccos(max over orthogonal Q of <X, Y Q>)`` for centred, unit-norm ``X``
    and ``Y`` (narrower one zero-padded), which equals ``arccos(||X^T Y||_*)``.

    Parameters
    ----------
    X, Y : array-like of shape (n_samples, p) and (n_samples, q)
        States with matched rows.

    Returns
    -------
    distance : float
        In ``[0, pi / 2]``.
    """
    a, b = _prepare("procrustes", X), _prepare("procrustes", Y)
    return _compare("procrustes", a, b)


def linear_cka_distance(X, Y):
    """``1 - linear CKA`` (Kornblith et al., 2019) between centred ``X`` and ``Y``.

    Parameters
    ----------
    X, Y : array-like of shape (n_samples, p) and (n_samples, q)
        States with matched rows.

    Returns
    -------
    distance : float
        In ``[0, 1]``.
    """
    return _compare("cka", _prepare("cka", X), _prepare("cka", Y))


def cca_distance(X, Y, variance=None):
    """``1 - mean canonical correlation`` of ``X`` and ``Y``; SVCCA with ``variance``.

    Parameters
    ----------
    X, Y : array-like of shape (n_samples, p) and (n_samples, q)
        States with matched rows.
    variance : float in (0, 1] or None, default=None
        If given, first keep the top singular directions of each explaining this
        fraction of variance (SVCCA; Raghu et al., 2017).

    Returns
    -------
    distance : float
        In ``[0, 1]``.
    """
    name = "cca" if variance is None else "svcca"
    return _compare(name, _prepare(name, X, variance), _prepare(name, Y, variance))


def _prepare(name, X, variance=0.99):
    X = _centred(X)
    if name == "procrustes":
        norm = np.linalg.norm(X)
        return X / norm if norm > 0 else X
    if name == "cka":
        return X
    return _orthonormal_basis(X, variance if name == "svcca" else None)


def _compare(name, a, b):
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"Geometric metrics compare states at matched time points: got "
            f"{a.shape[0]} and {b.shape[0]} rows. Give every system the same "
            "number of time points (and trials, if trials are not averaged)."
        )
    if name == "procrustes":
        width = max(a.shape[1], b.shape[1])
        a, b = (np.pad(m, ((0, 0), (0, width - m.shape[1]))) for m in (a, b))
        U, _, Vt = np.linalg.svd(b.T @ a)
        # The angle equals arccos(||a^T b||_*) for unit-norm a, b.
        return chord_to_angle(np.linalg.norm(a - b @ (U @ Vt)))
    if name == "cka":
        cross = np.linalg.norm(b.T @ a) ** 2
        scale = np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b)
        return float(1.0 - cross / scale) if scale > 0 else 1.0
    correlations = np.linalg.svd(a.T @ b, compute_uv=False)
    if correlations.size == 0:
        return 1.0
    return float(1.0 - np.clip(correlations, 0.0, 1.0).mean())


@dataclass
class GeometricMetric:
    """A geometric metric with the ``prepare``/``compare`` interface of DSA metrics.

    Parameters
    ----------
    name : {"procrustes", "cka", "cca", "svcca"}
        The metric.
    variance : float, default=0.99
        Variance kept by SVCCA.
    """

    name: str = "procrustes"
    variance: float = 0.99

    def prepare(self, X):
        """Centre (and normalise or whiten) a matrix of states."""
        return _prepare(self.name, X, self.variance)

    def compare(self, a, b, random_state=None):
        """Distance between two prepared matrices of states."""
        return _compare(self.name, a, b)
