"""
Ring attractors stay close under smooth deformations, a line does not
=====================================================================

A ring attractor keeps its dynamics when its state space is smoothly bent:
DSA distances between a ring and its deformations stay small, while a line
attractor is far from all of them (the idea of the DSA paper's Fig. 4).
"""

import matplotlib.pyplot as plt
import numpy as np

from skdsa import DSA
from skdsa.datasets import make_line_attractor, make_ring_attractor
from skdsa.plotting import plot_distance_matrix

systems = {f"ring, deformation {d}": make_ring_attractor(deformation=d, random_state=k)
           for k, d in enumerate([0.0, 0.1, 0.2, 0.3])}
systems["line attractor"] = make_line_attractor(random_state=9)

dsa = DSA(n_delays=5, rank=4, random_state=0)
D = dsa.fit_transform(systems)
print(D.round(3))

# %%
labels = ["ring"] * 4 + ["line"]
plot_distance_matrix(D.to_numpy(), labels, title="DSA: deformed rings vs a line")

fig, ax = plt.subplots(figsize=(4, 4))
for name, X in list(systems.items())[::2]:
    ax.plot(X[0, :, 0], X[0, :, 1], lw=0.8, label=name)
ax.set_xlabel("state 1")
ax.set_ylabel("state 2")
ax.set_title("One trial of three of the systems")
ax.legend(fontsize="small")
plt.show()
print("ring-to-ring:", np.round(D.iloc[:4, :4].to_numpy().max(), 3),
      " ring-to-line:", np.round(D.iloc[:4, 4].min(), 3))
