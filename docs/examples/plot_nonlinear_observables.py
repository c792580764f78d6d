"""
Nonlinear observables: extended and kernel DMD from scikit-learn feature maps
=============================================================================

DMD fits a linear operator to the features it is given. Delays make many
systems linear enough, but not all: a noisy bistable system ``x' = x - x^3``
(:func:`~skdsa.datasets.make_double_well`) has two attractors, which no linear
system has, on any number of delays. Putting a scikit-learn feature map in front
of the delay embedding fits the operator on nonlinear observables of the state,
which is extended DMD (``PolynomialFeatures``, ``SplineTransformer``) or kernel
DMD (``Nystroem``, a random-feature approximation of a kernel). No new estimator
is needed: :class:`~skdsa.preprocessing.SeriesTransformer` applies any 2D
transformer to every timepoint of every trial.

The raw state is kept as the first features (``PolynomialFeatures`` does so
itself; the other maps are joined to the identity with ``make_union``), so that
``DMDRegressor(n_observed=1)`` scores the forecast of ``x`` itself, as for the
linear models.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.kernel_approximation import Nystroem
from sklearn.metrics import r2_score
from sklearn.pipeline import Pipeline, make_union
from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, SplineTransformer

from skdsa import DMDRegressor, HankelEmbedder
from skdsa.datasets import make_double_well
from skdsa.preprocessing import SeriesTransformer

train, test = make_double_well(random_state=0), make_double_well(random_state=1)


def linear(n_delays):
    return Pipeline([("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(n_observed=1))])


def extended(features, rank=None):
    return Pipeline([("features", SeriesTransformer(features)), ("hankel", HankelEmbedder(1)),
                     ("dmd", DMDRegressor(rank=rank, n_observed=1))])


models = {f"linear DMD, {d} delays": linear(d) for d in (1, 2, 3, 5, 10)}
models.update({
    "extended DMD, cubic polynomials": extended(PolynomialFeatures(3, include_bias=False)),
    "extended DMD, splines": extended(make_union(FunctionTransformer(),
                                                 SplineTransformer(n_knots=6))),
    # 21 nearly collinear kernel features: truncated to 10 modes, as kernel DMD does.
    "kernel DMD, RBF (Nystroem), rank 10": extended(make_union(
        FunctionTransformer(), Nystroem(gamma=1.0, n_components=20, random_state=0)), rank=10),
})
fitted = {name: model.fit(train) for name, model in models.items()}


def horizon_r2(model, X, horizon, first=9):
    """R^2 of forecasting x[t + horizon] from x[t] (and its lags) for t >= first."""
    embedded = model[:-1].transform(X)
    forecast = np.asarray(model[-1].predict(embedded, n_steps=horizon))
    start = first - (X.shape[1] - np.asarray(embedded).shape[1])  # same targets for all
    actual = np.asarray(embedded)[:, start + horizon:, 0]
    return r2_score(actual.ravel(), forecast[:, start:-horizon, 0].ravel())


# %%
# One-step forecasts of held-out trials (``score``), and forecasts further ahead,
# every model scored on the same targets (from step 9 on, so that 10 delays fit).
horizons = [1, 2, 3, 5, 8]
table = pd.DataFrame({name: [model.score(test)] + [horizon_r2(model, test, h) for h in horizons]
                      for name, model in fitted.items()},
                     index=["score (one step)"] + [f"R^2, {h} steps" for h in horizons]).T
print(table.round(3).to_string())

# %%
fig, ax = plt.subplots(figsize=(7, 4.5))
for name, row in table.iterrows():
    style = "--" if name.startswith("linear") else "-"
    ax.plot(horizons, row.iloc[1:], style, marker="o", label=name)
ax.set_xlabel("forecast horizon (steps)")
ax.set_ylabel("R^2 of x on held-out trials")
ax.set_title("Noisy double well: linear vs nonlinear observables")
ax.legend(fontsize="small")
fig.tight_layout()
plt.show()

# %%
# What it shows
# -------------
# Measured on 2026-12-06 (the table above comes from the same run):
#
# * One step ahead, the three nonlinear feature maps forecast held-out trials
#   with R^2 0.943-0.944 from the current state alone, the best any model can do
#   at this noise (the true map is a cubic polynomial of ``x``); linear DMD
#   reaches 0.83 without delays and 0.91-0.92 with 2-10 delays.
# * The advantage shrinks with the horizon and is gone by 5-8 steps (0.87-0.90
#   for all but one-delay linear DMD): the noise accumulates, and the span of the
#   nonlinear features is not invariant under the dynamics (``x^3`` one step on
#   is a polynomial of degree 9), so their linear evolution is itself an
#   approximation.
# * The kernel features need the rank truncation: at full rank (21 modes) one of
#   five draws of the data forecast badly (R^2 0.38; the others 0.93-0.95), at
#   rank 10 all five give 0.94-0.95.
# * ``tests/test_nonlinear_observables.py`` checks the one-step claim on another
#   draw of the data.
#
# In :class:`~skdsa.DSA`, the same pipeline is the per-system model
# (``DSA(model=extended(...))``). Every system must then be seen through the same
# observables: ``PolynomialFeatures`` is fixed in advance, but spline knots and
# Nystroem landmarks are fitted to each system's own data, so two systems would
# get different observables and their operators would not be comparable. Fit such
# such a map once on the pooled recordings of all systems and pass
# ``FunctionTransformer(feature_map.transform)`` to the ``SeriesTransformer``.
