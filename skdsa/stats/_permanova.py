"""Permutation test of group structure on a distance matrix (PERMANOVA)."""

from collections import Counter
from dataclasses import dataclass
from math import factorial, prod

import numpy as np
from sklearn.utils.parallel import Parallel, delayed

from ..utils._random import draw_seed
from ..utils._warnings import warn


@dataclass(frozen=True, repr=False)
class PermanovaResult:
    """Outcome of :func:`permanova`.

    Attributes
    ----------
    statistic : float
        Pseudo-F of the observed labels.
    p_value : float
        ``(1 + #{permuted pseudo-F >= observed}) / (1 + n_permutations)``.
    permuted : ndarray of shape (n_permutations,)
        Pseudo-F of each label permutation.
    """

    statistic: float
    p_value: float
    permuted: np.ndarray

    def __repr__(self):
        return (f"PermanovaResult(statistic={self.statistic:.4g}, p_value={self.p_value:.4g}, "
                f"n_permutations={len(self.permuted)})")


def distinct_partitions(codes):
    """How many different ways the labels split the systems (the permutation test's
    support): ``n! / prod(n_g!)``, divided by ``m!`` for each ``m`` groups of one size,
    whose exchange leaves the pseudo-F unchanged."""
    sizes = Counter(codes.tolist()).values()
    same_size = Counter(sizes).values()
    return factorial(len(codes)) // (prod(factorial(s) for s in sizes)
                                     * prod(factorial(m) for m in same_size))


def _pseudo_f(squared, codes, n_groups):
    """Pseudo-F of Anderson (2001) from squared distances and group codes."""
    n = len(codes)
    total = squared.sum() / (2 * n)
    sizes = np.bincount(codes, minlength=n_groups)
    within = sum(squared[np.ix_(codes == g, codes == g)].sum() / (2 * sizes[g])
                 for g in range(n_groups))
    between = total - within
    if within == 0:
        return np.inf if between > 0 else 0.0
    return (between / (n_groups - 1)) / (within / (n - n_groups))


def _permuted_statistics(squared, codes, n_groups, seed, n_permutations):
    rng = np.random.default_rng(seed)
    return [_pseudo_f(squared, rng.permutation(codes), n_groups)
            for _ in range(n_permutations)]


def _check_distances(D, labels):
    D = np.asarray(D, dtype=np.float64)
    if D.ndim != 2 or D.shape[0] != D.shape[1]:
        raise ValueError(f"D must be a square distance matrix; got shape {D.shape}.")
    if not np.all(np.isfinite(D)) or np.any(D < 0):
        raise ValueError("D must hold finite, non-negative distances.")
    if not np.allclose(D, D.T, rtol=1e-10, atol=1e-12):
        raise ValueError("D must be symmetric (a matrix from fit_transform, not transform).")
    labels = np.asarray(labels)
    if labels.shape != (D.shape[0],):
        raise ValueError(f"labels must have one entry per row of D: expected shape "
                         f"({D.shape[0]},), got {labels.shape}.")
    groups, codes = np.unique(labels, return_inverse=True)
    if len(groups) < 2 or len(groups) == len(labels):
        raise ValueError(
            f"labels must form at least 2 groups with at least one group of 2 or more "
            f"systems; got {len(groups)} groups for {len(labels)} systems."
        )
    return D, codes, len(groups)


def permanova(D, labels, *, n_permutations=999, random_state=None, n_jobs=None):
    """Are systems with the same label closer to each other than chance?

    PERMANOVA (Anderson, 2001) on a precomputed distance matrix: the pseudo-F
    statistic compares the between-group and within-group sums of squared
    distances, and its p-value comes from random permutations of the labels.
    Works on any distance matrix (DSA's, the geometric baselines', ...).

    Parameters
    ----------
    D : array-like of shape (n_systems, n_systems)
        Symmetric distance matrix, e.g. ``DSA().fit_transform(X)``.
    labels : array-like of shape (n_systems,)
        Group of each system.
    n_permutations : int, default=999
        Label permutations; the smallest attainable p-value is
        ``1 / (1 + n_permutations)``, and no smaller than one over the number of
        distinct ways the labels split the systems (a warning says when that is
        above 0.05, e.g. 1/3 for two groups of two).
    random_state : int, RandomState instance or None, default=None
        Seeds the permutations. The result does not depend on ``n_jobs``.
    n_jobs : int or None, default=None
        Parallel jobs (joblib).

    Returns
    -------
    result : PermanovaResult

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.stats import permanova
    >>> points = np.r_[np.zeros(8), np.ones(8)] + np.arange(16) * 0.01
    >>> D = np.abs(points[:, None] - points[None, :])
    >>> result = permanova(D, [0] * 8 + [1] * 8, random_state=0)
    >>> round(result.p_value, 3)
    0.001
    """
    D, codes, n_groups = _check_distances(D, labels)
    if not isinstance(n_permutations, (int, np.integer)) or n_permutations < 1:
        raise ValueError(f"n_permutations must be a positive integer; got {n_permutations!r}.")
    n_partitions = distinct_partitions(codes)
    if 1 / n_partitions > 0.05:
        sizes = sorted(np.bincount(codes).tolist())
        warn(
            f"With groups of sizes {sizes}, the labels split the systems in only "
            f"{n_partitions} distinct ways, so the exact permutation p-value cannot fall "
            f"below 1/{n_partitions} = {1 / n_partitions:.3f}: the test cannot reach "
            "significance at 0.05. Compare more systems per group.")
    squared = D ** 2
    statistic = _pseudo_f(squared, codes, n_groups)
    # Fixed chunks, each with its own seed: the same draws for any n_jobs.
    sizes = [len(chunk) for chunk in np.array_split(np.arange(n_permutations),
                                                    min(n_permutations, 16))]
    seeds = np.random.SeedSequence(draw_seed(random_state)).spawn(len(sizes))
    chunks = Parallel(n_jobs=n_jobs)(
        delayed(_permuted_statistics)(squared, codes, n_groups, seed, size)
        for seed, size in zip(seeds, sizes))
    permuted = np.concatenate(chunks)
    p_value = (1 + np.sum(permuted >= statistic - 1e-12 * abs(statistic))) / (1 + n_permutations)
    return PermanovaResult(float(statistic), float(p_value), permuted)
