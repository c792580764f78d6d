"""Figures for sweeps and residuals, and the table behind the sweep heatmap."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skdsa import DMDRegressor, HankelEmbedder
from skdsa.datasets import make_coupled_spirals, random_observation
from skdsa.plotting import (
    mds_embedding,
    plot_distance_matrix,
    plot_residual_spectrum,
    plot_sweep,
    sweep_table,
)


@pytest.fixture(scope="module")
def search():
    X = random_observation(make_coupled_spirals(n_trials=6, random_state=0), n_features=6,
                           noise=0.01, random_state=1)
    pipe = Pipeline([("hankel", HankelEmbedder()), ("dmd", DMDRegressor(n_observed=6))])
    return GridSearchCV(pipe, {"hankel__n_delays": [1, 2, 3], "dmd__rank": [2, 4]},
                        cv=3).fit(X), X


def test_sweep_table_holds_the_mean_test_scores(search):
    search, _ = search
    table = sweep_table(search.cv_results_, "hankel__n_delays", "dmd__rank")
    assert table.shape == (2, 3) and list(table.columns) == [1, 2, 3]
    for params, value in zip(search.cv_results_["params"],
                             search.cv_results_["mean_test_score"]):
        assert table.loc[params["dmd__rank"], params["hankel__n_delays"]] == value
    with pytest.raises(ValueError, match=r"no column \['param_rank'\]"):
        sweep_table(search.cv_results_, "hankel__n_delays", "rank")


def test_figures_are_drawn(search, optional_import):
    matplotlib = optional_import("matplotlib")

    matplotlib.use("Agg")
    search, X = search
    fig = plot_sweep(search.cv_results_, "hankel__n_delays", "dmd__rank")
    assert len(fig.axes[0].texts) == 6
    model = search.best_estimator_
    fig = plot_residual_spectrum(model, X)
    colours = fig.axes[0].collections[0].get_array()
    np.testing.assert_allclose(colours, model[-1].eigenvalue_residuals(model[:-1].transform(X)))
    # Without data: the residuals of the fit itself, on the fitted eigenvalues.
    fig = plot_residual_spectrum(model[-1])
    points = fig.axes[0].collections[0]
    np.testing.assert_allclose(points.get_array(), model[-1].residuals_)
    eigenvalues = model[-1].eigenvalues_
    np.testing.assert_allclose(points.get_offsets(),
                               np.column_stack([eigenvalues.real, eigenvalues.imag]))
    D = np.array([[0.0, 0.1, 0.5], [0.1, 0.0, 0.5], [0.5, 0.5, 0.0]])
    fig = plot_distance_matrix(D, noise_floor=[0.2, 0.05, 0.05])
    marked = fig.axes[0].collections[0].get_offsets()
    np.testing.assert_array_equal(np.sort(marked, axis=0), [[0, 0], [1, 1]])  # (0,1), (1,0)
    with pytest.raises(ValueError, match=r"noise_floor has shape \(2,\); expected \(3,\)"):
        plot_distance_matrix(D, noise_floor=[0.1, 0.1])


def test_mds_embedding_recovers_points_from_their_distances():
    points = np.random.default_rng(0).standard_normal((12, 3))
    D = np.linalg.norm(points[:, None] - points[None], axis=-1)
    embedding = mds_embedding(D, n_components=3)
    assert embedding.shape == (12, 3)
    recovered = np.linalg.norm(embedding[:, None] - embedding[None], axis=-1)
    np.testing.assert_allclose(recovered, D, atol=1e-3 * D.max())


def test_the_module_exports_its_functions_only():
    import skdsa.plotting

    assert "np" not in skdsa.plotting.__all__
    assert all(callable(getattr(skdsa.plotting, name)) for name in skdsa.plotting.__all__)
    assert {name for name in dir(skdsa.plotting)
            if name.startswith(("plot_", "sweep_", "mds_"))} == set(skdsa.plotting.__all__)


def test_coinciding_eigenvalues_stay_visible(optional_import):
    optional_import("matplotlib").use("Agg")
    from skdsa.plotting import plot_eigenvalues

    # Three groups whose operators share the eigenvalue 1: nested hollow markers.
    operators = [np.diag([1.0, 0.5 + 0.1 * k]) for k in range(3)]
    fig = plot_eigenvalues(operators, ["a", "b", "c"], zoom=True)
    groups = fig.axes[0].collections
    sizes = [float(group.get_sizes()[0]) for group in groups]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 3
    assert all(len(group.get_facecolors()) == 0 or group.get_facecolors()[:, 3].max() == 0
               for group in groups)
