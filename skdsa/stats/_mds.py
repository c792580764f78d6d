"""Coordinates of systems from their distance matrix, by metric MDS."""

import inspect

import numpy as np
from sklearn.manifold import MDS


def mds_embedding(D, n_components=2, random_state=0):
    """Metric MDS coordinates of a distance matrix (what :func:`~skdsa.plotting.plot_mds` draws).

    Uses scikit-learn's ``MDS`` on the precomputed distances, started from
    classical MDS where this scikit-learn offers it (>= 1.8), else from random
    positions; no matplotlib needed. Coordinates of systems, e.g. for a
    classifier of groups on a DSA distance matrix.

    Parameters
    ----------
    D : array-like of shape (n_systems, n_systems)
        Symmetric distances.
    n_components : int, default=2
        Dimensions of the embedding.
    random_state : int, default=0
        Seed of MDS.

    Returns
    -------
    embedding : ndarray of shape (n_systems, n_components)
    """
    if "metric_mds" in inspect.signature(MDS).parameters:  # scikit-learn >= 1.8
        precomputed = {"metric": "precomputed", "init": "classical_mds"}
    else:
        precomputed = {"dissimilarity": "precomputed"}
    return MDS(n_components=n_components, n_init=1, random_state=random_state,
               **precomputed).fit_transform(np.asarray(D, dtype=float))
