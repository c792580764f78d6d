"""Non-normality and transient growth against closed forms and invariances."""

import numpy as np
import pytest

from skdsa import DSA
from skdsa.datasets import make_rnn
from skdsa.dmd import departure_from_normality, operator_statistics, transient_growth
from skdsa.metrics._orthogonal import random_orthogonal


def jordan_norm(p, q):
    """||[[p, q], [0, p]]||_2 in closed form."""
    return (np.sqrt(q**2 + 4 * p**2) + abs(q)) / 2


@pytest.mark.parametrize("a, b", [(0.9, 5.0), (0.5, 1.0), (0.99, 0.1)])
def test_a_jordan_block_against_its_closed_form(a, b):
    A = np.array([[a, b], [0.0, a]])
    # Henrici: ||A||_F^2 - sum |lambda|^2 = b^2.
    assert departure_from_normality(A, relative=False) == pytest.approx(b)
    assert departure_from_normality(A) == pytest.approx(b / np.linalg.norm(A))
    # A^k = [[a^k, k b a^(k-1)], [0, a^k]].
    norms = [jordan_norm(a**k, k * b * a ** (k - 1)) for k in range(1, 201)]
    growth, step = transient_growth(A, n_steps=200)
    assert growth == pytest.approx(max(norms)) and step == int(np.argmax(norms)) + 1


def test_normal_operators_do_not_amplify_and_statistics_ignore_rotations():
    rng = np.random.default_rng(0)
    Q = random_orthogonal(5, rng)
    normal = Q @ np.diag([0.95, 0.9, -0.5, 0.3, 0.1]) @ Q.T
    assert departure_from_normality(normal) < 1e-7
    assert transient_growth(normal) == (pytest.approx(0.95), 1)
    A = rng.normal(size=(5, 5)) / 3
    R = random_orthogonal(5, rng)
    table = operator_statistics([A, R @ A @ R.T], ["A", "rotated"])
    np.testing.assert_allclose(table.loc["A"], table.loc["rotated"], rtol=1e-8)
    assert list(table.index) == ["A", "rotated"]
    assert table.loc["A", "departure_from_normality"] > 0.1


def test_statistics_of_a_dsa_fit_are_per_system():
    systems = {f"gain {g}": make_rnn(n_units=8, gain=g, n_trials=4, n_timepoints=200,
                                     random_state=k) for k, g in enumerate([0.5, 1.5])}
    dsa = DSA(n_delays=2, rank=6, random_state=0).fit(systems)
    table = operator_statistics(dsa.operators_, dsa.system_names_)
    assert list(table.index) == list(systems)
    radius = [np.abs(np.linalg.eigvals(A)).max() for A in dsa.operators_]
    np.testing.assert_allclose(table["spectral_radius"], radius)
    assert (table["max_growth"] >= table["spectral_radius"] - 1e-12).all()
