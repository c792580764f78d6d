"""The zoos of trained recurrent networks: what they hold and how they are built.

Every network of a zoo is an architecture trained on a task from a seed.
:func:`build_zoo` trains them all (deterministically under the seeds, one BLAS
thread per process) and writes their float32 parameters at each checkpoint,
with their accuracies, to one compressed ``.npz`` file. The package ships three
(``skdsa/zoo/data/<name>.npz``), described by ``ZOOS``, and
:func:`skdsa.datasets.load_rnn_zoo` reads them:

- "universality" (3.6 MB): vanilla, GRU and LSTM networks on the flip-flop,
  sine-generation and context-integration tasks (25 minutes to build on 2 cores);
- "neurogym" (6.2 MB): tanh, ReLU and scaled CTRNNs, LSTMs and GRUs on six
  NeuroGym-style decision tasks (14 minutes);
- "flip_flop_population" (2.3 MB): vanilla tanh and ReLU, GRU, LSTM and UGRNN
  networks on the flip-flop, six seeds at two learning rates (47 minutes, with
  other jobs sharing the cores; 96 minutes of training summed over networks).

The compositional test case (:mod:`._compositional`) is built the same way by
:func:`build_compositional_zoo`: "compositional" (leaky ReLU RNNs with their
checkpoints over the composed task's training, 2.0 MB, 11 minutes) and
"compositional_ssm" (small selective state-space models, its comparison; 0.5 MB,
12 minutes).

Rebuild them with ``python -m skdsa build-zoo --zoo <name>``, which writes
``skdsa-zoo-<name>.npz`` in the current folder (read it with
``load_rnn_zoo(path=...)``); to replace a shipped file, name it with ``--output
skdsa/zoo/data/<name>.npz``. A rebuilt network's weights were bit-identical to the
shipped ones on the machine that built them.
"""

import json
import os
import time
from dataclasses import dataclass

import numpy as np

from ..tasks import NEUROGYM_TASKS, TASKS, task_accuracy
from ._networks import ARCHITECTURES, init_network, run_network
from ._training import train_network


@dataclass(frozen=True)
class ZooSpec:
    """What the zoo holds and how its networks are trained.

    Attributes
    ----------
    architectures, tasks : tuple of str
        Cells and tasks, all combinations trained.
    seeds : tuple of int
        Seeds per architecture and task (initial weights and training batches).
    n_units : int
        Hidden units of every network.
    steps : dict of str to int
        Adam steps per task.
    checkpoints : tuple of float
        Fractions of training after which the parameters are kept (0: initial).
    thresholds : dict of str to float
        Accuracy (``task_accuracy`` on 256 fresh trials) below which a trained
        network counts as not having learned: flip-flop sign accuracy, sine R^2,
        context-integration decisions (an ideal observer of its noisy evidence
        gets about 0.9).
    batch_size : int
        Trials per Adam step.
    learning_rate : float or tuple of float
        Adam's step size; several train every network at each, from the same
        initial weights and training batches (the seed does not depend on it).
    """

    architectures: tuple = ("vanilla", "gru", "lstm")
    tasks: tuple = ("flip_flop", "sine_generation", "context_integration")
    seeds: tuple = (0, 1, 2)
    n_units: int = 64
    steps: tuple = (("flip_flop", 500), ("sine_generation", 1500), ("context_integration", 1000))
    checkpoints: tuple = (0.0, 0.25, 1.0)
    thresholds: tuple = (("flip_flop", 0.95), ("sine_generation", 0.9),
                         ("context_integration", 0.85))
    batch_size: int = 64
    learning_rate: float = 2e-3

    @property
    def learning_rates(self):
        """The step sizes as a tuple (one when ``learning_rate`` is a float)."""
        return tuple(np.atleast_1d(self.learning_rate).tolist())


DECISION_TASKS = tuple(NEUROGYM_TASKS)
ZOOS = {
    "universality": ZooSpec(),
    "neurogym": ZooSpec(
        architectures=("ctrnn_tanh", "ctrnn_relu", "ctrnn_scaled", "lstm", "gru"),
        tasks=DECISION_TASKS,
        steps=tuple((task, 1000) for task in DECISION_TASKS),
        checkpoints=(0.0, 1.0),
        # Noisy evidence at coherence 0 or 5 caps these three near 0.9.
        thresholds=(("perceptual_decision_making", 0.75), ("context_decision_making", 0.75),
                    ("multisensory_integration", 0.75), ("delay_comparison", 0.9),
                    ("interval_discrimination", 0.9), ("delay_match_sample", 0.9))),
    "flip_flop_population": ZooSpec(
        architectures=("vanilla", "vanilla_relu", "gru", "lstm", "ugrnn"),
        tasks=("flip_flop",), seeds=tuple(range(6)), steps=(("flip_flop", 500),),
        checkpoints=(1.0,), thresholds=(("flip_flop", 0.95),), learning_rate=(2e-3, 8e-3)),
}


# The compositional test case's zoos (their specs: skdsa.zoo.COMPOSITIONAL_SPECS).
COMPOSITIONAL_ZOOS = ("compositional", "compositional_ssm")


def zoo_path(name):
    """The file of the shipped zoo ``name`` (a key of ``ZOOS`` or of ``COMPOSITIONAL_ZOOS``)."""
    if name not in ZOOS and name not in COMPOSITIONAL_ZOOS:
        raise ValueError(f"zoo must be one of {sorted(ZOOS) + list(COMPOSITIONAL_ZOOS)}; "
                         f"got {name!r}.")
    return os.path.join(os.path.dirname(__file__), "data", f"{name}.npz")


def network_name(architecture, task, seed, learning_rate=None):
    """``"architecture/task/seed"``: the key of a network in the zoo.

    In a zoo trained at several learning rates, ``"architecture/task/lr=<rate>/seed"``.
    """
    if learning_rate is None:
        return f"{architecture}/{task}/{seed}"
    return f"{architecture}/{task}/lr={learning_rate:g}/{seed}"


def _train_one(spec, architecture, task, seed, learning_rate):
    """Train one network; returns its name, checkpoints and accuracies."""
    make = TASKS[task]
    steps = dict(spec.steps)[task]
    rng = np.random.default_rng([seed, ARCHITECTURES.index(architecture),
                                 list(TASKS).index(task)])
    probe = make(n_trials=1, random_state=0)
    initial = init_network(architecture, probe.inputs.shape[2], spec.n_units,
                           probe.targets.shape[2], rng)
    at = {int(round(f * steps)): f for f in spec.checkpoints}
    if len(at) < len(spec.checkpoints):
        raise ValueError(f"The checkpoints {spec.checkpoints} of {steps} steps of {task} "
                         "fall on the same step; train longer or keep fewer checkpoints.")
    start = time.perf_counter()
    _, saved, losses = train_network(
        initial, architecture,
        lambda r: make(n_trials=spec.batch_size, random_state=int(r.integers(2**31))),
        steps, rng, learning_rate=learning_rate, checkpoints=tuple(at))
    test = make(n_trials=256, random_state=10**6 + seed)
    accuracies = {}
    for step, params in saved.items():
        _, outputs = run_network(params, architecture, test.inputs)
        accuracies[str(at[step])] = task_accuracy(task, outputs, test)
    several = len(spec.learning_rates) > 1
    return (network_name(architecture, task, seed, learning_rate if several else None),
            saved, at, accuracies,
            float(losses[-50:].mean()), time.perf_counter() - start)


def build_zoo(path, spec, n_jobs=2, verbose=True):
    """Train every network of ``spec`` and save the zoo to ``path``.

    Parameters
    ----------
    path : str
        The ``.npz`` file to write (``zoo_path(name)`` for a shipped zoo).
    spec : ZooSpec
        What to train (``ZOOS[name]`` for a shipped zoo).
    n_jobs : int, default=2
        Networks trained in parallel (processes, one BLAS thread each).
    verbose : bool, default=True
        Print each network's accuracy and time as it finishes.

    Returns
    -------
    metadata : list of dict
        One entry per network: name, architecture, task, seed, learning rate, accuracy per
        checkpoint, final training loss, training seconds, and whether it
        learned (trained accuracy at least the task's threshold).
    """
    from joblib import Parallel, delayed
    from threadpoolctl import threadpool_limits

    def train(*job):
        with threadpool_limits(1):
            return _train_one(spec, *job)

    jobs = [(a, t, s, rate) for t in spec.tasks for a in spec.architectures
            for rate in spec.learning_rates for s in spec.seeds]
    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(train)(*job) for job in jobs)
    arrays, metadata = {}, []
    thresholds = dict(spec.thresholds)
    for (architecture, task, seed, rate), (name, saved, at, accuracies, loss, seconds) in zip(
            jobs, results):
        for step, params in saved.items():
            for key, value in params.items():
                arrays[f"{name}/{at[step]}/{key}"] = value.astype(np.float32)
        entry = {"name": name, "architecture": architecture, "task": task, "seed": seed,
                 "learning_rate": rate, "accuracy": accuracies, "final_loss": loss,
                 "seconds": seconds, "learned": accuracies["1.0"] >= thresholds[task]}
        metadata.append(entry)
        if verbose:
            print(f"{name}: accuracy {accuracies} loss {loss:.4f} "
                  f"({seconds:.0f} s){'' if entry['learned'] else '  NOT LEARNED'}",
                  flush=True)
    save_zoo(path, arrays, spec, metadata)
    return metadata


def save_zoo(path, arrays, spec, metadata):
    """Write a zoo's float32 ``arrays``, its ``spec`` and per-network ``metadata``."""
    spec_json = {field: getattr(spec, field) for field in spec.__dataclass_fields__}
    arrays = {**arrays, "__metadata__": np.array(
        json.dumps({"spec": spec_json, "networks": metadata}))}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    np.savez_compressed(path, **arrays)
