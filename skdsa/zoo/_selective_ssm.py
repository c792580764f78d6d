"""A small selective state-space model (one Mamba-like block) in numpy.

Each of the ``n_units`` channels ``u = x U + b`` of the input drives its own
diagonal linear system of ``SSM_STATE`` states, with a step ``delta``, an input
map ``B`` and an output map ``C`` that depend on the current input (the
"selection" of Mamba's S6 layer, Gu & Dao 2023)::

    delta_t = softplus(u_t W_delta + b_delta)              (n_units,)
    s_t     = exp(delta_t A) * s_{t-1} + (delta_t u_t) B_t  (n_units, SSM_STATE)
    y_t     = (s_t C_t + D u_t) * silu(u_t W_z)             (n_units,)

with ``A = -exp(log_A)`` (stable by construction), ``B_t = u_t W_B`` and
``C_t = u_t W_C``. ``y`` is the hidden state a network reports (the block's
output, as Guilhot et al. record the output of the first Mamba block) and a
linear readout of ``y`` its output. Left out from Mamba: the input's causal
convolution, the channel expansion, the residual stream, normalisation and
stacked blocks.

The recurrence lives in ``log_A``, ``W_delta``, ``b_delta``, ``W_B``, ``W_C``,
``D`` and ``W_z``; the input weights ``U`` (and ``b``) play the role of an
RNN's, so "only ``U`` trained" freezes the dynamics in the same sense.
"""

import autograd.numpy as anp
import numpy as np

SSM_STATE = 8  # states per channel
# Mamba's initial steps: log-uniform between these (its dt_min, dt_max).
INITIAL_STEPS = (1e-3, 1e-1)


def init_selective_ssm(n_inputs, n_units, n_outputs, rng):
    """Initial parameters of a selective SSM.

    Mamba's initialisation: ``A`` of every channel ``-1, -2, ..., -SSM_STATE``
    (S4D-real), the bias of ``delta`` the inverse softplus of steps drawn
    log-uniform in ``INITIAL_STEPS``, ``D = 1``; the projections Gaussian with
    variance one over their input size.

    Returns
    -------
    params : dict of str to ndarray
        ``U`` (n_inputs, n_units), ``b``, ``log_A`` (n_units, SSM_STATE),
        ``W_delta`` (n_units, n_units), ``b_delta``, ``W_B`` and ``W_C``
        (n_units, SSM_STATE), ``D``, ``W_z`` (n_units, n_units), ``W_out``
        (n_units, n_outputs), ``b_out``.
    """
    def gaussian(rows, columns):
        return rng.standard_normal((rows, columns)) / np.sqrt(rows)

    low, high = np.log(INITIAL_STEPS)
    steps = np.exp(rng.uniform(low, high, n_units))
    return {"U": gaussian(n_inputs, n_units), "b": np.zeros(n_units),
            "log_A": np.log(np.tile(np.arange(1.0, SSM_STATE + 1), (n_units, 1))),
            "W_delta": gaussian(n_units, n_units) * 0.1,
            "b_delta": steps + np.log(-np.expm1(-steps)),  # softplus(b_delta) = steps
            "W_B": gaussian(n_units, SSM_STATE), "W_C": gaussian(n_units, SSM_STATE),
            "D": np.ones(n_units), "W_z": gaussian(n_units, n_units),
            "W_out": gaussian(n_units, n_outputs), "b_out": np.zeros(n_outputs)}


def run_selective_ssm(params, inputs):
    """Run a selective SSM on a batch of trials from the zero state.

    Parameters
    ----------
    params : dict of str to ndarray
        From :func:`init_selective_ssm` (or trained).
    inputs : ndarray of shape (n_trials, n_timepoints, n_inputs)

    Returns
    -------
    hidden : ndarray of shape (n_trials, n_timepoints, n_units)
        The block's output ``y`` after each step.
    outputs : ndarray of shape (n_trials, n_timepoints, n_outputs)
        The linear readout of ``y``.
    """
    p = params
    u = inputs @ p["U"] + p["b"]  # every step's channels at once
    delta = anp.logaddexp(0.0, u @ p["W_delta"] + p["b_delta"])
    decay = anp.exp(delta[..., None] * -anp.exp(p["log_A"]))  # (trials, time, units, state)
    drive = (delta * u)[..., None] * (u @ p["W_B"])[:, :, None, :]
    read = (u @ p["W_C"])[:, :, None, :]
    gate = u @ p["W_z"]
    gate = gate / (1 + anp.exp(-gate))  # SiLU
    s = anp.zeros(decay.shape[:1] + decay.shape[2:])
    hidden = []
    for t in range(inputs.shape[1]):
        s = decay[:, t] * s + drive[:, t]
        hidden.append((anp.sum(s * read[:, t], axis=2) + p["D"] * u[:, t]) * gate[:, t])
    hidden = anp.stack(hidden, axis=1)
    return hidden, hidden @ p["W_out"] + p["b_out"]
