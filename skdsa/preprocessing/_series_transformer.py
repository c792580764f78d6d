"""Any 2D scikit-learn transformer applied to every timepoint of a recording."""

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted

from ..recordings._validation import check_series, restore_layout
from ..utils._fitting import atomic_fit


class SeriesTransformer(TransformerMixin, BaseEstimator):
    """Fit a 2D transformer on all timepoints of a recording; transform each trial.

    scikit-learn's transformers (``PCA``, ``StandardScaler``, ``FastICA``...)
    take ``(n_samples, n_features)``. This wrapper stacks the timepoints of all
    trials into one such matrix to fit the wrapped transformer, then transforms
    every trial and returns the recording's own structure (2D, 3D or ragged
    list). Put it first in the per-system model of :class:`~skdsa.DSA`, so that
    each system gets its own fit (e.g. its own principal components).

    Parameters
    ----------
    estimator : estimator with fit and transform
        The 2D transformer, cloned at fit. It must return one row per input row.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    n_features_in_ : int
        Number of features of the recording.

    See Also
    --------
    skdsa.HankelEmbedder : The delay embedding that usually follows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.decomposition import PCA
    >>> from sklearn.pipeline import Pipeline
    >>> from skdsa import DMDRegressor, HankelEmbedder
    >>> from skdsa.preprocessing import SeriesTransformer
    >>> X = np.random.default_rng(0).normal(size=(5, 100, 40))  # 5 trials, 40 neurons
    >>> SeriesTransformer(PCA(10)).fit_transform(X).shape
    (5, 100, 10)
    >>> model = Pipeline([("pca", SeriesTransformer(PCA(10))),
    ...                   ("hankel", HankelEmbedder(n_delays=5)),
    ...                   ("dmd", DMDRegressor(rank=8))]).fit(X)
    >>> model[-1].operator_.shape
    (8, 8)
    """

    _parameter_constraints = {"estimator": [HasMethods(["fit", "transform"])]}

    def __init__(self, estimator):
        self.estimator = estimator

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the wrapped transformer on the timepoints of all trials of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), or list of 2D arrays
            One recording.
        y : None
            Ignored.

        Returns
        -------
        self : SeriesTransformer
        """
        series, _ = check_series(X, estimator=self, reset=True)
        self.estimator_ = clone(self.estimator).fit(np.concatenate(series))
        return self

    def transform(self, X):
        """Transform every timepoint of every trial of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), or list of 2D arrays
            A recording with ``n_features_in_`` features.

        Returns
        -------
        Xt : ndarray or list of ndarray
            Same structure as ``X``, with the wrapped transformer's output
            features.
        """
        check_is_fitted(self)
        series, layout = check_series(X, estimator=self, reset=False)
        stacked = np.concatenate(series)
        out = self.estimator_.transform(stacked)
        out = out.toarray() if issparse(out) else np.asarray(out, dtype=np.float64)
        if out.ndim != 2 or out.shape[0] != stacked.shape[0]:
            raise ValueError(
                f"SeriesTransformer: {type(self.estimator_).__name__}.transform returned "
                f"shape {out.shape} for {stacked.shape[0]} timepoints; it must return one "
                "row per timepoint (n_timepoints, n_output_features). Wrap only "
                "per-sample transformers (PCA, StandardScaler...); resample time with "
                "skdsa.preprocessing.Binner or Subsampler."
            )
        splits = np.cumsum([len(x) for x in series])[:-1]
        return restore_layout(np.split(out, splits), layout)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags
