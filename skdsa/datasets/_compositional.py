"""Compositional attractors: Lorenz building blocks joined in time (Guilhot et al. 2024).

Guilhot, Wojcik, Achterberg & Costa ("Dynamical similarity analysis uniquely
captures how computations develop in RNNs", 2024) test whether a metric sees
that two systems share building blocks of dynamics: five elementary motifs
(a line, three Lorenz regimes and a line-curve-line-curve chain) are joined
into every ordered triple, and the distance between two triples should fall
with the number of motifs they share. This module rebuilds that test case from
the paper's description and its public code's settings: Euler steps of 0.01,
``sigma = 10``, ``beta = 2.667``, ``rho`` 0.5 ("curve"), 5 ("pattern 1") and 15
("pattern 2"), 200 steps per trial, initial points uniform in the unit cube,
every trial rescaled into the unit volume. The paper's noise test, in which a
second Lorenz pattern is added to a noisy one with a fading weight, is
:func:`make_lorenz_mixing`.
"""

from itertools import permutations

import numpy as np
from sklearn.utils import Bunch, check_random_state

LORENZ_MOTIFS = ("line", "curve", "pattern1", "pattern2", "line_curve_line_curve")
_LORENZ_RHO = {"curve": 0.5, "pattern1": 5.0, "pattern2": 15.0}


def _unit_volume(X):
    """Each trial shifted and scaled by one factor into ``[0, 1]`` (all features)."""
    low = X.min(axis=(1, 2), keepdims=True)
    return (X - low) / (X.max(axis=(1, 2), keepdims=True) - low)


def _lorenz_euler(x0, rho, n_timepoints, dt=0.01, sigma=10.0, beta=2.667):
    X = np.empty((len(x0), n_timepoints, 3))
    X[:, 0] = x0
    for t in range(n_timepoints - 1):
        x, y, z = X[:, t].T
        X[:, t + 1] = X[:, t] + dt * np.c_[sigma * (y - x), rho * x - y - x * z,
                                           x * y - beta * z]
    return _unit_volume(X)


def _line(x0, directions, n_timepoints):
    """Straight paths that accelerate: ``x[t + 1] = x[t] + t d``, as in the paper's code."""
    steps = np.arange(n_timepoints)
    return _unit_volume(x0[:, None] + (steps * (steps - 1) / 2)[None, :, None]
                        * directions[:, None])


def join_motifs(motifs):
    """Join motifs in time, each continuing from where the previous one ended.

    Every motif after the first contributes its increments, so the joined
    trajectory is continuous; it is then subsampled by the number of motifs
    (keeping the length of one) and rescaled into the unit volume.

    Parameters
    ----------
    motifs : list of ndarray of shape (n_trials, n_timepoints, n_features)
        The motifs, in order; trial ``i`` of each is joined with trial ``i`` of
        the others.

    Returns
    -------
    joined : ndarray of shape (n_trials, n_timepoints, n_features)
    """
    parts = [motifs[0]]
    for motif in motifs[1:]:
        # A tiny first step along the previous motif's last one, as in the paper's code.
        start = parts[-1][:, -1] + 1e-4 * (parts[-1][:, -1] - parts[-1][:, -2])
        parts.append(start[:, None] + (motif - motif[:, :1]))
    joined = np.concatenate(parts, axis=1)
    return _unit_volume(joined[:, ::len(motifs)])


def make_lorenz_motifs(n_trials=200, n_timepoints=200, random_state=None):
    """The five elementary motifs of the compositional attractor test.

    Parameters
    ----------
    n_trials : int, default=200
        Trials per motif (the paper's ``num_samples``).
    n_timepoints : int, default=200
        Steps per trial (the paper's ``num_steps``).
    random_state : int, RandomState instance or None
        Seed of the initial points and line directions.

    Returns
    -------
    motifs : dict of str to ndarray of shape (n_trials, n_timepoints, 3)
        Keyed by ``LORENZ_MOTIFS``: "line" (accelerating straight paths in random
        directions), "curve", "pattern1", "pattern2" (Lorenz systems at ``rho``
        0.5, 5 and 15: a spiral into the origin and into one of two fixed
        points) and "line_curve_line_curve" (line, curve, and both again with
        the trials in reverse order, joined by :func:`join_motifs`).
    """
    rng = check_random_state(random_state)
    lines = _line(rng.random_sample((n_trials, 3)), rng.standard_normal((n_trials, 3)),
                  n_timepoints)
    motifs = {"line": lines}
    for name, rho in _LORENZ_RHO.items():
        motifs[name] = _lorenz_euler(rng.random_sample((n_trials, 3)), rho, n_timepoints)
    motifs["line_curve_line_curve"] = join_motifs(
        [lines, motifs["curve"], lines[::-1], motifs["curve"][::-1]])
    return motifs


def make_compositional_lorenz(n_motifs=3, n_trials=200, n_timepoints=200, motif_sets=None,
                              random_state=None):
    """Every ordered choice of ``n_motifs`` of the five motifs, joined in time.

    Parameters
    ----------
    n_motifs : int, default=3
        Motifs per system (3 in the paper: 60 systems).
    n_trials, n_timepoints, random_state
        As in :func:`make_lorenz_motifs` (the same motifs serve every system).
    motif_sets : list of set of str or None, default=None
        Keep only the orderings of these sets of motifs (None: all); a smaller
        test with the same design.

    Returns
    -------
    data : Bunch
        ``systems``: list of ndarray ``(n_trials, n_timepoints, 3)``;
        ``blocks``: the motif names of each system, in order; ``names``: the
        systems' names ("line+curve+pattern1"); ``motifs``: the elementary
        motifs.

    See Also
    --------
    shared_motifs : How many motifs two systems share, the test's ground truth.
    """
    if not 1 <= n_motifs <= len(LORENZ_MOTIFS):
        raise ValueError(f"n_motifs must be between 1 and {len(LORENZ_MOTIFS)}; got {n_motifs}.")
    blocks = list(permutations(LORENZ_MOTIFS, n_motifs))
    if motif_sets is not None:
        wanted = [frozenset(chosen) for chosen in motif_sets]
        unknown = [sorted(w) for w in wanted
                   if len(w) != n_motifs or not w <= set(LORENZ_MOTIFS)]
        if unknown:
            raise ValueError(f"motif_sets must hold sets of {n_motifs} of {LORENZ_MOTIFS}; "
                             f"got {unknown}.")
        blocks = [b for b in blocks if frozenset(b) in wanted]
    motifs = make_lorenz_motifs(n_trials, n_timepoints, random_state)
    systems = [join_motifs([motifs[name] for name in chosen]) if n_motifs > 1
               else motifs[chosen[0]] for chosen in blocks]
    return Bunch(systems=systems, blocks=blocks, names=["+".join(b) for b in blocks],
                 motifs=motifs)


def shared_motifs(blocks):
    """Number of motifs each pair of systems shares, whatever their order.

    Parameters
    ----------
    blocks : list of tuple of str
        The motifs of each system (``make_compositional_lorenz(...).blocks``).

    Returns
    -------
    shared : ndarray of int of shape (n_systems, n_systems)
    """
    sets = [set(b) for b in blocks]
    return np.array([[len(a & b) for b in sets] for a in sets])


#: The seven Lorenz regimes of the paper's noise test (its code's config:
#: "one_attractor" at ``rho`` 0.5, "two_stable_attractors" and
#: "two_unstable_attractors" at three ``rho`` each).
MIXING_PATTERNS = {"curve": 0.5, "two_stable_0": 5.0, "two_stable_1": 10.0,
                   "two_stable_2": 15.0, "two_unstable_0": 30.0, "two_unstable_1": 40.0,
                   "two_unstable_2": 50.0}
MIXING_NOISE = (0.004, 0.002, 0.001)
MIXING_LEVELS = (1.0, 0.5, 0.25)


def make_lorenz_mixing(pattern, added, n_trials=200, n_timepoints=200, random_state=None):
    """One ordered pair of the compositional noise test: a pattern, noise, and a second pattern.

    The test (Guilhot et al. 2024, rebuilt from their code) follows three
    "models" of ``pattern`` over three "epochs" in which the noise weakens
    (``MIXING_NOISE``): models 1 and 2 are the pattern under independent noise,
    ``sqrt(1 - s^2) x + s e`` with ``e`` standard normal; model 3 is the pattern
    under its own noise plus the displacement of ``added`` from its start,
    weighted by ``MIXING_LEVELS`` (1, then 0.5, then 0.25). A metric that
    tracks the second pattern should see model 3 approach model 2 steadily
    over the epochs while models 1 and 2 stay close.

    Parameters
    ----------
    pattern, added : str
        Keys of ``MIXING_PATTERNS`` (the paper uses all 42 ordered pairs).
    n_trials, n_timepoints : int, default=200
        As in :func:`make_lorenz_motifs`.
    random_state : int, RandomState instance or None
        Seed of the initial points and the noise.

    Returns
    -------
    data : Bunch
        ``models``: list over the epochs of lists ``[model1, model2, model3]``,
        each of shape ``(n_trials, n_timepoints, 3)``; ``noise`` and
        ``mixing``: the epochs' noise scales and mixing levels.
    """
    for name, value in (("pattern", pattern), ("added", added)):
        if value not in MIXING_PATTERNS:
            raise ValueError(f"{name} must be one of {sorted(MIXING_PATTERNS)}; got {value!r}.")
    rng = check_random_state(random_state)
    base = _lorenz_euler(rng.random_sample((n_trials, 3)), MIXING_PATTERNS[pattern],
                         n_timepoints)
    second = _lorenz_euler(rng.random_sample((n_trials, 3)), MIXING_PATTERNS[added],
                           n_timepoints)

    def noisy(scale):
        return np.sqrt(1 - scale**2) * base + scale * rng.standard_normal(base.shape)

    models = [[noisy(scale), noisy(scale), noisy(scale) + level * (second - second[:, :1])]
              for scale, level in zip(MIXING_NOISE, MIXING_LEVELS)]
    return Bunch(models=models, noise=MIXING_NOISE, mixing=MIXING_LEVELS)
