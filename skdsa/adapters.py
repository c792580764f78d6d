"""Operator models of other DMD packages as per-system models of DSA.

Any estimator whose ``fit`` leaves a square ``operator_`` can be the model of
:class:`~skdsa.DSA`; this module adapts PyDMD's models (optional extra:
``pip install "skdsa[pydmd]"``), so that e.g. optimized DMD (BOP-DMD) can be
compared with DSA's metric.

pykoopman is not adapted: its current release (1.2.1) pins scikit-learn 1.1.3,
numpy <= 1.26 and torch 2.1, and cannot be installed beside skdsa (scikit-learn
>= 1.6). A pykoopman model can still be compared: wrap it in an estimator whose
``fit`` sets ``operator_`` to its Koopman matrix (``model.A``).
"""

import copy
import inspect

import numpy as np
from scipy.linalg import expm
from sklearn.base import BaseEstimator

from .embedding._validation import check_embedding


class PyDMDModel(BaseEstimator):
    """A PyDMD model fitted to one recording, exposing its reduced operator.

    Parameters
    ----------
    dmd : PyDMD model
        An unfitted PyDMD object (``pydmd.DMD``, ``pydmd.BOPDMD``...), deep-copied
        at fit. Set its rank (``svd_rank``) there.
    time_step : float, default=1.0
        Time between samples. Models fitted on sample times (those whose
        ``fit`` takes ``t``, such as BOP-DMD) get ``t = time_step * arange``,
        and their continuous-time operator ``A`` becomes ``expm(A *
        time_step)``, so ``operator_`` is always the discrete-time step.

    Attributes
    ----------
    dmd_ : PyDMD model
        The fitted copy.
    operator_ : ndarray of shape (rank, rank)
        Reduced discrete-time operator (``dmd_.operator.as_numpy_array``, or its
        exponential for continuous-time models).
    eigenvalues_ : ndarray of shape (rank,), complex
        Eigenvalues of ``operator_``.
    n_features_in_ : int
        Number of input columns.

    Notes
    -----
    PyDMD fits one trajectory: the recording must be one series
    ``(n_timepoints, n_features)`` (or a :class:`~skdsa.DelayEmbedding` of one,
    materialised here). Trials are not concatenated, which would create false
    transitions.

    Examples
    --------
    >>> from pydmd import DMD  # doctest: +SKIP
    >>> from skdsa import DSA, HankelEmbedder
    >>> from sklearn.pipeline import Pipeline
    >>> model = Pipeline([("hankel", HankelEmbedder(10)),
    ...                   ("dmd", PyDMDModel(DMD(svd_rank=6)))])  # doctest: +SKIP
    >>> DSA(model=model).fit_transform(systems)  # doctest: +SKIP
    """

    def __init__(self, dmd, time_step=1.0):
        self.dmd = dmd
        self.time_step = time_step

    def fit(self, X, y=None):
        """Fit a copy of ``dmd`` to the snapshots of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or DelayEmbedding
            One series.
        y : None
            Ignored.

        Returns
        -------
        self : PyDMDModel
        """
        embedding = check_embedding(X, estimator=self, reset=True)
        if len(embedding.series) != 1:
            raise ValueError(
                f"PyDMDModel fits one trajectory, but X has {len(embedding.series)} trials. "
                "Pass one series (n_timepoints, n_features), or use DMDRegressor, which "
                "fits trials without joining them."
            )
        snapshots = embedding.embed(0).T  # PyDMD takes (n_features, n_timepoints)
        dmd = copy.deepcopy(self.dmd)
        if "t" in inspect.signature(dmd.fit).parameters:
            dmd.fit(snapshots, t=self.time_step * np.arange(snapshots.shape[1]))
            operator = expm(dmd.operator.as_numpy_array * self.time_step)
        else:
            dmd.fit(snapshots)
            operator = dmd.operator.as_numpy_array
        if np.iscomplexobj(operator):
            if np.abs(operator.imag).max() > 1e-8 * np.abs(operator).max():
                raise ValueError(
                    f"{type(dmd).__name__} returned a complex operator; DSA compares real "
                    "operators. Use a PyDMD model with a real reduced operator."
                )
            operator = operator.real
        self.dmd_ = dmd
        self.operator_ = np.asarray(operator, dtype=np.float64)
        self.eigenvalues_ = np.linalg.eigvals(self.operator_)
        return self
