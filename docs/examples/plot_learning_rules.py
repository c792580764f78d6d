"""
Which learning rule trained this network? DSA on observables across training
============================================================================

Ostrow et al. (2023, Fig. 5) asked whether the rule that trains a network can
be told, without labels, from how its observables change over training: the
layer statistics of Nayebi et al. (2020), recorded at checkpoints, form one
trajectory per network, and networks trained by the same rule should have
similar dynamics. Nayebi et al. had trained deep convolutional networks on
ImageNet by four rules and read the rule with supervised classifiers; Ostrow et
al. reported that DSA separates the rules better than a geometric comparison.

This example rebuilds the study at small scale, so it is not the paper's
setting (:func:`~skdsa.datasets.make_learning_rule_observables`):

* 32 perceptrons ``64 -> 128 -> 64 -> 10`` (ReLU) classify scikit-learn's
  bundled 8 x 8 digits for 12 epochs, 8 per rule: SGD with momentum, Adam,
  feedback alignment and information alignment (Kunin, Nayebi et al. 2020:
  the feedback weights learn by the local amp + null + decay rule). Networks
  with the same index share initial weights and minibatches.
* Observables: Nayebi et al.'s 24 "admissible" statistics (weights,
  activations on 256 held-out digits, activation gradients; raw, absolute,
  squared; mean, median, norm, third quartile, variance) in each of the three
  layers, every 6 steps: a trajectory of 85 records x 72 observables, each
  observable standardised over the whole population.
* Dynamics: DSA (angular) with 5 delays and rank 10, and two neighbours.
* Geometry: the Procrustes shape distance between the trajectories
  (:class:`~skdsa.GeometricDistance`), and the euclidean distance between the
  observables at the end of training (no time at all).
* Identification without labels: 4-fold cross-validated accuracy of a logistic
  regression on a 4-D MDS embedding of each distance matrix
  (:func:`~skdsa.stats.separability`; chance 0.25) and the silhouette of the
  rules.
* Ceiling, with labels: Nayebi et al.'s classifiers (linear SVM, random forest)
  on the flattened trajectories, same 4 folds.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import silhouette_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.datasets import TRAINING_RULES, make_learning_rule_observables
from skdsa.plotting import plot_mds
from skdsa.stats import separability

data = make_learning_rule_observables(n_networks=8, random_state=0)
rules = data.rules
summary = pd.DataFrame({
    "held-out accuracy": [np.mean([data.accuracy[n][-1] for n in data.accuracy
                                   if n.startswith(rule + "/")]) for rule in TRAINING_RULES],
    "feedback angle, middle layer (deg)": [
        np.mean([data.alignment[n][-1, 0] for n in data.alignment if n.startswith(rule + "/")])
        for rule in TRAINING_RULES]}, index=TRAINING_RULES)
print(summary.round(3))

X = np.stack(list(data.trajectories.values()))
scale = X.std((0, 1))
Z = (X - X.mean((0, 1))) / np.where(scale > 0, scale, 1)
trajectories = dict(zip(data.trajectories, Z))

# %%
# Distance matrices between the 32 networks.


def dsa(n_delays, rank):
    model = Pipeline([("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=rank))])
    return DSA(model=model, n_jobs=2, random_state=0).fit_transform(trajectories)


final = Z[:, -1]
distances = {
    "DSA, 5 delays, rank 10": dsa(5, 10),
    "DSA, 3 delays, rank 6": dsa(3, 6),
    "DSA, 10 delays, rank 20": dsa(10, 20),
    "Procrustes, trajectories": GeometricDistance().fit_transform(trajectories),
    "observables at the end": np.linalg.norm(final[:, None] - final[None], axis=-1),
}
table = pd.DataFrame({
    "accuracy": [separability(np.asarray(D), rules, n_components=4, n_splits=4).accuracy
                 for D in distances.values()],
    "silhouette": [silhouette_score(np.asarray(D), rules, metric="precomputed")
                   for D in distances.values()]}, index=list(distances))

folds = StratifiedKFold(4, shuffle=True, random_state=0)
flat = Z.reshape(len(Z), -1)
for name, classifier in [
        ("supervised: linear SVM", make_pipeline(StandardScaler(), LinearSVC())),
        ("supervised: random forest", RandomForestClassifier(random_state=0))]:
    table.loc[name, "accuracy"] = cross_val_score(classifier, flat, rules, cv=folds).mean()
print(table.round(3).to_string())

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
plot_mds(np.asarray(distances["DSA, 5 delays, rank 10"]), rules, title="MDS of DSA",
         ax=axes[0])
plot_mds(np.asarray(distances["Procrustes, trajectories"]), rules,
         title="MDS of Procrustes (trajectories)", ax=axes[1])
fig.tight_layout()
plt.show()

# %%
# What reproduces and what does not
# ---------------------------------
# Measured on 2026-12-07 (the numbers above come from the same run):
#
# * Every rule learns: held-out accuracy 0.97-0.98 for SGD with momentum and
#   Adam, 0.93-0.96 for the two alignment rules. Information alignment turns
#   the middle layer's feedback towards its forward weights (about 71 degrees
#   against 87 for fixed feedback); its target is half a left inverse of the
#   weights, not their transpose (tested).
# * **Reproduced: the rule can be read from the observables.** With labels,
#   Nayebi et al.'s classifiers identify every network (accuracy 1.0 for both);
#   without labels, the Procrustes distance between trajectories identifies
#   the rule with accuracy 0.91 (silhouette 0.30), and the observables at the
#   end of training alone reach 0.78 (silhouette 0.35).
# * **Not reproduced: DSA ahead of geometry.** DSA identifies the rule at
#   0.41-0.59 (silhouettes -0.09 to 0.07), well below Procrustes, at all three
#   settings; the automatic choice (``n_delays="auto", rank="auto"``: 6
#   delays, rank 29) does no better (0.56). What separates these rules here is
#   where the observables go (their levels and scales, such as Adam's weight
#   statistics and the alignment rules' slower start), which a shape distance
#   sees and a comparison of linear dynamics discards by design.
# * The preprocessing matters as much as the metric: standardising each
#   network's observables on its own (removing their levels and scales)
#   lowers Procrustes to 0.78 and DSA to 0.22-0.47 at the three settings,
#   while the automatic choice (4 delays, rank 31) then reaches 0.78 too.
# * On the small regression students of
#   :func:`~skdsa.datasets.make_learning_trajectories` (activity, not
#   observables) the two were on a par (DSA 0.75, Procrustes 0.69). The
#   paper's networks were deep and trained for many epochs on ImageNet; this
#   example does not support its claim at small scale, and does not refute it
#   at large scale.
