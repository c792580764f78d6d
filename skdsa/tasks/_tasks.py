"""Tasks that recurrent networks are trained on: inputs, targets, a loss mask and conditions.

The tasks of the universality study of Maheswaranathan, Williams, Golub, Ganguli &
Sussillo (NeurIPS 2019): the 3-bit flip-flop, sine-wave generation from a
frequency cue and context-dependent integration. Their sizes and timings here
are this package's (short trials that small networks learn in a minute of
training on a CPU); each generator says what it uses. ``TASKS`` also lists the
NeuroGym-style decision tasks (:mod:`._neurogym_tasks`) and the rules of the
compositional test case (:mod:`._compositional_tasks`).
"""

import numpy as np
from sklearn.utils import check_random_state

from ._compositional_tasks import RULE_TASKS
from ._neurogym_tasks import NEUROGYM_TASKS, decision_accuracy
from ._task_trials import TaskTrials


def make_flip_flop(n_trials=64, n_timepoints=100, n_bits=3, pulse_probability=0.05,
                   random_state=None):
    """The n-bit flip-flop: remember the sign of the last pulse on each channel.

    Each input channel receives, at each step with probability
    ``pulse_probability``, a pulse of +-1 (random sign); every channel also gets
    a pulse at the first step, so that the target is defined throughout. The
    target of output ``k`` is the sign of the last pulse on channel ``k``.

    Parameters
    ----------
    n_trials, n_timepoints : int, default=64, 100
        Batch size and trial length.
    n_bits : int, default=3
        Channels (and memories).
    pulse_probability : float, default=0.05
        Probability of a pulse per channel and step.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    trials : TaskTrials
        Conditions: the final memory as an integer (bit ``k`` set when output
        ``k`` ends at +1).
    """
    rng = check_random_state(random_state)
    shape = (n_trials, n_timepoints, n_bits)
    pulses = (rng.random_sample(shape) < pulse_probability)
    pulses[:, 0] = True
    inputs = pulses * rng.choice([-1.0, 1.0], size=shape)
    targets = np.empty(shape)
    last = inputs[:, 0]
    for t in range(n_timepoints):
        last = np.where(inputs[:, t] != 0, inputs[:, t], last)
        targets[:, t] = last
    conditions = ((targets[:, -1] > 0) * 2 ** np.arange(n_bits)).sum(axis=1)
    return TaskTrials(inputs, targets, np.ones((n_trials, n_timepoints)), conditions)


def make_sine_generation(n_trials=64, n_timepoints=100, n_frequencies=8,
                         frequencies=(0.1, 0.6), random_state=None):
    """Generate a sine wave whose frequency a static input sets.

    The input holds, for the whole trial, a level in ``[0.25, 1]`` that maps
    linearly onto an angular frequency in ``frequencies`` (radians per step);
    the target is ``sin(omega t)``. Levels come from ``n_frequencies``
    equally spaced values, one drawn per trial.

    Parameters
    ----------
    n_trials, n_timepoints : int, default=64, 100
        Batch size and trial length.
    n_frequencies : int, default=8
        Number of frequencies (the conditions).
    frequencies : tuple of float, default=(0.1, 0.6)
        Lowest and highest angular frequency, radians per step (periods of
        about 63 to 10 steps).
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    trials : TaskTrials
        Conditions: the frequency's index.
    """
    rng = check_random_state(random_state)
    conditions = rng.randint(n_frequencies, size=n_trials)
    levels = np.linspace(0.25, 1.0, n_frequencies)[conditions]
    omega = np.interp(levels, [0.25, 1.0], frequencies)
    steps = np.arange(n_timepoints)
    inputs = np.repeat(levels[:, None, None], n_timepoints, axis=1)
    targets = np.sin(omega[:, None] * steps[None, :])[..., None]
    return TaskTrials(inputs, targets, np.ones((n_trials, n_timepoints)), conditions)


def make_context_integration(n_trials=64, n_timepoints=60, coherences=(0.1, 0.3, 0.6),
                             noise=1.0, response_fraction=0.25, random_state=None):
    """Context-dependent integration: report the sign of the cued stream's evidence.

    Two noisy evidence streams (constant coherence plus Gaussian noise of
    standard deviation ``noise``) and two context cues (one-hot, constant over
    the trial) enter the network. In the last ``response_fraction`` of the
    trial the target is the sign of the cued stream's coherence; the rest of
    the trial is not scored (the network may integrate as it likes).

    Parameters
    ----------
    n_trials, n_timepoints : int, default=64, 60
        Batch size and trial length.
    coherences : tuple of float, default=(0.1, 0.3, 0.6)
        Absolute coherences; each stream's is drawn from these with a random sign.
    noise : float, default=1.0
        Standard deviation of the evidence noise per step.
    response_fraction : float, default=0.25
        Fraction of the trial, at its end, where the output is scored.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    trials : TaskTrials
        Conditions: ``4 * context + 2 * (stream 1 positive) + (stream 2 positive)``.
    """
    rng = check_random_state(random_state)
    context = rng.randint(2, size=n_trials)
    coherence = rng.choice(coherences, size=(n_trials, 2)) * rng.choice([-1, 1],
                                                                        size=(n_trials, 2))
    evidence = coherence[:, None, :] + noise * rng.standard_normal((n_trials, n_timepoints, 2))
    cues = np.zeros((n_trials, n_timepoints, 2))
    cues[np.arange(n_trials), :, context] = 1.0
    inputs = np.concatenate([evidence, cues], axis=2)
    answer = np.sign(coherence[np.arange(n_trials), context])
    mask = np.zeros((n_trials, n_timepoints))
    mask[:, int(round(n_timepoints * (1 - response_fraction))):] = 1.0
    targets = np.repeat(answer[:, None, None], n_timepoints, axis=1) * mask[..., None]
    conditions = 4 * context + 2 * (coherence[:, 0] > 0) + (coherence[:, 1] > 0)
    return TaskTrials(inputs, targets, mask, conditions)


# A task's position here is part of every zoo network's seed: append new tasks only.
TASKS = {
    "flip_flop": make_flip_flop,
    "sine_generation": make_sine_generation,
    "context_integration": make_context_integration,
    **NEUROGYM_TASKS,
    **RULE_TASKS,
}


def task_accuracy(task, outputs, trials):
    """How well ``outputs`` perform ``task`` on ``trials``: 1 is perfect.

    Parameters
    ----------
    task : str
        A key of ``TASKS``.
    outputs : ndarray of shape (n_trials, n_timepoints, n_outputs)
        The network's outputs.
    trials : TaskTrials
        The trials the outputs answer.

    Returns
    -------
    accuracy : float
        Flip-flop: fraction of steps and bits whose output has the target's
        sign. Sine generation: R^2 of the output against the target.
        Context integration: fraction of trials whose mean output over the
        response period has the right sign. NeuroGym-style decision tasks:
        fraction of trials whose mean output over the decision period is
        largest for the right action; so too for the compositional rules.
    """
    if task == "flip_flop":
        return float(np.mean(np.sign(outputs) == trials.targets))
    if task == "sine_generation":
        residual = np.sum((outputs - trials.targets) ** 2)
        return float(1 - residual / np.sum((trials.targets - trials.targets.mean()) ** 2))
    if task == "context_integration":
        scored = trials.mask[..., None]
        decision = np.sum(outputs * scored, axis=1) / np.sum(scored, axis=1)
        answer = np.sum(trials.targets * scored, axis=1) / np.sum(scored, axis=1)
        return float(np.mean(np.sign(decision) == np.sign(answer)))
    if task in NEUROGYM_TASKS or task in RULE_TASKS:
        return decision_accuracy(outputs, trials)
    raise ValueError(f"task must be one of {sorted(TASKS)}; got {task!r}.")
