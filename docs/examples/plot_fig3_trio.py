"""
What geometry misses: the saddle, line attractor and point attractor
====================================================================

The three systems of the DSA paper's Fig. 3, built as in the paper
(:func:`~skdsa.datasets.make_fig3_trio`): a bistable saddle driven by a constant
drive of +-0.1 (two conditions), and a line attractor and a point attractor
whose feedback input makes their condition averages follow the saddle's. Four
draws of each (the paper used 100 per type), each with new parameters from the
paper's ranges, 100 trials per condition, Euler steps of 0.01 with noise 0.05,
subsampled by 10. DSA uses the paper's ``n_delays=20`` and ``rank=15``
(angular); the geometric baseline is the orthogonal Procrustes shape distance
between the condition averages. Unlike the paper, every recording is also seen
through a random rotation, which neither method should notice.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import silhouette_score

from skdsa import DSA, GeometricDistance
from skdsa.datasets import make_fig3_trio
from skdsa.demo import make_demo_collection, nearest_neighbour_accuracy
from skdsa.plotting import plot_distance_matrix, plot_mds

systems, labels = make_demo_collection(random_state=0)

# %%
# The condition averages are the same in all three systems (before the rotations):
trio = make_fig3_trio(random_state=0)
averages = {name: np.concatenate([r.states[r.conditions == c].mean(axis=0)
                                  for c in np.unique(r.conditions)])
            for name, r in trio.items()}
print("largest difference between condition averages:",
      max(np.abs(a - averages["saddle"]).max() for a in averages.values()),
      "(their range:", np.ptp(averages["saddle"]), ")")

# %%
# DSA separates the three dynamics; the shape of the condition averages cannot.
states = {name: recording.states for name, recording in systems.items()}
D_dsa = DSA(n_delays=20, rank=15, n_jobs=2, random_state=0).fit_transform(states).to_numpy()
D_geometry = GeometricDistance(metric="procrustes").fit_transform(systems).to_numpy()
for name, D in [("DSA", D_dsa), ("Procrustes", D_geometry)]:
    print(f"{name}: silhouette {silhouette_score(D, labels, metric='precomputed'):.2f}, "
          f"1-NN accuracy {nearest_neighbour_accuracy(D, labels):.2f}")

fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
plot_distance_matrix(D_dsa, labels, title="DSA (angular)", ax=axes[0])
plot_distance_matrix(D_geometry, labels, title="Procrustes shape (condition averages)",
                     ax=axes[1])
fig.tight_layout(w_pad=4)

# %%
# An MDS embedding of the DSA distances shows three groups.
plot_mds(D_dsa, labels, title="MDS of DSA distances")

# %%
# Single trials of one draw: the same averages, different flows.
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharex=True, sharey=True)
for ax, (name, recording) in zip(axes, trio.items()):
    for trial in range(0, len(recording.states), 20):
        ax.plot(*recording.states[trial].T, lw=0.5, alpha=0.5,
                color="C0" if recording.conditions[trial] < 0 else "C1")
    ax.set_title(name)
plt.show()
