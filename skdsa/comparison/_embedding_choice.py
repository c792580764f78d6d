"""Choosing the delays and the rank from the data: cross-validated multi-step forecast skill."""

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from ..dmd import DMDRegressor
from ..embedding import HankelEmbedder
from ..embedding._validation import check_embedding
from ..recordings._validation import read_trials
from ..utils._threads import one_blas_thread

DELAY_CANDIDATES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
RANK_CANDIDATES = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128)


def _folds(trials, max_trials):
    """Two (train, test) splits: even and odd trials, or the two halves of one series."""
    if len(trials) >= 2:
        even, odd = trials[0::2][:max_trials], trials[1::2][:max_trials]
        return [(even, odd), (odd, even)]
    x = trials[0]
    half = len(x) // 2
    return [([x[:half]], [x[half:]]), ([x[half:]], [x[:half]])]


def forecast_skill(train, test, n_delays, delay_interval=1, alpha=0.0, horizon=10, rank=None):
    """Skill of forecasting the raw features 1 to ``horizon`` steps ahead on held-out data.

    A Hankel DMD model (``n_delays``; ``rank`` modes, by default every mode the
    data resolve: the Gavish-Donoho rank keeps 1 of 2 modes of an exact
    two-dimensional spiral, and its forecasts then fail) is fitted on ``train``;
    on ``test`` its ``k``-step forecasts are compared with persistence (``x[t + k]
    = x[t]``): skill ``1 - MSE(model) / MSE(persistence)``, averaged over ``k``. 0
    is no better than persistence, 1 is perfect; unlike R^2 it does not saturate
    on slowly sampled data, where every forecast of the next step is close.

    Parameters
    ----------
    train, test : list of ndarray of shape (n_timepoints_i, n_features)
        Trials.
    n_delays, delay_interval : int
        The embedding.
    alpha : float, default=0.0
        Ridge penalty of the DMD fit.
    horizon : int, default=10
        Forecast steps.
    rank : int or None, default=None
        Modes of the DMD fit (None: every mode).

    Returns
    -------
    skill : float
    """
    with one_blas_thread():
        hankel = HankelEmbedder(n_delays, delay_interval).fit(train)
        dmd = _operator_only(hankel, train, rank=rank, alpha=alpha)
        return _skill(hankel, test, dmd.operator_, dmd.components_, dmd._reconstruction,
                      horizon)


def _skills_by_rank(train, test, n_delays, ranks, delay_interval, alpha, horizon):
    """:func:`forecast_skill` at each of ``ranks``, from one decomposition of ``train``.

    A rank-``r`` model regresses the next step on the current one in the
    first ``r`` whitened coordinates of the SVD, so the Gram matrices of every
    rank are leading blocks of those of all the modes the data resolve (the
    exact SVD's, as ``DMDRegressor(rank=r, svd_solver="full")`` would fit).
    NaN where ``r`` exceeds them.
    """
    with one_blas_thread():
        hankel = HankelEmbedder(n_delays, delay_interval).fit(train)
        dmd = _operator_only(hankel, train, alpha=alpha, svd_solver="full")
        whitened = [np.asarray(hankel.transform(x)) @ dmd.components_.T for x in train]
        current = sum(z[:-1].T @ z[:-1] for z in whitened)
        transition = sum(z[:-1].T @ z[1:] for z in whitened)
        skills = []
        for r in ranks:
            if r > dmd.rank_:
                skills.append(np.nan)
                continue
            B = np.linalg.lstsq(current[:r, :r] + alpha * np.eye(r), transition[:r, :r],
                                rcond=None)[0]
            skills.append(_skill(hankel, test, B.T, dmd.components_[:r],
                                 dmd._reconstruction[:r], horizon))
    return skills


def _operator_only(hankel, train, **params):
    """A DMDRegressor fitted on ``hankel``'s embedding of ``train`` without its spectrum."""
    dmd = DMDRegressor(**params)
    dmd._fit_operator(check_embedding(hankel.transform(train), estimator=dmd, reset=True))
    return dmd


def _skill(hankel, test, operator, components, reconstruction, horizon):
    """The forecast skill on ``test`` of the DMD model ``z -> operator z`` in coordinates
    ``z = x @ components.T`` (``x ~= z @ reconstruction``) of ``hankel``'s embedding."""
    embedded = [np.asarray(hankel.transform(x)) for x in test]
    n_features = test[0].shape[1]
    reduced = [z @ components.T for z in embedded]
    skills = []
    step = reconstruction[:, :n_features]
    for k in range(1, horizon + 1):
        usable = [(z, y) for z, y in zip(embedded, reduced) if len(z) > k]
        if not usable:
            break
        now = np.concatenate([z[:-k, :n_features] for z, _ in usable])
        later = np.concatenate([z[k:, :n_features] for z, _ in usable])
        step = operator.T @ step  # (operator^k)^T reconstruction
        forecast = np.concatenate([y[:-k] for _, y in usable]) @ step
        persistence = np.mean((later - now) ** 2)
        skills.append(1 - np.mean((later - forecast) ** 2) / max(persistence, 1e-300))
    return float(np.mean(skills))


def choose_n_delays(systems, *, delay_interval=1, alpha=0.0, candidates=DELAY_CANDIDATES,
                    horizon=10, max_systems=20, max_trials=10, random_state=None):
    """One ``n_delays`` for a collection, from cross-validated multi-step forecast skill.

    Every system (at most ``max_systems``, drawn by ``random_state``) is split in
    two halves (even and odd trials, at most ``max_trials`` each; or the two
    halves of a single series); a model is fitted on one half and scored on the
    other by :func:`forecast_skill`, both ways. The choice is the fewest delays
    whose mean skill over the systems is within one standard error (and at least
    0.01) of the best: a longer embedding is taken only where it forecasts clearly
    better.

    Parameters
    ----------
    systems : list of recordings
        One recording per system, as DSA takes them.
    delay_interval : int, default=1
        Steps between lags.
    alpha : float, default=0.0
        Ridge penalty of the DMD fits.
    candidates : sequence of int
        Delays tried; those that leave a held-out half fewer than ``3 * horizon``
        timepoints after the delay window are skipped.
    horizon : int, default=10
        Forecast steps.
    max_systems, max_trials : int, default=20, 10
        Systems scored, and trials per half (subsets beyond them).
    random_state : int, RandomState instance or None
        Draws the subset of systems.

    Returns
    -------
    n_delays : int
    scores : DataFrame
        Per candidate ``n_delays``: the mean skill over the systems (``mean``),
        its standard error (``sem``), and whether it was ``chosen``.
    """
    folds = _split(systems, max_systems, max_trials, random_state)
    shortest = min(len(x) for split in folds for _, test in split for x in test)
    usable = [d for d in candidates if shortest - (d - 1) * delay_interval >= 3 * horizon]
    if not usable:
        raise ValueError(
            f"n_delays='auto' needs held-out trials of at least {3 * horizon} timepoints "
            f"after the delay window; the shortest has {shortest}. Pass n_delays as an "
            "integer."
        )
    scores = _score(folds, usable, lambda train, test: [
        _skill_or_nan(forecast_skill, train, test, d, delay_interval, alpha, horizon)
        for d in usable])
    scores.index.name = "n_delays"
    return _fewest_within_one_se(scores), scores


def choose_rank(systems, n_delays, *, delay_interval=1, alpha=0.0, candidates=RANK_CANDIDATES,
                horizon=10, max_systems=20, max_trials=10, random_state=None):
    """One DMD rank for a collection, from cross-validated multi-step forecast skill.

    The same folds and rule as :func:`choose_n_delays`, over ranks at a given
    embedding: the fewest modes whose mean held-out skill is within one
    standard error (and at least 0.01) of the best. Modes the data do not
    follow (noise) do not forecast held-out trials, so they are left out;
    rank 1 is never a candidate (every angular distance between rank-1
    operators is 0 or pi).

    Parameters
    ----------
    systems : list of recordings
        One recording per system, as DSA takes them.
    n_delays, delay_interval : int
        The embedding.
    alpha : float, default=0.0
        Ridge penalty of the DMD fits.
    candidates : sequence of int
        Ranks tried; those above what a system's embedding allows are skipped.
    horizon, max_systems, max_trials, random_state
        As in :func:`choose_n_delays`.

    Returns
    -------
    rank : int
    scores : DataFrame
        Per candidate rank: ``mean``, ``sem`` and ``chosen``, as for the delays.
    """
    folds = _split(systems, max_systems, max_trials, random_state)
    widest = min(np.shape(x)[1] for split in folds for train, _ in split for x in train)
    usable = [r for r in candidates if 2 <= r <= widest * n_delays]
    if not usable:
        raise ValueError(
            f"rank='auto' needs an embedding of at least 2 dimensions; n_delays={n_delays} "
            f"of {widest} feature(s) gives {widest * n_delays}. Add delays or pass rank."
        )
    scores = _score(folds, usable, lambda train, test: _skills_by_rank(
        train, test, n_delays, usable, delay_interval, alpha, horizon))
    scores.index.name = "rank"
    return _fewest_within_one_se(scores), scores


def _split(systems, max_systems, max_trials, random_state):
    """Each system's two (train, test) folds, for at most ``max_systems`` systems."""
    rng = check_random_state(random_state)
    recordings = [read_trials(system)[0] for system in systems]
    if len(recordings) > max_systems:
        keep = np.sort(rng.choice(len(recordings), max_systems, replace=False))
        recordings = [recordings[k] for k in keep]
    return [_folds(trials, max_trials) for trials in recordings]


def _skill_or_nan(skill, *args):
    try:
        return skill(*args)
    except ValueError:  # e.g. a rank above what the embedding resolves
        return np.nan


def _score(folds, values, skills):
    """Mean skill over systems (each averaged over its folds) and its standard error,
    per value; a value that some fold cannot fit (a rank above its embedding) is left out.

    ``skills(train, test)`` gives the skill of every value on one fold (NaN: not fitted).
    """
    per_system = np.array([np.mean([skills(train, test) for train, test in split], axis=0)
                           for split in folds])
    rows = []
    for value, skill in zip(values, per_system.T):
        if np.isnan(skill).any():
            continue
        sem = np.std(skill, ddof=1) / np.sqrt(len(skill)) if len(skill) > 1 else 0.0
        rows.append({"value": value, "mean": float(np.mean(skill)), "sem": float(sem)})
    if not rows:
        raise ValueError(f"No candidate among {list(values)} could be fitted to every "
                         "system's held-out folds; pass the value as an integer.")
    return pd.DataFrame(rows).set_index("value")


def _fewest_within_one_se(scores):
    """The smallest value within one standard error (and 0.01) of the best; marks it."""
    best = scores["mean"].idxmax()
    # One standard error, and at least 0.01 of skill: differences below it are
    # rounding, e.g. on noise where every embedding has the same skill.
    margin = max(scores.loc[best, "sem"], 0.01)
    chosen = int(scores.index[scores["mean"] >= scores.loc[best, "mean"] - margin].min())
    scores["chosen"] = scores.index == chosen
    return chosen
