"""Subspace identification (N4SID) of a driven linear system seen through its outputs."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..embedding._validation import check_driven
from ..utils._fitting import atomic_fit
from ..utils._signs import largest_entry_signs
from ._rank import optimal_hard_threshold_rank, select_rank, variance_ratio


def _windows(x, start, length, n_columns):
    """Columns ``j``: ``x[start + j], ..., x[start + j + length - 1]`` stacked (oldest first)."""
    return np.hstack([x[start + k:start + k + n_columns] for k in range(length)])


def _ridge(target, regressors, alpha):
    """Coefficients ``M`` of ``target ~= regressors @ M`` (rows are samples)."""
    gram = regressors.T @ regressors
    gram += alpha * np.trace(gram) / len(gram) * np.eye(len(gram))
    return np.linalg.lstsq(gram, regressors.T @ target, rcond=None)[0]


class SubspaceDMDcRegressor(BaseEstimator):
    """Subspace identification of a driven linear system: for partially observed states.

    Fits the state-space model ``x[t + 1] = A x[t] + B u[t]``, ``y[t] = C x[t]
    + D u[t]`` to outputs ``y`` (the recorded features, a partial and noisy view
    of the state ``x``) and inputs ``u``, by the N4SID method (van Overschee & De
    Moor, 1994): the future outputs are projected obliquely, along the future
    inputs, onto the past inputs and outputs; the SVD of that projection gives
    the state sequence (its order is ``rank``), and ``A, B, C, D`` follow by
    least squares on consecutive states. ``A`` (``operator_``) and ``B``
    (``input_operator_``) are what :class:`InputDSA` compares.

    Parameters
    ----------
    n_past : int, default=10
        Past window ``p`` (samples of past inputs and outputs that determine
        the state). It must be at least the state order over the number of
        outputs, and ``n_past + n_future + 1`` at most the trial length.
    n_future : int, default=10
        Future window ``f``; ``f * n_outputs`` bounds the state order.
    rank : int, "auto" or None, default=None
        State order: the number of singular values of the projection kept.
        "auto" uses the Gavish-Donoho threshold; None keeps every one above
        numerical precision unless ``rank_threshold`` or ``explained_variance``
        is given.
    rank_threshold : float or None, default=None
        Keep the singular values above this threshold.
    explained_variance : float in (0, 1] or None, default=None
        Keep the fewest singular values explaining this fraction of the sum of squares.
    alpha : float, default=1e-10
        Ridge penalty of the projection and of the regressions, relative to
        the mean eigenvalue of each Gram matrix.
    n_inputs : int or None, default=None
        For a plain recording (not a :class:`DrivenRecording`): how many of its
        last features are the inputs.

    Attributes
    ----------
    operator_ : ndarray of shape (`rank_`, `rank_`)
        ``A``.
    input_operator_ : ndarray of shape (`rank_`, `n_inputs_in_`)
        ``B``.
    output_operator_ : ndarray of shape (`n_features_in_`, `rank_`)
        ``C``.
    feedthrough_ : ndarray of shape (`n_features_in_`, `n_inputs_in_`)
        ``D``.
    state_observer_ : ndarray of shape (n_past * (`n_inputs_in_` + `n_features_in_`), `rank_`)
        Maps a past window ``[u[t - p:t], y[t - p:t]]`` (flattened, oldest
        first, inputs then outputs) to the state at ``t``.
    eigenvalues_ : ndarray of shape (`rank_`,), complex
        Eigenvalues of ``A``.
    singular_values_ : ndarray
        Singular values of the projection (their drop reveals the order).
    explained_variance_ratio_ : ndarray
        Fraction of their sum of squares each explains.
    rank_ : int
        State order.
    signal_rank_ : int
        Gavish-Donoho estimate of the order.
    n_features_in_ : int
        Number of outputs.
    n_inputs_in_ : int
        Number of inputs.

    See Also
    --------
    DMDcRegressor : When the state is observed (or delay embedding recovers it).
    DrivenRecording : Outputs with their inputs.

    Notes
    -----
    Assumptions: the system is linear and time-invariant (a nonlinear system is
    approximated by the linear model that best predicts its outputs), the
    inputs are persistently exciting (rich enough to excite every mode: white
    noise is, a constant is not) and not driven by the outputs (no feedback),
    and the noise is independent of the inputs. The state coordinates are
    those of the SVD (balanced: ``X = S^(1/2) V^T``, each state's sign fixed),
    one similarity class member among many; :class:`InputDSA` compares them up
    to an orthogonal change of coordinates.

    Windows never cross trial boundaries: a trial of length ``T`` contributes
    ``T - n_past - n_future + 1`` windows. Memory grows with the number of
    windows times ``(n_past + n_future) * (n_features + n_inputs)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import DrivenRecording, SubspaceDMDcRegressor
    >>> rng = np.random.default_rng(0)
    >>> A = np.array([[0.9, -0.3, 0.0], [0.3, 0.9, 0.0], [0.0, 0.0, 0.5]])
    >>> B, C = rng.normal(size=(3, 1)), np.array([[1.0, 0.0, 1.0]])
    >>> u, x = rng.normal(size=(2000, 1)), np.zeros((2000, 3))
    >>> for t in range(1999):
    ...     x[t + 1] = A @ x[t] + B @ u[t]
    >>> model = SubspaceDMDcRegressor(n_past=5, n_future=5, rank=3)
    >>> model.fit(DrivenRecording(x @ C.T, u))  # one output of three states
    SubspaceDMDcRegressor(n_future=5, n_past=5, rank=3)
    >>> np.round(np.sort_complex(model.eigenvalues_), 6) + 0  # + 0: no sign on zeros
    array([0.5+0.j , 0.9-0.3j, 0.9+0.3j])
    """

    _parameter_constraints = {
        "n_past": [Interval(Integral, 1, None, closed="left")],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "rank": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}), None],
        "rank_threshold": [Interval(Real, 0, None, closed="left"), None],
        "explained_variance": [Interval(Real, 0, 1, closed="right"), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "n_inputs": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, n_past=10, n_future=10, rank=None, rank_threshold=None,
                 explained_variance=None, alpha=1e-10, n_inputs=None):
        self.n_past = n_past
        self.n_future = n_future
        self.rank = rank
        self.rank_threshold = rank_threshold
        self.explained_variance = explained_variance
        self.alpha = alpha
        self.n_inputs = n_inputs

    def _trials(self, X, reset):
        embedding, inputs = check_driven(X, estimator=self, reset=reset, n_inputs=self.n_inputs)
        if embedding.n_delays > 1:
            raise ValueError(
                "SubspaceDMDcRegressor builds its own past and future windows; pass the "
                "recording without a HankelEmbedder (set n_past and n_future instead)."
            )
        return embedding.series, inputs

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Identify ``A, B, C, D`` from the outputs and inputs of every trial.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``
            Outputs (the recorded features) with their inputs.
        y : None
            Ignored.

        Returns
        -------
        self : SubspaceDMDcRegressor
        """
        outputs, inputs = self._trials(X, reset=True)
        p, f = self.n_past, self.n_future
        needed = p + f + 1
        longest = max(len(y_) for y_ in outputs)
        if longest < needed:
            raise ValueError(
                f"n_past={p} and n_future={f} need trials of at least n_past + n_future "
                f"+ 1 = {needed} timepoints; the longest has {longest} sample(s). Lower "
                "n_past or n_future, or pass longer trials."
            )
        past, future_inputs, future_outputs, trial_of = [], [], [], []
        for k, (y_, u) in enumerate(zip(outputs, inputs)):
            n_columns = len(y_) - p - f + 1
            if n_columns < 2:
                continue
            past.append(np.hstack([_windows(u, 0, p, n_columns), _windows(y_, 0, p, n_columns)]))
            future_inputs.append(_windows(u, p, f, n_columns))
            future_outputs.append(_windows(y_, p, f, n_columns))
            trial_of.append(np.full(n_columns, k))
        past, future_inputs = np.concatenate(past), np.concatenate(future_inputs)
        future_outputs, trial_of = np.concatenate(future_outputs), np.concatenate(trial_of)
        # Oblique projection of the future outputs along the future inputs onto
        # the past: the part of Y_f predicted by the past data, i.e. by the state.
        coefficients = _ridge(future_outputs, np.hstack([past, future_inputs]), self.alpha)
        projection = past @ coefficients[:past.shape[1]]
        left, s, right_t = np.linalg.svd(projection, full_matrices=False)
        n_modes = max(1, int(np.sum(s > s[0] * max(projection.shape) * np.finfo(float).eps)))
        self.singular_values_ = s
        self.explained_variance_ratio_ = variance_ratio(s)
        self.signal_rank_ = optimal_hard_threshold_rank(s[:n_modes], projection.shape)
        rank = select_rank(self, s, projection.shape, n_modes)
        if rank > n_modes:
            raise ValueError(
                f"rank={rank} exceeds the {n_modes} states the data resolve with "
                f"n_past={p} and n_future={f} ({self.n_features_in_} outputs). Lower rank, "
                "or raise n_future (the order is at most n_future * n_outputs)."
            )
        # Output-normal coordinates: the extended observability matrix (the
        # right singular vectors) is orthonormal, the states carry the scale.
        signs = largest_entry_signs(right_t[:rank].T)
        states = left[:, :rank] * (s[:rank] * signs)  # row j: the state at j + p
        # The same states as a linear function of the past window, to start
        # forecasts of new trials: states = past @ observer.
        self.state_observer_ = coefficients[:past.shape[1]] @ right_t[:rank].T * signs
        self.rank_ = rank
        # Consecutive windows of one trial: x[t + 1] = A x[t] + B u[t], y[t] = C x[t] + D u[t].
        same = trial_of[1:] == trial_of[:-1]
        current_inputs = future_inputs[:, :self.n_inputs_in_]
        regressors = np.hstack([states, current_inputs])
        transition = _ridge(states[1:][same], regressors[:-1][same], self.alpha).T
        self.operator_ = transition[:, :rank]
        self.input_operator_ = transition[:, rank:]
        output = _ridge(future_outputs[:, :self.n_features_in_], regressors, self.alpha).T
        self.output_operator_, self.feedthrough_ = output[:, :rank], output[:, rank:]
        self.eigenvalues_ = np.linalg.eigvals(self.operator_)
        return self

    def predict(self, X):
        """Forecast every trial's outputs from its first ``n_past`` steps and its inputs.

        The state at time ``n_past`` is estimated from the first window of
        inputs and outputs (``state_observer_``), then driven by the trial's
        inputs alone: ``x[t + 1] = A x[t] + B u[t]``, ``y[t] = C x[t] + D u[t]``.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``
            Outputs with their inputs.

        Returns
        -------
        Y_pred : list of ndarray of shape (n_timepoints_i, n_features_in_)
            Forecast outputs per trial; the first ``n_past`` rows (used to
            start the forecast) are NaN, as are trials shorter than that.
        """
        check_is_fitted(self)
        outputs, inputs = self._trials(X, reset=False)
        return [self._forecast(y_, u) for y_, u in zip(outputs, inputs)]

    def _forecast(self, y_, u):
        p = self.n_past
        forecast = np.full(y_.shape, np.nan)
        if len(y_) <= p:
            return forecast
        x = np.hstack([u[:p].ravel(), y_[:p].ravel()]) @ self.state_observer_
        for t in range(p, len(y_)):
            forecast[t] = self.output_operator_ @ x + self.feedthrough_ @ u[t]
            x = self.operator_ @ x + self.input_operator_ @ u[t]
        return forecast

    def score(self, X, y=None):
        """R^2 of the outputs forecast from each trial's start and its inputs.

        Parameters
        ----------
        X : DrivenRecording, or array-like / list of 2D arrays with ``n_inputs``
            Outputs with their inputs (e.g. held-out trials).
        y : None
            Ignored.

        Returns
        -------
        score : float
            Variance-weighted R^2 of :meth:`predict` over the rows after each
            trial's first ``n_past``.
        """
        check_is_fitted(self)
        outputs, inputs = self._trials(X, reset=False)
        if max(len(y_) for y_ in outputs) <= self.n_past:
            raise ValueError(
                f"SubspaceDMDcRegressor.score needs a trial longer than n_past="
                f"{self.n_past}."
            )
        actual = np.concatenate([y_[self.n_past:] for y_ in outputs])
        forecast = np.concatenate([self._forecast(y_, u)[self.n_past:]
                                   for y_, u in zip(outputs, inputs)])
        return r2_score(actual, forecast, multioutput="variance_weighted")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
