"""Training observables of digit classifiers trained by four learning rules.

The data of the DSA paper's last case study (Ostrow et al. 2023, Fig. 5), built
after Nayebi et al. (2020, "Identifying learning rules from neural network
observables"): statistics of each layer's weights, activations and activation
gradients, recorded across training, form a trajectory per network, and the
question is whether the rule that trained the network can be read from it.
Here the networks are multilayer perceptrons on scikit-learn's bundled digits
instead of deep convolutional networks on ImageNet.

The four rules are Nayebi et al.'s: SGD with momentum, Adam, feedback
alignment (Lillicrap et al. 2016) and information alignment (Kunin, Nayebi et
al. 2020), whose feedback weights learn by a local rule made of three of their
"primitives": amp, null and decay.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch, check_random_state

TRAINING_RULES = ("sgdm", "adam", "feedback_alignment", "information_alignment")
LAYER_GROUPS = ("early", "middle", "deep")
#: Nayebi et al.'s observables that stay finite across all their models
#: (``observable_names.ADMISSIBLE_OBS``): a measure (weight, act, gradavg), a
#: function of it (raw, abs, sq) and a statistic.
LAYER_OBSERVABLES = (
    "weightabs_mean", "weightabs_median", "weightabs_norm", "weightabs_thirdquartile",
    "weightabs_var", "weightraw_mean", "weightraw_median", "weightraw_norm",
    "weightraw_thirdquartile", "weightraw_var", "weightsq_mean", "weightsq_median",
    "weightsq_thirdquartile",
    "actabs_mean", "actabs_median", "actabs_norm", "actabs_thirdquartile",
    "actraw_mean", "actraw_median", "actraw_norm", "actraw_thirdquartile",
    "gradavgabs_id", "gradavgraw_id", "gradavgsq_id",
)
_FUNCTIONS = {"raw": lambda v: v, "abs": np.abs, "sq": np.square}
_STATISTICS = {
    "mean": lambda v, axis: v.mean(axis),
    "median": lambda v, axis: np.median(v, axis),
    "thirdquartile": lambda v, axis: np.percentile(v, 75, axis),
    "var": lambda v, axis: v.var(axis),
    "norm": lambda v, axis: np.sqrt(np.sum(v**2, axis)),
}


def _forward(weights, biases, x):
    """Pre-activations and outputs of every layer (ReLU hidden layers, linear readout)."""
    pre, out = [], [x]
    for layer, (W, b) in enumerate(zip(weights, biases)):
        z = out[-1] @ W + b
        pre.append(z)
        out.append(z if layer == len(weights) - 1 else np.maximum(z, 0))
    return pre, out


def _cross_entropy_error(logits, labels):
    """Mean cross-entropy and its derivative with respect to the logits."""
    shifted = logits - logits.max(1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    n = len(labels)
    error = np.exp(log_p)
    error[np.arange(n), labels] -= 1
    return -log_p[np.arange(n), labels].mean(), error / n


def _update_directions(weights, biases, feedback, x, labels):
    """Weight and bias update directions; ``feedback[l]`` carries the error below layer ``l``.

    With ``feedback[l] = weights[l].T`` this is the gradient of the loss
    (backpropagation); with other matrices, feedback alignment.
    """
    pre, out = _forward(weights, biases, x)
    _, delta = _cross_entropy_error(pre[-1], labels)
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for layer in reversed(range(len(weights))):
        grad_w[layer] = out[layer].T @ delta
        grad_b[layer] = delta.sum(0)
        if layer:
            delta = (delta @ feedback[layer]) * (pre[layer - 1] > 0)
    return grad_w, grad_b


def _information_alignment_direction(W, b, K, x, amp, null, decay):
    """Gradient, in ``K``, of information alignment's regulariser for one layer.

    ``K`` (shape of ``W.T``) sends the layer's output error to its input. With
    ``r = x W + b`` the layer's pre-activation on its input ``x``, Kunin et
    al.'s primitives are amp ``-E[r . (x K^T + b)]``, null ``E||r K||^2`` and
    decay ``||K||^2``; the regulariser is ``amp * P_amp + null * P_null + decay
    * P_decay``, and its gradient in ``K`` is local: it uses only the layer's
    own input and output.
    """
    r = x @ W + b
    n = len(x)
    return -amp * r.T @ x / n + 2 * null * r.T @ (r @ K) / n + 2 * decay * K


def _angle(A, B):
    """Angle in degrees between two matrices seen as vectors."""
    cosine = np.sum(A * B) / np.linalg.norm(A) / np.linalg.norm(B)
    return np.degrees(np.arccos(np.clip(cosine, -1, 1)))


def _activation_gradient(W, z, y):
    """Nayebi et al.'s "gradavg": per example, mean over outputs of sum over inputs of dy/dx."""
    slope = np.ones_like(y) if z is None else (z > 0).astype(float)
    return slope @ W.sum(0) / W.shape[1]


def layer_observables(W, z, y):
    """Nayebi et al.'s admissible observables of one layer, in ``LAYER_OBSERVABLES`` order.

    Parameters
    ----------
    W : ndarray of shape (n_in, n_out)
        The layer's weights.
    z : ndarray of shape (n_examples, n_out) or None
        Its pre-activations on the probe examples, or None for a linear layer.
    y : ndarray of shape (n_examples, n_out)
        Its outputs on the probe examples.

    Returns
    -------
    values : ndarray of shape (len(LAYER_OBSERVABLES),)
        Weight statistics over all the weights; activation statistics per
        example over the units, then averaged over the examples; activation
        gradients per example, then averaged over the examples.
    """
    gradient = _activation_gradient(W, z, y)
    values = {}
    for name, function in _FUNCTIONS.items():
        weight, act = function(W.ravel()), function(y)
        for statistic, compute in _STATISTICS.items():
            values[f"weight{name}_{statistic}"] = compute(weight, None)
            values[f"act{name}_{statistic}"] = compute(act, 1).mean()
        values[f"gradavg{name}_id"] = function(gradient).mean()
    return np.array([values[name] for name in LAYER_OBSERVABLES])


def _train_and_record(rule, start, batches, data, record_every, ia_coefficients):
    """Train one network by ``rule``: its observables, accuracy and feedback angles per record."""
    images, labels, probes, held_out = data
    weights = [W.copy() for W in start[0]]
    biases = [np.zeros(W.shape[1]) for W in weights]
    feedback = [None if K is None else K.copy() for K in start[1]]
    backprop = rule in ("sgdm", "adam")
    params = weights + biases + feedback[1:]
    first, second = ([np.zeros_like(p) for p in params] for _ in range(2))
    records, scores, angles = [], [], []
    for step in range(len(batches) + 1):
        if step % record_every == 0:
            pre, out = _forward(weights, biases, images[probes])
            last = len(weights) - 1
            records.append(np.concatenate([
                layer_observables(W, None if layer == last else pre[layer], out[layer + 1])
                for layer, W in enumerate(weights)]))
            logits = _forward(weights, biases, images[held_out])[0][-1]
            scores.append(np.mean(logits.argmax(1) == labels[held_out]))
            angles.append([0.0 if backprop else _angle(K, W.T)
                           for K, W in zip(feedback[1:], weights[1:])])
        if step == len(batches):
            break
        x, y = images[batches[step]], labels[batches[step]]
        back = [None] + [W.T for W in weights[1:]] if backprop else feedback
        grad_w, grad_b = _update_directions(weights, biases, back, x, y)
        if rule == "information_alignment":
            inputs = _forward(weights, biases, x)[1]
            grad_k = [_information_alignment_direction(weights[layer], biases[layer],
                                                       feedback[layer], inputs[layer],
                                                       *ia_coefficients)
                      for layer in range(1, len(weights))]
        else:
            grad_k = [np.zeros_like(K) for K in feedback[1:]]
        for param, grad, m, v in zip(params, grad_w + grad_b + grad_k, first, second):
            if rule == "adam":
                m[:] = 0.9 * m + 0.1 * grad
                v[:] = 0.999 * v + 0.001 * grad**2
                param -= 1e-3 * (m / (1 - 0.9 ** (step + 1))) / (
                    np.sqrt(v / (1 - 0.999 ** (step + 1))) + 1e-8)
            else:  # SGD with momentum 0.9
                m[:] = 0.9 * m + grad
                param -= 0.01 * m
    return np.array(records), np.array(scores), np.array(angles)


def make_learning_rule_observables(rules=TRAINING_RULES, n_networks=6, n_epochs=12,
                                   record_every=6, hidden_sizes=(128, 64), batch_size=32,
                                   n_probes=256, ia_coefficients=(1.0, 1.0, 1e-3),
                                   random_state=None):
    """Layer observables across training of digit classifiers, for four learning rules.

    Every network is a perceptron ``64 -> 128 -> 64 -> 10`` (ReLU hidden
    layers: the "early", "middle" and "deep" layers) classifying scikit-learn's
    8 x 8 digits (pixels divided by 16) under the cross-entropy, on minibatches
    of the 1,347 training images (the other 450 are held out), by one rule:

    - "sgdm": backpropagation, SGD with momentum 0.9 (learning rate 0.01);
    - "adam": backpropagation, Adam (1e-3, betas 0.9 and 0.999);
    - "feedback_alignment": the error reaches the hidden layers through fixed
      random matrices instead of the transposed weights (Lillicrap et al.
      2016); SGD with momentum 0.9 (0.01);
    - "information_alignment": the same, but each feedback matrix learns by
      Kunin et al.'s (2020) local information-alignment rule (amp, null and
      decay primitives with ``ia_coefficients``; see
      ``_information_alignment_direction``), with the same optimizer.

    The networks of one index share their initial weights, feedback matrices
    and minibatch order across rules, so they differ only by the rule. Every
    ``record_every`` steps (and before the first) the 24 observables of
    Nayebi et al. that stay finite (``LAYER_OBSERVABLES``) are measured in each
    layer, the activations on ``n_probes`` fixed held-out images.

    Parameters
    ----------
    rules : sequence of str, default=TRAINING_RULES
    n_networks : int, default=6
        Networks per rule.
    n_epochs : int, default=12
        Passes over the training images (42 steps each at batch size 32).
    record_every : int, default=6
        Steps between records.
    hidden_sizes : tuple of 2 ints, default=(128, 64)
        Widths of the two hidden layers.
    batch_size : int, default=32
    n_probes : int, default=256
        Held-out images on which activations are measured.
    ia_coefficients : tuple of 3 floats, default=(1.0, 1.0, 1e-3)
        Weights of the amp, null and decay primitives. Kunin et al. tuned
        theirs per architecture on ImageNet; these are chosen here. The
        regulariser's minimiser is ``K = amp / 2 (null E[r r^T] + decay I)^-1
        E[r x^T]``; with zero bias and small decay, ``K W = I / 2``: half a
        left inverse of the layer's weights, not their transpose.
    random_state : int, RandomState instance or None

    Returns
    -------
    data : Bunch
        ``trajectories``: dict from ``"rule/index"`` to an ndarray of shape
        ``(n_records, 72)``, the observables (columns ``observable_names``,
        ``"<layer>/<observable>"``) at each record (rows, ``steps``).
        ``accuracy``: dict of the same keys to the held-out accuracy at each
        record. ``alignment``: dict of the same keys to the angle (degrees)
        between each hidden layer's feedback matrix and its transposed forward
        weights at each record, shape ``(n_records, 2)`` (0 for
        backpropagation; a diagnostic, not an observable). ``rules``: the rule
        of each trajectory.
    """
    unknown = [rule for rule in rules if rule not in TRAINING_RULES]
    if unknown:
        raise ValueError(f"rules must be among {TRAINING_RULES}; got {unknown}.")
    if len(hidden_sizes) != 2:
        raise ValueError("hidden_sizes must give the widths of the 2 hidden layers (early, "
                         f"middle); got {hidden_sizes!r}.")
    rng = check_random_state(random_state)
    digits = load_digits()
    images, labels = digits.data / 16.0, digits.target
    order = rng.permutation(len(images))
    train, held_out = order[:1347], order[1347:]
    probes = held_out[:n_probes]
    sizes = (images.shape[1], *hidden_sizes, 10)
    n_steps = n_epochs * (len(train) // batch_size)
    steps = np.arange(0, n_steps + 1, record_every)
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_networks)

    data = (images, labels, probes, held_out)
    trajectories, accuracy, alignment = {}, {}, {}
    for index, seed in enumerate(seeds):
        net_rng = np.random.RandomState(seed)
        start = ([net_rng.standard_normal((a, b)) * np.sqrt(2 / a)
                  for a, b in zip(sizes[:-1], sizes[1:])],
                 [None] + [net_rng.standard_normal((b, a)) * np.sqrt(2 / a)
                           for a, b in zip(sizes[1:-1], sizes[2:])])
        order = np.concatenate([net_rng.permutation(train) for _ in range(n_epochs)])
        batches = order[:n_steps * batch_size].reshape(n_steps, batch_size)
        for rule in rules:
            name = f"{rule}/{index}"
            trajectories[name], accuracy[name], alignment[name] = _train_and_record(
                rule, start, batches, data, record_every, ia_coefficients)
    names = [f"{group}/{observable}" for group in LAYER_GROUPS
             for observable in LAYER_OBSERVABLES]
    return Bunch(trajectories=trajectories, accuracy=accuracy, alignment=alignment, steps=steps,
                 observable_names=names,
                 rules=np.array([name.split("/")[0] for name in trajectories]))
