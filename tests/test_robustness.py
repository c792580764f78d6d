"""The robustness tool: distance matrices across hyperparameters and their agreement."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.metrics import silhouette_score

from skdsa import DSA
from skdsa.datasets import make_point_line_saddle, random_observation
from skdsa.stats import robustness


class ToyDistance(BaseEstimator):
    """Fixed distances between 6 points on a line, transformed by the parameters."""

    def __init__(self, power=1.0, swap=False):
        self.power = power
        self.swap = swap

    def fit_transform(self, X, y=None):
        points = np.array([0.0, 1.0, 3.0, 6.0, 10.0, 15.0])
        if self.swap:  # systems 0 and 5 exchange places: other neighbours, other order
            points[[0, 5]] = points[[5, 0]]
        return np.abs(points[:, None] - points[None]) ** self.power


def test_agreement_measures_on_known_matrices():
    result = robustness(ToyDistance(), None, {"power": [1.0, 2.0], "swap": [False, True]},
                        n_clusters=2)
    names = list(result.settings.index)
    assert names == ["power=1.0, swap=False", "power=1.0, swap=True",
                     "power=2.0, swap=False", "power=2.0, swap=True"]
    corr, neighbours = result.rank_correlation.to_numpy(), result.neighbour_agreement.to_numpy()
    # A monotone transform (squaring) keeps the order of all pairs and every neighbour.
    assert corr[0, 2] == pytest.approx(1.0) and neighbours[0, 2] == 1.0
    assert result.cluster_agreement.to_numpy()[0, 2] == pytest.approx(1.0)
    # Swapping the end points changes the neighbours of systems 0, 1 and 5 (by hand:
    # 0 -> 1 becomes 0 -> 4, 1 -> 0 becomes 1 -> 5, 5 -> 4 becomes 5 -> 1).
    assert neighbours[0, 1] == pytest.approx(3 / 6) and corr[0, 1] < 0.5
    np.testing.assert_allclose(np.diag(corr), 1.0)
    assert repr(result).startswith("RobustnessResult(n_settings=4, min_rank_correlation=")


def test_dsa_across_ranks_and_delays_with_labels():
    systems, labels = [], []
    for k in range(3):
        for label, X in enumerate(make_point_line_saddle(n_trials=10, random_state=k).values()):
            systems.append(random_observation(X, noise=0.02, random_state=10 * k + label))
            labels.append(label)
    grid = {"n_delays": [2, 4], "rank": [2, 3]}
    result = robustness(DSA(random_state=0), systems, grid, labels=labels)
    for params, D in zip(result.settings.to_dict("records"), result.distances):
        own = DSA(random_state=0, n_delays=params["n_delays"], rank=params["rank"])
        np.testing.assert_array_equal(D, own.fit_transform(systems))
        assert params["silhouette"] == pytest.approx(
            silhouette_score(D, labels, metric="precomputed"))
    assert result.cluster_agreement is not None and result.settings["silhouette"].min() > 0
    with pytest.raises(ValueError, match="at least 2 settings"):
        robustness(DSA(), systems, {"rank": [2]})
    with pytest.raises(ValueError, match=r"labels must have one entry per system: expected "
                                          r"shape \(9,\), got \(2,\)"):
        robustness(DSA(random_state=0), systems, grid, labels=[0, 1])


def test_the_figure(optional_import):
    optional_import("matplotlib").use("Agg")
    from skdsa.plotting import plot_robustness

    result = robustness(ToyDistance(), None, {"power": [1.0, 2.0], "swap": [False, True]})
    fig = plot_robustness(result)
    left, right = fig.axes[0], fig.axes[1]  # then their colour bars
    np.testing.assert_allclose(left.images[0].get_array(), result.rank_correlation)
    np.testing.assert_allclose(right.images[0].get_array(), result.neighbour_agreement)
