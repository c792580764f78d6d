"""Shared machinery of estimators that compare the systems of a collection."""


import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted

from ..metrics._pairwise import compare_all
from ..recordings._labelled import from_dataarray, is_dataarray, is_dataset
from ..utils._random import draw_seed
from ..utils._warnings import warn


def as_systems(X):
    """Split a collection into a list of systems and their keys.

    Parameters
    ----------
    X : collection of systems
        A dict ``{name: system}``, a pandas Series of systems indexed by
        name, or an xarray Dataset (one DataArray per system); a list whose
        elements are each one system (``(n_timepoints, n_features)``,
        ``(n_trials, n_timepoints, n_features)``, a DataArray read by its
        dimension names, or a list of ragged trials); or an array of shape ``(n_systems, n_trials,
        n_timepoints, n_features)``, ``(n_systems, n_timepoints, n_features)``
        (one trial each) or ``(n_systems, n_timepoints)`` (one feature each).

    Returns
    -------
    systems : list
    keys : list or None
        The dict keys or Series index as given, or None.
    """
    if is_dataset(X):
        X = {name: X[name] for name in X.data_vars}
    if is_dataarray(X):
        raise TypeError(
            f"DSA got a DataArray with dimensions {X.dims} as the collection, but a "
            "DataArray is one system. Pass [da] or {'name': da}, with other systems in "
            "the same list or dict, or an xarray Dataset of systems."
        )
    if isinstance(X, pd.DataFrame):
        raise TypeError(
            f"DSA got a DataFrame of shape {X.shape} as the collection, but a DataFrame "
            "is one system (rows = time points, columns = features). Pass [df] or "
            "{'name': df} to compare it, with other systems in the same list or dict."
        )
    if issparse(X):
        raise TypeError("DSA does not support sparse input; pass dense time series.")
    if isinstance(X, (dict, pd.Series)):
        keys = list(X.keys())
        if not keys:
            raise ValueError("DSA needs at least one system; got an empty collection.")
        systems = list(X.values) if isinstance(X, pd.Series) else list(X.values())
        return _read_labelled(systems, keys), keys
    if isinstance(X, (list, tuple)):
        if len(X) == 0:
            raise ValueError("DSA needs at least one system; got an empty collection.")
        return _read_labelled(list(X), range(len(X))), None
    if not hasattr(X, "ndim"):
        X = np.asarray(X)
    if X.ndim == 2:
        X = check_array(X, dtype=np.float64, ensure_all_finite=False)
        if X.shape[0] > X.shape[1]:
            warn(
                f"DSA reads this {X.shape} array as {X.shape[0]} univariate systems of "
                f"{X.shape[1]} time points each. If it is one recording of "
                f"{X.shape[0]} time points and {X.shape[1]} features, pass it inside a "
                "list ([X]) or a dict ({'name': X}) with the systems to compare.",
                UserWarning)
        return [x[:, None] for x in X], None
    if X.ndim in (3, 4) and X.shape[0] > 0:
        return list(X), None
    raise ValueError(
        f"DSA expected a collection of systems, got an array of shape {X.shape}. "
        "Reshape your data: pass (n_systems, n_trials, n_timepoints, n_features), "
        "(n_systems, n_timepoints, n_features), (n_systems, n_timepoints), a list "
        "of systems, or a dict {name: system}."
    )


def _read_labelled(systems, keys):
    """Systems given as DataArrays, as arrays ordered by their dimension names."""
    return [from_dataarray(system, f"System {key}") if is_dataarray(system) else system
            for system, key in zip(systems, keys)]


def system_names(keys):
    """The keys as output labels (strings), refusing keys that print alike."""
    names = [str(key) for key in keys]
    if len(set(names)) < len(names):
        groups = {}
        for key, name in zip(keys, names):
            groups.setdefault(name, []).append(key)
        colliding = [group for group in groups.values() if len(group) > 1]
        raise ValueError(
            f"System keys {', '.join(' and '.join(map(repr, g)) for g in colliding)} "
            "give the same label; distances are labelled by str(key). Rename them so "
            "that every key prints differently."
        )
    return names


class CollectionDistance(TransformerMixin, BaseEstimator):
    """Base of estimators whose samples are whole systems and whose output is distances.

    Subclasses set ``metric_`` and ``_prepared`` (one prepared item per fitted
    system) in ``fit``, after calling :meth:`_start_fit`, and implement
    ``_prepare_queries(systems, names)`` returning the prepared new systems
    and the prepared fitted ones to compare them with. They need the
    parameters ``n_jobs``, ``verbose`` and (optionally) ``random_state``.
    """

    def _start_fit(self, X):
        systems, keys = as_systems(X)
        self._named_input = keys is not None
        keys = keys or [f"system{i}" for i in range(len(systems))]
        self.system_names_ = np.asarray(system_names(keys), dtype=object)
        self.n_systems_ = len(systems)
        if len(systems) == 1:
            warn(f"{type(self).__name__} got a collection of one system ({keys[0]!r}): "
                 "its distance matrix is [[0]], nothing is compared. Pass two or more "
                 "systems (a dict, list or Series of recordings); to compare new systems "
                 "with fitted ones, use transform.")
        # Drawn once, so transform compares with the same restarts as fit_transform
        # even when random_state is a RandomState instance or None.
        self._seed = draw_seed(getattr(self, "random_state", None))
        return systems, keys

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
        systems, keys = as_systems(X)
        names = system_names(keys or [f"query{i}" for i in range(len(systems))])
        queries, fitted = self._prepare_queries(systems, names)
        return self._label(self._compare(queries, fitted), names)

    # DSA and InputDSA take memory as a parameter; this default serves the other
    # estimators and pickles written before the parameter existed (skdsa 0.1.0).
    memory = None

    def _compare(self, prepared, fitted=None):
        return compare_all(self.metric_, prepared, fitted, n_jobs=self.n_jobs,
                           random_state=self._seed, verbose=self.verbose,
                           memory=self.memory)

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
