"""The NeuroGym-style tasks: their structure, and the same trials as NeuroGym's own.

The comparison with NeuroGym runs where it is installed; ``.ci/run`` installs
neurogym 2.3.1 without its pins (see there) and requires these tests to run.
"""

import warnings

import numpy as np
import pytest

from skdsa.datasets import NEUROGYM_TASKS, TASKS, task_accuracy

NOISY = sorted(set(NEUROGYM_TASKS) - {"interval_discrimination"})


def noiseless(task, n_trials, random_state=0):
    kwargs = {} if task == "interval_discrimination" else {"sigma": 0.0}
    return NEUROGYM_TASKS[task](n_trials=n_trials, random_state=random_state, **kwargs)


@pytest.mark.parametrize("task", list(NEUROGYM_TASKS))
def test_decision_tasks_fixate_then_choose_and_score_their_targets(task):
    trials = NEUROGYM_TASKS[task](n_trials=40, random_state=1)
    assert task in TASKS
    actions = np.argmax(trials.targets, axis=2)
    scored = trials.mask > 0
    # One choice per trial, made in one final period after fixation.
    for k in range(40):
        chosen = actions[k][scored[k]]
        decision = np.flatnonzero(chosen)
        assert chosen[0] == 0 and len(decision) > 0
        assert np.all(np.diff(decision) == 1) and decision[-1] == len(chosen) - 1
        assert len(set(chosen[decision])) == 1
    assert np.all(trials.targets[~scored] == 0)
    assert task_accuracy(task, trials.targets, trials) == 1.0
    wrong = trials.targets[..., [0, 2, 1]]
    assert task_accuracy(task, wrong, trials) == 0.0


@pytest.mark.parametrize("task", NOISY)
def test_noise_is_added_only_where_neurogym_adds_it(task):
    clean, noisy = noiseless(task, 30), NEUROGYM_TASKS[task](n_trials=30, random_state=0)
    changed = np.abs(noisy.inputs - clean.inputs) > 0
    assert changed.any()
    np.testing.assert_array_equal(clean.conditions, noisy.conditions)
    np.testing.assert_allclose(np.std((noisy.inputs - clean.inputs)[changed]), 0.1, rtol=0.1)


def test_noiseless_perceptual_decision_points_the_stronger_stimulus_to_the_choice():
    trials = noiseless("perceptual_decision_making", 50)
    stimulus = trials.inputs[:, 1:21, 1:].mean(axis=1)
    choice = np.argmax(trials.targets[:, -1], axis=1) - 1
    coherent = trials.conditions % 5 > 0
    np.testing.assert_array_equal(np.argmax(stimulus, axis=1)[coherent], choice[coherent])


def test_interval_discrimination_choice_says_which_interval_was_longer():
    trials = NEUROGYM_TASKS["interval_discrimination"](n_trials=60, random_state=2)
    first, second = trials.inputs[..., 1].sum(axis=1), trials.inputs[..., 2].sum(axis=1)
    choice = np.argmax(trials.targets.sum(axis=1)[:, 1:], axis=1)
    np.testing.assert_array_equal(choice, (first <= second).astype(int))
    assert set(first) <= {3, 4, 5} and trials.inputs.shape[1] == 35


ENVIRONMENTS = {
    "perceptual_decision_making": ("PerceptualDecisionMaking-v0", {"sigma": 0}),
    "context_decision_making": ("ContextDecisionMaking-v0",
                                {"sigma": 0, "use_expl_context": True,
                                 "timing": {"delay": 600}}),
    "delay_comparison": ("DelayComparison-v0", {"sigma": 0}),
    "interval_discrimination": ("IntervalDiscrimination-v0", {}),
    "delay_match_sample": ("DelayMatchSample-v0", {"sigma": 0}),
}


def distinct_trials(inputs, actions):
    return {(np.round(x.astype(np.float32), 5).tobytes(), a.astype(np.int64).tobytes())
            for x, a in zip(inputs, actions)}


@pytest.mark.parametrize("task", list(ENVIRONMENTS))
def test_noiseless_trials_are_neurogyms(task, optional_import):
    ngym = optional_import("neurogym")
    name, kwargs = ENVIRONMENTS[task]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        env = ngym.make(name, dt=100, **kwargs).unwrapped
        theirs = set()
        for _ in range(2000):
            env.new_trial()
            theirs |= distinct_trials([np.asarray(env.ob)], [np.asarray(env.gt)])
    trials = noiseless(task, 2000)
    lengths = trials.mask.sum(axis=1).astype(int)
    ours = set().union(*(distinct_trials([x[:n]], [a[:n]]) for x, a, n in zip(
        trials.inputs, np.argmax(trials.targets, axis=2), lengths)))
    assert ours == theirs


def test_multisensory_trials_are_neurogyms_for_the_same_draws(optional_import):
    ngym = optional_import("neurogym")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        env = ngym.make("MultiSensoryIntegration-v0", dt=100, sigma=0).unwrapped
    trials = noiseless("multisensory_integration", 30)
    for x, condition in zip(trials.inputs, trials.conditions):
        choice, coherence = condition // 3, [5, 15, 50][condition % 3]
        deviation = np.abs(x[4, [1, 3]] - 0.5) * 200  # coherence carried by each modality
        env.new_trial(ground_truth=choice, coh=coherence,
                      coh_prop=deviation[0] / deviation.sum())
        np.testing.assert_allclose(np.asarray(env.ob), x, atol=1e-6)
        assert np.argmax(x[4, 1:3]) == choice
