"""
Compositional dynamics in state-space models: does pretraining change the recurrence?
=====================================================================================

Guilhot, Wojcik, Achterberg & Costa (2024) ran their compositional test case
(:ref:`sphx_glr_auto_examples_plot_compositional_rnns.py`) on Mamba
state-space models as well, and concluded
that, in contrast to RNNs, these models "may not exhibit or require changes in
their recurrent dynamics due to their expressive hidden state".

This example repeats the test with skdsa's small selective state-space model
(``"selective_ssm"`` in :mod:`skdsa.zoo`: one Mamba-like block of 16 channels
with 8 states each, its step, input and output maps chosen by the input; no
convolution, expansion or normalisation), trained exactly as the RNNs of the
previous example: the same groups, tasks, seeds, optimiser and stopping rule
(:func:`~skdsa.datasets.load_compositional_rnns` with
``zoo="compositional_ssm"``). "Frozen" means for both that only the input
weights ``U`` learn on the composed task; the recurrence (for the SSM: the
state matrix ``A``, the step, the input, output and gate maps) stays as it was.

Two questions, for SSMs and RNNs side by side:

* **Exhibit**: does pretraining move the recurrent dynamics? Each trained
  network's recurrence is run with its untrained twin's input weights, so
  that the two differ only in the recurrence, and compared with that twin
  under DSA.
* **Require**: does a network learn the composed task when only its input
  weights may change, with or without pretraining?

And the paper's main measure: the mean DSA distance of each group to the
master networks.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, HankelEmbedder, NoiseModeWarning
from skdsa.datasets import load_compositional_rnns
from skdsa.preprocessing import SeriesTransformer
from skdsa.zoo import run_network

# Every DSA fit below keeps modes beyond the estimated signal rank (estimates
# of 18-23 at rank 30, 35-42 at rank 50) and warns so; the warnings are
# silenced here; a reason to read any single setting with care.
warnings.simplefilter("ignore", NoiseModeWarning)
zoos = {"RNN": load_compositional_rnns(n_trials=32),
        "SSM": load_compositional_rnns(n_trials=32, zoo="compositional_ssm")}


def dsa_model(n_delays, rank):
    """The zoo examples' DSA model: 10 principal components, delays, DMD."""
    return Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                     ("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=rank))])


# %%
# Require: how many of the three seeds of each group reach the target (85% of
# decisions correct) on the composed task, in how many steps (the frozen
# groups: with only their input weights learning).
rows = {}
for kind, data in zoos.items():
    networks = data.networks
    target = data.spec["target"]
    learned = networks["accuracy anti_delayed_decision"] >= target
    rows[kind] = networks.assign(learned=learned).groupby("group", sort=False).agg(
        learned=("learned", "sum"), train_steps=("train_steps", "mean"))
learning = pd.concat(rows, axis=1)
print(learning.to_string())

# %%
# Exhibit: every master network's recurrence, and every network's recurrence
# right after pretraining on the three sub-tasks (the start of the
# "pretrain_unfrozen" group's composed task), run with its untrained twin's
# input weights ``U`` and compared with the twin; as a multiple of the
# distance between untrained seeds (1: no farther than another random
# network of the same kind). At this example's DSA setting and four
# neighbours.
settings = [(10, 30), (10, 20), (10, 50), (5, 30), (20, 30)]


def recurrence_change(data, params, seed, n_delays, rank):
    """DSA distance between the untrained twin and ``params`` with the twin's ``U``."""
    twin = data.params[f"untrained/{seed}"]
    inputs = data.recordings[f"untrained/{seed}"].inputs
    states = [run_network(p, data.spec["architecture"], inputs)[0]
              for p in (twin, params | {"U": twin["U"]})]
    return DSA(model=dsa_model(n_delays, rank), random_state=0).fit_transform(states)[0, 1]


rows = []
for kind, data in zoos.items():
    seeds = data.spec["seeds"]
    for n_delays, rank in settings:
        untrained = [data.recordings[f"untrained/{seed}"].states for seed in seeds]
        D = DSA(model=dsa_model(n_delays, rank), random_state=0).fit_transform(untrained)
        apart = D[np.triu_indices(len(D), 1)].mean()
        trained = {"master": [data.params[f"master/{seed}"] for seed in seeds],
                   "pretrained": [data.checkpoints[f"pretrain_unfrozen/{seed}"][0]
                                  for seed in seeds]}
        rows.append({"network": kind, "setting": f"{n_delays} delays, rank {rank}", **{
            f"{name} / seeds apart": np.mean([
                recurrence_change(data, params, seed, n_delays, rank)
                for seed, params in zip(seeds, networks)]) / apart
            for name, networks in trained.items()}})
exhibit = pd.DataFrame(rows).pivot(index="setting", columns="network")
print(exhibit.round(2).to_string())

# %%
# The paper's measure: each group's mean DSA distance to the master networks,
# at this example's setting (its neighbours: ``benchmarks/compositional.py
# --rnns --ssm``).
to_master = {}
for kind, data in zoos.items():
    states = {name: recording.states for name, recording in data.recordings.items()}
    D = DSA(model=dsa_model(10, 30), n_jobs=2, random_state=0).fit_transform(states)
    group = data.networks.group
    master = data.networks.index[group == "master"]
    to_master[kind] = pd.Series({
        name: D.loc[(group == name).to_numpy(), master].to_numpy().mean()
        for name in group.unique() if name != "master"})
    to_master[kind]["master seeds"] = D.loc[master, master].to_numpy()[
        ~np.eye(len(master), dtype=bool)].mean()
to_master = pd.DataFrame(to_master)
print(to_master.round(3).to_string())

fig, ax = plt.subplots(figsize=(9, 4))
to_master.plot.bar(ax=ax)
ax.set_ylabel("mean DSA distance to master")
ax.set_xticklabels(to_master.index, rotation=60, ha="right", fontsize=7)
fig.tight_layout()
plt.show()

# %%
# What reproduces and what does not
# ---------------------------------
# Measured on 2026-12-07 (the numbers above come from the same run; 2.4
# minutes on 2 cores).
#
# * **Reproduced: "may not require".** With the recurrence frozen, every
#   pretrained SSM learns the composed task (21 of 21; the RNNs 18 of 21), and
#   fast: after all three sub-tasks in 83 steps on average against the RNNs'
#   433. Without pretraining, one of three frozen SSMs learns it (no RNN
#   does): its random recurrence, steered by the input, often suffices.
# * **At this example's setting, "may not exhibit" shows.** Every SSM group
#   sits at about one distance from master (0.22-0.30, master seeds 0.25;
#   untrained / full pretraining 1.04, the RNNs' 1.84), and a master SSM's
#   recurrence, run with its untrained twin's input weights, is no farther
#   from the twin than untrained seeds are from each other (0.86x), where a
#   master RNN's is 1.70x as far.
# * **Not robust: the neighbouring settings disagree for SSMs, not for RNNs.**
#   The master RNN's recurrence is 1.35-1.70x as far as untrained seeds at
#   all five settings, and pretraining moves the RNN's recurrence little
#   (0.86-1.13x) at all five. The SSM's swing from 0.86x to 2.39x (master)
#   and 1.00x to 1.62x (after pretraining) with the rank and delays. The
#   group distances swing too (``benchmarks/compositional.py --rnns --ssm``):
#   untrained / full pretraining 1.04 at this setting but 1.67 at rank 50 and
#   1.86 at 20 delays, where the SSM groups line up as the RNNs' do.
# * **Over training** (``--over-training --ssm``, the shipped checkpoints,
#   257 pairs), the SSMs show the paper's RNN result that these RNNs do not:
#   DSA's distance to master follows the accuracy gap (R^2 0.10, p 2e-7)
#   while Procrustes' and CKA's do not (0.01 and 0.03, both falling with the
#   gap); the RNNs: R^2 0.007 (p 0.12).
# * Not the paper's models: one selective block of 16 channels (their Mamba:
#   d_model 8-64, 1-4 layers, with the convolution, expansion and
#   normalisation left out here), trained exactly as this zoo's RNNs; their training
#   details for Mamba (batch sizes, learning rates, stopping) were not
#   matched. So this is the paper's question asked of a Mamba-like model, not
#   a reproduction of its Mamba runs.
