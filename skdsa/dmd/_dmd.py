"""Hankel (HAVOK) dynamic mode decomposition."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..embedding._validation import check_embedding
from ..recordings._validation import restore_layout
from ..utils._fitting import atomic_fit
from ..utils._signs import flip_signs
from ._rank import optimal_hard_threshold_rank, variance_ratio
from ._residuals import eigenpair_residuals
from ._solvers import check_fittable, decompose


class DMDRegressor(TransformerMixin, BaseEstimator):
    """Hankel (HAVOK) DMD: a low-rank linear operator fitted to time series.

    The series (typically the output of :class:`HankelEmbedder`) are stacked,
    decomposed by an SVD ``H = V S U^T``, truncated to ``rank`` modes, and the
    next whitened time coordinate ``v[t + 1]`` is ridge-regressed on the current
    one ``v[t]``. The result is the ``rank x rank`` operator compared by DSA.

    Parameters
    ----------
    rank : int, "auto" or None, default=None
        Number of SVD modes kept. "auto" uses the Gavish-Donoho optimal hard
        threshold. None keeps every mode above numerical precision unless
        ``rank_threshold`` or ``explained_variance`` is given. Set at most one
        of ``rank``, ``rank_threshold`` and ``explained_variance``.
    rank_threshold : float or None, default=None
        Keep the modes whose singular value exceeds this threshold.
    explained_variance : float in (0, 1] or None, default=None
        Keep the fewest modes whose cumulative explained variance reaches this
        fraction.
    alpha : float, default=0.0
        Ridge penalty of the regression, in whitened coordinates (comparable
        to ``lamb`` of the reference implementation).
    reduced_rank : bool, default=False
        If False, regress within the leading ``rank`` modes (principal
        component regression). If True, regress on all modes and keep the
        ``rank``-dimensional subspace that best predicts the next step
        (reduced-rank regression).
    n_observed : int or None, default=None
        Number of leading columns that hold the observed state. :meth:`score`
        evaluates forecasts of these columns only. Behind a
        :class:`HankelEmbedder`, set it to the number of raw features so that
        scores compare across ``n_delays`` (otherwise the trivially predictable
        lagged copies inflate the score). None scores all columns.
    max_residual : float or None, default=None
        If given, eigenpairs whose residual on the training data
        (``residuals_``, see Notes) exceeds it are dropped after the fit: the
        operator is restricted to the invariant subspace of the kept
        eigenpairs (conjugate pairs stay together), so ``rank_`` can fall
        below the rank asked for and DSA then needs ``size_mismatch="pad"``.
    svd_solver : {"auto", "full", "covariance_eigh"}, default="auto"
        How the SVD of the stacked series is computed. "full": exact SVD of the
        stacked (materialised) embedding; memory grows with ``n_timepoints *
        n_features`` (times ``n_delays`` behind a :class:`HankelEmbedder`).
        "covariance_eigh": eigendecomposition of the Gram matrix ``H^T H``,
        accumulated lag by lag from the raw series behind a
        :class:`HankelEmbedder`; memory and time do not grow with
        ``n_timepoints * n_delays``, but the Gram matrix squares the condition
        number, so singular values below ``s[0] * sqrt(eps * max(n_rows,
        n_features))`` are not resolved and the operator's error grows like
        ``eps * (s[0] / s[rank - 1])^2``. "auto": "covariance_eigh" when there
        are at least as many rows as columns and the weakest mode used keeps
        ``s[rank - 1] >= 1e-3 * s[0]`` (errors below about 1e-10), else
        "full". The solver used is ``svd_solver_``.

    Attributes
    ----------
    operator_ : ndarray of shape (`rank_`, `rank_`)
        Reduced operator: ``z[t + 1] ~= operator_ @ z[t]`` for the reduced
        coordinates ``z`` returned by :meth:`transform`.
    full_operator_ : ndarray of shape (`n_features_in_`, `n_features_in_`)
        The operator in the input space: ``x[t + 1] ~= full_operator_ @ x[t]``.
    eigenvalues_ : ndarray of shape (`rank_`,), complex
        Eigenvalues of ``operator_`` (discrete-time).
    modes_ : ndarray of shape (`n_features_in_`, `rank_`), complex
        DMD modes: eigenvectors of ``full_operator_`` in the input space.
    components_ : ndarray of shape (`rank_`, `n_features_in_`)
        Projection onto the reduced coordinates: ``z = x @ components_.T``.
    rank_ : int
        Number of modes kept.
    signal_rank_ : int
        Gavish-Donoho optimal hard threshold estimate of the number of modes
        above the noise (what ``rank="auto"`` keeps), whatever ``rank`` is.
    residuals_ : ndarray of shape (`rank_`,)
        Relative residual of each eigenpair of ``operator_`` on the training
        data (aligned with ``eigenvalues_``; see Notes): near 0 for an
        eigenpair the data follow, large for one fitted to noise.
    singular_values_ : ndarray of shape (n_modes,)
        Singular values of the stacked input.
    explained_variance_ratio_ : ndarray of shape (n_modes,)
        Fraction of the total variance (sum of squares) each mode explains.
    n_features_in_ : int
        Number of input columns.
    svd_solver_ : str
        The solver used: "full" or "covariance_eigh".

    See Also
    --------
    HankelEmbedder : Delay embedding to put in front of this estimator.

    Notes
    -----
    Input is one series ``(n_timepoints, n_features)``, trials
    ``(n_trials, n_timepoints, n_features)`` or a list of ``(n_timepoints_i,
    n_features)`` arrays of different lengths. Transitions are formed inside
    each trial or list element only, never across their boundaries.

    The reduced coordinates are whitened (``z = x U_r S_r^{-1}``, like the
    ``V`` of the SVD), as in the reference implementation ``dsa-metric``, so
    ``operator_`` matches its ``A_v``. Each mode's sign is fixed (the
    largest-magnitude entry of each row of ``U_r^T`` is positive), so both
    solvers give the same ``operator_``.

    Residuals (residual DMD, after Colbrook & Townsend, 2024). An eigenpair
    ``(lambda, g)`` of the operator, with ``g`` a left eigenvector, defines
    the observable ``phi(z) = z . g``, which a Koopman eigenfunction would
    advance exactly: ``phi(z[t + 1]) = lambda phi(z[t])``. Its residual is
    ``||phi(Z_next) - lambda phi(Z_current)|| / ||phi(Z_current)||`` over the
    transitions: 0 for an eigenpair of noiseless linear dynamics, large for
    one fitted to noise. ``residuals_`` is computed on the training data from
    Gram matrices (no pass over the data); :meth:`eigenvalue_residuals`
    evaluates it on any data, e.g. held-out trials.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import DMDRegressor
    >>> theta = 0.1
    >>> M = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    >>> x = [np.array([1.0, 0.0])]
    >>> for _ in range(50):
    ...     x.append(M @ x[-1])
    >>> dmd = DMDRegressor().fit(np.array(x))
    >>> np.round(np.sort_complex(dmd.eigenvalues_), 6)
    array([0.995004-0.099833j, 0.995004+0.099833j])
    """

    _parameter_constraints = {
        "rank": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}), None],
        "rank_threshold": [Interval(Real, 0, None, closed="left"), None],
        "explained_variance": [Interval(Real, 0, 1, closed="right"), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "reduced_rank": ["boolean"],
        "n_observed": [Interval(Integral, 1, None, closed="left"), None],
        "max_residual": [Interval(Real, 0, None, closed="left"), None],
        "svd_solver": [StrOptions({"auto", "full", "covariance_eigh"})],
    }

    def __init__(self, rank=None, rank_threshold=None, explained_variance=None,
                 alpha=0.0, reduced_rank=False, n_observed=None, max_residual=None,
                 svd_solver="auto"):
        self.rank = rank
        self.rank_threshold = rank_threshold
        self.explained_variance = explained_variance
        self.alpha = alpha
        self.reduced_rank = reduced_rank
        self.n_observed = n_observed
        self.max_residual = max_residual
        self.svd_solver = svd_solver

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the operator to the transitions inside each series of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DelayEmbedding
            Time series (e.g. the delay embedding of a :class:`HankelEmbedder`,
            which is fitted without being materialised).
        y : None
            Ignored.

        Returns
        -------
        self : DMDRegressor
            The fitted estimator.
        """
        grams = self._fit_operator(check_embedding(X, estimator=self, reset=True))
        eigenvalues, eigenvectors = np.linalg.eig(self.operator_)
        residuals = eigenpair_residuals(eigenvalues, eigenvectors, *grams)
        if self.max_residual is not None:
            to_kept = self._keep_eigenpairs(eigenvalues, eigenvectors, residuals)
            grams = [to_kept.T @ M @ to_kept for M in grams]
            eigenvalues, eigenvectors = np.linalg.eig(self.operator_)
            residuals = eigenpair_residuals(eigenvalues, eigenvectors, *grams)
        self.eigenvalues_, self.residuals_ = eigenvalues, residuals
        self.full_operator_ = self._reconstruction.T @ self.operator_ @ self.components_
        self.modes_ = self._reconstruction.T @ eigenvectors
        return self

    def _fit_operator(self, embedding):
        """Every fitted attribute but the spectrum: the operator and its coordinates.

        What the automatic choice of the embedding needs to forecast, without the
        eigendecomposition. Returns the Gram matrices of the coordinates
        ``z`` over the transitions (current, current-next, next).
        """
        check_fittable(self, embedding)
        shape = (sum(embedding.lengths), self.n_features_in_)
        solver, s, Ut, n_modes, whitened_products, rank = decompose(
            self, embedding, reduced_rank=self.reduced_rank)
        n_used = n_modes if self.reduced_rank else rank
        self.svd_solver_ = solver
        self.singular_values_ = s
        self.explained_variance_ratio_ = variance_ratio(s)
        self.signal_rank_ = optimal_hard_threshold_rank(s[:n_modes], shape)
        self.rank_ = rank

        # Gram matrices of the whitened coordinates v = x U S^-1 over the
        # transitions: current^T current and current^T next.
        current, transition = whitened_products(n_used)
        B = np.linalg.lstsq(current + self.alpha * np.eye(n_used), transition,
                            rcond=None)[0]
        if self.reduced_rank:
            # Keep the rank-dimensional subspace that carries most of the
            # predicted next step (right singular vectors of V_current B).
            _, vectors = np.linalg.eigh(B.T @ current @ B)
            basis = flip_signs(vectors[:, ::-1][:, :rank])
            self.operator_ = basis.T @ B.T @ basis
        else:
            self.operator_ = B.T
            basis = np.eye(n_used)
        # z = v @ basis with v = x @ U S^-1, and x ~= z @ basis.T @ S @ U^T.
        self.components_ = basis.T @ (Ut[:n_used] / s[:n_used, None])
        self._reconstruction = basis.T @ (s[:n_used, None] * Ut[:n_used])
        # Gram matrices of z over the transitions. In whitened coordinates all
        # rows give the identity, so the next-step rows give I minus the first rows.
        first = embedding.first_rows() @ (Ut[:n_used] / s[:n_used, None]).T
        grams = [current, transition, np.eye(n_used) - first.T @ first]
        return [basis.T @ M @ basis for M in grams] if self.reduced_rank else grams

    def _keep_eigenpairs(self, eigenvalues, eigenvectors, residuals):
        """Restrict the operator to the invariant subspace of the eigenpairs kept.

        Returns the matrix ``M`` of the new coordinates ``y = z @ M``.
        """
        keep = residuals <= self.max_residual
        for k in np.flatnonzero(keep & (eigenvalues.imag != 0)):
            keep[np.argmin(np.abs(eigenvalues - np.conj(eigenvalues[k])))] = True
        if not keep.any():
            raise ValueError(
                f"max_residual={self.max_residual} drops every eigenpair (smallest "
                f"residual {residuals.min():.3g}). Raise it, or lower rank."
            )
        # y = Q^T P z: P projects onto the kept modes along the dropped ones and
        # commutes with the operator, so the kept dynamics are exact in y; Q is
        # a real orthonormal basis of the kept modes' span.
        kept = eigenvectors[:, keep]
        projector = (kept @ np.linalg.solve(eigenvectors, np.eye(len(keep)))[keep]).real
        rank = int(np.sum(keep))
        span = np.linalg.svd(np.concatenate([kept.real, kept.imag], axis=1),
                             full_matrices=False)[0]
        Q = flip_signs(span[:, :rank])
        self.operator_ = Q.T @ self.operator_ @ Q
        self.components_ = Q.T @ projector @ self.components_
        self._reconstruction = Q.T @ self._reconstruction
        self.rank_ = rank
        return projector.T @ Q

    def transform(self, X):
        """Project ``X`` onto the reduced (whitened) coordinates.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DelayEmbedding
            Time series with ``n_features_in_`` columns.

        Returns
        -------
        Z : ndarray or list of ndarray
            Same structure as ``X`` with ``rank_`` columns.
        """
        check_is_fitted(self)
        embedding = check_embedding(X, estimator=self, reset=False)
        return restore_layout(embedding.dot(self.components_.T), embedding.layout)

    def predict(self, X, n_steps=1, free_run=False):
        """Forecast with the fitted operator.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DelayEmbedding
            Time series with ``n_features_in_`` columns.
        n_steps : int, default=1
            Forecast horizon. Row ``t`` of the output forecasts row
            ``t + n_steps`` from row ``t``. Ignored when ``free_run`` is True.
        free_run : bool, default=False
            If True, each series is replaced by a free-running simulation from
            its first row: row ``t`` is ``full_operator_^t @ x[0]``.

        Returns
        -------
        X_pred : ndarray or list of ndarray
            Same structure and shape as ``X``.
        """
        check_is_fitted(self)
        if not isinstance(n_steps, Integral) or n_steps < 0:
            raise ValueError(f"n_steps must be an integer >= 0, got {n_steps!r}.")
        embedding = check_embedding(X, estimator=self, reset=False)
        reduced = embedding.dot(self.components_.T)
        if free_run:
            forecasts = [self._simulate(z[0], z.shape[0]) for z in reduced]
        else:
            forecasts = [self._forecast(z, n_steps) for z in reduced]
        return restore_layout(forecasts, embedding.layout)

    def _forecast(self, z, n_steps=1, columns=slice(None)):
        """Row ``t`` forecasts row ``t + n_steps`` from the reduced coordinates ``z``."""
        step = np.linalg.matrix_power(self.operator_, n_steps)
        return z @ (step.T @ self._reconstruction[:, columns])

    def _simulate(self, z0, n_timepoints):
        z = np.empty((n_timepoints, self.rank_))
        z[0] = z0
        for t in range(1, n_timepoints):
            z[t] = self.operator_ @ z[t - 1]
        return z @ self._reconstruction

    def eigenvalue_residuals(self, X):
        """Relative residual of each eigenpair on the transitions of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DelayEmbedding
            Time series with ``n_features_in_`` columns, e.g. held-out trials.

        Returns
        -------
        residuals : ndarray of shape (`rank_`,)
            Aligned with ``eigenvalues_`` (see Notes of the class).
        """
        check_is_fitted(self)
        embedding = check_embedding(X, estimator=self, reset=False)
        if max(embedding.lengths) < 2:
            raise ValueError(
                "DMDRegressor.eigenvalue_residuals needs a series with at least 2 "
                "timepoints."
            )
        reduced = embedding.dot(self.components_.T)
        now = np.concatenate([z[:-1] for z in reduced])
        after = np.concatenate([z[1:] for z in reduced])
        eigenvalues, eigenvectors = np.linalg.eig(self.operator_)
        residuals = eigenpair_residuals(eigenvalues, eigenvectors, now.T @ now, now.T @ after,
                               after.T @ after)
        # np.linalg.eig is deterministic: same order as eigenvalues_.
        return residuals

    def score(self, X, y=None):
        """One-step forecast R^2 on (held-out) series.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DelayEmbedding
            Time series with ``n_features_in_`` columns.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Variance-weighted R^2 of forecasting ``x[t + 1]`` from ``x[t]``
            inside every series, over the first ``n_observed`` columns.
        """
        check_is_fitted(self)
        embedding = check_embedding(X, estimator=self, reset=False)
        if max(embedding.lengths) < 2:
            raise ValueError(
                "DMDRegressor.score needs a series with at least 2 timepoints."
            )
        n_columns = self.n_observed or self.n_features_in_
        observed = embedding.leading_columns(n_columns)
        reduced = embedding.dot(self.components_.T)
        actual = np.concatenate([x[1:] for x in observed])
        forecast = np.concatenate([self._forecast(z[:-1], columns=slice(None, n_columns))
                                   for z in reduced])
        # R^2 is scale-free; a power-of-2 rescale keeps extreme magnitudes from
        # over- or underflowing in its sums of squares.
        scale = 2.0 ** np.round(np.log2(max(np.abs(actual).max(), np.finfo(float).tiny)))
        return r2_score(actual / scale, forecast / scale, multioutput="variance_weighted")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

