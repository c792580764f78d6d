"""Digit classifiers trained by four learning rules, their observables, and the example's claim."""

from functools import lru_cache

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.datasets import (
    LAYER_OBSERVABLES,
    TRAINING_RULES,
    layer_observables,
    make_learning_rule_observables,
)
from skdsa.datasets._learning_rule_observables import (
    _cross_entropy_error,
    _forward,
    _information_alignment_direction,
    _update_directions,
)
from skdsa.stats import separability


def small_network(seed=0):
    rng = np.random.default_rng(seed)
    sizes = (5, 7, 6, 3)
    weights = [rng.standard_normal((a, b)) / 2 for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal(b) / 4 for b in sizes[1:]]
    return weights, biases, rng.standard_normal((9, 5)), rng.integers(0, 3, 9)


def loss(weights, biases, x, labels):
    return _cross_entropy_error(_forward(weights, biases, x)[0][-1], labels)[0]


def numeric_gradient(function, array, step=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + step
        up = function()
        array[index] = old - step
        down = function()
        array[index] = old
        grad[index] = (up - down) / (2 * step)
    return grad


def test_backpropagation_is_the_gradient_of_the_cross_entropy():
    weights, biases, x, labels = small_network()
    transposed = [None] + [W.T for W in weights[1:]]
    grad_w, grad_b = _update_directions(weights, biases, transposed, x, labels)
    for params, grads in ((weights, grad_w), (biases, grad_b)):
        for param, grad in zip(params, grads):
            numeric = numeric_gradient(lambda: loss(weights, biases, x, labels), param)
            np.testing.assert_allclose(grad, numeric, atol=1e-7)


def test_feedback_alignment_changes_only_the_hidden_layers():
    weights, biases, x, labels = small_network()
    transposed = [None] + [W.T for W in weights[1:]]
    random = [None] + [np.ones_like(W.T) for W in weights[1:]]
    exact = _update_directions(weights, biases, transposed, x, labels)[0]
    aligned = _update_directions(weights, biases, random, x, labels)[0]
    np.testing.assert_allclose(aligned[-1], exact[-1])  # the readout's own error
    assert not np.allclose(aligned[0], exact[0])
    assert not np.allclose(aligned[1], exact[1])


def test_information_alignment_descends_kunin_et_al_primitives():
    rng = np.random.default_rng(0)
    W, b, K, x = (rng.standard_normal((6, 4)), rng.standard_normal(4),
                  rng.standard_normal((4, 6)), rng.standard_normal((50, 6)))
    amp, null, decay = 0.7, 1.3, 0.1

    def regulariser():
        r = x @ W + b
        primitive_amp = -np.mean(np.sum(r * (x @ K.T + b), 1))
        primitive_null = np.mean(np.sum((r @ K) ** 2, 1))
        return amp * primitive_amp + null * primitive_null + decay * np.sum(K**2)

    np.testing.assert_allclose(_information_alignment_direction(W, b, K, x, amp, null, decay),
                               numeric_gradient(regulariser, K), atol=1e-6)


def test_information_alignment_converges_to_half_a_left_inverse():
    rng = np.random.default_rng(1)
    W, x = rng.standard_normal((8, 5)) / 3, rng.standard_normal((400, 8))
    K = rng.standard_normal((5, 8))
    for _ in range(3000):
        K -= 0.05 * _information_alignment_direction(W, np.zeros(5), K, x, 1.0, 1.0, 1e-6)
    np.testing.assert_allclose(K @ W, np.eye(5) / 2, atol=1e-3)
    angle = np.degrees(np.arccos(np.sum(K * W.T) / np.linalg.norm(K) / np.linalg.norm(W)))
    assert angle > 5  # not the transpose


def test_layer_observables_against_their_definitions():
    rng = np.random.default_rng(2)
    W, x = rng.standard_normal((6, 4)), rng.standard_normal((10, 6))
    z = x @ W
    y = np.maximum(z, 0)
    values = dict(zip(LAYER_OBSERVABLES, layer_observables(W, z, y)))
    assert values["weightraw_norm"] == pytest.approx(np.linalg.norm(W))
    assert values["weightsq_median"] == pytest.approx(np.median(W**2))
    assert values["weightabs_thirdquartile"] == pytest.approx(np.percentile(np.abs(W), 75))
    assert values["actraw_norm"] == pytest.approx(np.linalg.norm(y, axis=1).mean())
    assert values["actabs_median"] == pytest.approx(np.median(y, axis=1).mean())
    # gradavg: per example, the mean over outputs of the summed derivatives
    # d y_j / d x_i, measured by finite differences.
    per_example = []
    for example in x:
        jacobian = np.array([(np.maximum((example + 1e-7 * e) @ W, 0)
                              - np.maximum(example @ W, 0)) / 1e-7 for e in np.eye(6)])
        per_example.append(jacobian.sum(0).mean())
    per_example = np.array(per_example)
    assert values["gradavgraw_id"] == pytest.approx(per_example.mean(), abs=1e-5)
    assert values["gradavgsq_id"] == pytest.approx(np.mean(per_example**2), abs=1e-5)


@lru_cache(maxsize=1)
def reduced_population():
    return make_learning_rule_observables(n_networks=4, n_epochs=6, record_every=4,
                                          random_state=0)


def test_observables_are_seeded_shaped_and_every_rule_learns():
    data = reduced_population()
    assert list(data.trajectories) == [f"{rule}/{index}" for index in range(4)
                                       for rule in TRAINING_RULES]
    assert len(data.observable_names) == 72
    trajectory = data.trajectories["adam/0"]
    assert trajectory.shape == (len(data.steps), 72) and np.isfinite(trajectory).all()
    for name, accuracy in data.accuracy.items():
        assert accuracy[0] < 0.3 and accuracy[-1] > 0.85, name
    # rules share the initial weights of their index: the first record is equal
    np.testing.assert_array_equal(data.trajectories["sgdm/1"][0],
                                  data.trajectories["information_alignment/1"][0])
    # the learned feedback turns towards the forward weights, the fixed one barely
    assert (data.alignment["information_alignment/0"][-1, 0]
            < data.alignment["feedback_alignment/0"][-1, 0] - 5)
    again = make_learning_rule_observables(rules=["adam"], n_networks=1, n_epochs=1, record_every=4,
                                           random_state=0)
    np.testing.assert_array_equal(again.trajectories["adam/0"],
                                  data.trajectories["adam/0"][:len(again.steps)])


def test_unknown_rule_and_bad_layers_are_refused():
    with pytest.raises(ValueError, match="rules must be among"):
        make_learning_rule_observables(rules=["hebbian"])
    with pytest.raises(ValueError, match="hidden_sizes"):
        make_learning_rule_observables(hidden_sizes=(32,))


def test_claim_geometry_identifies_the_rule_better_than_dsa():
    """The example's finding on a reduced population: geometry reads the rule, DSA less."""
    data = reduced_population()
    X = np.stack(list(data.trajectories.values()))
    Z = (X - X.mean((0, 1))) / np.where(X.std((0, 1)) > 0, X.std((0, 1)), 1)
    trajectories = dict(zip(data.trajectories, Z))
    model = Pipeline([("hankel", HankelEmbedder(5)), ("dmd", DMDRegressor(rank=10))])
    dsa = DSA(model=model, random_state=0).fit_transform(trajectories)
    procrustes = GeometricDistance().fit_transform(trajectories)
    accuracy = separability(procrustes, data.rules, n_components=4, n_splits=4).accuracy
    assert stats.binom.sf(round(accuracy * 16) - 1, 16, 0.25) < 0.01  # above chance
    silhouettes = [silhouette_score(D, data.rules, metric="precomputed")
                   for D in (dsa, procrustes)]
    assert silhouettes[1] > 0.15
    assert silhouettes[0] < silhouettes[1] - 0.1
