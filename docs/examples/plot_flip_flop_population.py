"""
Universality and individuality in a population of flip-flop networks
====================================================================

Maheswaranathan, Williams, Golub, Ganguli & Sussillo (NeurIPS 2019) trained
populations of recurrent networks of several architectures on the same tasks
and found two things at once: the geometry of their hidden states
(SVCCA) differs by architecture, while their fixed-point topology (how many
attractors, which are stable) is universal. The DSA paper used the 3-bit
flip-flop to ask where DSA sits between the two.

This example builds that study on skdsa's "flip_flop_population" zoo
(:func:`~skdsa.datasets.load_rnn_zoo`): vanilla tanh and ReLU, GRU, LSTM and
UGRNN networks of 64 units, each trained from six seeds at two learning rates
(the same initial weights and batches at both): 60 networks. The paper
trained thousands, with randomly drawn hyperparameters; this is a small
version of its design.

* Topology and local dynamics: the fixed points of every network under zero
  input (:func:`~skdsa.zoo.find_fixed_points`), the number of stable ones and
  the leading eigenvalue modulus of the Jacobian at them (how fast the network
  relaxes into a memory; 1 would be a perfect integrator).
* Geometry: angular Procrustes shape distance (the DSA authors' baseline) and
  SVCCA (Maheswaranathan's), between the stacked hidden states of two networks
  on the same 32 trials.
* Dynamics: DSA (angular) on each network's hidden states reduced to 10
  principal components, 10 delays, rank 20.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.stats import spearmanr
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.datasets import load_rnn_zoo
from skdsa.plotting import plot_mds
from skdsa.preprocessing import SeriesTransformer
from skdsa.zoo import find_fixed_points, network_map, network_states

zoo = load_rnn_zoo("flip_flop_population", n_trials=32)
networks = zoo.networks
print(f"{len(networks)} trained networks; left out (did not learn): {zoo.unlearned}")

# %%
# Fixed points under zero input, found from 64 states each network visits on
# the trials (an LSTM's state includes its cell state).


def fixed_points(name):
    architecture = networks.loc[name, "architecture"]
    params = zoo.params[name]
    visited = network_states(params, architecture, zoo.recordings[name].inputs)
    visited = visited.reshape(-1, visited.shape[-1])
    start = visited[np.random.default_rng(0).choice(len(visited), 64, replace=False)]
    found = find_fixed_points(network_map(params, architecture, np.zeros(3)), start)
    leading = np.abs(found.eigenvalues[found.stable, 0])
    return {"fixed points": len(found.points), "stable": found.n_stable,
            "leading |lambda|": leading.mean() if len(leading) else np.nan}


topology = pd.DataFrame(Parallel(n_jobs=2)(delayed(fixed_points)(n) for n in networks.index),
                        index=networks.index)
networks = networks.join(topology)
summary = networks.groupby(["architecture", "learning_rate"])[
    ["stable", "fixed points", "leading |lambda|"]].agg(["median", "min", "max"])
print(summary.round(3).to_string())

# %%
# Distances between every pair of networks: dynamics and geometry.
model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                  ("hankel", HankelEmbedder(10)), ("dmd", DMDRegressor(rank=20))])
states = {name: recording.states for name, recording in zoo.recordings.items()}
distances = {
    "DSA": DSA(model=model, n_jobs=2, random_state=0).fit_transform(states),
    "Procrustes": GeometricDistance("procrustes", average_trials=False,
                                    n_jobs=2).fit_transform(states),
    "SVCCA": GeometricDistance("svcca", average_trials=False, n_jobs=2).fit_transform(states),
}
distances = {method: D.to_numpy() for method, D in distances.items()}


def separation(D, labels):
    """Mean distance across over within groups, and the silhouette of the groups."""
    labels = np.asarray(labels)
    same = labels[:, None] == labels[None]
    off_diagonal = ~np.eye(len(labels), dtype=bool)
    return {"across / within": D[~same].mean() / D[same & off_diagonal].mean(),
            "silhouette": silhouette_score(D, labels, metric="precomputed")}


pairs = np.triu_indices(len(networks), 1)
leading = networks["leading |lambda|"].to_numpy()
rate_gap = np.abs(leading[:, None] - leading[None])[pairs]
rows = []
for method, D in distances.items():
    rows.append({"method": method,
                 **{f"architecture: {k}": v
                    for k, v in separation(D, networks.architecture).items()},
                 **{f"learning rate: {k}": v
                    for k, v in separation(D, networks.learning_rate).items()},
                 "Spearman with |lambda| gap": spearmanr(D[pairs], rate_gap).statistic})
table = pd.DataFrame(rows).set_index("method")
print(table.round(3).to_string())

# Mean DSA distance between and within architectures (both learning rates).
codes = networks.architecture.to_numpy()
names = sorted(set(codes))
blocks = pd.DataFrame([[distances["DSA"][np.ix_(codes == a, codes == b)][
    ~np.eye((codes == a).sum(), dtype=bool) if a == b else slice(None)].mean()
    for b in names] for a in names], index=names, columns=names)
print(blocks.round(3).to_string())

fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
for ax, (method, D) in zip(axes, distances.items()):
    plot_mds(D, networks.architecture.to_numpy(), title=f"MDS of {method}", ax=ax)
fig.tight_layout()

# %%
# DSA against the local relaxation rate: each network's leading eigenvalue
# modulus at its attractors, and its mean DSA distance to the others.
fig, ax = plt.subplots(figsize=(6, 4.4))
mean_dsa = distances["DSA"].sum(axis=1) / (len(networks) - 1)
for architecture, group in networks.groupby("architecture"):
    members = networks.index.get_indexer(group.index)
    ax.scatter(group["leading |lambda|"], mean_dsa[members], label=architecture)
ax.set_xlabel("leading |eigenvalue| at the stable fixed points")
ax.set_ylabel("mean DSA distance to the other networks")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# What reproduces and what does not
# ---------------------------------
# Measured on 2026-12-07 (the numbers above come from the same run; 2.5
# minutes on 2 cores):
#
# * **Reproduced: the topology is universal.** All 60 networks have exactly 8
#   stable fixed points under zero input, one per memory of the three bits,
#   whatever the architecture and learning rate (with 96 starting states
#   instead of 64, one LSTM and one UGRNN found a ninth). The unstable points
#   between them number 0-10 and vary within every group.
# * **Reproduced: the local dynamics are individual.** The leading eigenvalue
#   modulus at the attractors, how slowly a network relaxes into a memory, is
#   set by the architecture: 0.91-0.995 for GRUs and UGRNNs, 0.75-0.86 for
#   LSTMs, 0.70-0.81 for vanilla tanh networks, 0.66-0.89 for vanilla ReLU
#   ones; the higher learning rate moves a group's median by 0.02-0.12
#   (most for vanilla ReLU, down from 0.86 to 0.74).
# * **DSA sits with the local dynamics, as a family.** DSA separates the
#   architectures 2.4 times across over within (Procrustes 1.4, SVCCA 1.4),
#   but by family: gated cells (GRU, LSTM, UGRNN) are 0.12-0.24 apart among
#   themselves and 0.47-0.63 from the vanilla ones, which are 0.21-0.24
#   apart. The silhouette by architecture is therefore low for every metric
#   (0.10-0.13). Distances correlate with the gap in leading eigenvalue
#   modulus about equally for all three metrics (Spearman 0.27 DSA, 0.22
#   Procrustes, 0.26 SVCCA): DSA does not see the relaxation rate alone.
# * Neither metric groups the networks by learning rate (across / within
#   0.98-1.02), although the same seed starts from the same weights at both.
# * Not the paper's setting: 60 networks of 64 units, two learning rates and
#   no L2 penalty, where Maheswaranathan et al. trained thousands with drawn
#   hyperparameters; the DSA model (rank 20) is lighter than the zoo
#   examples' (rank 30) to keep the 1,770 pairs under a minute.
