"""Bootstrap confidence intervals for the DSA distance between two systems."""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed

from ..comparison import DSA
from ..exceptions import NoiseModeWarning
from ..utils._random import draw_seed
from ._resampling import as_trials


@dataclass(frozen=True, repr=False)
class BootstrapResult:
    """Outcome of :func:`bootstrap_distance`.

    Attributes
    ----------
    distance : float
        The distance on all the data.
    low, high : float
        Ends of the confidence interval.
    samples : ndarray of shape (n_bootstrap,)
        The distance on each resample.
    """

    distance: float
    low: float
    high: float
    samples: np.ndarray

    def __repr__(self):
        return (f"BootstrapResult(distance={self.distance:.4g}, low={self.low:.4g}, "
                f"high={self.high:.4g}, n_bootstrap={len(self.samples)})")


def _distance(dsa, a, b):
    with warnings.catch_warnings():
        # Raised, if at all, once for the full data, not for every resample.
        warnings.simplefilter("ignore", NoiseModeWarning)
        return float(dsa.fit_transform([a, b])[0, 1])


def _resampled_distance(dsa, trials_a, trials_b, seed):
    rng = np.random.default_rng(seed)
    pick = [[trials[i] for i in rng.integers(len(trials), size=len(trials))]
            for trials in (trials_a, trials_b)]
    return _distance(dsa, *pick)


def bootstrap_distance(system_a, system_b, estimator=None, *, n_bootstrap=200,
                       confidence=0.95, method="basic", random_state=None):
    """Confidence interval for the DSA distance between two systems, by resampling trials.

    Each resample draws, for each system independently, as many trials as it
    has, with replacement; both models are refitted and compared.

    Parameters
    ----------
    system_a, system_b : system
        Recordings with at least 2 trials each: ``(n_trials, n_timepoints,
        n_features)`` or a list of trials.
    estimator : DSA, GeometricDistance or None, default=None
        The collection estimator refitted on each resample; its ``n_jobs``
        runs the resamples in parallel. None uses ``DSA()``.
    n_bootstrap : int, default=200
        Resamples.
    confidence : float in (0, 1), default=0.95
        Coverage of the interval.
    method : {"basic", "percentile"}, default="basic"
        "percentile": the quantiles ``q`` of the resampled distances. "basic":
        the basic bootstrap interval on the squared distance,
        ``sqrt(max(2 d^2 - q^2, 0))`` with the quantiles swapped. Estimation
        noise adds to a distance in quadrature (``d_hat^2 ~ d^2 + s^2``, and a
        resample adds about as much again), so this interval removes the
        upward bias that noise gives a distance, and it reaches 0 when the
        dynamics are the same; the percentile interval does neither.
    random_state : int, RandomState instance or None, default=None
        Seeds the resampling; the result does not depend on ``n_jobs``.

    Returns
    -------
    result : BootstrapResult
    """
    if method not in ("basic", "percentile"):
        raise ValueError(f"method must be 'basic' or 'percentile'; got {method!r}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}.")
    if not isinstance(n_bootstrap, (int, np.integer)) or n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be a positive integer; got {n_bootstrap!r}.")
    trials = [as_trials(system) for system in (system_a, system_b)]
    for name, system_trials in zip(("system_a", "system_b"), trials):
        if len(system_trials) < 2:
            raise ValueError(
                f"{name} has {len(system_trials)} trial; resampling trials needs at "
                "least 2 (pass (n_trials, n_timepoints, n_features) or a list of "
                "trials; cut a long recording into trials first)."
            )
    dsa = clone(DSA() if estimator is None else estimator)
    n_jobs = dsa.n_jobs
    dsa.set_params(n_jobs=None, verbose=0)
    distance = float(dsa.fit_transform(trials)[0, 1])
    seeds = draw_seed(random_state, size=n_bootstrap)
    samples = np.array(Parallel(n_jobs=n_jobs)(
        delayed(_resampled_distance)(dsa, *trials, seed) for seed in seeds))
    tail = (1 - confidence) / 2
    lower, upper = np.quantile(samples, [tail, 1 - tail])
    if method == "basic":
        lower, upper = (np.sqrt(max(2 * distance**2 - q**2, 0.0)) for q in (upper, lower))
    return BootstrapResult(distance, float(lower), float(upper), samples)
