"""Operations along time, applied to each trial of a recording separately."""

from numbers import Integral, Real

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.signal import lfilter
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..recordings._validation import check_series, restore_layout
from ..utils._fitting import atomic_fit

_LAYOUT = """
    Input and output are one recording: ``(n_timepoints, n_features)``, trials
    ``(n_trials, n_timepoints, n_features)`` or a list of ``(n_timepoints_i,
    n_features)`` arrays; each trial is processed on its own, so nothing
    crosses trial boundaries, and the structure is kept."""


class _TrialwiseTransformer(TransformerMixin, BaseEstimator):
    """Base: validate, then apply ``_transform_trial`` to every trial."""

    min_timepoints = 1

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` and learn what the transform needs.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), or list of 2D arrays
            One recording.
        y : None
            Ignored.

        Returns
        -------
        self : estimator
        """
        series, _ = check_series(X, estimator=self, reset=True)
        self._check_lengths(series)
        self._fit_series(series)
        return self

    def _fit_series(self, series):
        pass

    def transform(self, X):
        """Process each trial of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints, n_features) or \
                (n_trials, n_timepoints, n_features), or list of 2D arrays
            A recording with ``n_features_in_`` features.

        Returns
        -------
        Xt : ndarray or list of ndarray
            Same structure as ``X``.
        """
        check_is_fitted(self)
        series, layout = check_series(X, estimator=self, reset=False)
        self._check_lengths(series)
        return restore_layout([self._transform_trial(x) for x in series], layout)

    def _length_reason(self):
        return "this transformer"

    def _check_lengths(self, series):
        for i, x in enumerate(series):
            if len(x) < self.min_timepoints:
                raise ValueError(
                    f"{type(self).__name__}: trial {i} has {len(x)} sample(s) (timepoints), but "
                    f"{self._length_reason()} needs at least {self.min_timepoints}. "
                    "Drop the short trial or change the parameter."
                )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags


class GaussianSmoother(_TrialwiseTransformer):
    """Smooth every feature along time with a Gaussian kernel.

    Parameters
    ----------
    sigma : float, default=1.0
        Standard deviation of the kernel, in timepoints.
    causal : bool, default=False
        If False, the kernel is centred (``y[t]`` uses past and future
        samples). If True, it is the half Gaussian over ``x[t], x[t - 1], ...``
        (normalised to sum 1), so ``y[t]`` uses no future sample.
    truncate : float, default=4.0
        The kernel reaches ``round(truncate * sigma)`` timepoints.

    Attributes
    ----------
    n_features_in_ : int
        Number of features.

    Notes
    -----
    Beyond the ends of a trial the first (last) sample is repeated, so a
    constant series stays constant.
    {layout}

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.preprocessing import GaussianSmoother
    >>> step = np.r_[np.zeros(5), np.ones(5)][:, None]
    >>> GaussianSmoother(sigma=1.0).fit_transform(step).ravel().round(2)
    array([0.  , 0.  , 0.  , 0.06, 0.3 , 0.7 , 0.94, 1.  , 1.  , 1.  ])
    """

    _parameter_constraints = {
        "sigma": [Interval(Real, 0, None, closed="neither")],
        "causal": ["boolean"],
        "truncate": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, sigma=1.0, causal=False, truncate=4.0):
        self.sigma = sigma
        self.causal = causal
        self.truncate = truncate

    def _transform_trial(self, x):
        if not self.causal:
            return gaussian_filter1d(x, self.sigma, axis=0, mode="nearest",
                                     truncate=self.truncate)
        radius = int(self.truncate * self.sigma + 0.5)
        kernel = np.exp(-0.5 * (np.arange(radius + 1) / self.sigma) ** 2)
        kernel /= kernel.sum()
        padded = np.concatenate([np.repeat(x[:1], radius, axis=0), x])
        return lfilter(kernel, [1.0], padded, axis=0)[radius:]


class Binner(_TrialwiseTransformer):
    """Coarse-grain time: sum (or average) non-overlapping bins of timepoints.

    Use it to turn spike counts at a fine resolution into counts per bin.

    Parameters
    ----------
    bin_size : int, default=2
        Timepoints per bin. A trailing partial bin is dropped.
    statistic : {"sum", "mean"}, default="sum"
        Sum (counts per bin) or mean (rates) of each bin.

    Attributes
    ----------
    n_features_in_ : int
        Number of features.

    Notes
    -----
    A trial of ``n_timepoints`` becomes ``n_timepoints // bin_size`` bins.
    {layout}

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.preprocessing import Binner
    >>> spikes = np.array([[0], [1], [1], [0], [1], [1], [1]])
    >>> Binner(bin_size=3).fit_transform(spikes).ravel()
    array([2., 2.])
    """

    _parameter_constraints = {
        "bin_size": [Interval(Integral, 1, None, closed="left")],
        "statistic": [StrOptions({"sum", "mean"})],
    }

    def __init__(self, bin_size=2, statistic="sum"):
        self.bin_size = bin_size
        self.statistic = statistic

    @property
    def min_timepoints(self):
        return self.bin_size

    def _length_reason(self):
        return f"bin_size={self.bin_size}"

    def _transform_trial(self, x):
        n_bins = len(x) // self.bin_size
        bins = x[:n_bins * self.bin_size].reshape(n_bins, self.bin_size, x.shape[1])
        return bins.sum(axis=1) if self.statistic == "sum" else bins.mean(axis=1)


class Subsampler(_TrialwiseTransformer):
    """Keep every ``step``-th timepoint of each trial.

    Parameters
    ----------
    step : int, default=2
        Keep ``x[offset], x[offset + step], ...``.
    offset : int, default=0
        First timepoint kept.

    Attributes
    ----------
    n_features_in_ : int
        Number of features.

    Notes
    -----
    No low-pass filter is applied first; put a :class:`GaussianSmoother` in
    front if the signal has power above the new Nyquist frequency.
    {layout}

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.preprocessing import Subsampler
    >>> Subsampler(step=3).fit_transform(np.arange(8.0)[:, None]).ravel()
    array([0., 3., 6.])
    """

    _parameter_constraints = {
        "step": [Interval(Integral, 1, None, closed="left")],
        "offset": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, step=2, offset=0):
        self.step = step
        self.offset = offset

    @property
    def min_timepoints(self):
        return self.offset + 1

    def _length_reason(self):
        return f"offset={self.offset}"

    def _transform_trial(self, x):
        return x[self.offset::self.step]


class ZScorer(_TrialwiseTransformer):
    """Standardise each feature to mean 0 and standard deviation 1.

    Parameters
    ----------
    per : {"trial", "recording"}, default="trial"
        "trial": each trial by its own mean and standard deviation (nothing is
        learned). "recording": by the mean and standard deviation over all
        timepoints of all trials seen in ``fit`` (``mean_``, ``scale_``).

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Means learned in fit (``per="recording"`` only).
    scale_ : ndarray of shape (n_features,)
        Standard deviations learned in fit (``per="recording"`` only); a
        constant feature gets scale 1.
    n_features_in_ : int
        Number of features.

    Notes
    -----
    A feature constant within a trial (or the recording) is centred and not
    scaled.
    {layout}

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.preprocessing import ZScorer
    >>> X = np.array([[[1.0], [3.0]], [[10.0], [30.0]]])  # 2 trials
    >>> ZScorer().fit_transform(X).ravel()
    array([-1.,  1., -1.,  1.])
    """

    _parameter_constraints = {"per": [StrOptions({"trial", "recording"})]}

    def __init__(self, per="trial"):
        self.per = per

    def _fit_series(self, series):
        if self.per == "recording":
            stacked = np.concatenate(series)
            self.mean_, self.scale_ = stacked.mean(axis=0), _scale(stacked.std(axis=0))

    def _transform_trial(self, x):
        if self.per == "recording":
            return (x - self.mean_) / self.scale_
        return (x - x.mean(axis=0)) / _scale(x.std(axis=0))


def _scale(std):
    return np.where(std > 0, std, 1.0)


for _estimator in (GaussianSmoother, Binner, Subsampler, ZScorer):
    _estimator.__doc__ = _estimator.__doc__.replace("    {layout}", _LAYOUT.strip("\n"))
