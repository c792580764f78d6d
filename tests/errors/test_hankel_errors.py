"""Bad input to HankelEmbedder: one test per class of mistake."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdsa import HankelEmbedder


def test_nan_or_inf_names_trial_timepoint_and_feature(series):
    X = series.copy()
    X[2, 7, 1] = np.inf
    with pytest.raises(ValueError, match=r"NaN or infinity: trial 2, timepoint 7, feature 1"):
        HankelEmbedder().fit(X)
    fitted = HankelEmbedder().fit(series)
    with pytest.raises(ValueError, match="NaN or infinity: trial 0"):
        fitted.transform([np.full((10, 2), np.nan)])


def test_complex_and_non_numeric_data(series):
    with pytest.raises(ValueError, match="Complex data not supported: input X is complex"):
        HankelEmbedder().fit(series + 1j)
    with pytest.raises(ValueError, match="must hold real numbers.*dtype <U"):
        HankelEmbedder().fit(np.array([["a", "b"], ["c", "d"]]))


def test_empty_arrays():
    with pytest.raises(ValueError, match="0 sample"):
        HankelEmbedder().fit(np.empty((0, 3)))
    with pytest.raises(ValueError, match="0 feature"):
        HankelEmbedder().fit(np.empty((2, 10, 0)))


def test_1d_input_gets_the_reshape_hint():
    with pytest.raises(ValueError, match=r"shape \(50,\).*reshape\(-1, 1\)"):
        HankelEmbedder().fit(np.arange(50.0))


def test_4d_input_is_rejected(series):
    with pytest.raises(ValueError, match=r"2 or 3 dimensions, got an array of shape \(1, 3"):
        HankelEmbedder().fit(series[None])


def test_series_too_short_names_series_length_and_minimum(series):
    with pytest.raises(ValueError, match=r"series 1 has 8 sample.*needs at least 11"):
        HankelEmbedder(n_delays=6, delay_interval=2).fit([series[0], series[1, :8]])


def test_trials_with_different_feature_counts(series):
    with pytest.raises(ValueError, match=r"same number of features; got feature counts \[2, 3\]"):
        HankelEmbedder().fit([series[0], np.zeros((40, 3))])


def test_wrong_feature_count_at_transform(series):
    fitted = HankelEmbedder().fit(series)
    with pytest.raises(ValueError, match="X has 3 features, but HankelEmbedder is expecting 2"):
        fitted.transform(np.zeros((10, 3)))


@pytest.mark.parametrize("params", [{"n_delays": 0}, {"delay_interval": 0},
                                    {"n_delays": 2.5}])
def test_parameters_out_of_range(series, params):
    with pytest.raises(InvalidParameterError):
        HankelEmbedder(**params).fit(series)
