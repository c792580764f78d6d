"""DMD with control: a linear operator for the states and one for the inputs that drive them."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..embedding._validation import check_driven
from ..recordings._validation import restore_layout
from ..utils._fitting import atomic_fit
from ._rank import optimal_hard_threshold_rank, variance_ratio
from ._solvers import check_fittable, decompose


def input_lags(inputs, embedding, n_input_delays):
    """Per series, the inputs aligned with the rows of the state embedding.

    Row ``t`` of embedded series ``i`` holds the state at time ``s = t + span``;
    its input row is ``[u[s], u[s - d], ..., u[s - (n_input_delays - 1) d]]``
    with ``d`` the embedding's delay interval. Rows whose oldest input lag
    precedes the series start get NaN.
    """
    d, span = embedding.delay_interval, embedding.span
    lagged = []
    for u, n_rows in zip(inputs, embedding.lengths):
        rows = np.full((n_rows, u.shape[1] * n_input_delays), np.nan)
        for k in range(n_input_delays):
            first = span - k * d  # input time of row 0 for lag k
            valid = slice(max(0, -first), n_rows)
            rows[valid, k * u.shape[1]:(k + 1) * u.shape[1]] = \
                u[max(0, first):first + n_rows]
        lagged.append(rows)
    return lagged


class DMDcRegressor(TransformerMixin, BaseEstimator):
    """DMD with control: ``z[t + 1] ~= A z[t] + B u[t]`` fitted to driven time series.

    The states (typically delay embedded by a :class:`HankelEmbedder`) are
    projected onto their leading ``rank`` principal directions, and the next
    reduced state is ridge-regressed on the current one and the inputs. ``A``
    (``operator_``) is the recurrent dynamics without the drive, which plain
    DMD folds into its operator; ``B`` (``input_operator_``) is how the inputs
    enter. Both are what :class:`InputDSA` compares.

    Parameters
    ----------
    rank : int, "auto" or None, default=None
        Number of principal directions of the states kept (as in
        :class:`DMDRegressor`; "auto" is the Gavish-Donoho threshold).
    rank_threshold : float or None, default=None
        Keep the directions whose singular value exceeds this threshold.
    explained_variance : float in (0, 1] or None, default=None
        Keep the fewest directions explaining this fraction of the variance.
    alpha : float, default=0.0
        Ridge penalty on ``[A, B]`` in the reduced coordinates.
    n_input_delays : int, default=1
        Lags of the input in ``u[t]``: 1 uses the current input only; ``k``
        stacks ``u[t], u[t - d], ..., u[t - (k - 1) d]`` (``d`` the delay
        interval of the state embedding, 1 without one).
    n_inputs : int or None, default=None
        For a plain recording (not a :class:`DrivenRecording`): how many of its
        last features are the inputs. None requires a DrivenRecording.
    n_observed : int or None, default=None
        Number of leading state columns that :meth:`score` evaluates (set it to
        the raw feature count behind a :class:`HankelEmbedder`, as in
        :class:`DMDRegressor`).
    svd_solver : {"auto", "full", "covariance_eigh"}, default="auto"
        How the principal directions are computed (see :class:`DMDRegressor`).

    Attributes
    ----------
    operator_ : ndarray of shape (`rank_`, `rank_`)
        ``A``: ``z[t + 1] ~= operator_ @ z[t] + input_operator_ @ u[t]``.
    input_operator_ : ndarray of shape (`rank_`, `n_inputs_in_` * n_input_delays)
        ``B``, in the input's own coordinates.
    full_operator_ : ndarray of shape (`n_features_in_`, `n_features_in_`)
        ``A`` in the state space: ``components_.T @ operator_ @ components_``.
    full_input_operator_ : ndarray of shape (`n_features_in_`, `n_inputs_in_` * n_input_delays)
        ``B`` in the state space.
    eigenvalues_ : ndarray of shape (`rank_`,), complex
        Eigenvalues of ``operator_`` (discrete-time).
    components_ : ndarray of shape (`rank_`, `n_features_in_`)
        Orthonormal rows: ``z = x @ components_.T``.
    rank_ : int
        Number of directions kept.
    signal_rank_ : int
        Gavish-Donoho estimate of the number of directions above the noise.
    singular_values_ : ndarray of shape (n_modes,)
        Singular values of the stacked states.
    explained_variance_ratio_ : ndarray of shape (n_modes,)
        Fraction of the variance each direction explains.
    n_features_in_ : int
        Number of state columns (after any embedding).
    n_inputs_in_ : int
        Number of input channels.
    svd_solver_ : str
        The solver used.

    See Also
    --------
    DrivenRecording : States with their inputs.
    SubspaceDMDcRegressor : For partially observed driven systems.
    DMDRegressor : The same model without inputs.

    Notes
    -----
    A recording is a :class:`DrivenRecording` (states: one series
    ``(n_timepoints, n_features)``, trials ``(n_trials, n_timepoints,
    n_features)`` or a list of ragged trials, possibly delay embedded; inputs
    with the same trial structure), or with ``n_inputs`` a plain recording
    whose last ``n_inputs`` features are the inputs. Transitions are formed
    inside each trial only.

    Unlike :class:`DMDRegressor`, the reduced coordinates are not whitened:
    ``z = x U_r`` with orthonormal ``U_r``. Whitening divides by the state's
    standard deviation along each direction, which depends on how strongly the
    inputs drive it, so two copies of one system driven differently would get
    different operators. With orthonormal coordinates they get orthogonally
    similar ones, which the Procrustes comparison of :class:`InputDSA` removes.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import DMDcRegressor, DrivenRecording
    >>> rng = np.random.default_rng(0)
    >>> A, B = np.array([[0.9, -0.2], [0.2, 0.9]]), np.array([[1.0], [0.0]])
    >>> u = rng.normal(size=(200, 1))
    >>> x = np.zeros((200, 2))
    >>> for t in range(199):
    ...     x[t + 1] = A @ x[t] + B @ u[t]
    >>> dmdc = DMDcRegressor().fit(DrivenRecording(x, u))
    >>> np.round(np.sort_complex(dmdc.eigenvalues_), 6)
    array([0.9-0.2j, 0.9+0.2j])
    """

    _parameter_constraints = {
        "rank": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}), None],
        "rank_threshold": [Interval(Real, 0, None, closed="left"), None],
        "explained_variance": [Interval(Real, 0, 1, closed="right"), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "n_input_delays": [Interval(Integral, 1, None, closed="left")],
        "n_inputs": [Interval(Integral, 1, None, closed="left"), None],
        "n_observed": [Interval(Integral, 1, None, closed="left"), None],
        "svd_solver": [StrOptions({"auto", "full", "covariance_eigh"})],
    }

    def __init__(self, rank=None, rank_threshold=None, explained_variance=None, alpha=0.0,
                 n_input_delays=1, n_inputs=None, n_observed=None, svd_solver="auto"):
        self.rank = rank
        self.rank_threshold = rank_threshold
        self.explained_variance = explained_variance
        self.alpha = alpha
        self.n_input_delays = n_input_delays
        self.n_inputs = n_inputs
        self.n_observed = n_observed
        self.svd_solver = svd_solver

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit ``A`` and ``B`` to the transitions inside each trial of ``X``.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``
            States with their inputs (see Notes).
        y : None
            Ignored.

        Returns
        -------
        self : DMDcRegressor
        """
        embedding, inputs = check_driven(X, estimator=self, reset=True,
                                         n_inputs=self.n_inputs)
        check_fittable(self, embedding)
        lagged = input_lags(inputs, embedding, self.n_input_delays)
        if not any(np.isfinite(u[:-1]).all(axis=1).any() for u in lagged):
            raise ValueError(
                f"n_input_delays={self.n_input_delays} leaves no transition with all "
                "its input lags inside the recording; lower n_input_delays or pass "
                "longer trials."
            )
        shape = (sum(embedding.lengths), self.n_features_in_)
        solver, s, Ut, n_modes, _, rank = decompose(self, embedding)
        self.svd_solver_, self.singular_values_ = solver, s
        self.explained_variance_ratio_ = variance_ratio(s)
        self.signal_rank_ = optimal_hard_threshold_rank(s[:n_modes], shape)
        self.rank_ = rank
        self.components_ = Ut[:rank]
        reduced = embedding.dot(self.components_.T)
        now, after = _transitions(reduced, lagged)
        # Ridge regression of z[t + 1] on [z[t], u[t]].
        gram = now.T @ now + self.alpha * np.eye(now.shape[1])
        coefficients = np.linalg.lstsq(gram, now.T @ after, rcond=None)[0].T
        self.operator_ = coefficients[:, :rank]
        self.input_operator_ = coefficients[:, rank:]
        self.eigenvalues_ = np.linalg.eigvals(self.operator_)
        self.full_operator_ = self.components_.T @ self.operator_ @ self.components_
        self.full_input_operator_ = self.components_.T @ self.input_operator_
        return self

    def transform(self, X):
        """Project the states of ``X`` onto the reduced coordinates.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``

        Returns
        -------
        Z : ndarray or list of ndarray
            The structure of the states, with ``rank_`` columns.
        """
        check_is_fitted(self)
        embedding, _ = check_driven(X, estimator=self, reset=False, n_inputs=self.n_inputs)
        return restore_layout(embedding.dot(self.components_.T), embedding.layout)

    def predict(self, X, n_steps=1):
        """Forecast the states ``n_steps`` ahead, given the inputs in between.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``
            States with their inputs.
        n_steps : int, default=1
            Row ``t`` of the output forecasts row ``t + n_steps`` from row ``t``
            and the inputs of rows ``t`` to ``t + n_steps - 1``: ``A^k z[t] +
            sum_j A^(k-1-j) B u[t + j]``. With ``n_steps`` equal to a trial's
            length minus one, the first row is a free run through the whole
            trial driven by its inputs. Rows without those inputs are NaN.

        Returns
        -------
        X_pred : ndarray or list of ndarray
            Forecast states, in the structure and shape of the states.
        """
        check_is_fitted(self)
        if not isinstance(n_steps, Integral) or n_steps < 1:
            raise ValueError(f"n_steps must be an integer >= 1, got {n_steps!r}.")
        embedding, inputs = check_driven(X, estimator=self, reset=False,
                                         n_inputs=self.n_inputs)
        lagged = input_lags(inputs, embedding, self.n_input_delays)
        reduced = embedding.dot(self.components_.T)
        forecasts = [self._forecast(z, u, n_steps) @ self.components_
                     for z, u in zip(reduced, lagged)]
        return restore_layout(forecasts, embedding.layout)

    def _forecast(self, z, u, n_steps):
        """Row ``t``: the reduced state forecast at ``t + n_steps`` (NaN where inputs lack)."""
        forecast = np.full(z.shape, np.nan)
        n = z.shape[0] - n_steps
        if n <= 0:
            return forecast
        state = z[:n]
        for j in range(n_steps):
            state = state @ self.operator_.T + u[j:j + n] @ self.input_operator_.T
        forecast[:n] = state
        return forecast

    def score(self, X, y=None):
        """One-step forecast R^2 on (held-out) driven series.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``
            States with their inputs.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Variance-weighted R^2 of forecasting the first ``n_observed`` state
            columns of row ``t + 1`` from row ``t`` and its inputs, inside every
            trial (rows whose input lags precede the trial are left out).
        """
        check_is_fitted(self)
        embedding, inputs = check_driven(X, estimator=self, reset=False,
                                         n_inputs=self.n_inputs)
        if max(embedding.lengths) < 2:
            raise ValueError("DMDcRegressor.score needs a series with at least 2 timepoints.")
        n_columns = self.n_observed or self.n_features_in_
        lagged = input_lags(inputs, embedding, self.n_input_delays)
        reduced = embedding.dot(self.components_.T)
        observed = embedding.leading_columns(n_columns)
        actual, forecast = [], []
        for z, u, x in zip(reduced, lagged, observed):
            predicted = self._forecast(z, u, 1)[:-1] @ self.components_[:, :n_columns]
            keep = np.isfinite(predicted).all(axis=1)
            actual.append(x[1:][keep])
            forecast.append(predicted[keep])
        actual, forecast = np.concatenate(actual), np.concatenate(forecast)
        # R^2 is scale-free; a power-of-2 rescale keeps extreme magnitudes finite.
        scale = 2.0 ** np.round(np.log2(max(np.abs(actual).max(), np.finfo(float).tiny)))
        return r2_score(actual / scale, forecast / scale, multioutput="variance_weighted")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags


def _transitions(reduced, lagged):
    """Stacked ``[z[t], u[t]]`` and ``z[t + 1]`` over the transitions with all input lags."""
    now, after = [], []
    for z, u in zip(reduced, lagged):
        keep = np.isfinite(u[:-1]).all(axis=1)
        now.append(np.hstack([z[:-1], u[:-1]])[keep])
        after.append(z[1:][keep])
    return np.concatenate(now), np.concatenate(after)
