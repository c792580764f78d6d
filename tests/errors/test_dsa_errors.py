"""Bad input to DSA and GeometricDistance: one test per class of mistake."""

import warnings

import numpy as np
import pandas as pd
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
    for empty in ([], {}, pd.Series([], dtype=object)):
        with pytest.raises(ValueError, match="at least one system; got an empty collection"):
            DSA().fit(empty)
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


@pytest.mark.parametrize("keys", [(1, "1"), (None, "None")])
def test_keys_that_print_alike_are_refused_by_name(systems, keys):
    with pytest.raises(ValueError, match=f"System keys {keys[0]!r} and {keys[1]!r} give the "
                                         "same label"):
        DSA().fit(dict(zip(keys, systems)))


def test_per_system_parameters_match_keys_as_given(systems):
    named = dict(zip([1, 2], systems))
    dsa = DSA(n_delays=2, system_params={1: {"dmd__rank": 3}}, size_mismatch="pad")
    dsa.fit(named)
    assert [A.shape[0] for A in dsa.operators_] == [3, 4]
    with pytest.raises(ValueError, match=r"names systems \['1'\] .*\(keys are matched as given"):
        DSA(system_params={"1": {"dmd__rank": 3}}).fit(named)


@pytest.mark.parametrize("metric", ["angular", "euclidean", "wasserstein"])
def test_size_mismatch_advice_works_from_dsa_for_every_metric(systems, metric):
    params = [{"dmd__rank": 2}, {"dmd__rank": 3}, {"dmd__rank": 3}]
    with pytest.raises(ValueError, match=r"size_mismatch='pad' \(a parameter of DSA"):
        DSA(n_delays=2, metric=metric, system_params=params).fit(systems)
    dsa = DSA(n_delays=2, metric=metric, system_params=params, size_mismatch="pad",
              random_state=0)
    D = dsa.fit_transform(systems)
    # The advice does what it says: the operators zero-padded to one size, compared.
    padded = [np.pad(A, (0, 3 - len(A))) for A in dsa.operators_]
    assert [A.shape for A in dsa.operators_] == [(2, 2), (3, 3), (3, 3)]
    np.testing.assert_allclose(D, dsa.metric_.pairwise(padded), atol=1e-8)
    assert D[0, 1] > 0


def test_one_recording_passed_as_the_collection(series):
    recording = series[0]  # (40, 2): one system of 40 time points
    with pytest.warns(UserWarning, match=r"reads this \(40, 2\) array as 40 univariate "
                                         r"systems.* pass it inside a list \(\[X\]\)"):
        DSA().fit(recording)
    with pytest.raises(TypeError, match=r"DataFrame is one system .* Pass \[df\]"):
        DSA().fit(pd.DataFrame(recording))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # 3 univariate systems: no warning (2 delays, so that the operators are not 1 x 1,
        # which warns of its own kind).
        DSA(n_delays=2).fit(np.ones((3, 40)).cumsum(axis=1) ** 0.5)


def test_n_delays_as_long_as_the_series_names_n_delays_and_the_minimum(series):
    with pytest.raises(ValueError, match=r"System system0: n_delays=40 with delay_interval=1 "
                                         r"leaves every series a single .* longest series "
                                         r"has 40 timepoints.* = 41"):
        DSA(n_delays=40).fit([series, series])


def test_non_numeric_dataframe_column_is_named(series):
    frame = pd.DataFrame({"x": series[0, :, 0], "label": ["a"] * 40})
    with pytest.raises(ValueError, match=r"System rec: Input X has non-numeric column\(s\) "
                                         r"\['label'\]"):
        DSA().fit({"rec": frame, "other": series})


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
