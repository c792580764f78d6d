"""The shipped zoo of trained recurrent networks, run on task trials and ready for DSA."""

import json
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from ..recordings import DrivenRecording
from ..tasks import TASKS
from ..zoo import run_network, zoo_path


def _read_zoo(path):
    with np.load(path) as archive:
        metadata = json.loads(str(archive["__metadata__"]))
        parameters = {key: archive[key] for key in archive.files if key != "__metadata__"}
    return metadata, parameters


def _selection(value, available, parameter):
    """The requested subset of ``available`` (all when ``value`` is None), checked."""
    if value is None:
        return list(available)
    value = [value] if isinstance(value, (str, Real)) else list(value)
    unknown = [v for v in value if v not in available]
    if unknown:
        raise ValueError(f"{parameter} must be among {list(available)}; got {unknown}.")
    return value


def load_rnn_zoo(zoo="universality", tasks=None, architectures=None, seeds=None,
                 checkpoints=(1.0,), n_trials=64, random_state=0, include_unlearned=False,
                 path=None, learning_rates=None):
    """Hidden states of a zoo's trained networks on task trials, ready for DSA.

    skdsa ships three zoos (built by ``python -m skdsa build-zoo``, see
    :mod:`skdsa.zoo`) of networks of 64 units:

    - "universality": vanilla tanh, GRU and LSTM networks trained on the 3-bit
      flip-flop, sine-wave generation and context-dependent integration
      (:func:`make_flip_flop`, :func:`make_sine_generation`,
      :func:`make_context_integration`), with their weights before, a quarter
      into and at the end of training;
    - "neurogym": tanh, ReLU and scaled CTRNNs, LSTMs and GRUs trained on six
      NeuroGym-style decision tasks (``NEUROGYM_TASKS``), three seeds each,
      with their weights before and after training;
    - "flip_flop_population": vanilla tanh and ReLU, GRU, LSTM and UGRNN
      networks trained on the 3-bit flip-flop at two learning rates (2e-3 and
      8e-3, from the same initial weights), six seeds each: 60 networks, their
      trained weights only.

    Every selected network is run from the zero state on the same trials of its
    task (drawn from ``random_state``), so that networks of one task differ only
    in themselves.

    Parameters
    ----------
    zoo : {"universality", "neurogym", "flip_flop_population"}, default="universality"
        Which shipped zoo.
    tasks, architectures, seeds : str, int, list or None, default=None
        The networks to load (None: all in the zoo).
    checkpoints : float or list of float, default=(1.0,)
        Fractions of training whose weights to run: 0.0 (initial weights), 1.0
        (trained) and, in the universality zoo, 0.25.
    n_trials : int, default=64
        Trials per network.
    random_state : int, default=0
        Seed of the task trials.
    include_unlearned : bool, default=False
        Whether to keep networks whose trained accuracy is below their task's
        threshold (by default they are left out and listed in ``unlearned``).
    path : str or None, default=None
        A zoo file built by :func:`skdsa.zoo.build_zoo`; None reads the shipped
        ``zoo``.
    learning_rates : float, list or None, default=None
        In a zoo trained at several learning rates, the ones to load (None: all).

    Returns
    -------
    zoo : Bunch
        ``recordings``: dict from ``"architecture/task/seed/checkpoint"`` to a
        :class:`~skdsa.DrivenRecording` of hidden states ``(n_trials,
        n_timepoints, 64)`` (an LSTM's ``h``, not its cell state), the task
        inputs and the trials' conditions (in a zoo of several learning rates,
        ``"architecture/task/lr=<rate>/seed/checkpoint"``). ``networks``: a
        DataFrame indexed like ``recordings`` with the architecture, task,
        learning rate, seed, checkpoint, accuracy at that checkpoint and trained
        accuracy. ``params``: the networks' weights
        (float64), keyed like ``recordings``, e.g. for
        :func:`skdsa.zoo.find_fixed_points`. ``unlearned``: names of the
        networks left out. ``spec``: how the zoo was trained.

    Examples
    --------
    >>> from skdsa.datasets import load_rnn_zoo
    >>> zoo = load_rnn_zoo(tasks="flip_flop", architectures="gru", seeds=0, n_trials=8)
    >>> recording = zoo.recordings["gru/flip_flop/0/1.0"]
    >>> recording.states.shape, recording.inputs.shape
    ((8, 100, 64), (8, 100, 3))
    """
    metadata, parameters = _read_zoo(zoo_path(zoo) if path is None else path)
    networks = metadata["networks"]
    spec = metadata["spec"]
    tasks = _selection(tasks, spec["tasks"], "tasks")
    architectures = _selection(architectures, spec["architectures"], "architectures")
    seeds = _selection(seeds, spec["seeds"], "seeds")
    checkpoints = _selection(checkpoints, spec["checkpoints"], "checkpoints")
    learning_rates = _selection(learning_rates, np.atleast_1d(spec["learning_rate"]).tolist(),
                                "learning_rates")
    trials = {task: TASKS[task](n_trials=n_trials, random_state=random_state)
              for task in tasks}
    recordings, weights, rows, unlearned = {}, {}, [], []
    for network in networks:
        rate = network.get("learning_rate", spec["learning_rate"])  # older files lack it
        if (network["task"] not in tasks or network["architecture"] not in architectures
                or network["seed"] not in seeds or rate not in learning_rates):
            continue
        if not (network["learned"] or include_unlearned):
            unlearned.append(network["name"])
            continue
        task_trials = trials[network["task"]]
        for checkpoint in checkpoints:
            prefix = f"{network['name']}/{float(checkpoint)}/"
            params = {key[len(prefix):]: value.astype(np.float64)
                      for key, value in parameters.items() if key.startswith(prefix)}
            hidden, _ = run_network(params, network["architecture"], task_trials.inputs)
            name = prefix[:-1]
            recordings[name] = DrivenRecording(hidden, task_trials.inputs,
                                               task_trials.conditions)
            weights[name] = params
            rows.append({"name": name, "architecture": network["architecture"],
                         "task": network["task"],
                         "learning_rate": rate,
                         "seed": network["seed"],
                         "checkpoint": float(checkpoint),
                         "accuracy": network["accuracy"][str(float(checkpoint))],
                         "trained_accuracy": network["accuracy"]["1.0"]})
    columns = ["name", "architecture", "task", "learning_rate", "seed", "checkpoint",
               "accuracy", "trained_accuracy"]
    return Bunch(recordings=recordings,
                 networks=pd.DataFrame(rows, columns=columns).set_index("name"),
                 params=weights, unlearned=unlearned, spec=spec)
