"""Training recurrent networks: masked squared error, Adam, backpropagation through time."""

import autograd.numpy as anp
import numpy as np
from autograd import value_and_grad

from ._networks import run_network


def masked_loss(params, architecture, trials):
    """Mean squared error of the outputs on the scored timepoints."""
    _, outputs = run_network(params, architecture, trials.inputs)
    weights = trials.mask[..., None]
    return anp.sum(weights * (outputs - trials.targets) ** 2) / (
        np.sum(weights) * trials.targets.shape[2])


def train_network(params, architecture, make_trials, n_steps, rng, learning_rate=5e-3,
                  clip=1.0, checkpoints=()):
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

    Returns
    -------
    params : dict of str to ndarray
        The trained parameters.
    saved : dict of int to dict
        The parameters at each checkpoint.
    losses : ndarray of shape (n_steps,)
    """
    params = {name: value.copy() for name, value in params.items()}
    first, second = ({name: np.zeros_like(v) for name, v in params.items()} for _ in range(2))
    gradient = value_and_grad(masked_loss)
    saved = {0: {name: v.copy() for name, v in params.items()}} if 0 in checkpoints else {}
    losses = np.empty(n_steps)
    for step in range(1, n_steps + 1):
        losses[step - 1], grads = gradient(params, architecture, make_trials(rng))
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
    return params, saved, losses
