"""Training recurrent networks: masked squared error or cross-entropy, Adam, backpropagation
through time."""

import autograd.numpy as anp
import numpy as np
from autograd import value_and_grad

from ._networks import run_network

LOSSES = ("mse", "cross_entropy")
STOP_CHECK_EVERY = 50  # steps between two calls of train_network's stop_when


def masked_loss(params, architecture, trials, loss="mse"):
    """Mean loss of the outputs on the scored timepoints.

    "mse": squared error per output; "cross_entropy": softmax cross-entropy of
    the outputs (as logits) against one-hot targets, per timepoint.
    """
    _, outputs = run_network(params, architecture, trials.inputs)
    weights = trials.mask[..., None]
    if loss == "mse":
        return anp.sum(weights * (outputs - trials.targets) ** 2) / (
            np.sum(weights) * trials.targets.shape[2])
    shifted = outputs - anp.max(outputs, axis=2, keepdims=True)
    log_probabilities = shifted - anp.log(anp.sum(anp.exp(shifted), axis=2, keepdims=True))
    return -anp.sum(weights * trials.targets * log_probabilities) / np.sum(trials.mask)


def train_network(params, architecture, make_trials, n_steps, rng, learning_rate=5e-3,
                  clip=1.0, checkpoints=(), loss="mse", trainable=None, stop_when=None):
    """Adam on fresh trials at every step, with the gradient norm clipped at ``clip``.

    Parameters
    ----------
    params : dict of str to ndarray
        Initial parameters (not modified).
    architecture : str
        The cell.
    make_trials : callable ``(rng) -> TaskTrials``
        Draws a batch of training trials.
    n_steps : int
        Adam steps.
    rng : numpy Generator
        Source of the training batches.
    learning_rate, clip : float
        Adam's step size and the gradient clipping norm.
    checkpoints : iterable of int
        Steps after which to keep a copy of the parameters (0 = before training).
    loss : {"mse", "cross_entropy"}, default="mse"
        See :func:`masked_loss`.
    trainable : iterable of str or None, default=None
        The parameters that learn (e.g. ``("U",)``: the input weights only);
        None: all.
    stop_when : callable ``(params) -> bool`` or None, default=None
        Checked every 50 steps; training ends early when it returns True (e.g.
        an accuracy target).

    Returns
    -------
    params : dict of str to ndarray
        The trained parameters.
    saved : dict of int to dict
        The parameters at each checkpoint.
    losses : ndarray of shape (n_steps_done,)
        Shorter than ``n_steps`` when ``stop_when`` ended training.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}; got {loss!r}.")
    chosen = set(params if trainable is None else trainable)
    if not chosen <= set(params):
        raise ValueError(f"trainable must name parameters among {sorted(params)}; "
                         f"got {sorted(chosen - set(params))}.")
    trainable = [name for name in params if name in chosen]  # a fixed order: sums repeat
    params = {name: value.copy() for name, value in params.items()}
    first, second = ({name: np.zeros_like(v) for name, v in params.items()} for _ in range(2))
    gradient = value_and_grad(lambda p, trials: masked_loss(
        {**params, **p}, architecture, trials, loss))
    saved = {0: {name: v.copy() for name, v in params.items()}} if 0 in checkpoints else {}
    losses = np.empty(n_steps)
    for step in range(1, n_steps + 1):
        losses[step - 1], grads = gradient({name: params[name] for name in trainable},
                                           make_trials(rng))
        norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        scale = min(1.0, clip / max(norm, 1e-12))
        for name, g in grads.items():
            g = g * scale
            first[name] = 0.9 * first[name] + 0.1 * g
            second[name] = 0.999 * second[name] + 0.001 * g * g
            corrected = first[name] / (1 - 0.9**step)
            params[name] = params[name] - learning_rate * corrected / (
                np.sqrt(second[name] / (1 - 0.999**step)) + 1e-8)
        if step in checkpoints:
            saved[step] = {name: v.copy() for name, v in params.items()}
        if stop_when is not None and step % STOP_CHECK_EVERY == 0 and stop_when(params):
            return params, saved, losses[:step]
    return params, saved, losses
