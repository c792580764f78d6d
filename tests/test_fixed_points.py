"""Fixed points and linearisations, on maps whose fixed points are known."""

import numpy as np
import pytest

from skdsa.datasets import load_rnn_zoo
from skdsa.zoo import find_fixed_points, init_network, network_map, network_states, run_network


def test_a_linear_map_has_its_one_fixed_point():
    A, b = np.array([[0.5, 0.2], [-0.1, 0.8]]), np.array([1.0, -2.0])
    found = find_fixed_points(lambda x: x @ A.T + b,
                              np.random.default_rng(0).normal(size=(10, 2)))
    np.testing.assert_allclose(found.points, [np.linalg.solve(np.eye(2) - A, b)], atol=1e-9)
    np.testing.assert_allclose(found.jacobians[0], A, atol=1e-12)
    assert found.n_stable == 1 and found.residuals.max() <= 1e-8


def test_two_double_wells_have_nine_fixed_points_four_stable():
    # x + dt (x - x^3) in each coordinate: fixed points -1, 0, 1; slope 1 - 2 dt at
    # +-1 (stable for dt = 0.3), 1 + dt at 0 (unstable).
    dt = 0.3
    found = find_fixed_points(lambda x: x + dt * (x - x**3),
                              np.random.default_rng(1).uniform(-2, 2, (60, 2)))
    expected = {(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)}
    assert {tuple(np.round(p).astype(int)) for p in found.points} == expected
    np.testing.assert_allclose(np.abs(found.points), np.round(np.abs(found.points)), atol=1e-8)
    for point, J, stable in zip(found.points, found.jacobians, found.stable):
        np.testing.assert_allclose(J, np.diag(1 + dt * (1 - 3 * point**2)), atol=1e-8)
        assert stable == bool(np.all(np.abs(point) > 0.5))
    assert found.n_stable == 4
    assert repr(found).startswith("FixedPoints(n_points=9, n_stable=4")


def test_a_trained_flip_flop_network_has_eight_attractors():
    # Three bits of memory: 2^3 stable fixed points under zero input.
    zoo = load_rnn_zoo(tasks="flip_flop", architectures="vanilla", seeds=0, checkpoints=[1.0],
                       n_trials=16)
    (name, recording), = zoo.recordings.items()
    states = recording.states.reshape(-1, recording.states.shape[-1])
    start = states[np.random.default_rng(0).choice(len(states), 128, replace=False)]
    found = find_fixed_points(network_map(zoo.params[name], "vanilla", np.zeros(3)), start)
    assert found.n_stable == 8
    # Each attractor stores a different combination of the three bits.
    outputs = found.points[found.stable] @ zoo.params[name]["W_out"] + zoo.params[name]["b_out"]
    assert len({tuple(np.sign(row)) for row in outputs}) == 8
    assert np.all(np.abs(found.eigenvalues[found.stable]) < 1)
    assert np.all(np.abs(found.eigenvalues[~found.stable][:, 0]) > 1)


@pytest.mark.parametrize("architecture", ["vanilla", "lstm", "gru"])
def test_network_states_are_the_states_the_map_steps_through(architecture):
    params = init_network(architecture, 3, 6, 2, np.random.default_rng(0))
    inputs = np.tile(np.random.default_rng(1).normal(size=(4, 1, 3)), (1, 9, 1))
    states = network_states(params, architecture, inputs)
    n_dims = 12 if architecture == "lstm" else 6
    assert states.shape == (4, 9, n_dims)
    hidden, _ = run_network(params, architecture, inputs)
    np.testing.assert_allclose(states[..., :6], hidden, atol=1e-15)
    for trial in range(4):  # under a constant input, the map takes each state to the next
        step = network_map(params, architecture, inputs[trial, 0])
        np.testing.assert_allclose(step(states[trial, :-1]), states[trial, 1:], atol=1e-14)


def test_a_selective_ssm_has_no_fixed_points_to_search_and_says_why():
    params = init_network("selective_ssm", 3, 4, 2, np.random.default_rng(0))
    for tool in (network_states, network_map):
        with pytest.raises(ValueError, match="'selective_ssm' under a constant input is a "
                                             "stable linear system"):
            tool(params, "selective_ssm", np.zeros((1, 2, 3)))
