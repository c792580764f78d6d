"""n_delays="auto": the delays chosen from cross-validated forecast skill."""

import numpy as np
import pytest

from skdsa import DSA, InputDSA
from skdsa.comparison._embedding_choice import (
    _skills_by_rank,
    choose_n_delays,
    choose_rank,
    forecast_skill,
)
from skdsa.datasets import make_coupled_spirals, make_stable_spiral, random_observation


def test_a_partially_observed_system_gets_enough_delays():
    # One channel of two coupled spirals (4 latent dimensions): a linear model needs
    # at least 4 delays to hold the state; fewer forecast worse than persistence.
    systems = [make_coupled_spirals(n_trials=10, random_state=k)[..., :1] for k in range(4)]
    n_delays, scores = choose_n_delays(systems, random_state=0)
    assert n_delays >= 4
    assert scores.loc[n_delays, "chosen"] and scores["chosen"].sum() == 1
    assert scores.loc[n_delays, "mean"] > scores.loc[1, "mean"] + 0.1


def test_noise_gets_the_fewest_delays():
    # White noise: the best forecast is the mean (skill 0.5 against persistence);
    # more delays only add parameters fitted to noise, and the fewest are kept.
    rng = np.random.default_rng(1)
    n_delays, scores = choose_n_delays([rng.normal(size=(5, 200, 10)) for _ in range(2)])
    assert n_delays == 1 and scores.loc[1, "mean"] == pytest.approx(0.5, abs=0.01)
    assert scores["mean"].is_monotonic_decreasing


def test_the_rank_of_a_linear_system_seen_through_many_noisy_channels_is_its_order():
    # Two coupled spirals (order 4) in 20 noisy channels: the noise spans all 20
    # dimensions, and only the 4 modes of the dynamics forecast held-out trials.
    systems = [random_observation(make_coupled_spirals(n_trials=10, random_state=k),
                                  n_features=20, noise=0.1, random_state=k) for k in range(3)]
    rank, scores = choose_rank(systems, n_delays=1, random_state=0)
    assert rank == 4 and scores.loc[4, "chosen"]
    assert scores.loc[4, "mean"] > scores.loc[3, "mean"] + 0.1
    assert scores.loc[20, "mean"] < scores.loc[4, "mean"]


def test_the_rank_is_never_one_and_says_when_the_embedding_is_too_small():
    rng = np.random.default_rng(1)
    rank, scores = choose_rank([rng.normal(size=(5, 200, 10)) for _ in range(2)], n_delays=1)
    assert rank == 2 and 1 not in scores.index  # noise: the fewest modes allowed
    with pytest.raises(ValueError, match="rank='auto' needs an embedding of at least 2 "
                                         "dimensions; n_delays=1 of 1 feature"):
        choose_rank([rng.normal(size=(5, 200, 1))], n_delays=1)


def test_forecast_skill_is_one_for_exact_dynamics_and_zero_for_persistence():
    X = make_stable_spiral(n_trials=6, noise=0.0, random_state=0)
    assert forecast_skill(list(X[:3]), list(X[3:]), n_delays=1) > 1 - 1e-8
    # A random walk: persistence is the best forecast, so the skill is about 0.
    walks = [np.cumsum(np.random.default_rng(k).normal(size=(200, 1)), axis=0) for k in range(4)]
    assert abs(forecast_skill(walks[:2], walks[2:], n_delays=1)) < 0.05


def test_the_skills_of_all_ranks_from_one_decomposition_are_those_of_separate_fits():
    # choose_rank scores every rank from one SVD of the training half (the Gram
    # matrices of rank r are leading blocks of those of all modes); each must be
    # the skill of a model fitted at that rank, and a rank the data do not
    # resolve is NaN (left out of the choice).
    X = random_observation(make_coupled_spirals(n_trials=8, random_state=0), n_features=6,
                           noise=0.1, random_state=0)
    train, test = list(X[0::2]), list(X[1::2])
    ranks = [2, 4, 7, 12, 13]
    skills = _skills_by_rank(train, test, 2, ranks, delay_interval=1, alpha=1e-3, horizon=5)
    separate = [forecast_skill(train, test, 2, alpha=1e-3, horizon=5, rank=r)
                for r in ranks[:-1]]
    np.testing.assert_allclose(skills[:-1], separate, rtol=0, atol=1e-9)
    assert len(set(np.round(separate, 6))) == len(separate)  # the ranks differ
    assert np.isnan(skills[-1])  # 6 features x 2 delays resolve 12 modes


def test_dsa_with_automatic_delays():
    systems, labels = {}, []
    for k in range(2):
        for f in (0.5, 2.0):
            X = make_stable_spiral(frequency=f, n_trials=10, random_state=10 * k + int(4 * f))
            systems[f"f={f} #{k}"] = X[..., :1]
            labels.append(f)
    # rank=2 (the oscillators' dimension; rank="auto" estimates 1 here, and keeps 2).
    dsa = DSA(n_delays="auto", rank=2, random_state=0)
    D = dsa.fit_transform(systems).to_numpy()
    assert dsa.n_delays_ == int(dsa.delay_scores_.index[dsa.delay_scores_["chosen"]][0])
    assert dsa.n_delays_ >= 2 and all(model[0].n_delays == dsa.n_delays_
                                      for model in dsa.models_)
    fixed = DSA(n_delays=dsa.n_delays_, rank=2, random_state=0).fit_transform(systems)
    np.testing.assert_array_equal(D, fixed.to_numpy())
    assert dsa.transform({"new": systems["f=0.5 #0"]}).shape == (1, 4)
    with pytest.raises(ValueError, match="n_delays"):
        InputDSA(n_delays="auto").fit({})
