"""
Lorenz-63 regimes cluster by their dynamics
===========================================

Clips of the Lorenz system at five values of ``rho`` (chaotic and periodic
regimes) form one group per regime under DSA.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score

from skdsa import DSA
from skdsa.datasets import make_lorenz
from skdsa.plotting import plot_distance_matrix, plot_mds

rng = np.random.default_rng(0)
systems, labels = [], []
for rho in (28, 40, 60, 100, 160):
    for _ in range(3):
        systems.append(make_lorenz(rho=rho, n_trials=1, n_timepoints=1000,
                                   random_state=rng.integers(2**31))[0])
        labels.append(f"rho = {rho}")

D = DSA(n_delays=30, rank=6, n_jobs=2, random_state=0).fit_transform(systems)
groups = AgglomerativeClustering(n_clusters=5, metric="precomputed",
                                 linkage="average").fit_predict(D)
print("adjusted Rand index of the clustering:", adjusted_rand_score(labels, groups))

# %%
plot_distance_matrix(D, labels, title="DSA between Lorenz clips")
plot_mds(D, labels, title="MDS of DSA distances")
plt.show()
