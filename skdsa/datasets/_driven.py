"""Driven systems with known answers: the same dynamics under different inputs, and back."""

import numpy as np
from sklearn.utils import check_random_state

from ..recordings import DrivenRecording

INPUT_KINDS = ("white", "slow", "sine", "pulses")


def make_inputs(kind="white", n_trials=20, n_timepoints=200, n_inputs=2, random_state=None):
    """Input signals of different temporal statistics, each of unit variance.

    Parameters
    ----------
    kind : {"white", "slow", "sine", "pulses"}, default="white"
        "white": independent Gaussian samples; "slow": Gaussian AR(1) noise
        with coefficient 0.98 (a time constant of 50 steps); "sine": sinusoids
        of period 60 steps with a random phase per trial and channel;
        "pulses": sparse pulses (each step is a pulse with probability 0.05,
        of Gaussian height), like the cues of a task.
    n_trials, n_timepoints, n_inputs : int
        Shape of the signals.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    U : ndarray of shape (n_trials, n_timepoints, n_inputs)
    """
    if kind not in INPUT_KINDS:
        raise ValueError(f"kind must be one of {INPUT_KINDS}; got {kind!r}.")
    rng = check_random_state(random_state)
    shape = (n_trials, n_timepoints, n_inputs)
    if kind == "white":
        return rng.standard_normal(shape)
    if kind == "slow":
        kicks = rng.standard_normal(shape) * np.sqrt(1 - 0.98**2)
        U = np.empty(shape)
        U[:, 0] = rng.standard_normal((n_trials, n_inputs))
        for t in range(1, n_timepoints):
            U[:, t] = 0.98 * U[:, t - 1] + kicks[:, t]
        return U
    if kind == "sine":
        phase = rng.uniform(0, 2 * np.pi, (n_trials, 1, n_inputs))
        return np.sqrt(2) * np.sin(2 * np.pi * np.arange(n_timepoints)[:, None] / 60 + phase)
    pulses = rng.random_sample(shape) < 0.05
    return pulses * rng.standard_normal(shape) / np.sqrt(0.05)


def make_driven_linear(n_states=4, n_inputs=2, n_trials=20, n_timepoints=200, inputs="white",
                       n_observed=None, noise=0.01, dynamics=0, random_state=None,
                       return_system=False):
    """A driven linear system ``x[t + 1] = A x[t] + B u[t] + noise``, optionally seen partially.

    ``A`` (stable, spectral radius 0.9, with rotations) and ``B`` depend only on
    ``dynamics``; the inputs, initial states and noise on ``random_state``. So
    ``make_driven_linear(dynamics=0, inputs="white")`` and
    ``make_driven_linear(dynamics=0, inputs="sine")`` are the same system driven
    differently, and ``dynamics=0`` and ``dynamics=1`` under the same
    ``random_state`` and ``inputs`` are different systems under the same drive.

    Parameters
    ----------
    n_states, n_inputs : int, default=4, 2
        Sizes of the state and of the input.
    n_trials, n_timepoints : int
        Trials and steps.
    inputs : {"white", "slow", "sine", "pulses"} or array-like, default="white"
        Kind of input (see :func:`make_inputs`), or the input signals
        themselves, of shape ``(n_trials, n_timepoints, n_inputs)``.
    n_observed : int or None, default=None
        If given, the recording is ``y = C x`` with ``C`` a random ``(n_observed,
        n_states)`` projection (set by ``dynamics``): a partial observation.
    noise : float, default=0.01
        Standard deviation of the state noise (relative to the input's unit scale).
    dynamics : int, default=0
        Seed of ``A``, ``B`` and ``C``.
    random_state : int, RandomState instance or None
        Seed of the inputs, initial states and noise.
    return_system : bool, default=False
        Also return the true ``A``, ``B`` and ``C`` (``C`` is None without
        ``n_observed``).

    Returns
    -------
    recording : DrivenRecording
        States (or outputs) of shape ``(n_trials, n_timepoints, n_states or
        n_observed)`` with their inputs.
    A, B, C : ndarray
        With ``return_system=True``.
    """
    structure = np.random.default_rng([dynamics, 2026])
    A = structure.standard_normal((n_states, n_states))
    A *= 0.9 / np.max(np.abs(np.linalg.eigvals(A)))
    B = structure.standard_normal((n_states, n_inputs)) / np.sqrt(n_inputs)
    C = (structure.standard_normal((n_observed, n_states)) / np.sqrt(n_states)
         if n_observed is not None else None)
    rng = check_random_state(random_state)
    U = (make_inputs(inputs, n_trials, n_timepoints, n_inputs, rng) if isinstance(inputs, str)
         else np.asarray(inputs, dtype=float))
    X = np.empty((n_trials, n_timepoints, n_states))
    X[:, 0] = rng.standard_normal((n_trials, n_states))
    kicks = noise * rng.standard_normal((n_trials, n_timepoints, n_states))
    for t in range(n_timepoints - 1):
        X[:, t + 1] = X[:, t] @ A.T + U[:, t] @ B.T + kicks[:, t]
    recording = DrivenRecording(X if C is None else X @ C.T, U)
    return (recording, A, B, C) if return_system else recording


def make_driven_rnn(n_units=10, n_inputs=2, gain=0.9, n_trials=10, n_timepoints=300,
                    inputs="white", input_scale=0.2, noise=0.05, dynamics=0,
                    random_state=None):
    """A driven rate RNN ``x[t + 1] = tanh(W x[t] + B u[t]) + noise``.

    ``W`` (spectral radius ``gain``) and ``B`` depend only on ``dynamics``; the
    inputs, initial states and noise on ``random_state`` (as in
    :func:`make_driven_linear`): the same nonlinear network under different
    input statistics, or different networks under the same input. Different
    inputs move a nonlinear network through different states, so even its
    best linear model changes somewhat with the drive (unlike a linear system's).

    Parameters
    ----------
    n_units, n_inputs : int, default=10, 2
        Network and input sizes.
    gain : float, default=0.9
        Spectral radius of ``W``.
    n_trials, n_timepoints : int
        Trials and steps.
    inputs : {"white", "slow", "sine", "pulses"} or array-like, default="white"
        Kind of input (see :func:`make_inputs`), or the signals themselves.
    input_scale : float, default=0.2
        Scale of ``B``.
    noise : float, default=0.05
        Standard deviation of the state noise.
    dynamics : int, default=0
        Seed of ``W`` and ``B``.
    random_state : int, RandomState instance or None
        Seed of the inputs, initial states and noise.

    Returns
    -------
    recording : DrivenRecording
        Unit activities ``(n_trials, n_timepoints, n_units)`` with their inputs.
    """
    structure = np.random.default_rng([dynamics, 2027])
    W = structure.standard_normal((n_units, n_units))
    W *= gain / np.max(np.abs(np.linalg.eigvals(W)))
    B = input_scale * structure.standard_normal((n_units, n_inputs))
    rng = check_random_state(random_state)
    U = (make_inputs(inputs, n_trials, n_timepoints, n_inputs, rng) if isinstance(inputs, str)
         else np.asarray(inputs, dtype=float))
    X = np.empty((n_trials, n_timepoints, n_units))
    X[:, 0] = 0.5 * rng.standard_normal((n_trials, n_units))
    for t in range(n_timepoints - 1):
        X[:, t + 1] = (np.tanh(X[:, t] @ W.T + U[:, t] @ B.T)
                       + noise * rng.standard_normal((n_trials, n_units)))
    return DrivenRecording(X, U)
