"""The compositional RNN test case (Guilhot et al. 2024): networks grouped by pretraining."""

from functools import cache

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from ..recordings import DrivenRecording
from ..tasks import make_rule_decision
from ..zoo import COMPOSED_TASK, COMPOSITIONAL_ZOOS, GROUPS, run_network, zoo_path
from ..zoo._compositional import _accuracy
from ._rnn_zoo import _read_zoo, _selection


def load_compositional_rnns(groups=None, seeds=None, n_trials=64, random_state=0, path=None,
                            zoo="compositional"):
    """Hidden states of the compositional test case's networks on the composed task.

    Leaky ReLU networks of 64 units (or, with ``zoo="compositional_ssm"``,
    selective state-space models of 16 channels), three seeds per group, that end on the
    composed task (anti + delayed response) after different pretraining (see
    :mod:`skdsa.zoo` and ``skdsa.zoo.GROUPS``): "untrained", "master" (trained
    on the composed task only), "master_frozen" (only its input weights
    trained), pretrained on one, two or three sub-tasks then frozen, and
    pretrained on three then all weights trained ("pretrain_unfrozen"). Built
    by ``python -m skdsa build-zoo --zoo compositional`` (``compositional_ssm``).

    Every network runs from the zero state on the same test trials of the
    composed task (:func:`make_rule_decision`, drawn from ``random_state``).

    Parameters
    ----------
    groups : str, list or None, default=None
        Groups to load (None: all).
    seeds : int, list or None, default=None
        Seeds to load (None: all).
    n_trials : int, default=64
        Trials per network.
    random_state : int, default=0
        Seed of the trials.
    path : str or None, default=None
        A file built by :func:`skdsa.zoo.build_compositional_zoo`; None reads
        the shipped one.
    zoo : {"compositional", "compositional_ssm"}, default="compositional"
        The shipped zoo read when ``path`` is None: the paper's RNNs, or the
        selective SSMs of its state-space comparison (see
        ``skdsa.zoo.COMPOSITIONAL_SPECS``).

    Returns
    -------
    data : Bunch
        ``recordings``: dict from ``"group/seed"`` to a
        :class:`~skdsa.DrivenRecording` of hidden states ``(n_trials, 70, n_units)``
        with the trials' inputs and conditions. ``networks``: a DataFrame
        indexed like ``recordings`` with the group, seed, pretraining tasks,
        whether the recurrent weights were frozen on the composed task, the
        training steps and the accuracy on each rule. ``params``: the weights
        (float64). ``checkpoints``: per network, a dict from each step of its
        training on the composed task (0, every ``spec["checkpoint_every"]``
        steps, and the last) to the weights then (empty for untrained
        networks). ``spec``: how they were trained.
    """
    if zoo not in COMPOSITIONAL_ZOOS:
        raise ValueError(f"zoo must be one of {COMPOSITIONAL_ZOOS}; got {zoo!r}.")
    metadata, parameters = _read_zoo(zoo_path(zoo) if path is None else path)
    spec = metadata["spec"]
    groups = _selection(groups, spec["groups"], "groups")
    seeds = _selection(seeds, spec["seeds"], "seeds")
    trials = make_rule_decision(COMPOSED_TASK, n_trials=n_trials, random_state=random_state)
    recordings, weights, checkpoints, rows = {}, {}, {}, []
    for network in metadata["networks"]:
        if network["group"] not in groups or network["seed"] not in seeds:
            continue
        name = f"{network['group']}/{network['seed']}"
        stored = {key[len(name) + 1:]: value.astype(np.float64)
                  for key, value in parameters.items() if key.startswith(name + "/")}
        params = {key: value for key, value in stored.items() if "/" not in key}
        # a checkpoint keeps what differs from the final weights
        checkpoints[name] = {step: params | {
            key.rsplit("/", 1)[1]: value for key, value in stored.items()
            if key.startswith(f"checkpoint/{step}/")}
            for step in network.get("checkpoint_steps", ())}
        hidden, _ = run_network(params, spec["architecture"], trials.inputs)
        recordings[name] = DrivenRecording(hidden, trials.inputs, trials.conditions)
        weights[name] = params
        setting = GROUPS[network["group"]] or {"pretrain": (), "frozen": True}
        rows.append({"name": name, "group": network["group"], "seed": network["seed"],
                     "pretrain": "+".join(setting["pretrain"]), "frozen": setting["frozen"],
                     "pretrain_steps": network["pretrain_steps"],
                     "train_steps": network["train_steps"],
                     **{f"accuracy {rule}": value
                        for rule, value in network["accuracy"].items()}})
    return Bunch(recordings=recordings, networks=pd.DataFrame(rows).set_index("name"),
                 params=weights, checkpoints=checkpoints, spec=spec)


def pair_checkpoints_with_master(data):
    """Guilhot et al.'s pairs over training: every checkpoint with master's at the same point.

    Each checkpoint of a network trained on the composed task (other than a
    master) is paired with the checkpoint of the same seed's master network
    at the same fraction of its training (the nearest one), as the paper's
    code pairs them; both are scored on the composed task's 256 test trials
    that stopped training.

    Parameters
    ----------
    data : Bunch
        From :func:`load_compositional_rnns` (with the master networks).

    Returns
    -------
    pairs : DataFrame
        One row per checkpoint: ``network``, ``step``, ``master`` (the master
        network), ``master_step``, their accuracies on the composed task and
        ``accuracy_gap``, the absolute difference.
    """
    architecture = data.spec["architecture"]

    @cache  # a master checkpoint partners many networks
    def accuracy(name, step):
        seed = data.networks.loc[name, "seed"]
        return _accuracy(data.checkpoints[name][step], architecture, COMPOSED_TASK, seed)

    rows = []
    for name, network in data.networks.iterrows():
        master = f"master/{network.seed}"
        if network.group == "master" or not data.checkpoints[name]:
            continue
        if master not in data.checkpoints:
            raise ValueError(f"data must hold the master network of seed {network.seed}; "
                             "load it with the other groups.")
        steps, master_steps = sorted(data.checkpoints[name]), sorted(data.checkpoints[master])
        for k, step in enumerate(steps):
            master_step = master_steps[round(k * (len(master_steps) - 1)
                                             / max(len(steps) - 1, 1))]
            rows.append({"network": name, "step": step, "master": master,
                         "master_step": master_step, "accuracy": accuracy(name, step),
                         "master_accuracy": accuracy(master, master_step)})
    pairs = pd.DataFrame(rows)
    pairs["accuracy_gap"] = (pairs.accuracy - pairs.master_accuracy).abs()
    return pairs
