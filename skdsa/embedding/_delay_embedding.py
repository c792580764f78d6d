"""Delay embeddings computed on demand, and their Gram matrices from the raw series."""

import numbers

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from ..recordings import LazyRecording
from ..recordings._driven_recording import describe_recording, take_trials
from ..recordings._validation import restore_layout


def delay_embed(x, n_delays, delay_interval=1):
    """Delay-embed one series.

    Parameters
    ----------
    x : ndarray of shape (n_timepoints, n_features)
        One series.
    n_delays : int
        Number of lagged copies.
    delay_interval : int, default=1
        Steps between consecutive lags.

    Returns
    -------
    H : ndarray of shape (n_timepoints - (n_delays - 1) * delay_interval, \
            n_features * n_delays)
        Row ``t`` is ``[x[s], x[s - delay_interval], ..., x[s - (n_delays - 1)
        * delay_interval]]`` with ``s = t + (n_delays - 1) * delay_interval``:
        the newest sample first, then ever older lags.
    """
    span = (n_delays - 1) * delay_interval
    n_rows = x.shape[0] - span
    blocks = [x[span - k * delay_interval: span - k * delay_interval + n_rows]
              for k in range(n_delays)]
    return np.concatenate(blocks, axis=1)


def _lagged_products(x, start_a, start_b, n_rows, n_delays, step, symmetric):
    """Block matrix ``sum_r x[a_k + r]^T x[b_l + r]`` over ``r < n_rows`` and trials.

    ``x`` is ``(n_timepoints, n_trials, n_features)``; the windows start at
    ``a_k = start_a - k * step`` and ``b_l = start_b - l * step``. Block
    ``(k, l)`` differs from block ``(k - 1, l - 1)`` only by the ``step`` rows
    its window gains at the start and loses at the end, so only the first block
    row and column are full products: the cost is ``O(n_delays * n_timepoints
    * n_features^2)`` instead of the ``O(n_delays^2 ...)`` of forming the
    Hankel matrix, and no array of ``n_timepoints * n_features * n_delays``
    elements is made.
    """
    f = x.shape[2]
    rows = x.reshape(-1, f)  # time-major: a window of timepoints is a contiguous block
    trials = x.shape[1]
    a = start_a - step * np.arange(n_delays)
    b = start_b - step * np.arange(n_delays)

    def cross(i, j, length):
        return rows[i * trials:(i + length) * trials].T @ rows[j * trials:(j + length) * trials]

    def edges(starts):
        # (step * n_trials, len(starts) * f): the `step` timepoints from each start.
        return np.stack([x[s:s + step] for s in starts], axis=2).reshape(-1, len(starts) * f)

    blocks = np.empty((n_delays, f, n_delays, f))
    for j in range(n_delays):
        blocks[0, :, j] = cross(a[0], b[j], n_rows)
    for k in range(1, n_delays):
        blocks[k, :, 0] = blocks[0, :, k].T if symmetric else cross(a[k], b[0], n_rows)
    if n_delays > 1:
        # change[k - 1, :, l - 1] = block (k, l) - block (k - 1, l - 1).
        gained = edges(a[1:]).T @ edges(b[1:])
        lost = edges(a[1:] + n_rows).T @ edges(b[1:] + n_rows)
        change = (gained - lost).reshape(n_delays - 1, f, n_delays - 1, f)
        for k in range(1, n_delays):
            blocks[k, :, 1:] = blocks[k - 1, :, :-1] + change[k - 1]
    return blocks.reshape(n_delays * f, n_delays * f)


class DelayEmbedding(LazyRecording, NDArrayOperatorsMixin):
    """The delay embedding of a recording, computed only when needed.

    Returned by :meth:`HankelEmbedder.transform`. :class:`DMDRegressor` fits it
    from the raw series (Gram matrices accumulated lag by lag), so memory stays
    proportional to the recording, not to ``n_timepoints * n_features *
    n_delays``. Anywhere else it behaves as the embedded array (or list of
    arrays): ``np.asarray(H)``, indexing, arithmetic and iteration materialise
    what they touch; :meth:`materialize` returns the whole embedding.

    It reads the recording when used: it is a view, so changing the recorded
    arrays afterwards changes it too.

    Parameters
    ----------
    series : list of ndarray of shape (n_timepoints_i, n_features)
        The validated float64 trials of one recording.
    layout : {"2d", "3d", "list"}
        Structure of the recording, kept by :meth:`materialize`.
    n_delays : int
        Number of lagged copies.
    delay_interval : int
        Steps between consecutive lags.
    """

    def __init__(self, series, layout, n_delays, delay_interval):
        self.series = series
        self.layout = layout
        self.n_delays = n_delays
        self.delay_interval = delay_interval

    @property
    def span(self):
        """Time steps between the oldest and the newest lag of a row."""
        return (self.n_delays - 1) * self.delay_interval

    @property
    def n_features(self):
        """Columns of the embedding: ``n_features * n_delays`` of the recording."""
        return self.series[0].shape[1] * self.n_delays

    @property
    def lengths(self):
        """Rows of each embedded series."""
        return [x.shape[0] - self.span for x in self.series]

    dtype = np.dtype(np.float64)

    @property
    def shape(self):
        if self.layout == "2d":
            return (self.lengths[0], self.n_features)
        if self.layout == "3d":
            return (len(self.series), self.lengths[0], self.n_features)
        raise AttributeError("a ragged DelayEmbedding has no shape; see its lengths")

    @property
    def ndim(self):
        return len(self.shape)

    def take(self, key):
        """Axis-0 selection of the recording's trials, embedded the same way."""
        if self.layout == "2d":
            raise ValueError("A delay-embedded single series cannot be split along time.")
        series = take_trials(self.series, key)
        series = [series] if isinstance(key, numbers.Integral) else series
        layout = "2d" if isinstance(key, numbers.Integral) else self.layout
        return DelayEmbedding(series, layout, self.n_delays, self.delay_interval)

    def describe(self):
        """A short description for error messages: the recording and its embedding."""
        raw = describe_recording(restore_layout(self.series, self.layout))
        return raw if self.n_delays == 1 else f"the delay embedding of {raw}"

    def embed(self, i):
        """The embedded series ``i`` as an array."""
        x = self.series[i]
        return x if self.n_delays == 1 else delay_embed(x, self.n_delays, self.delay_interval)

    def materialize(self):
        """The whole embedding, in the recording's structure (array or list)."""
        return restore_layout([self.embed(i) for i in range(len(self.series))], self.layout)

    def dot(self, W):
        """``H_i @ W`` for every embedded series ``H_i``, without embedding them.

        Parameters
        ----------
        W : ndarray of shape (n_features, k)

        Returns
        -------
        products : list of ndarray of shape (n_rows_i, k)
        """
        f, span, d = self.series[0].shape[1], self.span, self.delay_interval
        products = []
        for x, n in zip(self.series, self.lengths):
            product = np.zeros((n, W.shape[1]))
            for k in range(self.n_delays):
                start = span - k * d
                product += x[start:start + n] @ W[k * f:(k + 1) * f]
            products.append(product)
        return products

    def leading_columns(self, n_columns):
        """The first ``n_columns`` columns of every embedded series."""
        n_blocks = -(-n_columns // self.series[0].shape[1])
        # The newest n_blocks lags: the embedding of the series without its oldest samples.
        skip = self.span - (n_blocks - 1) * self.delay_interval
        return [delay_embed(x[skip:], n_blocks, self.delay_interval)[:, :n_columns]
                for x in self.series]

    def first_rows(self):
        """The first embedded row of every series, shape ``(n_series, n_features)``."""
        return np.concatenate([delay_embed(x[: self.span + 1], self.n_delays,
                                           self.delay_interval) for x in self.series])

    def gram_matrices(self):
        """Gram matrices of the stacked embedding and of its transitions.

        Returns
        -------
        gram : ndarray of shape (n_features, n_features)
            ``H^T H`` over all rows of all series.
        current : ndarray of shape (n_features, n_features)
            ``H_t^T H_t`` over the rows that have a successor in their series.
        transition : ndarray of shape (n_features, n_features)
            ``H_t^T H_{t+1}`` over those rows.
        """
        p, span, d = self.n_features, self.span, self.delay_interval
        gram, current, transition = np.zeros((p, p)), np.zeros((p, p)), np.zeros((p, p))
        for x in self._equal_length_groups():
            n = x.shape[0] - span
            gram += _lagged_products(x, span, span, n, self.n_delays, d, symmetric=True)
            if n > 1:
                transition += _lagged_products(x, span, span + 1, n - 1, self.n_delays, d,
                                               symmetric=False)
            # The last row of each series has no successor.
            last = np.stack([x[-1 - k * d] for k in range(self.n_delays)], axis=1)
            last = last.reshape(x.shape[1], p)
            current -= last.T @ last
        current += gram
        return gram, current, transition

    def _equal_length_groups(self):
        """Series as ``(n_timepoints, n_trials, n_features)`` arrays of equal-length trials."""
        if self.layout == "3d" and len(self.series) > 1:
            return [np.stack(self.series, axis=1)]
        return [x[:, None] for x in self.series]

    def __len__(self):
        return self.lengths[0] if self.layout == "2d" else len(self.series)

    def __getitem__(self, key):
        if self.layout != "2d" and isinstance(key, (int, np.integer)):
            return self.embed(range(len(self.series))[key])
        return self.materialize()[key]

    def __iter__(self):
        if self.layout == "2d":
            return iter(self.materialize())
        return (self.embed(i) for i in range(len(self.series)))

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError("A DelayEmbedding is computed on demand; it cannot be "
                             "viewed as an array without a copy.")
        if self.layout == "list":
            raise ValueError(
                "This DelayEmbedding holds series of different lengths (a ragged list), "
                "which form no single array; use list(H) or H.materialize()."
            )
        return np.asarray(self.materialize(), dtype=dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = [np.asarray(x) if isinstance(x, DelayEmbedding) else x for x in inputs]
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __repr__(self):
        size = (f"shape={self.shape}" if self.layout != "list"
                else f"lengths={self.lengths}, n_features={self.n_features}")
        return (f"DelayEmbedding({size}, n_delays={self.n_delays}, "
                f"delay_interval={self.delay_interval})")
