"""Geometric baselines over collections of systems, with DSA's collection API."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from ..metrics._geometric import GEOMETRIC_METRICS, GeometricMetric
from ..recordings import DrivenRecording
from ..recordings._validation import read_trials
from ..utils._fitting import atomic_fit
from ._collection import CollectionDistance


class GeometricDistance(CollectionDistance):
    """Distances between the state geometry of systems: the baselines DSA is compared to.

    Each system's states become one matrix (the trial average, or all trials
    stacked), and matrices are compared with a representational metric that
    ignores temporal order: orthogonal Procrustes shape distance, linear CKA,
    CCA or SVCCA. Same collection API as :class:`DSA`, so swapping one for
    the other gives comparable distance matrices.

    Parameters
    ----------
    metric : {"procrustes", "cka", "cca", "svcca"}, default="procrustes"
        "procrustes": angular Procrustes shape distance (radians);
        "cka": ``1 - linear CKA``; "cca" / "svcca": ``1 - mean canonical
        correlation`` (SVCCA keeps the top directions explaining ``variance``).
    average_trials : bool, default=True
        Compare condition-averaged trajectories, as the DSA paper's geometric
        baseline does: the mean over all trials, or, for a
        :class:`DrivenRecording` with ``conditions``, the mean over the trials
        of each condition, the conditions' averages stacked in sorted order
        (every system must then have the same conditions). If False, stack all
        trials.
    variance : float in (0, 1], default=0.99
        Variance kept by SVCCA.
    n_jobs : int or None, default=None
        Parallel jobs for the pairs.
    verbose : int, default=0
        Progress output.

    Attributes
    ----------
    metric_ : GeometricMetric
        The metric used.
    system_names_ : ndarray of str
        Names of the fitted systems.
    n_systems_ : int
        Number of fitted systems.

    See Also
    --------
    DSA : Compares dynamics instead of geometry.

    Notes
    -----
    Collections as in :class:`DSA`, or of :class:`DrivenRecording` (whose
    inputs are ignored; their ``conditions`` set the averages). Rows are matched
    across systems, so every system needs the same number of time points (and
    of trials, with ``average_trials=False``, or of conditions); feature counts
    may differ.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import GeometricDistance
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(5, 50, 3))
    >>> Q = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    >>> D = GeometricDistance().fit_transform([X, X @ Q.T, rng.normal(size=(5, 50, 3))])
    >>> bool(D[0, 1] < 1e-6 < D[0, 2])
    True
    """

    _parameter_constraints = {
        "metric": [StrOptions(set(GEOMETRIC_METRICS))],
        "average_trials": ["boolean"],
        "variance": [Interval(Real, 0, 1, closed="right")],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(self, metric="procrustes", average_trials=True, variance=0.99,
                 n_jobs=None, verbose=0):
        self.metric = metric
        self.average_trials = average_trials
        self.variance = variance
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _states(self, system, name):
        conditions = None
        if isinstance(system, DrivenRecording):
            system, conditions = system.states, system.conditions
        try:
            trials, _ = read_trials(system)
        except ValueError as error:
            raise ValueError(f"System {name}: {error}") from error
        if not self.average_trials:
            return np.concatenate(trials)
        lengths = {len(trial) for trial in trials}
        if len(lengths) > 1:
            raise ValueError(
                f"System {name}: trials of different lengths {sorted(lengths)} "
                "cannot be averaged. Crop them to a common length, or pass "
                "average_trials=False."
            )
        if conditions is None:
            return np.mean(trials, axis=0)
        if len(conditions) != len(trials):
            raise ValueError(
                f"System {name}: {len(conditions)} condition labels for {len(trials)} "
                "trials; give one label per trial."
            )
        trials = np.asarray(trials)
        return np.concatenate([trials[conditions == c].mean(axis=0)
                               for c in np.unique(conditions)])

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Extract and prepare the states of every system.

        Parameters
        ----------
        X : collection of systems
            See Notes.
        y : None
            Ignored.

        Returns
        -------
        self : GeometricDistance
        """
        systems, _ = self._start_fit(X)
        self.metric_ = GeometricMetric(self.metric, self.variance)
        names = list(self.system_names_)
        self._conditions = _check_same_conditions(systems, names) if self.average_trials else None
        self._prepared = self._prepare(systems, names)
        return self

    def _prepare(self, systems, names):
        return [self.metric_.prepare(self._states(s, n)) for s, n in zip(systems, names)]

    def _prepare_queries(self, systems, names):
        if self.average_trials:
            _check_same_conditions(systems, names, fitted=True, reference=self._conditions)
        return self._prepare(systems, names), self._prepared


def _check_same_conditions(systems, names, fitted=False, reference=None):
    """Condition averages are matched row by row: every system needs the same conditions.

    For queries (``fitted=True``), ``reference`` is what this returned for the
    fitted systems. Returns ``(name, conditions)`` of the first labelled system
    (or ``reference``), None when no system is labelled.
    """
    labelled = [(name, np.unique(s.conditions)) for s, name in zip(systems, names)
                if isinstance(s, DrivenRecording) and s.conditions is not None]
    expected = len(systems) if (reference is not None or not fitted) else 0
    if labelled and len(labelled) != len(systems) or fitted and len(labelled) != expected:
        raise ValueError(
            "Only some systems have condition labels; average every system per "
            "condition (give each DrivenRecording its conditions) or none."
        )
    if not labelled:
        return None
    first = reference or labelled[0]
    for name, conditions in labelled:
        if not np.array_equal(conditions, first[1]):
            raise ValueError(
                f"System {name} has conditions {conditions.tolist()}, but {first[0]} has "
                f"{first[1].tolist()}; condition averages are compared condition by "
                "condition, so every system needs the same ones."
            )
    return first
