import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score

from skdsa import DSA, GeometricDistance
from skdsa.datasets import make_point_line_saddle, random_observation
from skdsa.metrics import cca_distance, linear_cka_distance, procrustes_shape_distance


def rotated(X, rng):
    Q = np.linalg.qr(rng.normal(size=(X.shape[1], X.shape[1])))[0]
    return X @ Q.T


@pytest.mark.parametrize("distance", [procrustes_shape_distance, linear_cka_distance,
                                      cca_distance])
def test_invariant_to_rotation_translation_and_scale(distance):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 4))
    assert distance(X, 3.0 * rotated(X, rng) + 5.0) < 1e-10
    assert distance(X, rng.normal(size=(100, 4))) > 0.05


def test_procrustes_shape_distance_matches_explicit_alignment():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(30, 3)), rng.normal(size=(30, 3))
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    Xc, Yc = Xc / np.linalg.norm(Xc), Yc / np.linalg.norm(Yc)
    U, _, Vt = np.linalg.svd(Yc.T @ Xc)
    Q = U @ Vt  # best orthogonal map of Y onto X
    assert procrustes_shape_distance(X, Y) == pytest.approx(np.arccos(np.sum(Xc * (Yc @ Q))))


def test_svcca_drops_low_variance_directions():
    rng = np.random.default_rng(2)
    shared = rng.normal(size=(200, 2))
    X = np.c_[shared, 1e-4 * rng.normal(size=200)]
    Y = np.c_[shared @ rng.normal(size=(2, 2)), 1e-4 * rng.normal(size=200)]
    assert cca_distance(X, Y) > 0.2  # the noise directions are uncorrelated
    assert cca_distance(X, Y, variance=0.99) < 1e-10


def test_geometry_misses_what_dsa_sees_in_the_fig3_trio():
    # Condition averages are identical across the three systems, so geometry on
    # condition averages cannot separate them; DSA on single trials can.
    rng = np.random.default_rng(3)
    systems, labels = [], []
    for label, X in enumerate(make_point_line_saddle(n_trials=20, random_state=0).values()):
        for _ in range(3):
            systems.append(random_observation(X, noise=0.02, random_state=rng.integers(2**31)))
            labels.append(label)
    clustering = AgglomerativeClustering(n_clusters=3, metric="precomputed",
                                         linkage="average")
    dsa = DSA(rank=2, random_state=0).fit_transform(systems)
    geometry = GeometricDistance().fit_transform(systems)
    assert adjusted_rand_score(labels, clustering.fit_predict(dsa)) == 1.0
    assert adjusted_rand_score(labels, clustering.fit_predict(geometry)) < 0.5


def test_unequal_time_points_are_rejected_clearly():
    rng = np.random.default_rng(4)
    with pytest.raises(ValueError, match="matched time points: got 50 and 40 rows"):
        GeometricDistance().fit_transform([rng.normal(size=(50, 2)), rng.normal(size=(40, 2))])
    with pytest.raises(ValueError, match="cannot be averaged"):
        GeometricDistance().fit([[rng.normal(size=(50, 2)), rng.normal(size=(40, 2))]])


@pytest.mark.parametrize("metric", ["procrustes", "cka", "cca", "svcca"])
def test_every_metric_gives_a_symmetric_matrix(metric):
    rng = np.random.default_rng(5)
    systems = [rng.normal(size=(4, 30, 3)) for _ in range(3)]
    D = GeometricDistance(metric=metric).fit_transform(systems)
    np.testing.assert_allclose(D, D.T)
    assert np.all(np.diag(D) == 0) and np.all(D > 0 - 1e-12)
    np.testing.assert_allclose(GeometricDistance(metric=metric).fit(systems).transform(systems),
                               D, atol=1e-10)


@pytest.mark.parametrize("distance", [procrustes_shape_distance, linear_cka_distance,
                                      cca_distance])
def test_functional_forms_reject_non_finite_or_1d_states(distance):
    X = np.random.default_rng(6).normal(size=(20, 3))
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        distance(X, bad)
    with pytest.raises(ValueError, match="Expected 2D"):
        distance(X, X[:, 0])


def test_condition_averages_are_compared_condition_by_condition():
    from skdsa import DrivenRecording

    rng = np.random.default_rng(3)
    X = rng.normal(size=(6, 20, 3))
    conditions = np.array(["left", "right", "left", "right", "none", "none"])
    inputs = np.zeros((6, 20, 1))
    Q = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    reordered = [1, 0, 3, 2, 5, 4]
    systems = [DrivenRecording(X, inputs, conditions),
               DrivenRecording(X @ Q.T, inputs, conditions),   # rotated: same geometry
               DrivenRecording(X[reordered], inputs, conditions[reordered])]
    geometry = GeometricDistance()
    D = geometry.fit_transform(systems)
    np.testing.assert_allclose(D, 0, atol=1e-7)
    # The condition averages are what is compared: 3 conditions x 20 timepoints.
    assert geometry._prepared[0].shape == (60, 3)
    # Averaging over all trials would mix the conditions: a different distance.
    pooled = GeometricDistance().fit_transform([X, X[:, ::-1]])
    by_condition = GeometricDistance().fit_transform(
        [systems[0], DrivenRecording(X[:, ::-1], inputs, conditions)])
    assert pooled[0, 1] != pytest.approx(by_condition[0, 1])
    with pytest.raises(ValueError, match=r"System system1 has conditions \['a', 'b'\]"):
        GeometricDistance().fit([systems[0], DrivenRecording(X, inputs, ["a", "b"] * 3)])
    with pytest.raises(ValueError, match="Only some systems have condition labels"):
        GeometricDistance().fit([systems[0], X])
    with pytest.raises(ValueError, match="Only some systems have condition labels"):
        geometry.transform([X])
