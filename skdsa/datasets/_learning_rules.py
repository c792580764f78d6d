"""Networks trained by different learning rules, recorded across training.

The data of a learning-rule identification study (Ostrow et al. 2023, Fig. 5,
after Nayebi et al. 2020): a network's activity on fixed probe inputs, step
after step of training, is a trajectory whose dynamics depend on the rule that
drives it. Here the networks are small two-layer students of a fixed teacher
network (regression), trained by one of four rules.
"""

import numpy as np
from sklearn.utils import check_random_state

LEARNING_RULES = ("sgd", "adam", "feedback_alignment", "node_perturbation")
LEARNING_RATES = {"sgd": 0.05, "adam": 0.005, "feedback_alignment": 0.05,
                  "node_perturbation": 0.05}


def _forward(params, x):
    hidden = np.tanh(x @ params["W1"] + params["b1"])
    return hidden, hidden @ params["W2"] + params["b2"]


def _gradients(params, x, y, rule, feedback, rng, sigma):
    """Per-rule update direction (a gradient estimate) of the mean squared error / 2."""
    hidden, output = _forward(params, x)
    error = (output - y) / len(x)
    grads = {"W2": hidden.T @ error, "b2": error.sum(0)}
    if rule == "node_perturbation":
        # Perturb the hidden pre-activations; correlate the change in each
        # trial's loss with its perturbation (the readout keeps its delta rule).
        noise = sigma * rng.standard_normal(hidden.shape)
        perturbed = np.tanh(x @ params["W1"] + params["b1"] + noise) @ params["W2"] + params["b2"]
        change = 0.5 * (((perturbed - y) ** 2).sum(1) - ((output - y) ** 2).sum(1))
        delta = change[:, None] * noise / sigma**2 / len(x)
    else:
        back = feedback if rule == "feedback_alignment" else params["W2"].T
        delta = (error @ back) * (1 - hidden**2)
    grads["W1"] = x.T @ delta
    grads["b1"] = delta.sum(0)
    return grads


def make_learning_trajectories(rules=LEARNING_RULES, n_networks=8, n_steps=100,
                               n_probes=16, n_inputs=20, n_hidden=32, n_outputs=5,
                               batch_size=32, perturbation=0.1, random_state=None):
    """Hidden activity on fixed probe inputs across training, for several learning rules.

    Every network is a student ``y = tanh(x W1 + b1) W2 + b2`` of one fixed
    teacher of the same form (inputs ``x ~ N(0, I)``), trained on fresh batches
    to the teacher's outputs under the mean squared error by one rule:

    - "sgd": gradient descent (learning rate 0.05);
    - "adam": Adam (0.005, betas 0.9 and 0.999);
    - "feedback_alignment": gradient descent whose backward pass sends the
      output error to the hidden layer through a fixed random matrix instead of
      ``W2^T`` (Lillicrap et al. 2016; 0.05);
    - "node_perturbation": the hidden layer learns from the change in loss
      caused by Gaussian noise added to its pre-activations (standard deviation
      ``perturbation``), the readout by its delta rule (0.05).

    Parameters
    ----------
    rules : sequence of str, default=LEARNING_RULES
    n_networks : int, default=8
        Networks per rule, each from its own initial weights and batches.
    n_steps : int, default=100
        Training steps; the activity is recorded before the first and after each.
    n_probes : int, default=16
        Fixed probe inputs whose hidden activity is recorded (the trials).
    n_inputs, n_hidden, n_outputs : int, default=20, 32, 5
    batch_size : int, default=32
    perturbation : float, default=0.1
        Noise of node perturbation.
    random_state : int, RandomState instance or None

    Returns
    -------
    trajectories : dict of str to ndarray of shape (n_probes, n_steps + 1, n_hidden)
        Keys ``"rule/index"``: the hidden activity of each probe input (a trial)
        at each step of training (time).
    losses : dict of str to ndarray of shape (n_steps + 1,)
        The loss on the probe inputs at each step.
    """
    unknown = [rule for rule in rules if rule not in LEARNING_RULES]
    if unknown:
        raise ValueError(f"rules must be among {LEARNING_RULES}; got {unknown}.")
    rng = check_random_state(random_state)

    def init(scale_in):
        return {"W1": rng.standard_normal((n_inputs, n_hidden)) * scale_in,
                "b1": np.zeros(n_hidden),
                "W2": rng.standard_normal((n_hidden, n_outputs)) / np.sqrt(n_hidden),
                "b2": np.zeros(n_outputs)}

    teacher = init(2 / np.sqrt(n_inputs))
    probes = rng.standard_normal((n_probes, n_inputs))
    probe_targets = _forward(teacher, probes)[1]
    trajectories, losses = {}, {}
    for rule in rules:
        for index in range(n_networks):
            params = init(1 / np.sqrt(n_inputs))
            feedback = rng.standard_normal((n_outputs, n_hidden)) / np.sqrt(n_outputs)
            moments = {key: (np.zeros_like(v), np.zeros_like(v)) for key, v in params.items()}
            states, loss = [], []
            for step in range(n_steps + 1):
                hidden, output = _forward(params, probes)
                states.append(hidden)
                loss.append(0.5 * np.mean(((output - probe_targets) ** 2).sum(1)))
                if step == n_steps:
                    break
                x = rng.standard_normal((batch_size, n_inputs))
                grads = _gradients(params, x, _forward(teacher, x)[1], rule, feedback, rng,
                                   perturbation)
                for key, grad in grads.items():
                    if rule == "adam":
                        m, v = moments[key]
                        m[:] = 0.9 * m + 0.1 * grad
                        v[:] = 0.999 * v + 0.001 * grad**2
                        grad = (m / (1 - 0.9 ** (step + 1))) / (
                            np.sqrt(v / (1 - 0.999 ** (step + 1))) + 1e-8)
                    params[key] = params[key] - LEARNING_RATES[rule] * grad
            name = f"{rule}/{index}"
            trajectories[name] = np.stack(states, axis=1)
            losses[name] = np.array(loss)
    return trajectories, losses
