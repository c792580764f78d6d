"""DSA between two recordings in one call, for notebooks and similarity-measure registries."""

from ._dsa import DSA


def dsa_distance(X, Y, **params):
    """The DSA distance between two recordings.

    ``DSA(**params).fit_transform([X, Y])[0, 1]``: the same defaults, checks,
    warnings and guarantees as :class:`DSA` (each recording gets its own model;
    the distance depends only on the pair and the parameters). Use
    :class:`DSA` directly for more than two systems, so that every system is
    fitted once.

    Parameters
    ----------
    X, Y : array-like of shape (n_timepoints, n_features) or \
            (n_trials, n_timepoints, n_features), list of 2D arrays, or DataArray
        The two recordings; they may differ in length and feature count.
    **params
        Parameters of :class:`DSA` (``n_delays``, ``rank``, ``metric``,
        ``random_state``, ...).

    Returns
    -------
    distance : float

    See Also
    --------
    DSA : The distance matrix of a whole collection.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import dsa_distance
    >>> from skdsa.datasets import make_stable_spiral, random_observation
    >>> X = make_stable_spiral(random_state=0)
    >>> Y = random_observation(X, random_state=1)  # the same system, other coordinates
    >>> float(np.round(dsa_distance(X, Y, rank=2, random_state=0), 6))
    0.0
    """
    return float(DSA(**params).fit_transform([X, Y])[0, 1])
