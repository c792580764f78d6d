"""
Invariance to coordinates: the same system in new coordinates is close to itself
================================================================================

A Van der Pol oscillator observed through a random rotation, a smooth nonlinear
(diffeomorphic) change of coordinates, or a higher-dimensional embedding with
noise stays near zero DSA distance from itself, while oscillators with another
nonlinearity ``mu`` are clearly further away.
"""

import matplotlib.pyplot as plt

from skdsa import DSA
from skdsa.datasets import make_van_der_pol, random_observation
from skdsa.plotting import plot_eigenvalues

X = make_van_der_pol(mu=1.0, n_trials=10, n_timepoints=1500, random_state=0)
systems = {
    "original": X,
    "rotated": random_observation(X, random_state=1),
    "diffeomorphic": random_observation(X, nonlinearity=0.3, random_state=2),
    "embedded in 5D + noise": random_observation(X, n_features=5, noise=0.01,
                                                 random_state=3),
    "new trials": make_van_der_pol(mu=1.0, n_trials=10, n_timepoints=1500,
                                   random_state=6),
    "mu = 0.2": make_van_der_pol(mu=0.2, n_trials=10, n_timepoints=1500, random_state=4),
    "mu = 3": make_van_der_pol(mu=3.0, n_trials=10, n_timepoints=1500, random_state=5),
}
# A small rank keeps the modes that carry the oscillation: with more modes, the
# observation noise of the 5D copy would enter the operator (see the user guide
# on choosing ``rank``).
dsa = DSA(n_delays=20, rank=3, random_state=0)
D = dsa.fit_transform(systems)
print(D["original"].round(3))

# %%
labels = ["mu = 1"] * 5 + ["mu = 0.2", "mu = 3"]
plot_eigenvalues(dsa.operators_, labels, zoom=True, title="DMD eigenvalues")
plt.show()
