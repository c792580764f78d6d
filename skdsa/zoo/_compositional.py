"""The compositional RNN test case of Guilhot et al. (2024): groups of networks by pretraining.

Every network is a leaky ReLU RNN (the zoo's "ctrnn_relu" cell, ``dt / tau =
0.5``; or, for the paper's comparison with Mamba, a "selective_ssm") that ends
on the composed task ("anti_delayed_decision", see
:func:`skdsa.tasks.make_rule_decision`); the groups differ in what came before
and in what may learn on the composed task:

- "untrained": the initial weights;
- "master": all weights trained on the composed task from the start;
- "master_frozen": only the input weights ``U`` trained on it;
- "pretrain_<subtasks>_frozen": all weights pretrained on one, two or all
  three sub-tasks (mixed in every batch), then only ``U`` trained on the
  composed task;
- "pretrain_unfrozen": pretrained on all three, then all weights trained.

Training: Adam (``learning_rate``), softmax cross-entropy on every timepoint,
batches of 64 trials with the training timings, each phase stopped when the
decision accuracy on 256 test trials of every task of the phase reaches
``target`` or after ``max_steps``. The paper stops at 99% of all timepoints
correct, fixation included; scored on decisions only, a fifth of the trials
have coherence 0 and cap any network near 0.9, hence a target of 0.85.
Recurrent noise and the paper's initialisations are not used (the zoo's
orthogonal initialisation).
"""

import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..tasks import RULES, make_rule_decision, task_accuracy
from ._networks import ARCHITECTURES, init_network, run_network
from ._training import train_network
from ._zoo import COMPOSITIONAL_ZOOS, save_zoo

COMPOSED_TASK = "anti_delayed_decision"
SUB_TASKS = {"basic": "decision", "anti": "anti_decision", "delay": "delayed_decision"}


def _group(pretrain, frozen):
    return {"pretrain": tuple(SUB_TASKS[name] for name in pretrain), "frozen": frozen}


GROUPS = {
    "untrained": None,
    "master": _group((), False),
    "master_frozen": _group((), True),
    **{f"pretrain_{'_'.join(names)}_frozen": _group(names, True)
       for names in (("basic",), ("anti",), ("delay",), ("basic", "anti"), ("basic", "delay"),
                     ("anti", "delay"))},
    "pretrain_frozen": _group(("basic", "anti", "delay"), True),
    "pretrain_unfrozen": _group(("basic", "anti", "delay"), False),
}


@dataclass(frozen=True)
class CompositionalSpec:
    """How the compositional groups are trained.

    Attributes
    ----------
    groups : tuple of str
        Keys of ``GROUPS``.
    seeds : tuple of int
        Seeds per group: the initial weights, shared by every group, and the
        training batches.
    n_units : int
        Hidden units.
    learning_rate : float
        Adam's step size.
    target : float
        Decision accuracy that ends a training phase.
    max_steps : int
        Adam steps at most per phase.
    checkpoint_every : int
        :func:`build_compositional_zoo` keeps the parameters every this many
        steps of the composed task's training (those that changed), for the
        paper's analysis over training.
    architecture : str
        The network: the leaky ReLU cell "ctrnn_relu" of the paper's RNNs, or
        "selective_ssm" for its state-space-model comparison.
    """

    groups: tuple = tuple(GROUPS)
    seeds: tuple = (0, 1, 2)
    n_units: int = 64
    learning_rate: float = 3e-3
    target: float = 0.85
    max_steps: int = 1500
    checkpoint_every: int = 50
    architecture: str = "ctrnn_relu"


# The shipped zoos' specs: the paper's RNNs, and selective SSMs of the size of
# its smaller Mamba models (d_model 8 to 64) for its state-space comparison.
COMPOSITIONAL_SPECS = dict(zip(COMPOSITIONAL_ZOOS, (
    CompositionalSpec(), CompositionalSpec(n_units=16, architecture="selective_ssm"))))


@lru_cache(maxsize=None)
def _test_trials(rule, seed):
    """The 256 held-out trials a network of ``seed`` is scored on (checked every 50 steps)."""
    return make_rule_decision(rule, n_trials=256, random_state=10**6 + seed)


def _accuracy(params, architecture, rule, seed):
    test = _test_trials(rule, seed)
    _, outputs = run_network(params, architecture, test.inputs)
    return task_accuracy(rule, outputs, test)


def _phase(params, spec, rules, rng, seed, trainable=None, checkpoints=()):
    """Train on a mix of ``rules`` until each reaches the target.

    Returns the parameters, the steps taken and the parameters at ``checkpoints``.
    """
    def batch(r):
        rule = rules[int(r.integers(len(rules)))]
        return make_rule_decision(rule, n_trials=64, timing="train",
                                  random_state=int(r.integers(2**31)))

    def done(p):
        return all(_accuracy(p, spec.architecture, rule, seed) >= spec.target for rule in rules)

    params, saved, losses = train_network(
        params, spec.architecture, batch, spec.max_steps, rng, learning_rate=spec.learning_rate,
        loss="cross_entropy", trainable=trainable, stop_when=done, checkpoints=checkpoints)
    return params, len(losses), saved


def train_compositional_group(group, seed, spec=None, checkpoint_every=None):
    """One network of a compositional group, trained from its seed.

    Parameters
    ----------
    group : str
        A key of ``GROUPS``.
    seed : int
        Seed of the initial weights (the same for every group) and batches.
    spec : CompositionalSpec or None
        Training settings; None: the defaults.
    checkpoint_every : int or None, default=None
        Keep the parameters every this many steps of the composed task's
        training (from its start, step 0, to its last step), in
        ``record["checkpoints"]`` (a dict from step to parameters).

    Returns
    -------
    params : dict of str to ndarray
    record : dict
        Steps of pretraining and training, and the accuracy on every rule.
    """
    spec = spec or CompositionalSpec()
    if group not in GROUPS:
        raise ValueError(f"group must be one of {list(GROUPS)}; got {group!r}.")
    rng = np.random.default_rng([seed, ARCHITECTURES.index(spec.architecture)])
    params = init_network(spec.architecture, 3 + len(RULES), spec.n_units, 3, rng)
    record = {"pretrain_steps": 0, "train_steps": 0}
    setting = GROUPS[group]
    if setting is not None:
        if setting["pretrain"]:
            pretrain_rng = np.random.default_rng([seed, 1, *map(RULES.index, setting["pretrain"])])
            params, record["pretrain_steps"], _ = _phase(params, spec, setting["pretrain"],
                                                         pretrain_rng, seed)
        steps = range(0, spec.max_steps + 1, checkpoint_every) if checkpoint_every else ()
        params, record["train_steps"], saved = _phase(
            params, spec, (COMPOSED_TASK,), np.random.default_rng([seed, 2]), seed,
            trainable=("U",) if setting["frozen"] else None, checkpoints=steps)
        if checkpoint_every:
            record["checkpoints"] = saved | {record["train_steps"]: params}
    record["accuracy"] = {rule: _accuracy(params, spec.architecture, rule, seed)
                          for rule in RULES}
    return params, record


def build_compositional_zoo(path, spec=None, n_jobs=2, verbose=True):
    """Train every group and seed of ``spec`` and save them to ``path``.

    Groups with the same pretraining and seed (e.g. "pretrain_frozen" and
    "pretrain_unfrozen") repeat the same pretraining, deterministically, so
    they start the composed task from the same weights. The checkpoints of the
    composed task's training (every ``spec.checkpoint_every`` steps) keep only
    the parameters that differ from the network's final ones (a frozen
    network's input weights ``U``).

    Parameters
    ----------
    path : str
        The ``.npz`` file to write.
    spec : CompositionalSpec or None
        None: the defaults.
    n_jobs : int, default=2
        Networks trained in parallel (processes, one BLAS thread each).
    verbose : bool, default=True
        Print each network's accuracies and time as it finishes.

    Returns
    -------
    metadata : list of dict
        Per network: group, seed, steps, accuracies, seconds.
    """
    from joblib import Parallel, delayed
    from threadpoolctl import threadpool_limits

    spec = spec or CompositionalSpec()

    def train(group, seed):
        start = time.perf_counter()
        with threadpool_limits(1):
            params, record = train_compositional_group(group, seed, spec,
                                                       checkpoint_every=spec.checkpoint_every)
        saved = record.pop("checkpoints", {})
        record["checkpoint_steps"] = sorted(saved)
        changed = {f"checkpoint/{step}/{key}": value for step, checkpoint in saved.items()
                   for key, value in checkpoint.items()
                   if not np.array_equal(value, params[key])}
        return params | changed, {"group": group, "seed": seed, **record,
                                  "seconds": time.perf_counter() - start}

    jobs = [(group, seed) for group in spec.groups for seed in spec.seeds]
    arrays, metadata = {}, []
    for params, record in Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(train)(*job) for job in jobs):
        for key, value in params.items():
            arrays[f"{record['group']}/{record['seed']}/{key}"] = value.astype(np.float32)
        metadata.append(record)
        if verbose:
            accuracy = {rule: round(value, 3) for rule, value in record["accuracy"].items()}
            print(f"{record['group']}/{record['seed']}: steps {record['pretrain_steps']} + "
                  f"{record['train_steps']}, accuracy {accuracy} ({record['seconds']:.0f} s)",
                  flush=True)
    save_zoo(path, arrays, spec, metadata)
    return metadata
