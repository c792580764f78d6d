"""Cross-validated linear separability of groups of systems, from their distances."""

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ._mds import mds_embedding
from ._permanova import _check_distances


@dataclass(frozen=True)
class SeparabilityResult:
    """Outcome of :func:`separability`.

    Attributes
    ----------
    accuracy : float
        Fraction of systems whose group the held-out classifier predicted.
    predictions : ndarray of shape (n_systems,)
        The held-out prediction for each system.
    """

    accuracy: float
    predictions: np.ndarray


def separability(D, labels, *, n_components=2, n_splits=5, random_state=0):
    """Can a linear classifier tell the groups apart from the systems' distances?

    The systems are embedded by metric MDS of ``D``
    (:func:`~skdsa.plotting.mds_embedding`, which never sees the labels); a
    logistic regression on the standardised coordinates then predicts each
    system's group from the other folds of a shuffled stratified k-fold split.
    Chance is the share of the largest group.

    Parameters
    ----------
    D : array-like of shape (n_systems, n_systems)
        Symmetric distances (e.g. a DSA matrix).
    labels : array-like of shape (n_systems,)
        The group of each system; every group needs at least ``n_splits`` systems.
    n_components : int, default=2
        Dimensions of the MDS embedding.
    n_splits : int, default=5
        Folds of the cross-validation.
    random_state : int, default=0
        Seed of the MDS and of the fold shuffle.

    Returns
    -------
    result : SeparabilityResult

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.stats import separability
    >>> rng = np.random.default_rng(0)
    >>> points = rng.normal(0, 0.1, (20, 2)) + np.repeat([[0, 0], [1, 1]], 10, axis=0)
    >>> D = np.linalg.norm(points[:, None] - points[None], axis=-1)
    >>> separability(D, ["a"] * 10 + ["b"] * 10).accuracy
    1.0
    """
    D, _, _ = _check_distances(D, labels)
    labels = np.asarray(labels)
    embedding = mds_embedding(D, n_components=n_components, random_state=random_state)
    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    predictions = cross_val_predict(classifier, embedding, labels, cv=folds)
    return SeparabilityResult(float(np.mean(predictions == labels)), predictions)
