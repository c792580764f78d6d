"""Perceptual decisions with an anti rule and a delay: the compositional RNN test case.

Guilhot, Wojcik, Achterberg & Costa (2024) train networks on NeuroGym's
``PerceptualDecisionMaking``, its "Anti" version (the correct choice flipped),
its ``DelayResponse`` version (a memory period before the response) and the
composition of both (Anti + DelayResponse), each trial cued by a one-hot rule
input. The sub-tasks are the building blocks of the composed one: the test is
whether pretraining on them shapes a network's dynamics on the composed task.

Inputs (7): fixation (on until the decision period), the two ring-coded
stimuli of NeuroGym's task (``cos(theta_k - theta) * coh / 200 + 0.5`` plus
noise of ``sigma / sqrt(dt)``), and the rule, one-hot over ``RULES``, on for
the whole trial. Outputs (3): fixate, choice 1, choice 2. Coherences 0, 6.4,
12.8, 25.6, 51.2 percent. Period durations are the paper code's test timings
(ms): fixation 200, stimulus 4000, decision 200 without delay (44 steps of
``DT = 100`` ms); fixation 500, stimulus 4000, delay 2000, decision 500 with
one (70 steps). Its training timings draw each period from three values;
here ``timing="train"`` draws one set per batch (their values: fixation
100-300, stimulus 3000-5000, delay 500-1500, decision 100-300 ms), so that the
trials of a batch keep one length.
"""

from functools import partial

import numpy as np
from sklearn.utils import check_random_state

from ._neurogym_tasks import DT, _finish, _ring, _steps, _trials

RULES = ("decision", "anti_decision", "delayed_decision", "anti_delayed_decision")
COHERENCES = np.array([0, 6.4, 12.8, 25.6, 51.2])
_TEST_TIMING = {False: (200, 4000, 0, 200), True: (500, 4000, 2000, 500)}
_TRAIN_TIMING = ((100, 200, 300), (3000, 4000, 5000), (500, 1000, 1500), (100, 200, 300))


def make_rule_decision(rule, n_trials=64, sigma=1.0, timing="test", random_state=None):
    """Trials of one of the four perceptual-decision rules of the compositional test.

    Parameters
    ----------
    rule : str
        One of ``RULES``: "decision" (choose the stronger stimulus),
        "anti_decision" (choose the other), "delayed_decision" (choose the
        stronger one after a delay), "anti_delayed_decision" (both changes: the
        composed task).
    n_trials : int, default=64
    sigma : float, default=1.0
        NeuroGym's noise parameter (standard deviation ``sigma / sqrt(dt)``).
    timing : {"test", "train"}, default="test"
        The fixed test durations, or durations drawn for the batch from the
        training values (see the module's description).
    random_state : int, RandomState instance or None

    Returns
    -------
    trials : TaskTrials
        Inputs ``(n_trials, n_timepoints, 7)``, one-hot targets over (fixate,
        choice 1, choice 2); conditions ``5 * stimulus side + coherence index``
        (the side of the stronger stimulus, not the rewarded choice).
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}; got {rule!r}.")
    if timing not in ("test", "train"):
        raise ValueError(f"timing must be 'test' or 'train'; got {timing!r}.")
    rng = check_random_state(random_state)
    anti, delayed = rule.startswith("anti"), "delayed" in rule
    if timing == "test":
        durations = _TEST_TIMING[delayed]
    else:
        durations = [rng.choice(options) for options in _TRAIN_TIMING]
        if not delayed:
            durations[2] = 0
    fix, stim, delay, decision = _steps(durations)
    inputs, actions = _trials(n_trials, decision[1], 3 + len(RULES))
    side = rng.randint(2, size=n_trials)
    level = rng.randint(len(COHERENCES), size=n_trials)
    inputs[:, :delay[1], 0] = 1
    inputs[:, slice(*stim), 1:3] = _ring(np.pi * side, COHERENCES[level])[:, None, :]
    inputs[:, slice(*stim), 1:3] += sigma / np.sqrt(DT) * rng.standard_normal(
        (n_trials, stim[1] - stim[0], 2))
    inputs[:, :, 3 + RULES.index(rule)] = 1
    actions[:, slice(*decision)] = 1 + ((side + anti) % 2)[:, None]
    return _finish(inputs, actions, len(COHERENCES) * side + level)


# Each rule as a task of ``TASKS`` (generators of ``(n_trials, random_state)``).
RULE_TASKS = {rule: partial(make_rule_decision, rule) for rule in RULES}
