"""Rank rules of the DMD models: optimal hard threshold, explained variance, the check."""

import numpy as np


def optimal_hard_threshold_rank(singular_values, shape):
    """Rank kept by the Gavish-Donoho optimal hard threshold (unknown noise).

    Parameters
    ----------
    singular_values : ndarray of shape (k,)
        Singular values of the data matrix, in decreasing order.
    shape : tuple of int
        Shape ``(n_rows, n_columns)`` of the data matrix.

    Returns
    -------
    rank : int
        Number of singular values above ``omega(beta) * median(singular_values)``
        (at least 1), with ``beta`` the aspect ratio and the polynomial
        approximation of ``omega`` from Gavish & Donoho (2014).
    """
    beta = min(shape) / max(shape)
    omega = 0.56 * beta**3 - 0.95 * beta**2 + 1.82 * beta + 1.43
    threshold = omega * np.median(singular_values)
    return max(1, int(np.sum(singular_values > threshold)))


def variance_ratio(s):
    """Fraction of the sum of squares per singular value (scaled first: no overflow)."""
    squares = (s / s[0]) ** 2
    return squares / squares.sum()


def select_rank(estimator, s, shape, n_modes):
    """The rank asked by an estimator's rank, rank_threshold or explained_variance."""
    given = [name for name in ("rank", "rank_threshold", "explained_variance")
             if getattr(estimator, name) is not None]
    if len(given) > 1:
        raise ValueError(
            f"Set at most one of rank, rank_threshold and explained_variance; "
            f"got {', '.join(given)}. Keep the one that expresses your choice."
        )
    if estimator.rank == "auto":
        return optimal_hard_threshold_rank(s[:n_modes], shape)
    if estimator.rank is not None:
        return estimator.rank
    if estimator.rank_threshold is not None:
        rank = int(np.sum(s > estimator.rank_threshold))
        if rank == 0:
            raise ValueError(
                f"rank_threshold={estimator.rank_threshold} is above the largest "
                f"singular value {s[0]:.4g}, so no mode is kept. Lower it."
            )
        return rank
    if estimator.explained_variance is not None:
        cumulative = np.cumsum(variance_ratio(s))
        return int(np.searchsorted(cumulative, estimator.explained_variance - 1e-12) + 1)
    return n_modes


def check_rank(rank, shape, n_modes, embedding):
    """Refuse a rank above the numerical rank of the data, saying why."""
    if rank > n_modes:
        raise ValueError(
            f"rank={rank} is larger than the embedding allows: X has "
            f"{shape[0]} sample(s) (timepoints) and {shape[1]} feature(s) "
            f"with numerical rank {n_modes}, so the maximum rank is "
            f"{n_modes}. Lower rank, or add delays or data.{_offset_hint(embedding)}"
        )


def _offset_hint(embedding):
    """A sentence naming a large constant offset as the likely cause of low rank."""
    raw = np.concatenate(embedding.series)
    offset, spread = np.abs(raw.mean(axis=0)), raw.std(axis=0)
    worst = int(np.argmax(offset / np.maximum(spread, np.finfo(float).tiny)))
    if offset[worst] <= 1e4 * spread[worst]:
        return ""
    return (f" The data sit on a large constant offset (feature {worst} has mean "
            f"{raw.mean(axis=0)[worst]:.3g} against a standard deviation of "
            f"{spread[worst]:.3g}); DMD does not center, so the offset takes one mode "
            "and rounding hides the rest. Subtract each feature's mean first (e.g. "
            "skdsa.preprocessing.ZScorer).")
