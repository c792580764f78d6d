"""Preprocessing of recordings: the 2D-transformer wrapper and operations along time."""

import numpy as np
import pandas as pd
import pytest
from scipy.ndimage import gaussian_filter1d
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.datasets import make_rnn
from skdsa.preprocessing import Binner, GaussianSmoother, SeriesTransformer, Subsampler, ZScorer


def layouts(rng, n_features=6):
    X = rng.normal(size=(3, 40, n_features))
    return {"2d": X[0], "3d": X, "ragged": [X[0], X[1, :25], X[2, :33]]}


def as_trials(X):
    return [X] if isinstance(X, np.ndarray) and X.ndim == 2 else list(X)


@pytest.mark.parametrize("layout", ["2d", "3d", "ragged"])
@pytest.mark.parametrize("estimator", [PCA(3), StandardScaler()])
def test_wrapper_equals_stacking_then_transforming_by_hand(layout, estimator):
    X = layouts(np.random.default_rng(0))[layout]
    trials = as_trials(X)
    stacked = np.concatenate(trials)
    by_hand = estimator.fit(stacked)
    out = SeriesTransformer(estimator).fit_transform(X)
    if layout == "3d":
        assert isinstance(out, np.ndarray) and out.shape[:2] == X.shape[:2]
    if layout == "ragged":
        assert isinstance(out, list)
    for x, y in zip(trials, as_trials(out)):
        np.testing.assert_allclose(y, by_hand.transform(x), atol=1e-12)


def test_pca_is_fitted_per_system_inside_dsa_and_tuned_by_grid_search():
    # Four 30-unit RNNs of two gains seen through random rotations: PCA must be
    # fitted on each system's own data.
    rng = np.random.default_rng(1)
    systems, y = [], []
    for k in range(8):
        X = make_rnn(n_units=30, gain=0.6 if k % 2 else 1.6, n_trials=4, n_timepoints=150,
                     random_state=k)
        systems.append(X @ np.linalg.qr(rng.normal(size=(30, 30)))[0])
        y.append(k % 2)
    model = Pipeline([("pca", SeriesTransformer(PCA(5))), ("hankel", HankelEmbedder(3)),
                      ("dmd", DMDRegressor(rank=6))])
    dsa = DSA(model=model, random_state=0).fit(systems)
    for system, fitted in zip(systems, dsa.models_):
        expected = PCA(5).fit(np.concatenate(list(system))).components_
        np.testing.assert_allclose(np.abs(fitted["pca"].estimator_.components_),
                                   np.abs(expected), atol=1e-8)
    search = GridSearchCV(
        Pipeline([("dsa", DSA(model=model, random_state=0)),
                  ("knn", KNeighborsClassifier(n_neighbors=1, metric="precomputed"))]),
        {"dsa__model__pca__estimator__n_components": [2, 6]}, cv=KFold(2),
        error_score="raise").fit(systems, y)
    # Both settings tell the two gains apart on every fold; GridSearchCV breaks the
    # tie by the first setting, and refits DSA with its PCA.
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], [1.0, 1.0])
    assert search.best_params_["dsa__model__pca__estimator__n_components"] == 2
    assert set(search.cv_results_["params"][0]) == {"dsa__model__pca__estimator__n_components"}
    refitted = search.best_estimator_["dsa"].models_[0]["pca"].estimator_
    assert refitted.n_components == 2 and refitted.components_.shape == (2, 30)


def test_wrapper_rejects_estimators_without_transform_and_row_changes():
    X = np.random.default_rng(2).normal(size=(3, 20, 4))
    with pytest.raises(InvalidParameterError, match="'fit' and 'transform'"):
        SeriesTransformer(LinearRegression()).fit(X)

    class DropsRows(TransformerMixin, BaseEstimator):
        def fit(self, X, y=None):
            return self

        def transform(self, X):
            return X[::2]

    with pytest.raises(ValueError, match=r"DropsRows.transform returned shape \(30, 4\) for 60 "
                                         "timepoints; it must return one row per timepoint"):
        SeriesTransformer(DropsRows()).fit_transform(X)


@pytest.mark.parametrize("transformer", [GaussianSmoother(2.0), GaussianSmoother(2.0, causal=True),
                                         Binner(4, statistic="mean"), Subsampler(3), ZScorer(),
                                         ZScorer(per="recording")])
def test_a_constant_stays_constant(transformer):
    X = np.full((2, 30, 3), 5.0)
    out = transformer.fit_transform(X)
    expected = 0.0 if isinstance(transformer, ZScorer) else 5.0
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_centred_smoothing_of_a_step_follows_the_gaussian_kernel():
    sigma = 2.0
    x = np.r_[np.zeros(30), np.ones(30)][:, None]
    out = GaussianSmoother(sigma).fit_transform(x).ravel()
    radius = int(4 * sigma + 0.5)
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    # y[30 + j] sums the kernel weights that fall on the ones: k <= j.
    step_response = np.cumsum(kernel)
    np.testing.assert_allclose(out[30 - radius:30 + radius + 1], step_response, atol=1e-12)
    assert out[29] < 0.5 < out[30] and out[29] + out[30] == pytest.approx(1.0)


def test_causal_smoothing_uses_no_future_sample():
    sigma = 1.5
    x = np.r_[np.zeros(20), np.ones(20)][:, None]
    out = GaussianSmoother(sigma, causal=True).fit_transform(x).ravel()
    assert np.all(out[:20] == 0)  # nothing before the step sees it
    radius = int(4 * sigma + 0.5)
    half = np.exp(-0.5 * (np.arange(radius + 1) / sigma) ** 2)
    np.testing.assert_allclose(out[20:21 + radius], np.cumsum(half) / half.sum(), atol=1e-12)


def test_binning_sums_counts_and_drops_the_partial_bin():
    rng = np.random.default_rng(3)
    spikes = rng.poisson(0.3, size=(4, 103, 5)).astype(float)
    binned = Binner(10).fit_transform(spikes)
    assert binned.shape == (4, 10, 5)
    np.testing.assert_array_equal(binned.sum(axis=1), spikes[:, :100].sum(axis=1))
    np.testing.assert_array_equal(binned[:, 3], spikes[:, 30:40].sum(axis=1))
    ragged = Binner(10).fit_transform([spikes[0], spikes[1, :57]])
    assert [len(b) for b in ragged] == [10, 5]


def test_subsampling_and_zscoring_per_trial_and_per_recording():
    X = np.random.default_rng(4).normal(size=(3, 50, 2)) * [1.0, 10.0] + [0.0, 3.0]
    np.testing.assert_array_equal(Subsampler(10, offset=2).fit_transform(X), X[:, 2::10])
    per_trial = ZScorer().fit_transform(X)
    np.testing.assert_allclose(per_trial.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(per_trial.std(axis=1), 1, atol=1e-12)
    scaler = ZScorer(per="recording").fit(X)
    np.testing.assert_allclose(scaler.transform(X).reshape(-1, 2).std(axis=0), 1, atol=1e-12)
    np.testing.assert_allclose(scaler.mean_, X.reshape(-1, 2).mean(axis=0))


def test_smoothing_is_the_scipy_filter_per_trial_and_never_crosses_trials():
    X = layouts(np.random.default_rng(5))["ragged"]
    out = GaussianSmoother(1.5).fit_transform(X)
    for x, y in zip(X, out):
        np.testing.assert_allclose(y, gaussian_filter1d(x, 1.5, axis=0, mode="nearest"))


def test_short_trials_get_a_clear_error():
    with pytest.raises(ValueError, match=r"Binner: trial 1 has 3 sample\(s\) \(timepoints\), but "
                                         "bin_size=5 needs at least 5"):
        Binner(5).fit([np.zeros((10, 2)), np.zeros((3, 2))])


def test_a_dataframe_is_one_system_and_a_dict_of_dataframes_a_labelled_collection():
    frames = {name: pd.DataFrame(make_rnn(n_units=4, n_trials=1, n_timepoints=200,
                                          random_state=k)[0], columns=list("abcd"))
              for k, name in enumerate(["mouse 1", "mouse 2", "mouse 3"])}
    smoothed = SeriesTransformer(StandardScaler()).fit(frames["mouse 1"])
    assert list(smoothed.feature_names_in_) == list("abcd")
    D = DSA(n_delays=3, rank=4, random_state=0).fit_transform(frames)
    assert list(D.index) == list(frames) and D.shape == (3, 3)
    model = Pipeline([("hankel", HankelEmbedder(3)), ("dmd", DMDRegressor(rank=4))])
    operator = model.fit(frames["mouse 2"].to_numpy())[-1].operator_
    np.testing.assert_allclose(np.sort_complex(np.linalg.eigvals(operator)),
                               np.sort_complex(np.linalg.eigvals(
                                   DSA(n_delays=3, rank=4).fit(frames).operators_[1])),
                               atol=1e-10)
