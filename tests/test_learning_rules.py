"""Networks trained by four learning rules, and the learning-rule example's claim."""

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.datasets import LEARNING_RULES, make_learning_trajectories
from skdsa.datasets._learning_rules import _gradients
from skdsa.stats import separability


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((4, 6)) / 2, "b1": rng.standard_normal(6) / 4,
              "W2": rng.standard_normal((6, 3)) / 2, "b2": rng.standard_normal(3) / 4}
    return params, rng.standard_normal((8, 4)), rng.standard_normal((8, 3))


def loss(params, x, y):
    hidden = np.tanh(x @ params["W1"] + params["b1"])
    return 0.5 * np.mean(((hidden @ params["W2"] + params["b2"] - y) ** 2).sum(1))


def test_sgd_direction_is_the_gradient_of_the_loss():
    params, x, y = small_problem()
    grads = _gradients(params, x, y, "sgd", None, None, None)
    for key, grad in grads.items():
        numeric = np.zeros_like(params[key])
        for index in np.ndindex(numeric.shape):
            shifted = {k: v.copy() for k, v in params.items()}
            shifted[key][index] += 1e-6
            numeric[index] = (loss(shifted, x, y) - loss(params, x, y)) / 1e-6
        np.testing.assert_allclose(grad, numeric, atol=1e-5)


def test_feedback_alignment_with_the_transposed_readout_is_gradient_descent():
    params, x, y = small_problem()
    sgd = _gradients(params, x, y, "sgd", None, None, None)
    aligned = _gradients(params, x, y, "feedback_alignment", params["W2"].T, None, None)
    random = _gradients(params, x, y, "feedback_alignment", np.ones((3, 6)), None, None)
    for key in sgd:
        np.testing.assert_allclose(aligned[key], sgd[key])
    np.testing.assert_allclose(random["W2"], sgd["W2"])  # the readout's own error
    assert not np.allclose(random["W1"], sgd["W1"])


def test_node_perturbation_estimates_the_gradient_on_average():
    params, x, y = small_problem()
    sgd = _gradients(params, x, y, "sgd", None, None, None)["W1"]
    rng = np.random.default_rng(1)
    estimate = np.mean([_gradients(params, x, y, "node_perturbation", None, rng, 1e-3)["W1"]
                        for _ in range(4000)], axis=0)
    cosine = np.sum(estimate * sgd) / np.linalg.norm(estimate) / np.linalg.norm(sgd)
    assert cosine > 0.95


def test_trajectories_are_seeded_shaped_and_every_rule_learns():
    trajectories, losses = make_learning_trajectories(n_networks=2, n_steps=60, random_state=0)
    again, _ = make_learning_trajectories(n_networks=2, n_steps=60, random_state=0)
    assert list(trajectories) == [f"{rule}/{k}" for rule in LEARNING_RULES for k in (0, 1)]
    for name, states in trajectories.items():
        assert states.shape == (16, 61, 32)
        np.testing.assert_array_equal(states, again[name])
        assert losses[name][-1] < 0.5 * losses[name][0]


def test_unknown_rule_is_named():
    with pytest.raises(ValueError, match="rules must be among .*'hebbian'"):
        make_learning_trajectories(rules=["sgd", "hebbian"])


def test_dsa_identifies_the_learning_rule_from_activity_across_training():
    # The gallery example's measure with 6 networks per rule instead of 8.
    trajectories, _ = make_learning_trajectories(n_networks=6, random_state=0)
    rules = np.array([name.split("/")[0] for name in trajectories])
    model = Pipeline([("hankel", HankelEmbedder(5)), ("dmd", DMDRegressor(rank=20))])
    D = DSA(model=model, n_jobs=2, random_state=0).fit_transform(trajectories).to_numpy()
    accuracy = separability(D, rules, n_components=4, n_splits=4).accuracy
    assert accuracy >= 0.5  # chance: 0.25
    # Not reproduced: DSA ahead of geometry. Procrustes between probe-averaged
    # trajectories does about as well (0.79 against DSA's 0.83 here).
    G = GeometricDistance().fit_transform(trajectories).to_numpy()
    geometric = separability(G, rules, n_components=4, n_splits=4).accuracy
    assert geometric >= 0.5 and abs(geometric - accuracy) <= 0.15
