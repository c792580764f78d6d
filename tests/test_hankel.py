import numpy as np
import pytest

from skdsa import HankelEmbedder


def test_column_order_is_newest_lag_first():
    X = np.arange(12.0).reshape(6, 2)
    H = HankelEmbedder(n_delays=3, delay_interval=2).fit_transform(X)
    # Row 0 ends at timepoint 4: blocks hold x[4], x[2], x[0].
    np.testing.assert_array_equal(H[0], np.r_[X[4], X[2], X[0]])
    np.testing.assert_array_equal(H[1], np.r_[X[5], X[3], X[1]])
    assert H.shape == (2, 6)


@pytest.mark.parametrize("n_delays, delay_interval", [(1, 1), (4, 1), (3, 5)])
def test_shapes_keep_the_input_structure(n_delays, delay_interval):
    rng = np.random.default_rng(0)
    emb = HankelEmbedder(n_delays=n_delays, delay_interval=delay_interval)
    T_out = 30 - (n_delays - 1) * delay_interval
    assert emb.fit_transform(rng.normal(size=(30, 2))).shape == (T_out, 2 * n_delays)
    assert emb.fit_transform(rng.normal(size=(4, 30, 2))).shape == (4, T_out, 2 * n_delays)
    ragged = [rng.normal(size=(T, 2)) for T in (30, 25, 40)]
    out = emb.fit_transform(ragged)
    assert isinstance(out.materialize(), list)
    assert [h.shape for h in out] == [
        (T - (n_delays - 1) * delay_interval, 2 * n_delays) for T in (30, 25, 40)
    ]


def test_trials_are_embedded_separately():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 20, 2))
    emb = HankelEmbedder(n_delays=4)
    H = emb.fit_transform(X)
    for k in range(3):
        np.testing.assert_array_equal(H[k], emb.transform(X[k]))


def test_too_short_series_names_series_length_and_minimum():
    X = [np.zeros((20, 2)), np.zeros((5, 2))]
    with pytest.raises(ValueError, match=r"series 1 has 5 .*at least 7"):
        HankelEmbedder(n_delays=4, delay_interval=2).fit(X)


def test_input_not_modified_and_read_only_ok():
    X = np.random.default_rng(2).normal(size=(2, 15, 3))
    X.setflags(write=False)
    copy = X.copy()
    HankelEmbedder(n_delays=3).fit_transform(X)
    np.testing.assert_array_equal(X, copy)
