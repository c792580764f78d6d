"""Does a conclusion survive a change of hyperparameters? Distance matrices across a grid."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.base import clone
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.model_selection import ParameterGrid


@dataclass(frozen=True, repr=False)
class RobustnessResult:
    """Outcome of :func:`robustness`.

    Attributes
    ----------
    settings : DataFrame
        One row per hyperparameter setting (its parameters), with the
        ``silhouette`` of the labels under it when labels were given.
    distances : list of ndarray of shape (n_systems, n_systems)
        The distance matrix of each setting, in the order of ``settings``.
    rank_correlation : DataFrame
        Spearman correlation between the settings' distances (upper triangles):
        1 when they order all pairs of systems alike.
    neighbour_agreement : DataFrame
        Fraction of systems whose nearest neighbour is the same under both settings.
    cluster_agreement : DataFrame or None
        Adjusted Rand index between average-linkage clusterings of both settings
        into ``n_clusters`` groups (None without ``n_clusters`` or labels).
    """

    settings: pd.DataFrame
    distances: list
    rank_correlation: pd.DataFrame
    neighbour_agreement: pd.DataFrame
    cluster_agreement: pd.DataFrame

    def __repr__(self):
        off = ~np.eye(len(self.settings), dtype=bool)
        text = (f"RobustnessResult(n_settings={len(self.settings)}, "
                f"min_rank_correlation={self.rank_correlation.to_numpy()[off].min():.3g}")
        if "silhouette" in self.settings:
            silhouette = self.settings["silhouette"]
            text += f", silhouette={silhouette.min():.3g}..{silhouette.max():.3g}"
        return text + ")"


def _agreement(values, measure):
    n = len(values)
    table = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            table[i, j] = table[j, i] = measure(values[i], values[j])
    return table


def nearest_neighbours(D):
    """Index of each system's nearest other system under the distances ``D``."""
    D = np.array(D, dtype=float)
    np.fill_diagonal(D, np.inf)
    return np.argmin(D, axis=1)


def robustness(estimator, X, param_grid, *, labels=None, n_clusters=None):
    """Distance matrices across a neighbourhood of hyperparameters, and how much they agree.

    A conclusion drawn from one DSA matrix (these systems group by task, this
    one is closest to that one) should not hinge on the exact ``rank`` or
    ``n_delays``. This refits ``estimator`` at every setting of ``param_grid``
    and compares the matrices: the rank correlation of their distances, the
    agreement of nearest neighbours and of clusterings, and, with labels, how
    well each separates the groups. :func:`skdsa.plotting.plot_robustness`
    draws it.

    Parameters
    ----------
    estimator : DSA, InputDSA, GeometricDistance or another collection estimator
        Cloned and refitted at each setting (its ``random_state`` kept).
    X : collection of systems
        As for ``estimator.fit_transform``.
    param_grid : dict or list of dicts
        As for scikit-learn's ``ParameterGrid``, e.g. ``{"rank": [8, 16, 24],
        "n_delays": [5, 10]}`` or the parameters of a model inside DSA
        (``"model__dmd__rank"``).
    labels : array-like of shape (n_systems,) or None, default=None
        Known groups: the silhouette of each setting is reported.
    n_clusters : int or None, default=None
        Clusters for the clustering agreement; None takes the number of label
        groups (no clustering agreement without labels).

    Returns
    -------
    result : RobustnessResult

    Examples
    --------
    >>> from skdsa import DSA
    >>> from skdsa.datasets import make_point_line_saddle
    >>> from skdsa.stats import robustness
    >>> systems = make_point_line_saddle(n_trials=10, random_state=0)
    >>> result = robustness(DSA(random_state=0), list(systems.values()) * 2,
    ...                     {"rank": [2, 3], "n_delays": [2, 3]}, labels=[0, 1, 2] * 2)
    >>> result.settings.shape
    (4, 3)
    """
    settings = list(ParameterGrid(param_grid))
    if len(settings) < 2:
        raise ValueError(f"param_grid must hold at least 2 settings to compare; got "
                         f"{len(settings)}: {settings}.")
    distances = [np.asarray(clone(estimator).set_params(**params).fit_transform(X), dtype=float)
                 for params in settings]
    table = pd.DataFrame(settings)
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(distances[0]),):
            raise ValueError(f"labels must have one entry per system: expected shape "
                             f"({len(distances[0])},), got {labels.shape}.")
        table["silhouette"] = [silhouette_score(D, labels, metric="precomputed")
                               for D in distances]
        n_clusters = n_clusters or len(np.unique(labels))
    # Settings named by the parameters' last components (rank=8), unless they clash.
    keys = sorted({key for params in settings for key in params})
    short = {key: key.rsplit("__", 1)[-1] for key in keys}
    if len(set(short.values())) < len(keys):
        short = {key: key for key in keys}
    names = [", ".join(f"{short[key]}={value}" for key, value in params.items())
             for params in settings]
    upper = np.triu_indices(len(distances[0]), 1)

    def frame(values):
        return pd.DataFrame(values, index=names, columns=names)

    rank_correlation = frame(_agreement([D[upper] for D in distances],
                                        lambda a, b: spearmanr(a, b).statistic))
    neighbours = frame(_agreement([nearest_neighbours(D) for D in distances],
                                  lambda a, b: float(np.mean(a == b))))
    clusters = None
    if n_clusters is not None:
        assignments = [AgglomerativeClustering(n_clusters, metric="precomputed",
                                               linkage="average").fit_predict(D)
                       for D in distances]
        clusters = frame(_agreement(assignments, adjusted_rand_score))
    table.index = names
    return RobustnessResult(table, distances, rank_correlation, neighbours, clusters)
