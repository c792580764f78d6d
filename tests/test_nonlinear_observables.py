"""Extended and kernel DMD from scikit-learn feature maps in the per-system pipeline."""

import numpy as np
import pytest
from sklearn.kernel_approximation import Nystroem
from sklearn.pipeline import Pipeline, make_union
from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, SplineTransformer

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.datasets import make_double_well
from skdsa.preprocessing import SeriesTransformer

FEATURE_MAPS = {
    "polynomial": PolynomialFeatures(3, include_bias=False),
    "spline": make_union(FunctionTransformer(), SplineTransformer(n_knots=6)),
    "kernel": make_union(FunctionTransformer(),
                         Nystroem(gamma=1.0, n_components=20, random_state=0)),
}
RANKS = {"kernel": 10}  # nearly collinear kernel features: truncated, as kernel DMD does


def extended(features, **dmd):
    return Pipeline([("features", SeriesTransformer(features)), ("hankel", HankelEmbedder(1)),
                     ("dmd", DMDRegressor(n_observed=1, **dmd))])


@pytest.fixture(scope="module")
def double_well():
    # Another draw than the gallery example's (seeds 0 and 1).
    return make_double_well(random_state=2), make_double_well(random_state=12)


@pytest.mark.parametrize("name", list(FEATURE_MAPS))
def test_nonlinear_observables_forecast_the_double_well_better_than_linear_delays(
        double_well, name):
    train, test = double_well
    best_linear = max(
        Pipeline([("hankel", HankelEmbedder(d)), ("dmd", DMDRegressor(n_observed=1))])
        .fit(train).score(test) for d in (1, 2, 3, 5, 10))
    score = extended(FEATURE_MAPS[name], rank=RANKS.get(name)).fit(train).score(test)
    assert score > best_linear + 0.015  # measured: 0.944-0.945 against 0.923


def test_polynomial_observables_recover_the_cubic_map_without_noise():
    # Noise-free, x[t+1] = x + dt (x - x^3) is exactly linear in (x, x^2, x^3):
    # the operator's first row is the map's coefficients.
    X = make_double_well(n_trials=30, n_timepoints=8, noise=0.0, random_state=0)
    model = extended(PolynomialFeatures(3, include_bias=False)).fit(X)
    assert model.score(X) > 1 - 1e-10
    lifted = np.asarray(model[:-1].transform(X))
    forecast = np.asarray(model[-1].predict(lifted))[:, :-1, 0].ravel()
    np.testing.assert_allclose(forecast, lifted[:, :-1].reshape(-1, 3) @ [1.5, 0.0, -0.5],
                               atol=1e-8)


def test_a_fixed_feature_map_gives_dsa_over_nonlinear_observables():
    wells = {f"dt {dt} #{k}": make_double_well(dt=dt, noise=0.05, random_state=k)
             for k, dt in enumerate([0.3, 0.3, 0.6])}
    model = extended(PolynomialFeatures(3, include_bias=False), rank=3)
    D = DSA(model=model, random_state=0).fit_transform(wells).to_numpy()
    assert D[0, 1] < 0.5 * min(D[0, 2], D[1, 2])  # measured: 0.018 against 0.063-0.070
