"""Six decision tasks with the inputs of their NeuroGym versions, as arrays of trials.

NeuroGym (Molano-Mazon et al., https://github.com/neurogym/neurogym) streams
trials from gym environments; these generators draw whole batches with numpy,
with NeuroGym's observations (fixation input, ring-coded stimuli, noise of
``sigma / sqrt(dt)``), its default period durations at ``dt = 100`` ms, and its
ground truth as one-hot targets: action 0 (fixate) outside the decision
period, the correct choice (action 1 or 2) in it. Where NeuroGym draws a
duration at random, the generator says what it does.

Every trial of a batch has the same length, except in interval discrimination,
whose durations are the stimulus: its trials are padded at the end to the
longest possible trial with zero inputs, unscored (``mask`` 0).
"""

import numpy as np
from sklearn.utils import check_random_state

from ._task_trials import TaskTrials

DT = 100  # ms per step, NeuroGym's default for these tasks


def _steps(durations):
    """Start and stop step of each period; NeuroGym floors durations to whole steps."""
    edges = np.concatenate([[0], np.cumsum(np.floor_divide(durations, DT))]).astype(int)
    return list(zip(edges[:-1], edges[1:]))


def _trials(n_trials, n_timepoints, n_inputs):
    inputs = np.zeros((n_trials, n_timepoints, n_inputs))
    actions = np.zeros((n_trials, n_timepoints), dtype=int)
    return inputs, actions


def _finish(inputs, actions, conditions, mask=None):
    targets = np.eye(3)[actions]
    if mask is None:
        mask = np.ones(actions.shape)
    return TaskTrials(inputs, targets * mask[..., None], mask, conditions)


def _ring(theta, coherence):
    """NeuroGym's two-unit ring code of a direction ``theta`` at ``coherence`` (percent)."""
    return np.cos(np.array([0.0, np.pi])[None, :] - theta[:, None]) * (
        coherence[:, None] / 200) + 0.5


def make_perceptual_decision_making(n_trials=64, sigma=1.0, random_state=None):
    """NeuroGym's ``PerceptualDecisionMaking``: which of two noisy stimuli is stronger?

    Periods (ms): fixation 100, stimulus 2000, decision 100 (22 steps). Inputs:
    fixation (1 in the fixation period), two ring-coded stimuli
    ``cos(theta_k - theta) * coh / 200 + 0.5`` plus noise in the stimulus period;
    coherence from ``{0, 6.4, 12.8, 25.6, 51.2}``.

    Parameters
    ----------
    n_trials : int, default=64
    sigma : float, default=1.0
        NeuroGym's noise parameter (standard deviation ``sigma / sqrt(dt)``).
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Conditions: ``5 * choice + coherence index``.
    """
    rng = check_random_state(random_state)
    (fix, stim, decision) = _steps([100, 2000, 100])
    inputs, actions = _trials(n_trials, decision[1], 3)
    choice = rng.randint(2, size=n_trials)
    level = rng.randint(5, size=n_trials)
    coherence = np.array([0, 6.4, 12.8, 25.6, 51.2])[level]
    inputs[:, slice(*fix), 0] = 1
    inputs[:, slice(*stim), 1:] = _ring(np.pi * choice, coherence)[:, None, :]
    inputs[:, slice(*stim), 1:] += sigma / np.sqrt(DT) * rng.standard_normal(
        (n_trials, stim[1] - stim[0], 2))
    actions[:, slice(*decision)] = 1 + choice[:, None]
    return _finish(inputs, actions, 5 * choice + level)


def make_context_decision_making(n_trials=64, sigma=1.0, random_state=None):
    """NeuroGym's ``ContextDecisionMaking`` with explicit context cues.

    Two modalities each carry a ring-coded stimulus (coherences from
    ``{5, 15, 50}``, each pointing to a choice of its own); two context inputs
    (one on for the whole trial) say which modality to report. Periods (ms):
    fixation 300, stimulus 750 (7 steps), delay 600, decision 100 (NeuroGym
    draws the delay from a truncated exponential of mean 600; here it is 600),
    17 steps.
    Inputs: fixation (fixation period), modality 1 (2), modality 2 (2), context (2).

    Parameters
    ----------
    n_trials : int, default=64
    sigma : float, default=1.0
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Conditions: ``4 * context + 2 * choice of modality 1 + choice of modality 2``.
    """
    rng = check_random_state(random_state)
    (fix, stim, _, decision) = _steps([300, 750, 600, 100])
    inputs, actions = _trials(n_trials, decision[1], 7)
    choices = rng.randint(2, size=(n_trials, 2))
    coherence = np.array([5.0, 15.0, 50.0])[rng.randint(3, size=(n_trials, 2))]
    context = rng.randint(2, size=n_trials)
    inputs[:, slice(*fix), 0] = 1
    for modality in range(2):
        columns = slice(1 + 2 * modality, 3 + 2 * modality)
        inputs[:, slice(*stim), columns] = _ring(np.pi * choices[:, modality],
                                                 coherence[:, modality])[:, None, :]
        inputs[:, slice(*stim), columns] += sigma / np.sqrt(DT) * rng.standard_normal(
            (n_trials, stim[1] - stim[0], 2))
    inputs[np.arange(n_trials), :, 5 + context] = 1
    inputs[:, slice(*decision), 1:5] = 0
    actions[:, slice(*decision)] = 1 + choices[np.arange(n_trials), context][:, None]
    return _finish(inputs, actions, 4 * context + 2 * choices[:, 0] + choices[:, 1])


def make_multisensory_integration(n_trials=64, sigma=1.0, random_state=None):
    """NeuroGym's ``MultiSensoryIntegration``: one choice, evidence split over two modalities.

    A coherence from ``{5, 15, 50}`` is split at a uniform random proportion
    between two ring-coded modalities pointing to the same choice. Periods (ms):
    fixation 300, stimulus 750 (floored to 7 steps), decision 100 (11 steps in
    all). Inputs: fixation (1 except in the decision period), modality 1 (2),
    modality 2 (2); noise on every input in the stimulus period, as NeuroGym
    adds it.

    Parameters
    ----------
    n_trials : int, default=64
    sigma : float, default=1.0
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Conditions: ``3 * choice + coherence index``.
    """
    rng = check_random_state(random_state)
    (_, stim, decision) = _steps([300, 750, 100])
    inputs, actions = _trials(n_trials, decision[1], 5)
    choice = rng.randint(2, size=n_trials)
    level = rng.randint(3, size=n_trials)
    coherence = np.array([5.0, 15.0, 50.0])[level]
    share = rng.uniform(size=n_trials)
    inputs[:, :, 0] = 1
    inputs[:, slice(*stim), 1:3] = _ring(np.pi * choice, coherence * share)[:, None, :]
    inputs[:, slice(*stim), 3:5] = _ring(np.pi * choice, coherence * (1 - share))[:, None, :]
    inputs[:, slice(*stim)] += sigma / np.sqrt(DT) * rng.standard_normal(
        (n_trials, stim[1] - stim[0], 5))
    inputs[:, slice(*decision)] = 0
    actions[:, slice(*decision)] = 1 + choice[:, None]
    return _finish(inputs, actions, 3 * choice + level)


def make_delay_comparison(n_trials=64, sigma=1.0, random_state=None):
    """NeuroGym's ``DelayComparison``: was the first of two scalar stimuli the larger?

    Value pairs ``(18, 10), (22, 14), (26, 18), (30, 22), (34, 26)`` in either
    order, each coded as ``(1 + (v - 10) / 24) / 2``. Periods (ms): fixation
    500, stimulus 1 500, delay 1000, stimulus 2 500, decision 100 (26 steps).
    Inputs: fixation (1 except in the decision period), stimulus; noise on both
    in the stimulus periods. Choice 1: the first was larger.

    Parameters
    ----------
    n_trials : int, default=64
    sigma : float, default=1.0
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Conditions: ``2 * pair index + (first smaller)``.
    """
    rng = check_random_state(random_state)
    pairs = np.array([(18, 10), (22, 14), (26, 18), (30, 22), (34, 26)], dtype=float)
    (_, first, _, second, decision) = _steps([500, 500, 1000, 500, 100])
    inputs, actions = _trials(n_trials, decision[1], 2)
    pair = rng.randint(5, size=n_trials)
    smaller_first = rng.randint(2, size=n_trials)
    values = pairs[pair]
    values[smaller_first == 1] = values[smaller_first == 1, ::-1]
    code = (1 + (values - 10) / 24) / 2
    inputs[:, :, 0] = 1
    for k, period in enumerate((first, second)):
        inputs[:, slice(*period), 1] = code[:, k, None]
        inputs[:, slice(*period)] += sigma / np.sqrt(DT) * rng.standard_normal(
            (n_trials, period[1] - period[0], 2))
    inputs[:, slice(*decision)] = 0
    actions[:, slice(*decision)] = 1 + smaller_first[:, None]
    return _finish(inputs, actions, 2 * pair + smaller_first)


def make_interval_discrimination(n_trials=64, random_state=None):
    """NeuroGym's ``IntervalDiscrimination``: was the first of two intervals the longer?

    Periods (ms): fixation 300, stimulus 1 of 300-600, delay 800-1500, stimulus
    2 of 300-600, delay 500, decision 300 (durations uniform and floored to
    whole steps, as in NeuroGym, with steps of 100 ms rather than its default
    80). Inputs: fixation (1 except in the decision period), stimulus 1,
    stimulus 2 (each 1 while it lasts); no noise. Choice 1: the first was
    longer (a tie counts as the second, as in NeuroGym). Trials are padded at
    the end to 35 steps with zero inputs and ``mask`` 0.

    Parameters
    ----------
    n_trials : int, default=64
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Conditions: the choice (0: first longer).
    """
    rng = check_random_state(random_state)
    n_timepoints = (300 + 500 + 1400 + 500 + 500 + 300) // DT
    inputs, actions = _trials(n_trials, n_timepoints, 3)
    mask = np.zeros((n_trials, n_timepoints))
    first, second = rng.uniform(300, 600, size=(2, n_trials)) // DT * DT
    delay = rng.uniform(800, 1500, size=n_trials) // DT * DT
    choice = (first <= second).astype(int)
    for trial in range(n_trials):
        (_, one, _, two, _, decision) = _steps(
            [300, first[trial], delay[trial], second[trial], 500, 300])
        inputs[trial, :decision[0], 0] = 1
        inputs[trial, slice(*one), 1] = 1
        inputs[trial, slice(*two), 2] = 1
        actions[trial, slice(*decision)] = 1 + choice[trial]
        mask[trial, :decision[1]] = 1
    return _finish(inputs, actions, choice, mask)


def make_delay_match_sample(n_trials=64, sigma=1.0, random_state=None):
    """NeuroGym's ``DelayMatchSample``: is the test stimulus the remembered sample?

    A ring-coded sample (one of two directions, ``cos(theta_k - theta) / 2 +
    1 / 2``), a delay, then a test equal to the sample (match, choice 1) or
    opposite (non-match, choice 2). Periods (ms): fixation 300, sample 500,
    delay 1000, test 500, decision 900 (32 steps). Inputs: fixation (1 except in
    the decision period), stimulus (2), noisy in the sample and test periods.

    Parameters
    ----------
    n_trials : int, default=64
    sigma : float, default=1.0
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Conditions: ``2 * sample direction + (non-match)``.
    """
    rng = check_random_state(random_state)
    (_, sample, _, test, decision) = _steps([300, 500, 1000, 500, 900])
    inputs, actions = _trials(n_trials, decision[1], 3)
    direction = rng.randint(2, size=n_trials)
    nonmatch = rng.randint(2, size=n_trials)
    inputs[:, :, 0] = 1
    inputs[:, slice(*decision), 0] = 0
    full = np.full(n_trials, 100.0)  # coherence 100: cos(.) / 2 + 1 / 2
    for period, theta in ((sample, direction), (test, (direction + nonmatch) % 2)):
        inputs[:, slice(*period), 1:] = _ring(np.pi * theta, full)[:, None, :]
        inputs[:, slice(*period), 1:] += sigma / np.sqrt(DT) * rng.standard_normal(
            (n_trials, period[1] - period[0], 2))
    actions[:, slice(*decision)] = 1 + nonmatch[:, None]
    return _finish(inputs, actions, 2 * direction + nonmatch)


NEUROGYM_TASKS = {
    "perceptual_decision_making": make_perceptual_decision_making,
    "context_decision_making": make_context_decision_making,
    "multisensory_integration": make_multisensory_integration,
    "delay_comparison": make_delay_comparison,
    "interval_discrimination": make_interval_discrimination,
    "delay_match_sample": make_delay_match_sample,
}


def decision_accuracy(outputs, trials):
    """Fraction of trials whose mean output over the decision period picks the right action.

    The decision period is where the target is not "fixate" (action 0).
    """
    deciding = (trials.targets[..., 0] == 0) & (trials.mask > 0)
    weights = deciding[..., None]
    chosen = np.argmax(np.sum(outputs * weights, axis=1), axis=1)
    correct = np.argmax(np.sum(trials.targets * weights, axis=1), axis=1)
    return float(np.mean(chosen == correct))
