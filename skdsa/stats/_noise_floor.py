"""The noise floor: the DSA distance of a system to itself, across halves of its data."""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed

from ..comparison import DSA
from ..comparison._collection import as_systems, system_names
from ..exceptions import NoiseModeWarning
from ..utils._random import draw_seed
from ._resampling import as_trials


def _split(trials, n_splits, rng):
    """Disjoint parts of the data: groups of trials, or time blocks of a single trial."""
    if len(trials) >= n_splits:
        order = rng.permutation(len(trials))
        parts = [[trials[i] for i in sorted(group)]
                 for group in np.array_split(order, n_splits)]
        return parts, f"{n_splits} groups of its {len(trials)} trials"
    length = trials[0].shape[0]
    blocks = np.array_split(np.arange(length), n_splits)
    return [[trials[0][block]] for block in blocks], \
        f"{n_splits} time blocks of its single trial ({length} timepoints)"


def _minimum_length(dsa):
    """Timepoints the default model needs to form one transition, or None."""
    if dsa.model is not None:
        return None
    return (dsa.n_delays - 1) * dsa.delay_interval + 2


def _floor(dsa, system, name, params, n_splits, seed):
    trials = as_trials(system)
    if 1 < len(trials) < n_splits:
        raise ValueError(
            f"System {name} has {len(trials)} trials; a noise floor over n_splits="
            f"{n_splits} needs at least {n_splits} trials (or one trial, split in time). "
            "Lower n_splits or record more trials."
        )
    minimum = _minimum_length(dsa)
    if len(trials) == 1 and minimum and trials[0].shape[0] < n_splits * minimum:
        raise ValueError(
            f"System {name} has a single trial of {trials[0].shape[0]} timepoints; "
            f"splitting it into n_splits={n_splits} time blocks needs at least "
            f"{n_splits * minimum} ({n_splits} x ((n_delays - 1) * delay_interval + 2)). "
            "Pass several trials, a longer recording, or fewer n_splits or n_delays."
        )
    parts, how = _split(trials, n_splits, np.random.default_rng(seed))
    part_dsa = clone(dsa).set_params(system_params=[params] * len(parts), n_jobs=None,
                                     verbose=0)
    try:
        with warnings.catch_warnings():
            # Each part has less data than the system: the signal-rank warning
            # of the fit on the whole system is the one that matters.
            warnings.simplefilter("ignore", NoiseModeWarning)
            D = part_dsa.fit_transform(parts)
    except ValueError as error:
        raise ValueError(
            f"System {name}: its noise floor fits the model on {how}, and a part "
            f"could not be fitted ({error}). Give it more data, or lower n_splits."
        ) from error
    return float(np.mean(D[np.triu_indices(len(parts), 1)]))


def noise_floor(X, estimator=None, *, n_splits=2, random_state=None):
    """DSA distance between models of the same system fitted on disjoint data.

    Each system's trials are split at random into ``n_splits`` groups (a
    system with a single trial is cut into ``n_splits`` consecutive time
    blocks); a model is fitted on each part and the parts are compared with
    the estimator's metric. The mean distance between parts is the system's
    noise floor: the distance that finite data and noise alone produce. A
    distance between two systems below their floors is not evidence that
    their dynamics differ. Each part holds ``1 / n_splits`` of the data, so
    the floor is that of a system recorded ``n_splits`` times shorter: an
    upper estimate for the full recording.

    Parameters
    ----------
    X : collection of systems
        As for :class:`~skdsa.DSA`.
    estimator : DSA or None, default=None
        Supplies the per-system model, the metric, ``size_mismatch``,
        ``system_params``, ``random_state`` (of the metric) and ``n_jobs``
        (over systems). None uses ``DSA()``.
    n_splits : int, default=2
        Parts per system.
    random_state : int, RandomState instance or None, default=None
        Seeds the random assignment of trials to parts.

    Returns
    -------
    floors : ndarray of shape (n_systems,), or Series for named systems
    """
    if not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2; got {n_splits!r}.")
    dsa = DSA() if estimator is None else estimator
    if not isinstance(dsa, DSA):
        raise TypeError(
            f"noise_floor needs a DSA estimator (its model is refitted on parts of each "
            f"system); got {type(dsa).__name__}."
        )
    systems, keys = as_systems(X)
    names = system_names(keys or [f"system{i}" for i in range(len(systems))])
    params = dsa._per_system_params(keys or names)
    seeds = draw_seed(random_state, size=len(systems))
    floors = Parallel(n_jobs=dsa.n_jobs)(
        delayed(_floor)(dsa, system, name, p, n_splits, seed)
        for system, name, p, seed in zip(systems, names, params, seeds))
    return pd.Series(floors, index=names, name="noise floor") if keys else np.array(floors)
