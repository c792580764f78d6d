"""Tasks, recurrent networks, their training and the zoo's build and loader."""

import json
import os

import numpy as np
import pytest
from autograd import grad

from skdsa.datasets import (
    TASKS,
    TaskTrials,
    load_rnn_zoo,
    make_context_integration,
    make_flip_flop,
    make_sine_generation,
    task_accuracy,
)
from skdsa.zoo import (
    ARCHITECTURES,
    ZOOS,
    ZooSpec,
    build_zoo,
    init_network,
    network_name,
    run_network,
    zoo_path,
)
from skdsa.zoo._selective_ssm import INITIAL_STEPS, SSM_STATE
from skdsa.zoo._training import masked_loss, train_network


def test_flip_flop_target_is_the_last_pulse():
    trials = make_flip_flop(n_trials=5, n_timepoints=40, random_state=0)
    for trial in range(5):
        for bit in range(3):
            pulses = np.flatnonzero(trials.inputs[trial, :, bit])
            for t in range(40):
                last = pulses[pulses <= t][-1]
                assert trials.targets[trial, t, bit] == trials.inputs[trial, last, bit]
    final = (trials.targets[:, -1] > 0) @ (2 ** np.arange(3))
    np.testing.assert_array_equal(trials.conditions, final)


def test_sine_generation_frequency_follows_the_input_level():
    trials = make_sine_generation(n_trials=20, random_state=1)
    levels = trials.inputs[:, 0, 0]
    assert np.all(trials.inputs == levels[:, None, None])
    # A faster sine crosses zero more often: crossings increase with the level.
    crossings = np.sum(np.diff(np.sign(trials.targets[:, 1:, 0]), axis=1) != 0, axis=1)
    order = np.argsort(levels)
    assert np.all(np.diff(crossings[order]) >= -1)
    assert crossings[order[-1]] > 3 * crossings[order[0]]
    np.testing.assert_array_equal(np.unique(trials.conditions), np.unique(
        np.searchsorted(np.linspace(0.25, 1, 8), levels)))


def test_context_integration_answer_follows_the_cued_stream():
    trials = make_context_integration(n_trials=400, noise=0.0, random_state=2)
    context = trials.inputs[:, 0, 2:].argmax(axis=1)
    cued = trials.inputs[np.arange(400), 0, context]
    answer = trials.targets[:, -1, 0]
    np.testing.assert_array_equal(answer, np.sign(cued))
    assert np.all(trials.targets[trials.mask == 0] == 0)
    assert trials.mask[:, :45].sum() == 0 and trials.mask[:, 45:].all()
    np.testing.assert_array_equal(trials.conditions // 4, context)


@pytest.mark.parametrize("task", list(TASKS))
def test_task_accuracy_is_one_for_the_targets_and_low_for_noise(task):
    trials = TASKS[task](n_trials=32, random_state=3)
    assert task_accuracy(task, trials.targets, trials) == pytest.approx(1.0)
    noise = np.random.default_rng(0).standard_normal(trials.targets.shape)
    assert task_accuracy(task, noise, trials) < 0.75


def test_task_accuracy_names_the_tasks():
    trials = make_flip_flop(n_trials=2, random_state=0)
    with pytest.raises(ValueError, match="task must be one of"):
        task_accuracy("flipflop", trials.targets, trials)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_networks_run_from_rest_and_are_causal(architecture):
    params = init_network(architecture, 2, 6, 1, np.random.default_rng(0))
    inputs = np.random.default_rng(1).standard_normal((3, 20, 2))
    hidden, outputs = run_network(params, architecture, inputs)
    assert hidden.shape == (3, 20, 6) and outputs.shape == (3, 20, 1)
    changed = inputs.copy()
    changed[:, 10:] += 1.0
    later, _ = run_network(params, architecture, changed)
    np.testing.assert_array_equal(later[:, :10], hidden[:, :10])
    assert not np.allclose(later[:, 10:], hidden[:, 10:])
    np.testing.assert_allclose(outputs, hidden @ params["W_out"] + params["b_out"])


@pytest.mark.parametrize("architecture, f", [("vanilla", np.tanh),
                                             ("vanilla_relu", lambda x: np.maximum(x, 0))])
def test_vanilla_network_is_the_plain_recursion(architecture, f):
    params = init_network(architecture, 2, 4, 1, np.random.default_rng(0))
    params["b"] = np.full(4, 0.3)  # a ReLU network must not sit at zero
    inputs = np.random.default_rng(1).standard_normal((1, 5, 2))
    hidden, _ = run_network(params, architecture, inputs)
    h = np.zeros(4)
    for t in range(5):
        h = f(h @ params["W"] + inputs[0, t] @ params["U"] + params["b"])
        np.testing.assert_allclose(hidden[0, t], h)
    assert np.abs(hidden).sum() > 0


@pytest.mark.parametrize("architecture, loss", [(a, "mse") for a in ARCHITECTURES]
                         + [("ctrnn_relu", "cross_entropy"), ("gru", "cross_entropy")])
def test_backpropagation_through_time_matches_finite_differences(architecture, loss):
    params = init_network(architecture, 3, 5, 3, np.random.default_rng(0))
    trials = make_flip_flop(n_trials=4, n_timepoints=12, random_state=0)
    if loss == "cross_entropy":  # one-hot targets
        trials = TaskTrials(trials.inputs, np.eye(3)[(trials.targets > 0).sum(axis=2) % 3],
                            trials.mask, trials.conditions)
    gradient = grad(masked_loss)(params, architecture, trials, loss)
    direction = {k: np.random.default_rng(1).standard_normal(v.shape)
                 for k, v in params.items()}
    step = 1e-6
    shifted = [{k: v + s * step * direction[k] for k, v in params.items()} for s in (1, -1)]
    numeric = (masked_loss(shifted[0], architecture, trials, loss)
               - masked_loss(shifted[1], architecture, trials, loss)) / (2 * step)
    analytic = sum(np.sum(gradient[k] * direction[k]) for k in params)
    assert analytic == pytest.approx(numeric, rel=1e-5)


def test_selective_ssm_is_the_documented_recursion_and_starts_stable():
    rng = np.random.default_rng(0)
    p = init_network("selective_ssm", 3, 4, 2, rng)
    inputs = rng.standard_normal((2, 6, 3))
    hidden, _ = run_network(p, "selective_ssm", inputs)
    A = -np.exp(p["log_A"])
    assert np.all(A < 0) and A.shape == (4, SSM_STATE)
    steps = np.log1p(np.exp(p["b_delta"]))  # Mamba's initial steps
    assert INITIAL_STEPS[0] <= steps.min() and steps.max() <= INITIAL_STEPS[1] * (1 + 1e-12)
    for trial in range(2):
        s = np.zeros((4, SSM_STATE))
        for t in range(6):
            u = inputs[trial, t] @ p["U"] + p["b"]
            delta = np.log1p(np.exp(u @ p["W_delta"] + p["b_delta"]))
            for c in range(4):  # each channel its own diagonal system
                s[c] = np.exp(delta[c] * A[c]) * s[c] + delta[c] * u[c] * (u @ p["W_B"])
            z = u @ p["W_z"]
            y = (s @ (u @ p["W_C"]) + p["D"] * u) * z / (1 + np.exp(-z))
            np.testing.assert_allclose(hidden[trial, t], y, rtol=1e-12, atol=1e-14)


def test_training_learns_the_flip_flop_and_keeps_the_initial_weights():
    rng = np.random.default_rng(0)
    initial = init_network("vanilla", 3, 16, 3, rng)
    before = {k: v.copy() for k, v in initial.items()}
    trained, saved, losses = train_network(
        initial, "vanilla", lambda r: make_flip_flop(32, 60, random_state=int(r.integers(1e9))),
        150, rng, learning_rate=1e-2, checkpoints=(0, 150))
    for k in initial:
        np.testing.assert_array_equal(initial[k], before[k])
        np.testing.assert_array_equal(saved[0][k], before[k])
        np.testing.assert_array_equal(saved[150][k], trained[k])
    test = make_flip_flop(64, 60, random_state=99)
    accuracy = task_accuracy("flip_flop", run_network(trained, "vanilla", test.inputs)[1], test)
    assert losses[-20:].mean() < 0.3 * losses[:20].mean()
    assert accuracy > 0.9


def test_training_moves_only_the_trainable_parameters_and_stops_when_told():
    rng = np.random.default_rng(0)
    initial = init_network("ctrnn_relu", 3, 8, 3, rng)
    trials = lambda r: make_flip_flop(8, 20, random_state=int(r.integers(1e9)))  # noqa: E731
    frozen, _, losses = train_network(initial, "ctrnn_relu", trials, 5, rng, trainable=("U",))
    assert len(losses) == 5
    assert not np.array_equal(frozen["U"], initial["U"])
    for name in ("W", "b", "W_out", "b_out"):
        np.testing.assert_array_equal(frozen[name], initial[name])
    calls = []
    _, _, losses = train_network(initial, "ctrnn_relu", trials, 500, rng,
                                 stop_when=lambda p: calls.append(1) or len(calls) == 2)
    assert len(losses) == 100 and len(calls) == 2
    with pytest.raises(ValueError, match=r"trainable must name parameters .*\['V'\]"):
        train_network(initial, "ctrnn_relu", trials, 1, rng, trainable=("U", "V"))
    with pytest.raises(ValueError, match="loss must be one of"):
        train_network(initial, "ctrnn_relu", trials, 1, rng, loss="hinge")


TINY = ZooSpec(architectures=("vanilla", "gru"), tasks=("flip_flop", "sine_generation"),
               seeds=(0, 1), n_units=6, steps=(("flip_flop", 3), ("sine_generation", 4)),
               batch_size=4)


def test_zoo_build_is_deterministic_and_records_every_network(tmp_path):
    metadata = build_zoo(tmp_path / "a.npz", TINY, n_jobs=1, verbose=False)
    build_zoo(tmp_path / "b.npz", TINY, n_jobs=2, verbose=False)
    first, second = np.load(tmp_path / "a.npz"), np.load(tmp_path / "b.npz")
    assert sorted(first.files) == sorted(second.files)
    for key in set(first.files) - {"__metadata__"}:
        np.testing.assert_array_equal(first[key], second[key])
    untimed = [{k: v for k, v in m.items() if k != "seconds"}
               for m in json.loads(str(second["__metadata__"]))["networks"]]
    assert untimed == [{k: v for k, v in m.items() if k != "seconds"} for m in metadata]
    assert len(metadata) == 8
    assert {m["name"] for m in metadata} == {
        f"{a}/{t}/{s}" for a in TINY.architectures for t in TINY.tasks for s in TINY.seeds}
    assert all(set(m["accuracy"]) == {"0.0", "0.25", "1.0"} for m in metadata)
    # Three steps cannot learn a task: the zoo records it.
    assert not any(m["learned"] for m in metadata)
    assert first["gru/flip_flop/0/1.0/W"].dtype == np.float32


@pytest.fixture(scope="module")
def tiny_zoo(tmp_path_factory):
    path = tmp_path_factory.mktemp("zoo") / "tiny.npz"
    build_zoo(path, TINY, n_jobs=1, verbose=False)
    return path


def test_loader_runs_every_network_on_the_same_trials_of_its_task(tiny_zoo):
    zoo = load_rnn_zoo(checkpoints=[0.0, 1.0], n_trials=5, include_unlearned=True,
                       path=tiny_zoo)
    assert len(zoo.recordings) == 16 and list(zoo.networks.index) == list(zoo.recordings)
    assert zoo.unlearned == []
    flip_flop = [r for n, r in zoo.recordings.items() if "/flip_flop/" in n]
    trials = make_flip_flop(n_trials=5, random_state=0)
    for recording in flip_flop:
        assert recording.states.shape == (5, 100, 6)
        np.testing.assert_array_equal(recording.inputs, trials.inputs)
        np.testing.assert_array_equal(recording.conditions, trials.conditions)
    with np.load(tiny_zoo) as archive:
        params = {k: archive[f"gru/flip_flop/1/0.0/{k}"].astype(float)
                  for k in ("W", "U", "b", "W_out", "b_out")}
    hidden, _ = run_network(params, "gru", trials.inputs)
    np.testing.assert_array_equal(zoo.recordings["gru/flip_flop/1/0.0"].states, hidden)
    row = zoo.networks.loc["gru/flip_flop/1/0.0"]
    assert (row.architecture, row.task, row.seed, row.checkpoint) == ("gru", "flip_flop", 1, 0.0)


def test_loader_leaves_out_networks_that_did_not_learn(tiny_zoo):
    zoo = load_rnn_zoo(tasks="sine_generation", seeds=[1], path=tiny_zoo)
    assert zoo.recordings == {} and len(zoo.networks) == 0
    assert zoo.unlearned == ["vanilla/sine_generation/1", "gru/sine_generation/1"]


def test_a_zoo_of_several_learning_rates_trains_each_from_the_same_start(tmp_path):
    spec = ZooSpec(architectures=("vanilla_relu",), tasks=("flip_flop",), seeds=(0,),
                   n_units=5, steps=(("flip_flop", 4),), checkpoints=(0.0, 1.0), batch_size=4,
                   learning_rate=(1e-3, 1e-2))
    metadata = build_zoo(tmp_path / "rates.npz", spec, n_jobs=1, verbose=False)
    assert [m["name"] for m in metadata] == ["vanilla_relu/flip_flop/lr=0.001/0",
                                             "vanilla_relu/flip_flop/lr=0.01/0"]
    zoo = load_rnn_zoo(checkpoints=[0.0, 1.0], n_trials=3, include_unlearned=True,
                       path=tmp_path / "rates.npz")
    slow, fast = (zoo.params[f"vanilla_relu/flip_flop/lr={r}/0/0.0"] for r in ("0.001", "0.01"))
    for key in slow:
        np.testing.assert_array_equal(slow[key], fast[key])
    trained = [zoo.params[f"vanilla_relu/flip_flop/lr={r}/0/1.0"]["W"] for r in ("0.001", "0.01")]
    assert not np.array_equal(*trained)
    assert sorted(zoo.networks.learning_rate.unique()) == [1e-3, 1e-2]
    only = load_rnn_zoo(learning_rates=0.01, path=tmp_path / "rates.npz", n_trials=3,
                        include_unlearned=True)
    assert list(only.recordings) == ["vanilla_relu/flip_flop/lr=0.01/0/1.0"]
    with pytest.raises(ValueError, match="learning_rates must be among"):
        load_rnn_zoo(learning_rates=0.1, path=tmp_path / "rates.npz")


@pytest.mark.parametrize("selection, message", [
    ({"tasks": "flipflop"}, "tasks must be among"),
    ({"architectures": ["gru", "rnn"]}, r"architectures must be among .*\['rnn'\]"),
    ({"checkpoints": 0.5}, "checkpoints must be among"),
])
def test_loader_names_an_unknown_selection(tiny_zoo, selection, message):
    with pytest.raises(ValueError, match=message):
        load_rnn_zoo(path=tiny_zoo, **selection)


@pytest.mark.parametrize("zoo_name, tasks, max_bytes", [
    ("universality", ["flip_flop", "context_integration"], 5e6),
    ("neurogym", ["delay_match_sample", "interval_discrimination"], 7e6),
    ("flip_flop_population", ["flip_flop"], 3e6)])
def test_shipped_zoo_is_compact_and_its_accuracies_hold_for_its_float32_weights(
        zoo_name, tasks, max_bytes):
    assert os.path.getsize(zoo_path(zoo_name)) < max_bytes
    zoo = load_rnn_zoo(zoo_name, tasks=tasks, seeds=0, n_trials=256, include_unlearned=True)
    spec = zoo.spec
    thresholds = dict(spec["thresholds"])
    for name, recording in zoo.recordings.items():
        architecture, task, seed = name.split("/")[0], name.split("/")[1], name.split("/")[-2]
        # The accuracies were measured on these test trials, before rounding to float32.
        test = TASKS[task](n_trials=256, random_state=10**6 + int(seed))
        with np.load(zoo_path(zoo_name)) as archive:
            params = {k: archive[f"{name}/{k}"].astype(float)
                      for k in ("W", "U", "b", "W_out", "b_out")}
        accuracy = task_accuracy(task, run_network(params, architecture, test.inputs)[1], test)
        assert accuracy == pytest.approx(zoo.networks.loc[name, "accuracy"], abs=0.01)
        assert accuracy >= thresholds[task]
        assert recording.states.shape[2] == spec["n_units"]


@pytest.mark.parametrize("architecture, f", [("ctrnn_tanh", np.tanh),
                                             ("ctrnn_relu", lambda x: np.maximum(x, 0))])
def test_ctrnn_is_the_euler_step_of_the_leaky_rate_equation(architecture, f):
    params = init_network(architecture, 2, 4, 1, np.random.default_rng(0))
    inputs = np.random.default_rng(1).standard_normal((1, 5, 2))
    hidden, _ = run_network(params, architecture, inputs)
    h = np.zeros(4)
    for t in range(5):
        h = 0.5 * h + 0.5 * f(h @ params["W"] + inputs[0, t] @ params["U"] + params["b"])
        np.testing.assert_allclose(hidden[0, t], h)


def test_scaled_ctrnn_starts_with_stronger_recurrence():
    tanh = init_network("ctrnn_tanh", 2, 8, 1, np.random.default_rng(0))
    scaled = init_network("ctrnn_scaled", 2, 8, 1, np.random.default_rng(0))
    np.testing.assert_allclose(scaled["W"], 1.5 * tanh["W"])
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(tanh["W"])), 1.0)


@pytest.mark.parametrize("name", sorted(ZOOS))
def test_each_shipped_zoo_was_built_from_its_spec(name):
    with np.load(zoo_path(name)) as archive:
        built = json.loads(str(archive["__metadata__"]))
    spec = ZOOS[name]
    expected = json.loads(json.dumps({f: getattr(spec, f) for f in spec.__dataclass_fields__}))
    assert built["spec"] == expected
    names = {n["name"] for n in built["networks"]}
    several = len(spec.learning_rates) > 1
    assert names == {network_name(a, t, s, r if several else None) for a in spec.architectures
                     for t in spec.tasks for s in spec.seeds for r in spec.learning_rates}
