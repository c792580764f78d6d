"""The compositional test cases of Guilhot et al. (2024): Lorenz motifs and decision rules."""

import json
import os

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.datasets import (
    LORENZ_MOTIFS,
    MIXING_LEVELS,
    MIXING_NOISE,
    MIXING_PATTERNS,
    TASKS,
    join_motifs,
    load_compositional_rnns,
    make_compositional_lorenz,
    make_lorenz_mixing,
    make_lorenz_motifs,
    pair_checkpoints_with_master,
    shared_motifs,
    task_accuracy,
)
from skdsa.preprocessing import SeriesTransformer
from skdsa.tasks import RULES, make_rule_decision
from skdsa.zoo import (
    COMPOSITIONAL_SPECS,
    GROUPS,
    CompositionalSpec,
    build_compositional_zoo,
    run_network,
    train_compositional_group,
    zoo_path,
)


def test_motifs_are_trials_in_the_unit_volume_and_the_line_is_straight():
    motifs = make_lorenz_motifs(n_trials=7, n_timepoints=50, random_state=0)
    assert tuple(motifs) == LORENZ_MOTIFS
    for X in motifs.values():
        assert X.shape == (7, 50, 3)
        np.testing.assert_allclose(X.min(axis=(1, 2)), 0, atol=1e-15)
        np.testing.assert_allclose(X.max(axis=(1, 2)), 1)
    for trial in motifs["line"]:
        singular = np.linalg.svd(trial - trial.mean(axis=0), compute_uv=False)
        assert singular[1] < 1e-12 * singular[0]
    assert not np.allclose(motifs["curve"], motifs["pattern1"])
    again = make_lorenz_motifs(n_trials=7, n_timepoints=50, random_state=0)
    for name in LORENZ_MOTIFS:
        np.testing.assert_array_equal(motifs[name], again[name])


def test_joined_motifs_continue_each_other_without_a_jump():
    rng = np.random.default_rng(0)
    A, B = (np.cumsum(rng.normal(size=(2, 40, 3)), axis=1) for _ in range(2))
    joined = join_motifs([A, B])
    assert joined.shape == (2, 40, 3)
    # The first half is A, every other step, up to one affine map per trial...
    for trial in range(2):
        first = A[trial, ::2].ravel()
        design = np.c_[first, np.ones_like(first)]
        coefficients, *_ = np.linalg.lstsq(design, joined[trial, :20].ravel(), rcond=None)
        np.testing.assert_allclose(design @ coefficients, joined[trial, :20].ravel(), atol=1e-12)
        # ...a junction that only continues A's last step (A ended at step 38 of 40)...
        np.testing.assert_allclose(joined[trial, 20] - joined[trial, 19],
                                   coefficients[0] * (1 + 1e-4) * (A[trial, 39] - A[trial, 38]),
                                   atol=1e-12)
        # ...and the second half repeats B's increments from there.
        np.testing.assert_allclose(np.diff(joined[trial, 20:], axis=0),
                                   coefficients[0] * (B[trial, 2::2] - B[trial, :-2:2]),
                                   atol=1e-12)
    np.testing.assert_allclose(joined.min(axis=(1, 2)), 0, atol=1e-15)


def test_sixty_ordered_triples_share_one_two_or_three_motifs():
    data = make_compositional_lorenz(n_trials=3, n_timepoints=30, random_state=0)
    assert len(data.systems) == 60 and data.systems[0].shape == (3, 30, 3)
    assert data.names[0] == "line+curve+pattern1"
    shared = shared_motifs(data.blocks)
    assert np.all(np.diag(shared) == 3)
    counts = np.unique(shared[np.triu_indices(60, 1)], return_counts=True)
    assert [c.tolist() for c in counts] == [[1, 2, 3], [540, 1080, 150]]
    with pytest.raises(ValueError, match="n_motifs must be between 1 and 5; got 6"):
        make_compositional_lorenz(n_motifs=6)


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_fixates_then_answers_its_own_way(rule):
    trials = make_rule_decision(rule, n_trials=40, sigma=0.0, random_state=0)
    delayed, anti = "delayed" in rule, rule.startswith("anti")
    assert trials.inputs.shape == (40, 70 if delayed else 44, 7)
    np.testing.assert_array_equal(trials.inputs[:, :, 3:], np.eye(4)[[RULES.index(rule)] * 40]
                                  [:, None].repeat(trials.inputs.shape[1], axis=1))
    actions = trials.targets.argmax(axis=2)
    deciding = actions > 0
    np.testing.assert_array_equal(trials.inputs[..., 0] == 1, ~deciding)
    assert deciding.sum(axis=1).tolist() == [5 if delayed else 2] * 40
    side = trials.conditions // 5
    np.testing.assert_array_equal(actions[:, -1], 1 + (side + anti) % 2)
    stimulus = trials.inputs[:, 2:42, 1:3].mean(axis=1)
    coherent = trials.conditions % 5 > 0
    np.testing.assert_array_equal(stimulus.argmax(axis=1)[coherent], side[coherent])
    if delayed:  # nothing but fixation in the memory period
        assert np.all(trials.inputs[:, 45:65, 1:3] == 0)
    assert task_accuracy(rule, trials.targets, trials) == 1.0
    assert task_accuracy(rule, trials.targets[..., [0, 2, 1]], trials) == 0.0
    assert TASKS[rule](n_trials=3, random_state=0).inputs.shape[2] == 7


def test_training_timings_are_drawn_per_batch_from_the_papers_values():
    lengths = {make_rule_decision("delayed_decision", 2, timing="train",
                                  random_state=seed).inputs.shape[1] for seed in range(40)}
    assert len(lengths) > 5
    assert min(lengths) >= (100 + 3000 + 500 + 100) // 100
    assert max(lengths) <= (300 + 5000 + 1500 + 300) // 100
    with pytest.raises(ValueError, match="rule must be one of"):
        make_rule_decision("anti")
    with pytest.raises(ValueError, match="timing must be 'test' or 'train'"):
        make_rule_decision("decision", timing="random")


TINY = CompositionalSpec(groups=("untrained", "master", "master_frozen", "pretrain_frozen",
                                 "pretrain_unfrozen"),
                         seeds=(0,), n_units=5, max_steps=3, checkpoint_every=2)


@pytest.fixture(scope="module")
def tiny_groups(tmp_path_factory):
    path = tmp_path_factory.mktemp("compositional") / "tiny.npz"
    metadata = build_compositional_zoo(path, TINY, n_jobs=2, verbose=False)
    return path, metadata


def test_groups_share_their_start_and_freeze_what_they_say(tiny_groups):
    path, metadata = tiny_groups
    assert [(m["group"], m["pretrain_steps"], m["train_steps"]) for m in metadata] == [
        ("untrained", 0, 0), ("master", 0, 3), ("master_frozen", 0, 3),
        ("pretrain_frozen", 3, 3), ("pretrain_unfrozen", 3, 3)]
    data = load_compositional_rnns(n_trials=4, path=path)
    untrained, master, frozen = (data.params[f"{g}/0"]
                                 for g in ("untrained", "master", "master_frozen"))
    for name in ("W", "b", "W_out", "b_out"):
        np.testing.assert_array_equal(frozen[name], untrained[name])
        assert not np.array_equal(master[name], untrained[name])
    assert not np.array_equal(frozen["U"], untrained["U"])
    # Both pretrained groups start the composed task from the same pretrained weights.
    assert not np.array_equal(data.params["pretrain_frozen/0"]["W"], untrained["W"])
    again, record = train_compositional_group("pretrain_unfrozen", 0, TINY, checkpoint_every=2)
    np.testing.assert_allclose(again["W"], data.params["pretrain_unfrozen/0"]["W"], atol=1e-6)
    # checkpoints of the composed task's training: its start (the pretrained
    # weights, shared with the frozen group), every 2 steps, and its end
    assert sorted(record["checkpoints"]) == [0, 2, 3]
    start = record["checkpoints"][0]["W"]
    np.testing.assert_allclose(start, data.params["pretrain_frozen/0"]["W"], atol=1e-6)
    np.testing.assert_array_equal(record["checkpoints"][3]["W"], again["W"])
    # The shipped checkpoints rebuild every step's weights, and store of a
    # frozen network only its input weights.
    for group in ("master", "master_frozen"):
        saved = data.checkpoints[f"{group}/0"]
        assert sorted(saved) == [0, 2, 3]
        np.testing.assert_array_equal(saved[0]["U"], untrained["U"])
        for name, value in data.params[f"{group}/0"].items():
            np.testing.assert_array_equal(saved[3][name], value)
    assert data.checkpoints["untrained/0"] == {}
    with np.load(path) as archive:
        assert sorted(key.rsplit("/", 1)[1] for key in archive
                      if key.startswith("master_frozen/0/checkpoint/")) == ["U", "U"]
    recording = data.recordings["master/0"]
    assert recording.states.shape == (4, 70, 5)
    np.testing.assert_array_equal(recording.inputs, make_rule_decision(
        "anti_delayed_decision", n_trials=4, random_state=0).inputs)
    row = data.networks.loc["pretrain_frozen/0"]
    assert row.pretrain == "decision+anti_decision+delayed_decision" and row.frozen
    assert set(GROUPS) >= set(data.networks.group)
    with pytest.raises(ValueError, match=r"groups must be among .*\['master_unfrozen'\]"):
        load_compositional_rnns(groups="master_unfrozen", path=path)
    with pytest.raises(ValueError, match="group must be one of"):
        train_compositional_group("frozen", 0, TINY)


def test_noise_test_adds_weakening_noise_and_a_fading_second_pattern():
    data = make_lorenz_mixing("curve", "two_unstable_1", n_trials=40, n_timepoints=60,
                              random_state=0)
    again = make_lorenz_mixing("curve", "two_unstable_1", n_trials=40, n_timepoints=60,
                               random_state=0)
    np.testing.assert_array_equal(data.models[2][2], again.models[2][2])
    assert len(data.models) == 3 and len(MIXING_PATTERNS) == 7
    for (model1, model2, model3), scale, level in zip(data.models, MIXING_NOISE, MIXING_LEVELS):
        assert model1.shape == model3.shape == (40, 60, 3)
        # two independent noises of scale s apart, on a pattern shrunk by sqrt(1 - s^2)
        assert np.std(model1 - model2) == pytest.approx(scale * np.sqrt(2), rel=0.05)
        # the second pattern enters as its displacement from its start, times the level
        added = model3 - model2
        assert np.abs(added[:, 0]).max() < 6 * scale * np.sqrt(2)
        assert np.abs(added).max() > 0.2 * level
    first = data.models[0][2] - data.models[0][1]
    last = data.models[2][2] - data.models[2][1]
    assert np.linalg.norm(last) == pytest.approx(np.linalg.norm(first) / 4, rel=0.05)
    with pytest.raises(ValueError, match="added must be one of"):
        make_lorenz_mixing("curve", "pattern1")


@pytest.mark.filterwarnings("ignore::skdsa.NoiseModeWarning")  # the paper's rank 50
def test_noise_test_dsa_falls_steadily_but_little_while_geometry_follows_the_weight():
    """Benchmark section 12's noise-test finding on two pairs with 40 trials.

    As the second pattern's weight halves (1, 0.5, 0.25), DSA at the paper's
    setting falls at every epoch but by about a tenth, while the Procrustes
    distance halves with the weight.
    """
    for pattern, added in (("curve", "two_unstable_1"), ("two_unstable_0", "curve")):
        data = make_lorenz_mixing(pattern, added, n_trials=40, random_state=0)
        dsa, procrustes = [], []
        for _, model2, model3 in data.models:
            dsa.append(np.asarray(DSA(n_delays=33, delay_interval=6, rank=50, random_state=0)
                                  .fit_transform([model2, model3]))[0, 1])
            procrustes.append(np.asarray(GeometricDistance(average_trials=False)
                                         .fit_transform([model2, model3]))[0, 1])
        assert dsa[0] > dsa[1] > dsa[2] > 0.8 * dsa[0]
        assert procrustes[2] < 0.5 * procrustes[0]


def test_only_the_orderings_of_the_chosen_motif_sets_are_kept():
    sets = [{"line", "curve", "pattern1"}, {"pattern1", "pattern2", "curve"}]
    data = make_compositional_lorenz(n_trials=2, n_timepoints=30, motif_sets=sets,
                                     random_state=0)
    assert len(data.systems) == 12 and {frozenset(b) for b in data.blocks} == set(
        map(frozenset, sets))
    full = make_compositional_lorenz(n_trials=2, n_timepoints=30, random_state=0)
    np.testing.assert_array_equal(data.systems[0], full.systems[full.names.index(data.names[0])])
    with pytest.raises(ValueError, match=r"motif_sets must hold sets of 3 .*\['curve', 'line'\]"):
        make_compositional_lorenz(motif_sets=[{"line", "curve"}])


@pytest.mark.filterwarnings("ignore::skdsa.NoiseModeWarning")
def test_triples_of_the_same_motifs_are_much_closer_under_dsa_than_under_geometry():
    # The Lorenz example's claim on fewer trials and triples (two orderings of
    # each of its four motif sets): at the paper's setting, triples of the same
    # three motifs in another order are at 0.3-0.5 of the distance of triples
    # sharing one motif under DSA, at 0.7-0.85 under Procrustes and CKA; and the
    # effect is the rank's: at rank 30 it is gone (1.36 here, 0.80 in the
    # benchmark).
    sets = [{"line", "curve", "pattern1"}, {"line", "curve", "pattern2"},
            {"line", "pattern1", "line_curve_line_curve"},
            {"curve", "pattern2", "line_curve_line_curve"}]
    data = make_compositional_lorenz(n_trials=100, motif_sets=sets, random_state=0)
    keep = [k for k in range(24) if k % 6 < 2]
    systems = [data.systems[k] for k in keep]
    shared = shared_motifs([data.blocks[k] for k in keep])
    pairs = np.triu_indices(len(keep), 1)

    def ratio(D):
        d, s = np.asarray(D)[pairs], shared[pairs]
        return d[s == 3].mean() / d[s == 1].mean()

    dsa = ratio(DSA(n_delays=33, delay_interval=6, rank=50, n_jobs=2,
                    random_state=0).fit_transform(systems))
    geometry = [ratio(GeometricDistance(metric, average_trials=False).fit_transform(systems))
                for metric in ("procrustes", "cka")]
    assert dsa < 0.6 and min(geometry) > 0.7 and dsa < min(geometry) - 0.2
    at_rank_30 = ratio(DSA(n_delays=33, delay_interval=6, rank=30, n_jobs=2,
                           random_state=0).fit_transform(systems))
    assert at_rank_30 > 0.9


@pytest.mark.filterwarnings("ignore::skdsa.NoiseModeWarning")
def test_pretrained_frozen_networks_come_closer_to_master_in_dynamics_than_in_geometry():
    # The compositional RNN example's claims on fewer groups and trials: under DSA,
    # networks pretrained on the three sub-tasks (recurrence then frozen) sit as
    # close to the master networks as master seeds to each other, much closer than
    # untrained ones (0.25 against 0.46 in the example), and master-frozen ones
    # are the farthest (0.67); the geometric baselines move less (untrained / full
    # pretraining 1.14 and 1.20 against DSA's 1.84).
    data = load_compositional_rnns(groups=["untrained", "master", "master_frozen",
                                           "pretrain_frozen"], n_trials=16)
    states = {name: recording.states for name, recording in data.recordings.items()}
    model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                      ("hankel", HankelEmbedder(10)), ("dmd", DMDRegressor(rank=30))])
    distances = {"dsa": DSA(model=model, n_jobs=2, random_state=0).fit_transform(states),
                 "procrustes": GeometricDistance("procrustes", average_trials=False)
                 .fit_transform(states),
                 "cka": GeometricDistance("cka", average_trials=False).fit_transform(states)}
    group = data.networks.group
    master = data.networks.index[group == "master"]

    def to_master(D, name):
        return D.loc[(group == name).to_numpy(), master].to_numpy().mean()

    dsa = distances["dsa"]
    assert to_master(dsa, "pretrain_frozen") < to_master(dsa, "untrained") < to_master(
        dsa, "master_frozen")
    floor = dsa.loc[master, master].to_numpy()[~np.eye(3, dtype=bool)].mean()
    assert to_master(dsa, "pretrain_frozen") < 1.25 * floor
    ratios = {method: to_master(D, "untrained") / to_master(D, "pretrain_frozen")
              for method, D in distances.items()}
    assert ratios["dsa"] > 1.4 and ratios["dsa"] > max(ratios["procrustes"], ratios["cka"]) + 0.3


@pytest.mark.filterwarnings("ignore::skdsa.NoiseModeWarning")
def test_over_training_the_distance_to_master_does_not_follow_the_accuracy_gap():
    # The paper's correlation over training (DSA R^2 0.13, p ~ 1e-47; none for
    # the baselines) on one seed's shipped checkpoints: not reproduced. All
    # three seeds (benchmark section 12): R^2 0.007 DSA, 0.001 / 0.004 baselines.
    from scipy.stats import linregress

    data = load_compositional_rnns(seeds=0, n_trials=16)
    pairs = pair_checkpoints_with_master(data)
    # Every network trained on the composed task, each checkpoint once, paired
    # from master's start to master's end.
    assert set(pairs.network) == set(data.networks.index) - {"untrained/0", "master/0"}
    assert len(pairs) == sum(len(data.checkpoints[name]) for name in set(pairs.network))
    master_steps = sorted(data.checkpoints["master/0"])
    for _, network in pairs.groupby("network"):
        assert network.master_step.iloc[0] == 0 and network.master_step.iloc[-1] == \
            master_steps[-1] and network.master_step.is_monotonic_increasing
    assert pairs.accuracy_gap.max() > 0.3  # training closes a gap worth explaining
    with pytest.raises(ValueError, match="data must hold the master network of seed 0"):
        pair_checkpoints_with_master(load_compositional_rnns(groups="pretrain_frozen", seeds=0,
                                                             n_trials=1))

    inputs = data.recordings["master/0"].inputs
    model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                      ("hankel", HankelEmbedder(10)), ("dmd", DMDRegressor(rank=30))])
    distances = []
    for pair in pairs.itertuples():
        both = [run_network(data.checkpoints[name][step], "ctrnn_relu", inputs)[0]
                for name, step in ((pair.network, pair.step), (pair.master, pair.master_step))]
        distances.append(DSA(model=model, random_state=0).fit_transform(both)[0, 1])
    fit = linregress(pairs.accuracy_gap, distances)
    assert fit.rvalue**2 < 0.1 and fit.pvalue > 0.01


@pytest.mark.filterwarnings("ignore::skdsa.NoiseModeWarning")
def test_state_space_models_learn_with_frozen_recurrence_and_look_unchanged_at_one_setting():
    # The SSM example's claims on the paper's Mamba finding ("may not exhibit
    # or require changes in their recurrent dynamics"): every pretrained SSM
    # learns the composed task with only its input weights (the RNNs: 18 of
    # 21). At the example's DSA setting (10 delays, rank 30) the SSM groups sit
    # at one distance from master (untrained / full pretraining 1.04, the RNNs
    # 1.84), but at 20 delays the untrained SSMs are 1.86x as far as the
    # pretrained ones, like the RNNs (2.20).
    def to_master_fall(data, n_delays):
        model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                          ("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=30))])
        D = DSA(model=model, n_jobs=2, random_state=0).fit_transform(
            {name: recording.states for name, recording in data.recordings.items()})
        master = [f"master/{seed}" for seed in range(3)]
        untrained, pretrained = (D.loc[[f"{group}/{seed}" for seed in range(3)], master]
                                 .to_numpy().mean() for group in ("untrained", "pretrain_frozen"))
        return untrained / pretrained

    found = {}
    for zoo in ("compositional", "compositional_ssm"):
        networks = load_compositional_rnns(zoo=zoo, n_trials=1).networks
        pretrained = networks[networks.frozen & (networks.pretrain != "")]
        target = COMPOSITIONAL_SPECS[zoo].target
        data = load_compositional_rnns(groups=["untrained", "master", "pretrain_frozen"],
                                       n_trials=16, zoo=zoo)
        found[zoo] = ((pretrained["accuracy anti_delayed_decision"] >= target).sum(),
                      to_master_fall(data, 10), to_master_fall(data, 20))
    (rnn_learned, *rnn_falls), (ssm_learned, ssm_fall, ssm_fall_20) = found.values()
    assert ssm_learned == 21 > rnn_learned
    assert ssm_fall < 1.2 and min(rnn_falls) > 1.4
    assert ssm_fall_20 > 1.5


@pytest.mark.parametrize("zoo, max_bytes", [("compositional", 2.5e6),
                                             ("compositional_ssm", 1e6)])
def test_shipped_groups_are_compact_built_from_their_spec_and_as_accurate_as_recorded(
        zoo, max_bytes):
    assert os.path.getsize(zoo_path(zoo)) < max_bytes
    data = load_compositional_rnns(groups=["master", "pretrain_frozen"], seeds=0, n_trials=4,
                                   zoo=zoo)
    spec = COMPOSITIONAL_SPECS[zoo]
    assert data.spec == json.loads(json.dumps(
        {name: getattr(spec, name) for name in spec.__dataclass_fields__}))
    for name, params in data.params.items():
        # Measured on these test trials before rounding the weights to float32.
        test = make_rule_decision("anti_delayed_decision", n_trials=256, random_state=10**6)
        accuracy = task_accuracy("anti_delayed_decision",
                                 run_network(params, spec.architecture, test.inputs)[1], test)
        recorded = data.networks.loc[name, "accuracy anti_delayed_decision"]
        assert accuracy == pytest.approx(recorded, abs=0.01) and accuracy >= spec.target
        # the last checkpoint is the network itself
        last = data.checkpoints[name][data.networks.loc[name, "train_steps"]]
        assert all(np.array_equal(last[key], value) for key, value in params.items())
    with pytest.raises(ValueError, match="zoo must be one of"):
        load_compositional_rnns(zoo="universality")
