"""Bad input to DMDRegressor: one test per class of mistake."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdsa import DSA, DMDRegressor, HankelEmbedder


def test_nan_names_its_place(series):
    X = series.copy()
    X[1, 3, 0] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinity: trial 1, timepoint 3, feature 0"):
        DMDRegressor().fit(X)


def test_complex_data(series):
    with pytest.raises(ValueError, match="complex"):
        DMDRegressor().fit(series.astype(complex))


def test_empty_and_1d_input():
    with pytest.raises(ValueError, match="0 sample"):
        DMDRegressor().fit(np.empty((0, 2)))
    with pytest.raises(ValueError, match="Reshape your data"):
        DMDRegressor().fit(np.arange(10.0))


def test_rank_larger_than_the_embedding_allows_names_the_maximum(series):
    with pytest.raises(ValueError, match="rank=3 is larger than the embedding allows.*"
                                         "maximum rank is 2"):
        DMDRegressor(rank=3).fit(series)


@pytest.mark.parametrize("params", [{"rank": 0}, {"explained_variance": 0.0},
                                    {"explained_variance": 1.5}, {"alpha": -1.0},
                                    {"rank": "best"}, {"rank_threshold": -1.0}])
def test_parameters_out_of_range(series, params):
    with pytest.raises(InvalidParameterError):
        DMDRegressor(**params).fit(series)


def test_several_truncation_rules_at_once(series):
    with pytest.raises(ValueError, match="at most one of rank, rank_threshold and "
                                         "explained_variance; got rank, rank_threshold"):
        DMDRegressor(rank=2, rank_threshold=0.1).fit(series)


def test_threshold_above_every_singular_value(series):
    with pytest.raises(ValueError, match="above the largest singular value"):
        DMDRegressor(rank_threshold=1e9).fit(series)


def test_constant_series_has_no_dynamics():
    with pytest.raises(ValueError, match="constant over time in every series"):
        DMDRegressor().fit(np.ones((3, 20, 2)))
    with pytest.raises(ValueError, match="constant over time"):
        DMDRegressor().fit(np.zeros((20, 2)))


def test_series_too_short_for_a_transition():
    with pytest.raises(ValueError, match="at least 2 timepoints"):
        DMDRegressor().fit(np.ones((5, 1, 2)))


def test_trials_with_different_feature_counts(series):
    with pytest.raises(ValueError, match=r"feature counts \[2, 4\]"):
        DMDRegressor().fit([series[0], np.ones((30, 4))])


def test_wrong_feature_count_after_fit(series):
    dmd = DMDRegressor().fit(series)
    for method in (dmd.transform, dmd.predict, dmd.score):
        with pytest.raises(ValueError, match="X has 5 features, but DMDRegressor is "
                                             "expecting 2"):
            method(np.ones((10, 5)))


def test_negative_forecast_horizon(series):
    with pytest.raises(ValueError, match="n_steps must be an integer >= 0"):
        DMDRegressor().fit(series).predict(series, n_steps=-1)


def test_n_observed_larger_than_the_columns(series):
    with pytest.raises(ValueError, match="n_observed=3 exceeds the 2 columns"):
        DMDRegressor(n_observed=3).fit(series)


@pytest.mark.parametrize("scale", [1e-160, 1e160, 1e300])
@pytest.mark.parametrize("params", [{"explained_variance": 0.99}, {"rank": "auto"},
                                    {"rank": 3, "svd_solver": "full"}])
def test_extreme_magnitudes_give_the_unit_scale_fit_and_score(series, scale, params):
    H = HankelEmbedder(2).fit_transform(series)
    reference = DMDRegressor(**params).fit(H)
    scaled = DMDRegressor(**params).fit(H * scale)
    assert scaled.rank_ == reference.rank_
    np.testing.assert_allclose(scaled.eigenvalues_, reference.eigenvalues_, atol=1e-10)
    assert np.all(np.isfinite(scaled.explained_variance_ratio_))
    assert scaled.score(H * scale) == pytest.approx(reference.score(H), abs=1e-10)


def test_extreme_magnitudes_give_the_unit_scale_distances(series):
    systems = [series, series[:, ::-1], series[::-1, :, ::-1] ** 2]
    reference = DSA(n_delays=2, rank=3, random_state=0).fit_transform(systems)
    scaled = DSA(n_delays=2, rank=3, random_state=0).fit_transform([x * 1e160 for x in systems])
    np.testing.assert_allclose(scaled, reference, atol=1e-8)
    assert reference[0, 2] > 0.01


def test_large_constant_offset_is_named_as_the_likely_cause(series):
    with pytest.raises(ValueError, match=r"numerical rank 1.* large constant offset \(feature "
                                         r"\d has mean 1e\+14.*Subtract each feature's mean"):
        DMDRegressor(rank=4).fit(HankelEmbedder(2).fit_transform(series + 1e14))
    with pytest.raises(ValueError, match=r"maximum rank is \d+\. Lower rank, or add delays or "
                                         r"data\.$"):
        DMDRegressor(rank=9).fit(HankelEmbedder(2).fit_transform(series))
