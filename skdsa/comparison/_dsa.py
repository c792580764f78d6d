"""Collection-level Dynamical Similarity Analysis."""

import time
from numbers import Integral, Real

import numpy as np
from sklearn.base import _fit_context, clone
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from ..dmd import DMDRegressor
from ..embedding import HankelEmbedder
from ..metrics import EigenvalueWasserstein, ProcrustesVectorFieldMetric
from ..metrics._validation import check_operators
from ..utils._fitting import atomic_fit
from ..utils._progress import print_progress
from ..utils._threads import one_blas_thread
from ._checks import (
    states_of,
    warn_about_noise_modes,
    warn_if_degenerate,
    warn_if_rank_floor_keeps_noise,
    warn_if_transposed,
)
from ._collection import CollectionDistance, as_systems, system_names
from ._embedding_choice import choose_n_delays

_METRIC_NAMES = {
    "angular": lambda: ProcrustesVectorFieldMetric(score="angular"),
    "euclidean": lambda: ProcrustesVectorFieldMetric(score="euclidean"),
    "wasserstein": EigenvalueWasserstein,
}


def _fit_system(model, params, system, name):
    model = clone(model).set_params(**params)
    try:
        with one_blas_thread():
            model.fit(system)
    except ValueError as error:
        raise ValueError(f"System {name}: {error}") from error
    return model


def _last_step(model):
    return model[-1] if isinstance(model, Pipeline) else model


def _common_rank(signal_ranks, models):
    """rank="auto": the largest estimate, but at least 2 where every embedding allows it
    (1 x 1 operators make every angular distance 0 or pi)."""
    widest = min(len(_last_step(model).singular_values_) for model in models)
    return int(max(signal_ranks.max(), min(2, widest)))


def extract_operator(model):
    """The fitted ``operator_`` of ``model`` or of its last step."""
    estimator = _last_step(model)
    try:
        return estimator.operator_
    except AttributeError:
        raise TypeError(
            f"The per-system model {type(estimator).__name__} has no operator_ after "
            "fit; DSA needs a model exposing a square operator_ (e.g. "
            "DMDRegressor, or a Pipeline ending in one)."
        ) from None


class DSA(CollectionDistance):
    """Dynamical Similarity Analysis between the systems of a collection.

    Fits one model per system (by default a delay embedding followed by Hankel
    DMD), then compares the fitted operators with a metric (by default
    Procrustes analysis over vector fields). The output follows scikit-learn's
    precomputed-distance convention: :meth:`fit_transform` returns the
    symmetric ``(n_systems, n_systems)`` matrix, :meth:`transform` the
    ``(n_query, n_fitted)`` distances of new systems to the fitted ones.

    Parameters
    ----------
    n_delays : int or "auto", default=1
        Delays of the default model's :class:`HankelEmbedder`. "auto" chooses one
        for the whole collection from cross-validated forecasts: the fewest
        delays whose forecast skill on held-out trials (1-10 steps ahead, against
        persistence) is within one standard error of the best (see the user
        guide; ``n_delays_``, ``delay_scores_``).
    delay_interval : int, default=1
        Delay interval of the default model.
    rank : int, "auto" or None, default=None
        Rank of the default model's :class:`DMDRegressor`. "auto" chooses one
        rank for the whole collection: the largest of the systems'
        Gavish-Donoho optimal hard threshold estimates (``signal_ranks_``), so
        that no system's signal is cut and the operators keep one size, and
        at least 2 (1 x 1 operators make every angular distance 0 or pi; when
        every estimate is 1, e.g. for noise, DSA warns); the choice is
        ``rank_``. An integer above a system's estimate, whose extra
        modes the data do not follow (eigenvalue residuals above 0.5), raises
        a warning naming those systems; the rank is never changed.
    alpha : float, default=0.0
        Ridge penalty of the default model.
    model : estimator or None, default=None
        Per-system model, cloned for each system; it (or its last step) must
        expose ``operator_`` after fit. None builds
        ``Pipeline([("hankel", HankelEmbedder(n_delays, delay_interval)),
        ("dmd", DMDRegressor(rank, alpha=alpha))])``. With a model of your own,
        tune it through nested names (``model__dmd__rank``) and leave the four
        shortcuts above at their defaults.
    metric : {"angular", "euclidean", "wasserstein"}, metric object or None
        How operators are compared: a :class:`ProcrustesVectorFieldMetric`
        (default, angular), an :class:`EigenvalueWasserstein`, or their names.
        The metric's own ``n_jobs``, ``random_state`` and ``verbose`` are not
        used; this estimator's are.
    size_mismatch : {"raise", "pad"} or None, default=None
        What to do when systems give operators of different sizes (per-system
        ranks in ``system_params``, ``DMDRegressor(max_residual=...)``, models
        of your own): "raise" a ValueError, or "pad" the smaller
        operators with zeros to the largest size (for every metric; padding
        adds zero eigenvalues). None keeps the metric's own setting ("raise"
        for the metrics named by a string).
    system_params : list of dict, dict of dict, or None, default=None
        Per-system parameters set on that system's clone of the model, e.g.
        ``[{"hankel__n_delays": 10}, {"hankel__n_delays": 30}]`` (one dict per
        fitted system, in order) or ``{"mouse_1": {"dmd__rank": 8}}`` for a
        dict collection (systems not named keep the shared parameters).
        Applies to :meth:`fit` only; new systems in :meth:`transform` use the
        shared parameters.
    n_jobs : int or None, default=None
        Parallel jobs for fitting systems and comparing pairs (joblib; any
        backend, e.g. ``joblib.parallel_backend("dask")`` for a cluster).
    random_state : int, RandomState instance or None, default=None
        Seeds the metric's random restarts. One seed is drawn in :meth:`fit`
        and used for every pair, in :meth:`fit_transform` and
        :meth:`transform` alike, so a distance depends only on the two
        systems and the parameters: not on ``n_jobs``, the backend, BLAS
        threads or where a system sits in the collection. Random steps of the
        ``model`` keep their own ``random_state``: seed them too (a
        ``PCA(n_components)`` of a few hundred samples may use a randomized
        solver).
    verbose : int, default=0
        If > 0, print progress (systems fitted, then pairs compared, each with
        elapsed time and ETA) to stderr.
    memory : str, path, joblib.Memory or None, default=None
        A cache of the pairwise comparisons (a folder, or a ``joblib.Memory``):
        finished chunks of pairs are stored as they complete, so a long job that
        is interrupted (Ctrl-C, a killed worker, a lost dask worker) and started
        again with the same ``memory`` and parameters computes only the pairs it
        had not finished, and gives the matrix an uninterrupted run gives.

    Attributes
    ----------
    models_ : list of estimator
        Fitted per-system models.
    operators_ : list of ndarray
        Their operators.
    metric_ : metric object
        The metric used.
    rank_ : int or None
        The common rank chosen by ``rank="auto"`` (else ``rank``).
    n_delays_ : int
        The delays chosen by ``n_delays="auto"`` (only then).
    delay_scores_ : DataFrame
        With ``n_delays="auto"``: the mean forecast skill of each candidate over
        the systems, its standard error and which was chosen (for a figure).
    signal_ranks_ : ndarray of shape (n_systems,)
        Each system's optimal hard threshold rank estimate (``signal_rank_`` of
        its :class:`DMDRegressor`; -1 where the model has none).
    system_names_ : ndarray of str
        Names of the fitted systems (dict keys, or ``system0``, ``system1``...).
    n_systems_ : int
        Number of fitted systems.

    See Also
    --------
    ProcrustesVectorFieldMetric : The default metric.
    EigenvalueWasserstein : A cheaper metric on eigenvalues only.

    Notes
    -----
    A collection is a dict ``{name: system}``, a ``pandas.Series`` of systems
    indexed by name, a list of systems, or an array of shape ``(n_systems,
    n_trials, n_timepoints, n_features)``, ``(n_systems, n_timepoints,
    n_features)`` or ``(n_systems, n_timepoints)`` (a warning is raised when
    such a 2D array has more rows than columns, as it is then more likely one
    recording: pass ``[X]``). Each system is one series ``(n_timepoints,
    n_features)``, trials ``(n_trials, n_timepoints, n_features)``, or a list
    of ragged trials; systems may differ in length and in feature count.
    scikit-learn's meta-estimators index axis 0 by position, so lists, arrays
    and Series pass through ``GridSearchCV`` and ``Pipeline`` unchanged; a dict
    cannot be indexed by position (pass ``pandas.Series(systems)`` instead).

    Dict input returns labelled ``pandas.DataFrame`` distances;
    ``set_output(transform="pandas")`` does so for any input.

    Each system is fitted once and its per-operator precomputations are
    cached; every pair reuses them.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import DSA
    >>> rng = np.random.default_rng(0)
    >>> def spiral(theta, n_trials=3):
    ...     M = 0.95 * np.array([[np.cos(theta), -np.sin(theta)],
    ...                          [np.sin(theta), np.cos(theta)]])
    ...     X = np.empty((n_trials, 60, 2))
    ...     X[:, 0] = rng.normal(size=(n_trials, 2))
    ...     for t in range(59):
    ...         X[:, t + 1] = X[:, t] @ M.T
    ...     return X
    >>> systems = {"slow": spiral(0.1), "slow too": spiral(0.1), "fast": spiral(0.5)}
    >>> D = DSA(n_delays=2, rank=2, random_state=0).fit_transform(systems)
    >>> D.round(2)
              slow  slow too  fast
    slow      0.00      0.01  0.40
    slow too  0.01      0.00  0.39
    fast      0.40      0.39  0.00
    """

    _parameter_constraints = {
        "n_delays": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "delay_interval": [Interval(Integral, 1, None, closed="left")],
        "rank": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "model": [HasMethods(["fit"]), None],
        "metric": [StrOptions(set(_METRIC_NAMES)), HasMethods(["prepare", "compare"]),
                   None],
        "size_mismatch": [StrOptions({"raise", "pad"}), None],
        "system_params": [list, dict, None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "memory": [None, str, HasMethods(["cache"])],
    }

    def __init__(self, n_delays=1, delay_interval=1, rank=None, alpha=0.0, model=None,
                 metric=None, size_mismatch=None, system_params=None, n_jobs=None,
                 random_state=None, verbose=0, memory=None):
        self.n_delays = n_delays
        self.delay_interval = delay_interval
        self.rank = rank
        self.alpha = alpha
        self.model = model
        self.metric = metric
        self.size_mismatch = size_mismatch
        self.system_params = system_params
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.memory = memory

    # Parameters that configure the default model only, with their defaults.
    _SHORTCUTS = {"n_delays": 1, "delay_interval": 1, "rank": None, "alpha": 0.0}

    def _default_model(self):
        n_delays = self.n_delays_ if self.n_delays == "auto" else self.n_delays
        return Pipeline([
            ("hankel", HankelEmbedder(n_delays, self.delay_interval)),
            ("dmd", DMDRegressor(rank=self.rank, alpha=self.alpha)),
        ])

    def _build_model(self):
        if self.model is None:
            return self._default_model()
        changed = [name for name, default in self._SHORTCUTS.items()
                   if getattr(self, name) != default]
        if changed:
            raise ValueError(
                f"{', '.join(changed)} configure the default model only, but a model "
                "was given. Set them on your model instead (nested names such as "
                "model__dmd__rank work in set_params and GridSearchCV)."
            )
        return self.model

    def _build_metric(self):
        if self.metric is None:
            return ProcrustesVectorFieldMetric()
        if isinstance(self.metric, str):
            return _METRIC_NAMES[self.metric]()
        return clone(self.metric)

    def _per_system_params(self, keys):
        params = self.system_params
        if params is None:
            return [{}] * len(keys)
        if isinstance(params, dict):
            unknown = [key for key in params if key not in keys]
            if unknown:
                raise ValueError(
                    f"system_params names systems {unknown} that are not in the "
                    f"collection; its systems are {keys} (keys are matched as given, "
                    "so 1 and '1' differ)."
                )
            return [params.get(key, {}) for key in keys]
        if len(params) != len(keys):
            raise ValueError(
                f"system_params has {len(params)} entries but the collection has "
                f"{len(keys)} systems; give one dict per system (or a dict keyed "
                "by system name)."
            )
        return params

    def _model_input(self, systems, names):
        """The systems as the per-system model takes them (a DrivenRecording's states)."""
        return states_of(systems, names)

    def _fit_operators(self, systems, names, params):
        model = self._build_model()
        warn_if_transposed(systems, names)
        systems = self._model_input(systems, names)
        fitted = Parallel(n_jobs=self.n_jobs, return_as="generator")(
            delayed(_fit_system)(model, p, system, name)
            for system, name, p in zip(systems, names, params))
        models, start = [], time.perf_counter()
        for fitted_model in fitted:
            models.append(fitted_model)
            if self.verbose:
                print_progress(len(models), len(systems), "systems fitted", start)
        return models, [self._compared_of(m) for m in models]

    # What the metric compares, per fitted model, and how it is checked; the
    # driven variant (InputDSA) compares (A, B) pairs instead of operators.
    def _compared_of(self, model):
        return extract_operator(model)

    def _publish(self, compared):
        self.operators_ = compared

    def _check_compared(self, compared, names):
        return check_operators(compared, self._size_mismatch(), names)

    @staticmethod
    def _size(item):
        return item.shape[0]

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit one model per system and cache what the metric needs.

        Parameters
        ----------
        X : collection of systems
            See Notes of the class.
        y : None
            Ignored (present for Pipeline compatibility).

        Returns
        -------
        self : DSA
        """
        systems, keys = self._start_fit(X)
        names = list(self.system_names_)
        params = self._per_system_params(keys)
        if self.n_delays == "auto":
            self.n_delays_, self.delay_scores_ = choose_n_delays(
                [getattr(system, "states", system) for system in systems],
                delay_interval=self.delay_interval, alpha=self.alpha, random_state=self._seed)
        self.models_, compared = self._fit_operators(systems, names, params)
        self.signal_ranks_ = np.array([getattr(_last_step(m), "signal_rank_", -1)
                                       for m in self.models_])
        self.rank_ = self.rank
        if self.rank == "auto":
            self.rank_ = _common_rank(self.signal_ranks_, self.models_)
            refit = [k for k, m in enumerate(self.models_) if _last_step(m).rank_ != self.rank_]
            models, refitted = self._fit_operators(
                [systems[k] for k in refit], [names[k] for k in refit],
                [{**params[k], "dmd__rank": self.rank_} for k in refit])
            for k, model, item in zip(refit, models, refitted):
                self.models_[k], compared[k] = model, item
            warn_if_rank_floor_keeps_noise(self.rank_, self.signal_ranks_)
        else:
            warn_about_noise_modes([_last_step(m) for m in self.models_], names)
        self._compared = compared
        self._publish(compared)
        self.metric_ = self._build_metric()
        warn_if_degenerate(self.operators_, self.metric_)
        checked = self._check_compared(compared, names)
        self._prepared = [self.metric_.prepare(item) for item in checked]
        self._prepared_size = self._size(checked[0])
        return self

    def noise_floor(self, X, n_splits=2, random_state=None):
        """Distance of each system to itself across disjoint parts of its data.

        See :func:`skdsa.stats.noise_floor`; this estimator's model, metric
        and parameters are used, with ``rank_`` when ``rank="auto"``.

        Parameters
        ----------
        X : collection of systems
            The fitted collection (same systems, same order or names).
        n_splits : int, default=2
            Parts per system.
        random_state : int, RandomState instance or None, default=None
            Seeds the assignment of trials to parts.

        Returns
        -------
        floors : ndarray of shape (n_systems_,), or Series for named systems
        """
        from ..stats import noise_floor  # a convenience method reaching up to stats

        check_is_fitted(self)
        systems, keys = as_systems(X)
        names = system_names(keys or [f"system{i}" for i in range(len(systems))])
        if names != list(self.system_names_):
            raise ValueError(
                f"noise_floor needs the fitted collection ({self.n_systems_} systems "
                f"{list(self.system_names_)[:5]}...); got {len(names)} systems "
                f"{names[:5]}...."
            )
        chosen = {name: getattr(self, f"{name}_") for name in ("n_delays", "rank")
                  if getattr(self, name) == "auto"}
        estimator = clone(self).set_params(**chosen) if chosen else self
        return noise_floor(X, estimator, n_splits=n_splits, random_state=random_state)

    def _size_mismatch(self):
        if self.size_mismatch is not None:
            return self.size_mismatch
        return getattr(self.metric_, "size_mismatch", "raise")

    def _prepare_queries(self, systems, names):
        shared = {} if self.rank != "auto" else {"dmd__rank": self.rank_}
        _, compared = self._fit_operators(systems, names, [shared] * len(systems))
        everything = self._check_compared(list(self._compared) + compared,
                                          list(self.system_names_) + names)
        fitted = self._prepared
        if self._size(everything[0]) != self._prepared_size:
            # New systems are larger: pad and prepare the fitted ones again.
            fitted = [self.metric_.prepare(item) for item in everything[: self.n_systems_]]
        return [self.metric_.prepare(item) for item in everything[self.n_systems_:]], fitted
