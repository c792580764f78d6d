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
from autograd import grad
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
        each state on its own, written with ``autograd.numpy`` (it is
        differentiated).
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

    # Line searches and Newton steps can try far-off states, where tanh's
    # derivative 1 / cosh^2 overflows to its limit 0: harmless, so not reported.
    with np.errstate(over="ignore"):
        descended = minimize(speed, states.ravel(), jac=grad(speed), method="L-BFGS-B",
                             options={"maxiter": max_iter, "gtol": 1e-12, "ftol": 1e-15})
        return _polish(step, descended.x.reshape(n_states, n_dims), tol, merge_tol)


def _polish(step, candidates, tol, merge_tol):
    """Newton's method from each candidate; the distinct roots, linearised."""
    n_dims = candidates.shape[1]

    def single(x):
        return step(x[None])[0]

    def derivative(x):
        # Row k of the Jacobian is the gradient of output k: one backward pass
        # through n_dims copies of x, each weighted on its own output.
        return grad(lambda copies: anp.sum(step(copies) * np.eye(n_dims)))(
            np.tile(x, (n_dims, 1)))
    found = []
    for x in candidates:
        if any(np.linalg.norm(x - y) < merge_tol for y in found):
            continue  # descended onto a point already polished: no Newton steps needed
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


def _check_cell(architecture):
    if architecture == "selective_ssm":
        raise ValueError("architecture must be a recurrent cell; a 'selective_ssm' under a "
                         "constant input is a stable linear system (one fixed point, its "
                         "eigenvalues exp(delta A)), so there is nothing to search for.")


def network_states(params, architecture, inputs):
    """The states a zoo network visits on trials, as :func:`network_map` sees them.

    The hidden states of :func:`run_network`, with an LSTM's cell state
    appended (``[h, c]``): the starting points for :func:`find_fixed_points`.

    Parameters
    ----------
    params : dict of str to ndarray
        The network's parameters.
    architecture : str
        One of ``skdsa.zoo.ARCHITECTURES``.
    inputs : ndarray of shape (n_trials, n_timepoints, n_inputs)
        The trials.

    Returns
    -------
    states : ndarray of shape (n_trials, n_timepoints, n_dims)
    """
    _check_cell(architecture)
    params = {key: np.asarray(value, dtype=np.float64) for key, value in params.items()}
    inputs = np.asarray(inputs, dtype=np.float64)
    n = params["W"].shape[0]
    drives = inputs @ params["U"] + params["b"]
    zero = np.zeros((len(inputs), n))
    state = (zero, zero) if architecture == "lstm" else zero
    visited = []
    for t in range(inputs.shape[1]):
        state = _step(architecture, params, drives[:, t], state, n)
        visited.append(np.hstack(state) if architecture == "lstm" else state)
    return np.stack(visited, axis=1)


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
    _check_cell(architecture)
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
