"""Input-driven DSA: comparing driven systems without confusing the drive with the dynamics."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..dmd import DMDcRegressor
from ..embedding import HankelEmbedder
from ..metrics._driven import MODES, DrivenProcrustesMetric, check_driven_systems
from ..metrics._pairwise import compare_all
from ._dsa import DSA, _last_step


class InputDSA(DSA):
    """Dynamical Similarity Analysis between driven systems.

    Fits one driven model per system (by default a delay embedding of the
    states followed by DMD with control, ``z[t + 1] ~= A z[t] + B u[t]``), then
    compares the fitted ``(A, B)`` with a :class:`DrivenProcrustesMetric`: the
    recurrent dynamics ``A`` alone ("state", the default: two networks with
    the same dynamics driven by different inputs are close), how the inputs
    enter ("input"), both at once ("joint"), or dsa-metric's controllability
    comparison ("controllability"). Everything else is as in :class:`DSA`:
    labelled output, ``n_jobs`` (any joblib backend), reproducibility under
    ``random_state``, cached per-system work, ``transform`` of new systems.

    Parameters
    ----------
    n_delays : int, default=1
        Delays of the default model's :class:`HankelEmbedder` (states only).
    delay_interval : int, default=1
        Delay interval of the default model.
    rank : int, "auto" or None, default=None
        Rank of the default model's :class:`DMDcRegressor` ("auto": one common
        rank, the largest per-system estimate, as in :class:`DSA`).
    alpha : float, default=0.0
        Ridge penalty of the default model.
    n_input_delays : int, default=1
        Input lags of the default model (1: the current input only).
    model : estimator or None, default=None
        Per-system model, cloned for each system; it (or its last step) must
        expose ``operator_`` and ``input_operator_`` after fit, e.g. a
        :class:`SubspaceDMDcRegressor` for partially observed systems. None
        builds ``Pipeline([("hankel", HankelEmbedder(n_delays,
        delay_interval)), ("dmd", DMDcRegressor(rank, alpha=alpha,
        n_input_delays=n_input_delays))])``.
    metric : {"state", "input", "joint", "controllability"}, \
            DrivenProcrustesMetric or None, default=None
        The comparison (a string uses :class:`DrivenProcrustesMetric` with its
        defaults, angular); None is "state".
    size_mismatch, system_params, n_jobs, random_state, verbose, memory
        As in :class:`DSA`.

    Attributes
    ----------
    models_ : list of estimator
        Fitted per-system models.
    operators_ : list of ndarray
        Their state operators ``A``.
    input_operators_ : list of ndarray
        Their input operators ``B``.
    metric_ : DrivenProcrustesMetric
        The metric used.
    rank_, signal_ranks_, system_names_, n_systems_
        As in :class:`DSA`.

    See Also
    --------
    DrivenRecording : One system's states with its inputs.
    DSA : The same analysis for systems without (known) inputs.

    Notes
    -----
    A collection is a dict, pandas Series or list of :class:`DrivenRecording`
    (each: states as in :class:`DSA`, with inputs of the same trial structure).
    Systems are compared as driven by the same input channels (the ``B``'s
    share their columns) unless the metric aligns the inputs
    (``DrivenProcrustesMetric(align_inputs=True)``).

    Examples
    --------
    Two copies of one linear system, one driven by white noise and one by a
    slow sine, and a system with other dynamics driven by white noise:

    >>> import numpy as np
    >>> from skdsa import DrivenRecording, InputDSA
    >>> rng = np.random.default_rng(0)
    >>> def simulate(A, inputs):
    ...     x = np.zeros((len(inputs), 2))
    ...     for t in range(len(inputs) - 1):
    ...         x[t + 1] = A @ x[t] + inputs[t] + 0.01 * rng.normal(size=2)
    ...     return DrivenRecording(x, inputs)
    >>> slow, fast = (0.9 * np.array([[np.cos(w), -np.sin(w)], [np.sin(w), np.cos(w)]])
    ...               for w in (0.1, 0.6))
    >>> white = rng.normal(size=(500, 2))
    >>> sine = np.c_[np.sin(0.05 * np.arange(500)), np.cos(0.05 * np.arange(500))]
    >>> systems = {"slow, white": simulate(slow, white), "slow, sine": simulate(slow, sine),
    ...            "fast, white": simulate(fast, white)}
    >>> D = InputDSA(random_state=0).fit_transform(systems)
    >>> bool(D.iloc[0, 1] < 0.1 < D.iloc[0, 2])
    True
    """

    _parameter_constraints = {
        **DSA._parameter_constraints,
        # The delays are chosen from forecasts of the states alone, which a drive
        # confounds: InputDSA takes them as given.
        "n_delays": [Interval(Integral, 1, None, closed="left")],
        "n_input_delays": [Interval(Integral, 1, None, closed="left")],
        "metric": [StrOptions(set(MODES)), HasMethods(["prepare", "compare"]), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
    }
    _SHORTCUTS = {**DSA._SHORTCUTS, "n_input_delays": 1}

    def __init__(self, n_delays=1, delay_interval=1, rank=None, alpha=0.0, n_input_delays=1,
                 model=None, metric=None, size_mismatch=None, system_params=None,
                 n_jobs=None, random_state=None, verbose=0, memory=None):
        super().__init__(n_delays=n_delays, delay_interval=delay_interval, rank=rank,
                         alpha=alpha, model=model, metric=metric,
                         size_mismatch=size_mismatch, system_params=system_params,
                         n_jobs=n_jobs, random_state=random_state, verbose=verbose,
                         memory=memory)
        self.n_input_delays = n_input_delays

    def _default_model(self):
        return Pipeline([
            ("hankel", HankelEmbedder(self.n_delays, self.delay_interval)),
            ("dmd", DMDcRegressor(rank=self.rank, alpha=self.alpha,
                                  n_input_delays=self.n_input_delays)),
        ])

    def _build_metric(self):
        if self.metric is None:
            metric = DrivenProcrustesMetric()
        elif isinstance(self.metric, str):
            metric = DrivenProcrustesMetric(mode=self.metric)
        else:
            metric = clone(self.metric)
        if self.size_mismatch is not None:
            metric.set_params(size_mismatch=self.size_mismatch)
        return metric

    def _compared_of(self, model):
        estimator = _last_step(model)
        try:
            return estimator.operator_, estimator.input_operator_
        except AttributeError:
            raise TypeError(
                f"The per-system model {type(estimator).__name__} has no operator_ and "
                "input_operator_ after fit; InputDSA needs a driven model (e.g. "
                "DMDcRegressor or SubspaceDMDcRegressor, or a Pipeline ending in one)."
            ) from None

    def distance_components(self, modes=("state", "input", "joint")):
        """The distances between the fitted systems under several comparisons at once.

        The fitted models are reused (nothing is refitted): each mode compares the
        same ``(A, B)`` with the fitted metric's settings (score, input weight,
        input alignment, solver), as ``InputDSA(metric=mode)`` would. dsa-metric
        calls this ``return_distance_components``.

        Parameters
        ----------
        modes : sequence of {"state", "input", "joint", "controllability"}, \
                default=("state", "input", "joint")
            The comparisons.

        Returns
        -------
        components : DataFrame of shape (n_systems * (n_systems - 1) / 2, len(modes))
            One row per unordered pair of systems, indexed by ``(system,
            other)``, one column per mode.
        """
        check_is_fitted(self)
        if not isinstance(self.metric_, DrivenProcrustesMetric):
            raise TypeError(
                f"distance_components needs the metric to be a DrivenProcrustesMetric "
                f"(its mode is switched); this InputDSA uses {type(self.metric_).__name__}."
            )
        unknown = [mode for mode in modes if mode not in MODES]
        if unknown or not modes:
            raise ValueError(f"modes must be a non-empty selection of {MODES}; got "
                             f"{list(modes)}.")
        names = list(self.system_names_)
        rows, columns = np.triu_indices(len(names), 1)
        components = {}
        for mode in modes:
            metric = clone(self.metric_).set_params(mode=mode)
            checked = check_driven_systems(self._compared, names, metric)
            D = compare_all(metric, [metric.prepare(item) for item in checked],
                            n_jobs=self.n_jobs, random_state=self._seed, verbose=self.verbose)
            components[mode] = D[rows, columns]
        index = pd.MultiIndex.from_arrays([[names[i] for i in rows],
                                           [names[j] for j in columns]],
                                          names=["system", "other"])
        return pd.DataFrame(components, index=index)

    def _model_input(self, systems, names):
        return systems  # the driven model fits states with their inputs

    def _publish(self, compared):
        self.operators_ = [A for A, _ in compared]
        self.input_operators_ = [B for _, B in compared]

    def _check_compared(self, compared, names):
        return check_driven_systems(compared, names, self.metric_)

    @staticmethod
    def _size(item):
        return item[0].shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # A system is a DrivenRecording (states with inputs); no array holds one.
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = False
        return tags
