"""Delay (Hankel) embedding of time series."""

from numbers import Integral

from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ..recordings import DrivenRecording
from ..recordings._driven_recording import check_alignment
from ..recordings._validation import check_series
from ..utils._fitting import atomic_fit
from ._delay_embedding import DelayEmbedding


def _states(X):
    if not isinstance(X, DrivenRecording):
        return X
    check_alignment(X.states, X.inputs)
    return X.states


class HankelEmbedder(TransformerMixin, BaseEstimator):
    """Delay-embed time series into a Hankel matrix of lagged copies.

    Each row of the output stacks the current sample and ``n_delays - 1`` past
    samples, ``delay_interval`` steps apart. This is the first step of
    Hankel (HAVOK) DMD and of Dynamical Similarity Analysis.

    Parameters
    ----------
    n_delays : int, default=1
        Number of lagged copies (1 means no embedding).
    delay_interval : int, default=1
        Number of time steps between consecutive lags.

    Attributes
    ----------
    n_features_in_ : int
        Number of features of the input series (its last axis).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features, when fitted on a pandas DataFrame.

    See Also
    --------
    DMDRegressor : Fits a linear operator to the embedding.

    Notes
    -----
    Input is one series ``(n_timepoints, n_features)``, trials
    ``(n_trials, n_timepoints, n_features)`` or a list of ``(n_timepoints_i,
    n_features)`` arrays of different lengths; the output has the same
    structure, each series shortened to ``n_timepoints - (n_delays - 1) *
    delay_interval`` rows with ``n_features * n_delays`` columns. Lags never
    mix samples of different trials or list elements. The output is a lazy
    :class:`~skdsa.DelayEmbedding`: nothing of size ``n_timepoints *
    n_features * n_delays`` is allocated until it is materialised.

    A :class:`DrivenRecording` has its states embedded and its inputs kept as
    recorded; the driven model (:class:`DMDcRegressor`) aligns them with the
    embedded rows (``n_input_delays`` sets how many input lags it uses).

    Column order: block ``k`` (columns ``k * n_features`` to ``(k + 1) *
    n_features - 1``) holds the sample ``k * delay_interval`` steps in the past,
    so the first ``n_features`` columns are the current observation.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import HankelEmbedder
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> np.asarray(HankelEmbedder(n_delays=2).fit_transform(X))
    array([[2., 3., 0., 1.],
           [4., 5., 2., 3.],
           [6., 7., 4., 5.],
           [8., 9., 6., 7.]])
    """

    _parameter_constraints = {
        "n_delays": [Interval(Integral, 1, None, closed="left")],
        "delay_interval": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, n_delays=1, delay_interval=1):
        self.n_delays = n_delays
        self.delay_interval = delay_interval

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` and remember its number of features.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DrivenRecording
            Time series.
        y : None
            Ignored.

        Returns
        -------
        self : HankelEmbedder
            The fitted embedder.
        """
        series, _ = check_series(_states(X), estimator=self, reset=True)
        self._check_lengths(series)
        return self

    def transform(self, X):
        """Delay-embed ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), list of 2D arrays, or \
                DrivenRecording
            Time series with ``n_features_in_`` features.

        Returns
        -------
        H : DelayEmbedding or DrivenRecording
            The embedding, computed on demand: it behaves as an array of the
            structure of ``X`` (``np.asarray(H)``, indexing, arithmetic; a
            list of arrays for ragged input, ``list(H)``), each series becoming
            ``(n_timepoints - (n_delays - 1) * delay_interval, n_features *
            n_delays)``. :class:`DMDRegressor` fits it without materialising it,
            so a long recording needs memory for the recording only.
        """
        check_is_fitted(self)
        series, layout = check_series(_states(X), estimator=self, reset=False)
        self._check_lengths(series)
        embedding = DelayEmbedding(series, layout, self.n_delays, self.delay_interval)
        if isinstance(X, DrivenRecording):
            # The inputs stay as recorded; a driven model aligns them with the rows.
            return DrivenRecording(embedding, X.inputs, X.conditions)
        return embedding

    def _check_lengths(self, series):
        needed = (self.n_delays - 1) * self.delay_interval + 1
        for i, x in enumerate(series):
            if x.shape[0] < needed:
                raise ValueError(
                    f"HankelEmbedder: series {i} has {x.shape[0]} sample(s) (timepoints), but "
                    f"n_delays={self.n_delays} with delay_interval="
                    f"{self.delay_interval} needs at least {needed} "
                    "((n_delays - 1) * delay_interval + 1). Reduce n_delays or "
                    "delay_interval, or drop the short series."
                )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags
