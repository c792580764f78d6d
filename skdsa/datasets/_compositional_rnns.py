"""The compositional RNN test case (Guilhot et al. 2024): networks grouped by pretraining."""

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from ..recordings import DrivenRecording
from ..tasks import make_rule_decision
from ..zoo import COMPOSED_TASK, GROUPS, run_network, zoo_path
from ._rnn_zoo import _read_zoo, _selection


def load_compositional_rnns(groups=None, seeds=None, n_trials=64, random_state=0, path=None):
    """Hidden states of the compositional test case's networks on the composed task.

    Leaky ReLU networks of 64 units, three seeds per group, that end on the
    composed task (anti + delayed response) after different pretraining (see
    :mod:`skdsa.zoo` and ``skdsa.zoo.GROUPS``): "untrained", "master" (trained
    on the composed task only), "master_frozen" (only its input weights
    trained), pretrained on one, two or three sub-tasks then frozen, and
    pretrained on three then all weights trained ("pretrain_unfrozen"). Built
    by ``python -m skdsa build-zoo --zoo compositional``.

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

    Returns
    -------
    data : Bunch
        ``recordings``: dict from ``"group/seed"`` to a
        :class:`~skdsa.DrivenRecording` of hidden states ``(n_trials, 70, 64)``
        with the trials' inputs and conditions. ``networks``: a DataFrame
        indexed like ``recordings`` with the group, seed, pretraining tasks,
        whether the recurrent weights were frozen on the composed task, the
        training steps and the accuracy on each rule. ``params``: the weights
        (float64). ``spec``: how they were trained.
    """
    metadata, parameters = _read_zoo(zoo_path("compositional") if path is None else path)
    spec = metadata["spec"]
    groups = _selection(groups, spec["groups"], "groups")
    seeds = _selection(seeds, spec["seeds"], "seeds")
    trials = make_rule_decision(COMPOSED_TASK, n_trials=n_trials, random_state=random_state)
    recordings, weights, rows = {}, {}, []
    for network in metadata["networks"]:
        if network["group"] not in groups or network["seed"] not in seeds:
            continue
        name = f"{network['group']}/{network['seed']}"
        params = {key[len(name) + 1:]: value.astype(np.float64)
                  for key, value in parameters.items() if key.startswith(name + "/")}
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
                 params=weights, spec=spec)
