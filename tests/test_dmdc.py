"""DMD with control and subspace identification: known answers on driven linear systems."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline

from skdsa import DMDcRegressor, DrivenRecording, HankelEmbedder, SubspaceDMDcRegressor
from skdsa.datasets import make_driven_linear


def simulate(A, B, U, x0):
    """Noiseless x[t + 1] = A x[t] + B u[t], trial by trial (a list of trials allowed)."""
    trials = []
    for u, start in zip(U, x0):
        x = np.empty((len(u), len(A)))
        x[0] = start
        for t in range(len(u) - 1):
            x[t + 1] = A @ x[t] + B @ u[t]
        trials.append(x)
    return trials


def system(rng, n=4, m=2):
    A = rng.normal(size=(n, n))
    A *= 0.9 / np.max(np.abs(np.linalg.eigvals(A)))
    return A, rng.normal(size=(n, m))


def sorted_eigenvalues(M):
    return np.sort_complex(np.linalg.eigvals(M))


@pytest.mark.parametrize("layout", ["2d", "3d", "list"])
def test_a_noiseless_driven_linear_system_gives_back_its_A_and_B(layout):
    rng = np.random.default_rng(0)
    A, B = system(rng)
    lengths = {"2d": [400], "3d": [150] * 4, "list": [120, 200, 90]}[layout]
    U = [rng.normal(size=(T, 2)) for T in lengths]
    X = simulate(A, B, U, rng.normal(size=(len(lengths), 4)))
    if layout == "2d":
        X, U = X[0], U[0]
    elif layout == "3d":
        X, U = np.stack(X), np.stack(U)
    dmdc = DMDcRegressor().fit(DrivenRecording(X, U))
    np.testing.assert_allclose(np.sort_complex(dmdc.eigenvalues_), sorted_eigenvalues(A),
                               atol=1e-8)
    np.testing.assert_allclose(dmdc.full_operator_, A, atol=1e-8)
    np.testing.assert_allclose(dmdc.full_input_operator_, B, atol=1e-8)
    # The reduced operators are the same system in orthonormal coordinates.
    P = dmdc.components_
    np.testing.assert_allclose(dmdc.operator_, P @ A @ P.T, atol=1e-8)
    np.testing.assert_allclose(dmdc.input_operator_, P @ B, atol=1e-8)
    assert dmdc.score(DrivenRecording(X, U)) == pytest.approx(1.0, abs=1e-10)


def test_trailing_input_columns_are_the_same_as_a_driven_recording():
    rng = np.random.default_rng(1)
    A, B = system(rng)
    U = rng.normal(size=(3, 100, 2))
    X = np.stack(simulate(A, B, U, rng.normal(size=(3, 4))))
    stacked = DMDcRegressor(n_inputs=2).fit(np.concatenate([X, U], axis=2))
    recording = DMDcRegressor().fit(DrivenRecording(X, U))
    np.testing.assert_allclose(stacked.operator_, recording.operator_, atol=1e-12)
    np.testing.assert_allclose(stacked.input_operator_, recording.input_operator_, atol=1e-12)


def test_transitions_never_cross_trials():
    # Trials whose ends and starts are unrelated: a transition across the
    # boundary would not follow A and would spoil the noiseless fit.
    rng = np.random.default_rng(2)
    A, B = system(rng)
    U = [rng.normal(size=(30, 2)) for _ in range(8)]
    X = simulate(A, B, U, 10 * rng.normal(size=(8, 4)))
    dmdc = DMDcRegressor().fit(DrivenRecording(X, U))
    np.testing.assert_allclose(dmdc.full_operator_, A, atol=1e-8)


def test_delay_embedding_of_a_driven_system_keeps_its_eigenvalues():
    # [x[t], x[t-1], x[t-2]] evolves linearly given u[t]; it spans n + 2 m
    # directions, so the embedded operator holds A's eigenvalues and zeros (a
    # nilpotent shift block, whose eigenvalues move by the square root of any
    # rounding error: hence the looser tolerance on them).
    rng = np.random.default_rng(3)
    A, B = system(rng, n=3, m=1)
    U = rng.normal(size=(4, 200, 1))
    X = np.stack(simulate(A, B, U, rng.normal(size=(4, 3))))
    model = Pipeline([("hankel", HankelEmbedder(3)), ("dmd", DMDcRegressor(rank=5))])
    model.fit(DrivenRecording(X, U))
    eigenvalues = model[-1].eigenvalues_
    for value in np.linalg.eigvals(A):
        assert np.min(np.abs(eigenvalues - value)) < 1e-8
    assert np.sum(np.abs(eigenvalues) < 1e-6) == 2


def test_input_lags_recover_a_delayed_drive():
    rng = np.random.default_rng(4)
    A, B0 = system(rng, n=3, m=1)
    B1 = rng.normal(size=(3, 1))
    u = rng.normal(size=(500, 1))
    x = np.zeros((500, 3))
    for t in range(1, 499):
        x[t + 1] = A @ x[t] + B0 @ u[t] + B1 @ u[t - 1]
    dmdc = DMDcRegressor(n_input_delays=2).fit(DrivenRecording(x, u))
    np.testing.assert_allclose(dmdc.full_operator_, A, atol=1e-8)
    np.testing.assert_allclose(dmdc.full_input_operator_, np.hstack([B0, B1]), atol=1e-8)


def test_a_forecast_through_a_whole_trial_is_the_driven_simulation():
    rng = np.random.default_rng(5)
    A, B = system(rng)
    U = rng.normal(size=(2, 60, 2))
    X = np.stack(simulate(A, B, U, rng.normal(size=(2, 4))))
    recording = DrivenRecording(X, U)
    dmdc = DMDcRegressor().fit(recording)
    forecast = dmdc.predict(recording, n_steps=59)
    np.testing.assert_allclose(forecast[:, 0], X[:, -1], atol=1e-8)
    assert np.isnan(forecast[:, 1:]).all()
    np.testing.assert_allclose(dmdc.predict(recording)[:, :-1], X[:, 1:], atol=1e-8)
    assert dmdc.transform(recording).shape == (2, 60, 4)


def test_trials_are_the_cross_validation_unit_and_the_inputs_follow_them():
    recording, A, _, _ = make_driven_linear(n_trials=12, noise=0.0, random_state=0,
                                            return_system=True)
    assert recording[[0, 3]].states.shape == (2, 200, 4)
    assert recording[[0, 3]].inputs.shape == (2, 200, 2)
    scores = cross_val_score(DMDcRegressor(), recording, cv=KFold(4))
    np.testing.assert_allclose(scores, 1.0, atol=1e-10)
    model = Pipeline([("hankel", HankelEmbedder()), ("dmd", DMDcRegressor(n_observed=4))])
    search = GridSearchCV(model, {"dmd__rank": [2, 3, 4]}, cv=KFold(3)).fit(recording)
    assert search.best_params_ == {"dmd__rank": 4}


def test_the_callers_arrays_are_not_modified():
    recording = make_driven_linear(n_trials=3, random_state=1)
    states, inputs = recording.states.copy(), recording.inputs.copy()
    recording.states.setflags(write=False)
    recording.inputs.setflags(write=False)
    DMDcRegressor(rank=3).fit(recording).score(recording)
    np.testing.assert_array_equal(recording.states, states)
    np.testing.assert_array_equal(recording.inputs, inputs)


def test_subspace_identification_recovers_a_partially_observed_driven_system():
    recording, A, B, C = make_driven_linear(n_states=4, n_observed=2, n_trials=10,
                                            n_timepoints=300, noise=0.0, random_state=2,
                                            return_system=True)
    assert recording.states.shape == (10, 300, 2)
    model = SubspaceDMDcRegressor(n_past=4, n_future=4, rank=4).fit(recording)
    np.testing.assert_allclose(np.sort_complex(model.eigenvalues_), sorted_eigenvalues(A),
                               atol=1e-8)
    # The identified system has the true transfer from inputs to outputs.
    markov = [C @ np.linalg.matrix_power(A, k) @ B for k in range(4)]
    identified = [model.output_operator_ @ np.linalg.matrix_power(model.operator_, k)
                  @ model.input_operator_ for k in range(4)]
    np.testing.assert_allclose(identified, markov, atol=1e-8)
    held_out = make_driven_linear(n_states=4, n_observed=2, n_trials=3, noise=0.0,
                                  random_state=3)
    assert model.score(held_out) > 0.999
    # DMD with control on the two outputs alone cannot see the four states.
    assert not np.allclose(np.sort_complex(DMDcRegressor().fit(recording).eigenvalues_),
                           sorted_eigenvalues(A)[:2], atol=1e-3)


def test_subspace_identification_with_noise_is_close():
    recording, A, _, _ = make_driven_linear(n_states=3, n_observed=2, n_trials=20,
                                            n_timepoints=500, noise=0.01, random_state=4,
                                            return_system=True)
    model = SubspaceDMDcRegressor(n_past=6, n_future=6, rank=3).fit(recording)
    np.testing.assert_allclose(np.sort_complex(model.eigenvalues_), sorted_eigenvalues(A),
                               atol=0.02)
    assert model.signal_rank_ >= 3
