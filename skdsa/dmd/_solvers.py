"""Solver paths of the DMD models: exact SVD, or Gram matrices of the lazy embedding."""

import numpy as np

from ..embedding import DelayEmbedding
from ..utils._signs import flip_signs, largest_entry_signs
from ._rank import check_rank, select_rank

# The covariance path squares the condition number: below this ratio of the
# weakest used to the largest singular value, "auto" takes the exact SVD.
_COVARIANCE_MIN_RATIO = 1e-3


def _transition_rows(lengths):
    """Row indices of (current, next) pairs that stay inside one series."""
    ends = np.cumsum(lengths)
    starts = ends - np.asarray(lengths)
    current = np.concatenate([np.arange(s, e - 1) for s, e in zip(starts, ends)])
    return current, current + 1


def _svd_path(embedding):
    """Exact decomposition: SVD of the stacked (materialised) embedding.

    Returns the singular values, the right singular vectors (rows), the
    numerical rank and a function giving, for the first ``k`` modes, the Gram
    matrices ``V_t^T V_t`` and ``V_t^T V_{t+1}`` of the whitened coordinates.
    """
    H = np.concatenate([embedding.embed(i) for i in range(len(embedding.series))])
    V, s, Ut = np.linalg.svd(H, full_matrices=False)
    signs = largest_entry_signs(Ut.T)
    V, Ut = V * signs, Ut * signs[:, None]
    n_modes = int(np.sum(s > s[0] * max(H.shape) * np.finfo(float).eps))
    current, following = _transition_rows(embedding.lengths)

    def whitened_products(k):
        return V[current, :k].T @ V[current, :k], V[current, :k].T @ V[following, :k]

    return s, Ut, n_modes, whitened_products


def _covariance_path(embedding):
    """Decomposition from the Gram matrices of the embedding (see :func:`_svd_path`).

    Memory and time do not grow with ``n_timepoints * n_delays``: the Gram
    matrices are accumulated from the raw series. Singular values below
    ``s[0] * sqrt(eps * max(n_rows, n_features))`` are not resolved.
    """
    scale = max(np.abs(x).max() for x in embedding.series)
    # Squares of extreme magnitudes over- or underflow: rescale by a power of 2 (exact).
    scale = 2.0 ** np.round(np.log2(scale)) if not 2.0**-250 < scale < 2.0**250 else 1.0
    if scale != 1.0:
        embedding = DelayEmbedding([x / scale for x in embedding.series], embedding.layout,
                                   embedding.n_delays, embedding.delay_interval)
    gram, current, transition = embedding.gram_matrices()
    eigenvalues, vectors = np.linalg.eigh(gram)
    n_rows = sum(embedding.lengths)
    n_values = min(n_rows, gram.shape[0])
    eigenvalues = np.clip(eigenvalues[::-1][:n_values], 0, None)
    Ut = flip_signs(vectors[:, ::-1][:, :n_values]).T
    s = np.sqrt(eigenvalues) * scale
    tolerance = eigenvalues[0] * max(n_rows, gram.shape[0]) * np.finfo(float).eps
    n_modes = max(1, int(np.sum(eigenvalues > tolerance)))

    def whitened_products(k):
        whiten = Ut[:k].T / (s[:k] / scale)
        return whiten.T @ current @ whiten, whiten.T @ transition @ whiten

    return s, Ut, n_modes, whitened_products


def _too_short_message(embedding):
    if embedding.n_delays == 1:
        return ("DMDRegressor needs a series with at least 2 timepoints to form a "
                "transition; every series has 1 sample. Pass longer series.")
    longest = max(x.shape[0] for x in embedding.series)
    return (f"n_delays={embedding.n_delays} with delay_interval="
            f"{embedding.delay_interval} leaves every series a single delay-embedded "
            f"row: the longest series has {longest} timepoints, and DMD needs at least "
            f"(n_delays - 1) * delay_interval + 2 = {embedding.span + 2} to form one "
            "transition. Lower n_delays or delay_interval, or pass longer series.")


def check_fittable(estimator, embedding):
    """Refuse series too short for a transition, constant series and a bad n_observed."""
    if max(embedding.lengths) < 2:
        raise ValueError(_too_short_message(embedding))
    n_observed = estimator.n_observed
    if n_observed is not None and n_observed > estimator.n_features_in_:
        raise ValueError(
            f"n_observed={n_observed} exceeds the {estimator.n_features_in_} "
            "columns of X. Set n_observed to the number of raw features."
        )
    if all(np.ptp(x, axis=0).max() == 0
           for x, n in zip(embedding.series, embedding.lengths) if n > 1):
        raise ValueError(
            f"{type(estimator).__name__}: X is constant over time in every series "
            "(zero variance), so it has no dynamics to fit. Check the recording, or "
            "drop constant systems."
        )


def decompose(estimator, embedding, reduced_rank=False):
    """SVD of the stacked series by the estimator's ``svd_solver``, and its rank.

    Under ``svd_solver="auto"``, the Gram-matrix path is tried first and the
    exact SVD taken when the kept modes are too weak for its squared condition
    number (see :class:`DMDRegressor`).

    Returns
    -------
    solver : str
    s, Ut, n_modes, whitened_products
        As returned by :func:`_svd_path`.
    rank : int
        The rank selected by the estimator's parameters (checked).
    """
    shape = (sum(embedding.lengths), embedding.n_features)
    if estimator.svd_solver != "auto":
        solvers = [estimator.svd_solver]
    else:
        solvers = ["covariance_eigh", "full"] if shape[0] >= shape[1] else ["full"]
    paths = {"full": _svd_path, "covariance_eigh": _covariance_path}
    for solver in solvers:
        s, Ut, n_modes, whitened_products = paths[solver](embedding)
        rank = select_rank(estimator, s, shape, n_modes)
        n_used = n_modes if reduced_rank else rank
        # Under "auto", kept modes too weak for the squared condition number
        # of the Gram matrix send the fit on to the exact path.
        if rank <= n_modes and s[n_used - 1] >= _COVARIANCE_MIN_RATIO * s[0]:
            break
    check_rank(rank, shape, n_modes, embedding)
    return solver, s, Ut, n_modes, whitened_products, rank
