"""The qualitative claims of the DSA literature's case studies, on skdsa.datasets."""

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.datasets import (
    make_line_attractor,
    make_lorenz,
    make_ring_attractor,
    make_van_der_pol,
    random_observation,
)
from skdsa.preprocessing import SeriesTransformer


def test_ring_attractor_is_robust_to_smooth_deformation_but_far_from_a_line():
    rings = [make_ring_attractor(deformation=d, random_state=k)
             for k, d in enumerate([0.0, 0.1, 0.2, 0.3])]
    lines = [make_line_attractor(random_state=k) for k in (10, 11)]
    D = DSA(n_delays=5, rank=4, random_state=0).fit_transform(rings + lines)
    ring_to_ring = D[:4, :4].max()
    ring_to_line = D[:4, 4:].min()
    assert ring_to_line > 3 * ring_to_ring


def test_ring_claim_holds_on_100_neurons_reduced_to_15_pcs_per_system():
    # The gallery example's setting: each system seen by 100 noisy "neurons",
    # PCA to 15 components inside the per-system model.
    states = [make_ring_attractor(deformation=d, random_state=k)
              for k, d in enumerate([0.0, 0.1, 0.2, 0.3])] + [make_line_attractor(random_state=9)]
    systems = [random_observation(X, n_features=100, noise=0.01, random_state=20 + k)
               for k, X in enumerate(states)]
    model = Pipeline([("pca", SeriesTransformer(PCA(15))), ("hankel", HankelEmbedder(5)),
                      ("dmd", DMDRegressor(rank=4))])
    D = DSA(model=model, random_state=0).fit_transform(systems)
    assert D[:4, 4].min() > 3 * D[:4, :4].max()


def test_dsa_is_near_zero_for_changes_of_coordinates_and_not_across_regimes():
    X = make_van_der_pol(mu=1.0, n_trials=10, n_timepoints=1500, random_state=0)
    copies = [
        random_observation(X, random_state=1),                     # rotation
        random_observation(X, nonlinearity=0.3, random_state=2),   # diffeomorphism
        random_observation(X, n_features=5, noise=0.01, random_state=3),
        make_van_der_pol(mu=1.0, n_trials=10, n_timepoints=1500, random_state=6),
    ]
    others = [make_van_der_pol(mu=mu, n_trials=10, n_timepoints=1500, random_state=4)
              for mu in (0.2, 3.0)]
    D = DSA(n_delays=20, rank=3, random_state=0).fit_transform([X] + copies + others)
    same, different = D[0, 1:5], D[0, 5:]
    assert same[0] < 1e-6  # an exact rotation is an exact conjugation
    assert same.max() < 0.002
    assert different.min() > 2.5 * same.max()


def test_lorenz_regimes_cluster():
    rng = np.random.default_rng(0)
    systems, labels = [], []
    for rho in (28, 40, 60, 100, 160):
        for _ in range(3):
            systems.append(make_lorenz(rho=rho, n_trials=1, n_timepoints=1000,
                                       random_state=rng.integers(2**31))[0])
            labels.append(rho)
    D = DSA(n_delays=30, rank=6, random_state=0).fit_transform(systems)
    groups = AgglomerativeClustering(n_clusters=5, metric="precomputed",
                                     linkage="average").fit_predict(D)
    assert adjusted_rand_score(labels, groups) == 1.0


def test_stable_spirals_are_ordered_by_their_dynamics():
    from skdsa.datasets import make_stable_spiral

    spirals = [make_stable_spiral(frequency=f, random_state=k)
               for k, f in enumerate([1.0, 1.0, 1.5, 3.0])]
    D = DSA(rank=2, random_state=0).fit_transform(spirals)
    assert D[0, 1] < D[0, 2] < D[0, 3]
    eigenvalues = np.linalg.eigvals(DSA(rank=2).fit(spirals[:1]).models_[0][-1].full_operator_)
    np.testing.assert_allclose(np.abs(eigenvalues.imag), 0.05 * 1.0, rtol=0.2)
