"""Fixed points of recurrent maps and their linearisations: the topology DSA sits beside.

Maheswaranathan et al. (2019) compared trained networks by their fixed points
(how many, which are stable, how they connect) and found that topology universal
across architectures, while the local dynamics around the points differ. This
module finds the fixed points of any map ``x[t + 1] = F(x[t])`` written with
``autograd.numpy`` (such as a zoo network under a constant input) and linearises
it there.
"""

from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from autograd import grad, jacobian
from scipy.optimize import minimize

from ._networks import _step


@dataclass(frozen=True, repr=False)
class FixedPoints:
    """Fixed points of a map and its linearisation at each.

    Attributes
    ----------
    points : ndarray of shape (n_points, n_dims)
        The fixed points ``F(x) = x``, distinct, ordered by their first coordinate.
    jacobians : ndarray of shape (n_points, n_dims, n_dims)
        ``dF/dx`` at each point.
    eigenvalues : ndarray of shape (n_points, n_dims)
        Eigenvalues of each Jacobian, by decreasing modulus.
    stable : ndarray of bool of shape (n_points,)
        Whether every eigenvalue lies inside the unit circle (an attractor).
    residuals : ndarray of shape (n_points,)
        ``||F(x) - x||`` at each point.
    """

    points: np.ndarray
    jacobians: np.ndarray
    eigenvalues: np.ndarray
    stable: np.ndarray
    residuals: np.ndarray

    @property
    def n_stable(self):
        """Number of stable fixed points."""
        return int(self.stable.sum())

    def __repr__(self):
        return (f"FixedPoints(n_points={len(self.points)}, n_stable={self.n_stable}, "
                f"max_residual={self.residuals.max(initial=0):.2g})")


def find_fixed_points(step, initial_states, *, tol=1e-8, merge_tol=1e-4, max_iter=500):
    """Fixed points of the map ``step`` found from many initial states.

    Each initial state descends the speed ``q(x) = ||F(x) - x||^2 / 2`` (L-BFGS,
    all states at once), then Newton's method on ``F(x) = x`` polishes the
    candidates near a root; what converges to ``||F(x) - x|| <= tol`` is kept,
    merged when closer than ``merge_tol``. Slow points that are not fixed
    points (local minima of ``q`` above 0) are left out.

    Parameters
    ----------
    step : callable
        ``F``: maps states of shape ``(n_states, n_dims)`` to the next states,
        written with ``autograd.numpy`` (it is differentiated).
    initial_states : array-like of shape (n_states, n_dims)
        Where to start, e.g. states visited by the network on task trials.
    tol : float, default=1e-8
        Largest ``||F(x) - x||`` of a fixed point.
    merge_tol : float, default=1e-4
        Points closer than this are one.
    max_iter : int, default=500
        Iterations of L-BFGS.

    Returns
    -------
    fixed_points : FixedPoints
    """
    states = np.array(initial_states, dtype=np.float64)
    n_states, n_dims = states.shape

    def speed(flat):
        x = anp.reshape(flat, (n_states, n_dims))
        return 0.5 * anp.sum((step(x) - x) ** 2)

    descended = minimize(speed, states.ravel(), jac=grad(speed), method="L-BFGS-B",
                         options={"maxiter": max_iter, "gtol": 1e-12, "ftol": 1e-15})
    candidates = descended.x.reshape(n_states, n_dims)

    def single(x):
        return step(anp.reshape(x, (1, n_dims)))[0]

    derivative = jacobian(single)
    found = []
    for x in candidates:
        for _ in range(20):  # Newton: quadratic convergence near a root
            residual = single(x) - x
            if np.linalg.norm(residual) <= tol:
                break
            try:
                x = x - np.linalg.solve(derivative(x) - np.eye(n_dims), residual)
            except np.linalg.LinAlgError:
                break
        if np.linalg.norm(single(x) - x) <= tol and not any(
                np.linalg.norm(x - y) < merge_tol for y in found):
            found.append(x)
    points = np.array(sorted(found, key=lambda x: tuple(np.round(x, 6)))).reshape(-1, n_dims)
    jacobians = np.array([derivative(x) for x in points]).reshape(-1, n_dims, n_dims)
    eigenvalues = np.array([sorted(np.linalg.eigvals(J), key=abs, reverse=True)
                            for J in jacobians]).reshape(-1, n_dims)
    return FixedPoints(points, jacobians, eigenvalues,
                       np.abs(eigenvalues).max(axis=1, initial=0) < 1,
                       np.array([np.linalg.norm(single(x) - x) for x in points]))


def network_map(params, architecture, inputs):
    """A zoo network's step under a constant input, as a map of its state.

    Parameters
    ----------
    params : dict of str to ndarray
        The network's parameters (e.g. from ``skdsa.datasets.load_rnn_zoo``).
    architecture : str
        One of ``skdsa.zoo.ARCHITECTURES``.
    inputs : array-like of shape (n_inputs,)
        The constant input (zeros: the network left to itself).

    Returns
    -------
    step : callable
        Maps states ``(n_states, n_dims)`` to the next states; ``n_dims`` is the
        number of units, twice that for an LSTM (``[h, c]``).
    """
    params = {key: np.asarray(value, dtype=np.float64) for key, value in params.items()}
    n = params["W"].shape[0]
    drive = np.asarray(inputs, dtype=np.float64) @ params["U"] + params["b"]

    def step(states):
        drives = anp.ones((states.shape[0], 1)) * drive
        if architecture == "lstm":
            h, c = _step(architecture, params, drives, (states[:, :n], states[:, n:]), n)
            return anp.concatenate([h, c], axis=1)
        return _step(architecture, params, drives, states, n)

    return step
