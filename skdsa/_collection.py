"""Shared machinery of estimators that compare the systems of a collection."""

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted

from .metrics._pairwise import compare_all


def as_systems(X):
    """Split a collection into a list of systems and their names.

    Parameters
    ----------
    X : collection of systems
        A dict ``{name: system}``; a list whose elements are each one system
        (``(n_timepoints, n_features)``, ``(n_trials, n_timepoints,
        n_features)``, or a list of ragged trials); or an array of shape
        ``(n_systems, n_trials, n_timepoints, n_features)``,
        ``(n_systems, n_timepoints, n_features)`` (one trial each) or
        ``(n_systems, n_timepoints)`` (one feature each).

    Returns
    -------
    systems : list
    names : list of str or None
        The dict keys, or None.
    """
    if isinstance(X, dict):
        return list(X.values()), [str(name) for name in X]
    if isinstance(X, (list, tuple)):
        if len(X) == 0:
            raise ValueError("DSA needs at least one system; got an empty collection.")
        return list(X), None
    if issparse(X):
        raise TypeError("DSA does not support sparse input; pass dense time series.")
    if not hasattr(X, "ndim"):
        X = np.asarray(X)
    if X.ndim == 2:
        X = check_array(X, dtype=np.float64, ensure_all_finite=False)
        return [x[:, None] for x in X], None
    if X.ndim in (3, 4) and X.shape[0] > 0:
        return list(X), None
    raise ValueError(
        f"DSA expected a collection of systems, got an array of shape {X.shape}. "
        "Reshape your data: pass (n_systems, n_trials, n_timepoints, n_features), "
        "(n_systems, n_timepoints, n_features), (n_systems, n_timepoints), a list "
        "of systems, or a dict {name: system}."
    )


class CollectionDistance(TransformerMixin, BaseEstimator):
    """Base of estimators whose samples are whole systems and whose output is distances.

    Subclasses set ``metric_`` and ``_prepared`` (one prepared item per fitted
    system) in ``fit``, after calling :meth:`_start_fit`, and implement
    ``_prepare_queries(systems, names)`` returning the prepared new systems
    and the prepared fitted ones to compare them with. They need the
    parameters ``n_jobs``, ``verbose`` and (optionally) ``random_state``.
    """

    def _start_fit(self, X):
        systems, names = as_systems(X)
        self._named_input = names is not None
        names = names or [f"system{i}" for i in range(len(systems))]
        self.system_names_ = np.asarray(names, dtype=object)
        self.n_systems_ = len(systems)
        return systems, names

    def fit_transform(self, X, y=None):
        """Fit and return the symmetric distance matrix between the systems of ``X``.

        Parameters
        ----------
        X : collection of systems
            See Notes of the class.
        y : None
            Ignored.

        Returns
        -------
        D : ndarray or DataFrame of shape (n_systems, n_systems)
            Symmetric, zero diagonal; each unordered pair computed once.
        """
        self.fit(X)
        return self._label(self._compare(self._prepared), self.system_names_)

    def transform(self, X):
        """Distances from the systems of ``X`` to the fitted systems.

        Parameters
        ----------
        X : collection of systems
            New systems (see Notes of the class).

        Returns
        -------
        D : ndarray or DataFrame of shape (n_query, n_systems_)
        """
        check_is_fitted(self)
        systems, names = as_systems(X)
        names = names or [f"query{i}" for i in range(len(systems))]
        queries, fitted = self._prepare_queries(systems, names)
        return self._label(self._compare(queries, fitted), names)

    def _compare(self, prepared, fitted=None):
        return compare_all(self.metric_, prepared, fitted, n_jobs=self.n_jobs,
                           random_state=getattr(self, "random_state", None),
                           verbose=self.verbose)

    def _label(self, D, index):
        if not self._named_input:
            return D
        return pd.DataFrame(D, index=list(index), columns=list(self.system_names_))

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the fitted systems.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        return self.system_names_.copy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags
