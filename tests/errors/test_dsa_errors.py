"""Bad input to DSA and GeometricDistance: one test per class of mistake."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdsa import DSA, GeometricDistance


@pytest.fixture
def systems(series):
    rng = np.random.default_rng(1)
    return [series, series[:, ::-1] * 2, rng.normal(size=(3, 40, 2)).cumsum(axis=1)]


def test_nan_names_the_system_and_trial(systems):
    bad = systems[2].copy()
    bad[1, 5, 0] = np.nan
    with pytest.raises(ValueError, match=r"System system2: Input X contains NaN or "
                                         r"infinity: trial 1, timepoint 5"):
        DSA().fit(systems[:2] + [bad])


def test_complex_system(systems):
    with pytest.raises(ValueError, match="System system0: .*complex"):
        DSA().fit([systems[0] + 1j, systems[1]])


def test_empty_collection_and_1d_or_5d_input():
    with pytest.raises(ValueError, match="at least one system"):
        DSA().fit([])
    with pytest.raises(ValueError, match=r"shape \(5,\). Reshape your data"):
        DSA().fit(np.ones(5))
    with pytest.raises(ValueError, match=r"shape \(1, 1, 1, 4, 2\)"):
        DSA().fit(np.ones((1, 1, 1, 4, 2)))


def test_series_too_short_names_the_system(systems):
    with pytest.raises(ValueError, match=r"System system1: HankelEmbedder: series 0 has 6 "
                                         r"sample.*at least 9"):
        DSA(n_delays=9).fit([systems[0], systems[1][0, :6]])


def test_rank_too_large_names_the_maximum(systems):
    with pytest.raises(ValueError, match="System system0: rank=5 .*maximum rank is 4"):
        DSA(n_delays=2, rank=5).fit(systems)


def test_trials_with_different_feature_counts_inside_one_system(systems):
    with pytest.raises(ValueError, match=r"System system0: .*feature counts \[2, 3\]"):
        DSA().fit([[systems[0][0], np.ones((40, 3))], systems[1]])


def test_systems_with_different_feature_counts_need_equal_ranks(systems):
    wide = np.random.default_rng(2).normal(size=(3, 40, 3)).cumsum(axis=1)
    with pytest.raises(ValueError, match=r"different sizes \[2, 3\]"):
        DSA().fit([systems[0], wide])
    assert DSA(rank=2).fit_transform([systems[0], wide]).shape == (2, 2)


def test_constant_system(systems):
    with pytest.raises(ValueError, match="System system1: .*constant over time"):
        DSA().fit([systems[0], np.ones((2, 30, 2))])


@pytest.mark.parametrize("params", [{"n_delays": 0}, {"rank": 0}, {"alpha": -0.1},
                                    {"metric": "cosine"}, {"system_params": "all"}])
def test_parameters_out_of_range(systems, params):
    with pytest.raises(InvalidParameterError):
        DSA(**params).fit(systems)


def test_per_system_parameters_for_unknown_systems(systems):
    named = dict(zip("abc", systems))
    with pytest.raises(ValueError, match=r"names systems \['z'\] that are not in the "
                                         "collection"):
        DSA(system_params={"z": {"dmd__rank": 2}}).fit(named)


def test_model_without_operator(systems):
    from sklearn.preprocessing import StandardScaler

    with pytest.raises(TypeError, match="StandardScaler has no operator_"):
        DSA(model=StandardScaler()).fit([s[0] for s in systems])


def test_geometric_baseline_needs_matched_time_points(systems):
    with pytest.raises(ValueError, match="matched time points: got 40 and 30 rows"):
        GeometricDistance().fit_transform([systems[0], systems[1][:, :30]])
    with pytest.raises(InvalidParameterError):
        GeometricDistance(metric="rsa").fit(systems)


def test_sparse_input():
    from scipy.sparse import csr_matrix

    with pytest.raises(TypeError, match="sparse"):
        DSA().fit(csr_matrix(np.eye(4)))
