"""Recurrent networks in numpy: vanilla (tanh, ReLU), GRU, LSTM, UGRNN and CTRNN cells.

Every network has a linear readout of its hidden state. Written with
``autograd.numpy`` so that the same code runs the networks and, through
autograd, trains them (backpropagation through time). The gates of a cell
share one recurrent matrix ``W``, one input matrix ``U`` and one bias ``b``,
stacked gate by gate along their columns (one product per step).

The continuous-time cells (CTRNN) are Euler steps of ``tau dh/dt = -h +
f(h W + x U + b)`` with ``dt / tau = CTRNN_ALPHA``: tanh, ReLU, and "scaled",
tanh with its recurrent weights scaled by ``SCALED_GAIN`` at initialisation
(our reading of the "scaled vanilla CTRNN" of Ghalambor et al. 2024).

"selective_ssm" is not a cell of this kind: a Mamba-like selective state-space
block (:mod:`._selective_ssm`), with its own parameters.
"""

import autograd.numpy as anp
import numpy as np

from ._selective_ssm import init_selective_ssm, run_selective_ssm

# An architecture's position is part of every zoo network's seed: append new ones only.
ARCHITECTURES = ("vanilla", "gru", "lstm", "ugrnn", "ctrnn_tanh", "ctrnn_relu",
                 "ctrnn_scaled", "vanilla_relu", "selective_ssm")
# The gates of each cell, in the order of the columns of W, U and b.
GATES = {"vanilla": ("h",), "gru": ("z", "r", "h"), "lstm": ("i", "f", "o", "g"),
         "ugrnn": ("g", "c"), "ctrnn_tanh": ("h",), "ctrnn_relu": ("h",),
         "ctrnn_scaled": ("h",), "vanilla_relu": ("h",)}
CTRNN_ALPHA = 0.5  # dt / tau: steps of 100 ms, time constant 200 ms
SCALED_GAIN = 1.5


def _sigmoid(x):
    return 0.5 * (anp.tanh(0.5 * x) + 1)


def init_network(architecture, n_inputs, n_units, n_outputs, rng):
    """Initial parameters of a network.

    Each gate's recurrent block is a random orthogonal matrix (times
    ``SCALED_GAIN`` for "ctrnn_scaled"), its input block
    Gaussian with variance ``1 / n_inputs``, its bias 0, except the LSTM's
    forget gate and the UGRNN's update gate (bias 1: both start by
    remembering); the readout is Gaussian with variance ``1 / n_units``.

    Parameters
    ----------
    architecture : str
        One of ``ARCHITECTURES``.
    n_inputs, n_units, n_outputs : int
    rng : numpy Generator

    Returns
    -------
    params : dict of str to ndarray
        ``W`` (n_units, n_gates * n_units), ``U`` (n_inputs, n_gates * n_units),
        ``b`` (n_gates * n_units,), ``W_out`` (n_units, n_outputs), ``b_out``;
        for "selective_ssm", those of :func:`init_selective_ssm`.
    """
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}; got {architecture!r}.")
    if architecture == "selective_ssm":
        return init_selective_ssm(n_inputs, n_units, n_outputs, rng)
    gates = GATES[architecture]
    W = np.hstack([np.linalg.qr(rng.standard_normal((n_units, n_units)))[0] for _ in gates])
    if architecture == "ctrnn_scaled":
        W *= SCALED_GAIN
    U = rng.standard_normal((n_inputs, len(gates) * n_units)) / np.sqrt(n_inputs)
    b = np.zeros(len(gates) * n_units)
    remembering = {"lstm": "f", "ugrnn": "g"}.get(architecture)
    if remembering is not None:
        k = gates.index(remembering)
        b[k * n_units:(k + 1) * n_units] = 1.0
    return {"W": W, "U": U, "b": b,
            "W_out": rng.standard_normal((n_units, n_outputs)) / np.sqrt(n_units),
            "b_out": np.zeros(n_outputs)}


def _step(architecture, p, drive, state, n):
    """One step of a cell, given the input part of every gate (``x U + b``)."""
    if architecture == "vanilla":
        return anp.tanh(state @ p["W"] + drive)
    if architecture == "vanilla_relu":
        return anp.maximum(state @ p["W"] + drive, 0.0)
    if architecture.startswith("ctrnn"):
        f = anp.tanh if architecture != "ctrnn_relu" else (lambda x: anp.maximum(x, 0.0))
        return (1 - CTRNN_ALPHA) * state + CTRNN_ALPHA * f(state @ p["W"] + drive)
    if architecture == "gru":
        gates = state @ p["W"][:, :2 * n] + drive[:, :2 * n]
        z, r = _sigmoid(gates[:, :n]), _sigmoid(gates[:, n:])
        candidate = anp.tanh((r * state) @ p["W"][:, 2 * n:] + drive[:, 2 * n:])
        return (1 - z) * state + z * candidate
    h = state[0] if architecture == "lstm" else state
    gates = h @ p["W"] + drive
    if architecture == "ugrnn":
        g, c = _sigmoid(gates[:, :n]), anp.tanh(gates[:, n:])
        return g * state + (1 - g) * c
    i, f, o = (_sigmoid(gates[:, k * n:(k + 1) * n]) for k in range(3))
    c = f * state[1] + i * anp.tanh(gates[:, 3 * n:])
    return o * anp.tanh(c), c


def run_network(params, architecture, inputs):
    """Run a network on a batch of trials from the zero state.

    Parameters
    ----------
    params : dict of str to ndarray
        From :func:`init_network` (or trained).
    architecture : str
        One of ``ARCHITECTURES``.
    inputs : ndarray of shape (n_trials, n_timepoints, n_inputs)

    Returns
    -------
    hidden : ndarray of shape (n_trials, n_timepoints, n_units)
        The hidden state ``h`` after each step.
    outputs : ndarray of shape (n_trials, n_timepoints, n_outputs)
        The linear readout of ``h``.
    """
    if architecture == "selective_ssm":
        return run_selective_ssm(params, inputs)
    n = params["W"].shape[0]
    drives = inputs @ params["U"] + params["b"]  # every step's input part at once
    h = anp.zeros((inputs.shape[0], n))
    state = (h, h) if architecture == "lstm" else h
    hidden = []
    for t in range(inputs.shape[1]):
        state = _step(architecture, params, drives[:, t], state, n)
        hidden.append(state[0] if architecture == "lstm" else state)
    hidden = anp.stack(hidden, axis=1)
    return hidden, hidden @ params["W_out"] + params["b_out"]
