"""Seeded generators of the example systems of the DSA literature.

Every generator returns trials as an array of shape ``(n_trials, n_timepoints,
n_features)`` (the Fig. 3 trio: recordings with their inputs and conditions),
uses numpy only, and draws every random number from ``random_state``.
"""

import numpy as np
from sklearn.utils import check_random_state

from ..recordings import DrivenRecording


def _euler_maruyama(drift, x0, n_timepoints, dt, noise, rng, shared_noise=None):
    X = np.empty((x0.shape[0], n_timepoints, x0.shape[1]))
    X[:, 0] = x0
    kicks = shared_noise if shared_noise is not None else rng.standard_normal(
        (n_timepoints - 1,) + x0.shape)
    for t in range(n_timepoints - 1):
        X[:, t + 1] = X[:, t] + dt * drift(X[:, t]) + noise * np.sqrt(dt) * kicks[t]
    return X


def _rk4(derivative, x0, n_timepoints, dt, n_burn_in=0):
    x = x0.copy()
    X = np.empty((x0.shape[0], n_timepoints, x0.shape[1]))
    for t in range(-n_burn_in, n_timepoints):
        if t >= 0:
            X[:, t] = x
        k1 = derivative(x)
        k2 = derivative(x + dt / 2 * k1)
        k3 = derivative(x + dt / 2 * k2)
        k4 = derivative(x + dt * k3)
        x = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return X


def make_point_line_saddle(n_trials=50, n_timepoints=100, dt=0.05, noise=0.1,
                           random_state=None):
    """A point attractor, a line attractor and a saddle with identical trial averages, by symmetry.

    A small, fast stand-in for the systems of DSA's Fig. 3 (built there
    differently: see :func:`make_fig3_trio`). A point attractor (``x1' =
    -x1``), a line attractor (``x1' = 0``) and a bistable system with a saddle
    at the origin (``x1' = x1 - x1^3``), each with ``x2' = -x2``, driven by
    noise. All three share their initial conditions and noise, and every trial
    has a mirror trial (``x1 -> -x1``): the dynamics are odd in ``x1``, so the
    trial-averaged trajectories of the three systems are identical (``x1``
    averages to 0, ``x2`` is shared) while single trials move very differently.

    Parameters
    ----------
    n_trials : int, default=50
        Trials per system (rounded up to an even number).
    n_timepoints : int, default=100
        Time steps per trial.
    dt : float, default=0.05
        Integration step.
    noise : float, default=0.1
        Noise amplitude.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    systems : dict of str to ndarray of shape (n_trials, n_timepoints, 2)
        Keys "point attractor", "line attractor", "saddle".
    """
    rng = check_random_state(random_state)
    half = -(-n_trials // 2)
    x0 = np.c_[rng.uniform(-1, 1, half), rng.uniform(0.5, 1.5, half)]
    kicks = rng.standard_normal((n_timepoints - 1, half, 2))
    mirror = np.array([-1.0, 1.0])
    x0 = np.r_[x0, x0 * mirror]
    kicks = np.concatenate([kicks, kicks * mirror], axis=1)
    drifts = {
        "point attractor": lambda x: np.c_[-x[:, 0], -x[:, 1]],
        "line attractor": lambda x: np.c_[np.zeros(len(x)), -x[:, 1]],
        "saddle": lambda x: np.c_[x[:, 0] - x[:, 0] ** 3, -x[:, 1]],
    }
    return {name: _euler_maruyama(f, x0, n_timepoints, dt, noise, rng, kicks)
            for name, f in drifts.items()}


def make_fig3_trio(n_trials=100, duration=100.0, dt=0.01, subsample=10, noise=0.05,
                   drives=(-0.1, 0.1), random_state=None):
    """The saddle, line attractor and point attractor of DSA's Fig. 3, built as in the paper.

    A bistable saddle ``x' = a x^3 + b x + d``, ``y' = c y + d`` is driven by a
    constant drive ``d`` (one condition per drive, ``+-0.1``). A line attractor
    ``A = Rot45 R diag(0, l) R^-1`` with ``R = [[1, 0], [1, 1] / sqrt(2)]`` and
    ``Rot45`` a rotation by 45 degrees (the matrices of the paper's code; one
    eigenvalue stays 0) and a point attractor ``A = diag(-p1, -p2)`` receive
    a feedback input, the same for every trial of a
    condition, ``u[t] = (m[t] - z[t - 1] - dt A z[t - 1]) / dt`` with ``m`` the
    saddle's condition average and ``z`` their own: their condition averages
    follow the saddle's (the feedback linearisation of Galgali et al. 2023),
    while single trials follow their own dynamics. Euler steps of ``dt`` with
    Gaussian noise (``x[t] = x[t - 1] + dt (f(x) + u + noise * N(0, 1))``, as in
    the paper's code), then every ``subsample``-th step is kept. The
    parameters are drawn from the paper's ranges at every call: ``a ~ U(-5,
    -4)``, ``b ~ U(4, 5)``, ``c ~ U(-4, -3)``, ``l ~ U(-3, -2)``, ``p1 ~ U(4,
    5)``, ``p2 ~ U(8, 9)``; the defaults are the paper's (100 trials per
    condition over 100 time units, dt 0.01, noise 0.05, subsampled by 10 to
    1000 steps).

    Parameters
    ----------
    n_trials : int, default=100
        Trials per condition.
    duration : float, default=100.0
        Simulated time.
    dt : float, default=0.01
        Euler step.
    subsample : int, default=10
        Keep every ``subsample``-th step.
    noise : float, default=0.05
        Standard deviation of the state noise.
    drives : sequence of float, default=(-0.1, 0.1)
        The conditions: constant drives of the saddle.
    random_state : int, RandomState instance or None
        Seed of the parameters and the noise.

    Returns
    -------
    systems : dict of str to DrivenRecording
        Keys "saddle", "line attractor", "point attractor". States of shape
        ``(len(drives) * n_trials, n_steps, 2)``; inputs: the drive (saddle) or
        the feedback (attractors); ``conditions``: each trial's drive.
    """
    rng = check_random_state(random_state)
    a, b, c = rng.uniform(-5, -4), rng.uniform(4, 5), rng.uniform(-4, -3)
    line, p1, p2 = rng.uniform(-3, -2), rng.uniform(4, 5), rng.uniform(8, 9)
    R = np.array([[1.0, 0.0], [1.0, 1.0]]) / np.array([[1.0], [np.sqrt(2)]])
    rotation = np.array([[1.0, -1.0], [1.0, 1.0]]) / np.sqrt(2)
    attractors = {
        "line attractor": rotation @ R @ np.diag([0.0, line]) @ np.linalg.inv(R),
        "point attractor": np.diag([-p1, -p2]),
    }
    n_steps = int(round(duration / dt))
    drive = np.repeat(np.asarray(drives, dtype=float)[:, None], n_trials, axis=1)
    shape = (len(drives), n_trials, n_steps, 2)
    states = {name: np.zeros(shape) for name in ("saddle", *attractors)}
    inputs = {name: np.zeros(shape) for name in states}
    inputs["saddle"][:] = drive[:, :, None, None]
    x = states["saddle"]
    for t in range(1, n_steps):
        previous = x[:, :, t - 1]
        flow = np.stack([a * previous[..., 0] ** 3 + b * previous[..., 0] + drive,
                         c * previous[..., 1] + drive], axis=-1)
        x[:, :, t] = previous + dt * (flow + noise * rng.standard_normal(previous.shape))
    target = x.mean(axis=1)
    for name, A in attractors.items():
        z = states[name]
        for t in range(1, n_steps):
            previous = z[:, :, t - 1]
            average = previous.mean(axis=1)
            feedback = (target[:, t] - average - dt * average @ A.T) / dt
            inputs[name][:, :, t] = feedback[:, None]
            z[:, :, t] = previous + dt * (previous @ A.T + feedback[:, None]
                                          + noise * rng.standard_normal(previous.shape))
    conditions = np.repeat(np.asarray(drives), n_trials)

    def trials(data):
        return data[:, :, ::subsample].reshape(-1, data[:, :, ::subsample].shape[2], 2)

    return {name: DrivenRecording(trials(states[name]), trials(inputs[name]), conditions)
            for name in states}


def make_stable_spiral(frequency=1.0, decay=0.5, n_trials=20, n_timepoints=100, dt=0.05,
                       noise=0.1, random_state=None):
    """A stable spiral (a focus): ``x' = [[-decay, -frequency], [frequency, -decay]] x``.

    Parameters
    ----------
    frequency : float, default=1.0
        Angular frequency of the rotation.
    decay : float, default=0.5
        Decay rate towards the point attractor at the origin.
    n_trials, n_timepoints : int
        Trials and steps.
    dt : float, default=0.05
        Euler-Maruyama step.
    noise : float, default=0.1
        Noise amplitude.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 2)
    """
    rng = check_random_state(random_state)
    M = np.array([[-decay, -frequency], [frequency, -decay]])
    x0 = rng.uniform(-1, 1, size=(n_trials, 2))
    return _euler_maruyama(lambda x: x @ M.T, x0, n_timepoints, dt, noise, rng)


def make_coupled_spirals(frequencies=(1.0, 2.0), decay=0.5, n_trials=20, n_timepoints=100,
                         dt=0.05, noise=0.1, random_state=None):
    """Independent stable spirals side by side: a linear system of ``2 * len(frequencies)`` dims.

    Block ``k`` is ``x' = [[-decay, -f_k], [f_k, -decay]] x`` with ``f_k =
    frequencies[k]``; systems with different frequencies have different
    dynamics in any coordinates.

    Parameters
    ----------
    frequencies : sequence of float, default=(1.0, 2.0)
        Angular frequency of each spiral.
    decay : float, default=0.5
        Decay rate of every spiral.
    n_trials, n_timepoints : int
        Trials and steps.
    dt : float, default=0.05
        Euler-Maruyama step.
    noise : float, default=0.1
        Noise amplitude (driving noise, which keeps the dynamics excited).
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 2 * len(frequencies))
    """
    rng = check_random_state(random_state)
    M = np.zeros((2 * len(frequencies),) * 2)
    for k, f in enumerate(frequencies):
        M[2 * k: 2 * k + 2, 2 * k: 2 * k + 2] = [[-decay, -f], [f, -decay]]
    x0 = rng.uniform(-1, 1, size=(n_trials, len(M)))
    return _euler_maruyama(lambda x: x @ M.T, x0, n_timepoints, dt, noise, rng)


def make_lorenz(rho=28.0, sigma=10.0, beta=8.0 / 3.0, n_trials=10, n_timepoints=1000,
                dt=0.01, noise=0.0, random_state=None):
    """Lorenz-63 trajectories, integrated with RK4 after a burn-in.

    Parameters
    ----------
    rho, sigma, beta : float
        Parameters of ``x' = sigma (y - x)``, ``y' = x (rho - z) - y``,
        ``z' = x y - beta z``.
    n_trials, n_timepoints : int
        Trials and time steps.
    dt : float, default=0.01
        Step of integration and sampling.
    noise : float, default=0.0
        Standard deviation of Gaussian observation noise.
    random_state : int, RandomState instance or None
        Seed of the initial conditions and noise.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 3)
    """
    rng = check_random_state(random_state)

    def derivative(s):
        x, y, z = s[:, 0], s[:, 1], s[:, 2]
        return np.c_[sigma * (y - x), x * (rho - z) - y, x * y - beta * z]

    x0 = rng.normal(size=(n_trials, 3)) * 5 + np.array([0.0, 0.0, 20.0])
    X = _rk4(derivative, x0, n_timepoints, dt, n_burn_in=500)
    return X + noise * rng.standard_normal(X.shape)


def make_van_der_pol(mu=1.0, n_trials=10, n_timepoints=1000, dt=0.02, noise=0.0,
                     random_state=None):
    """Van der Pol oscillator ``x' = y``, ``y' = mu (1 - x^2) y - x`` (RK4).

    Parameters
    ----------
    mu : float, default=1.0
        Nonlinearity; 0 is a harmonic oscillator.
    n_trials, n_timepoints : int
        Trials and time steps.
    dt : float, default=0.02
        Step.
    noise : float, default=0.0
        Standard deviation of observation noise.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 2)
    """
    rng = check_random_state(random_state)

    def derivative(s):
        x, y = s[:, 0], s[:, 1]
        return np.c_[y, mu * (1 - x**2) * y - x]

    X = _rk4(derivative, rng.uniform(-3, 3, size=(n_trials, 2)), n_timepoints, dt)
    return X + noise * rng.standard_normal(X.shape)


def make_double_well(n_trials=40, n_timepoints=20, dt=0.5, noise=0.3, random_state=None):
    """A noisy bistable system ``x' = x - x^3``, sampled coarsely (Euler-Maruyama).

    Its one-step map ``x + dt (x - x^3)`` is a cubic polynomial: linear DMD, on
    any number of delays, cannot represent its two wells, while extended DMD on
    polynomial (or spline, or kernel) features of ``x`` can (see the user guide's
    "Nonlinear observables").

    Parameters
    ----------
    n_trials, n_timepoints : int
        Trials (each from a uniform start in ``[-2, 2]``) and time steps.
    dt : float, default=0.5
        Step.
    noise : float, default=0.3
        Standard deviation of the process noise per unit time.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 1)
    """
    rng = check_random_state(random_state)
    X = np.empty((n_trials, n_timepoints, 1))
    X[:, 0, 0] = rng.uniform(-2, 2, n_trials)
    for t in range(1, n_timepoints):
        x = X[:, t - 1, 0]
        X[:, t, 0] = x + dt * (x - x**3) + noise * np.sqrt(dt) * rng.standard_normal(n_trials)
    return X


def make_rnn(n_units=20, gain=1.5, n_trials=10, n_timepoints=500, dt=0.1, noise=0.05,
             random_state=None):
    """Random rate RNN ``x' = -x + W tanh(x) + noise``, ``W ~ N(0, gain^2 / n)``.

    Parameters
    ----------
    n_units : int, default=20
        Number of units.
    gain : float, default=1.5
        Coupling strength (chaotic above about 1 for large networks).
    n_trials, n_timepoints : int
        Trials and steps.
    dt : float, default=0.1
        Euler-Maruyama step.
    noise : float, default=0.05
        Noise amplitude.
    random_state : int, RandomState instance or None
        Seed of the weights, initial states and noise.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, n_units)
    """
    rng = check_random_state(random_state)
    W = gain * rng.standard_normal((n_units, n_units)) / np.sqrt(n_units)
    x0 = rng.standard_normal((n_trials, n_units))
    return _euler_maruyama(lambda x: -x + np.tanh(x) @ W.T, x0, n_timepoints, dt,
                           noise, rng)


def make_ring_attractor(n_trials=20, n_timepoints=200, dt=0.05, noise=0.1,
                        deformation=0.0, random_state=None):
    """A ring attractor: ``r' = r (1 - r^2)``, angle diffusing freely.

    Parameters
    ----------
    n_trials, n_timepoints : int
        Trials and steps.
    dt : float, default=0.05
        Step.
    noise : float, default=0.1
        Noise amplitude.
    deformation : float, default=0.0
        Strength of a smooth deformation of the plane applied to the states
        (``0`` is the circle; small values bend it into an ellipse-like loop).
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 2)
    """
    rng = check_random_state(random_state)

    def drift(x):
        r2 = np.sum(x**2, axis=1, keepdims=True)
        return x * (1 - r2)

    angle = rng.uniform(0, 2 * np.pi, n_trials)
    x0 = np.c_[np.cos(angle), np.sin(angle)] * rng.uniform(0.5, 1.5, (n_trials, 1))
    X = _euler_maruyama(drift, x0, n_timepoints, dt, noise, rng)
    if deformation:
        X = np.stack([X[..., 0] + deformation * X[..., 1] ** 2,
                      X[..., 1] + deformation * np.sin(X[..., 0])], axis=-1)
    return X


def make_line_attractor(n_trials=20, n_timepoints=200, dt=0.05, noise=0.1,
                        random_state=None):
    """A line attractor ``x1' = 0``, ``x2' = -x2``, driven by noise.

    Parameters
    ----------
    n_trials, n_timepoints : int
        Trials and steps.
    dt : float, default=0.05
        Step.
    noise : float, default=0.1
        Noise amplitude.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_trials, n_timepoints, 2)
    """
    rng = check_random_state(random_state)
    x0 = rng.uniform(-1, 1, size=(n_trials, 2))
    return _euler_maruyama(lambda x: np.c_[np.zeros(len(x)), -x[:, 1]], x0,
                           n_timepoints, dt, noise, rng)


def random_observation(X, n_features=None, nonlinearity=0.0, noise=0.0,
                       random_state=None):
    """See a system through random, invertible changes of coordinates.

    The states are rotated by a random orthogonal matrix, optionally bent by
    the smooth, invertible map ``z -> z + nonlinearity * tanh(z)`` (a
    diffeomorphism for ``nonlinearity > -1``) and rotated again, optionally
    lifted into more features, then corrupted by observation noise.

    Parameters
    ----------
    X : ndarray of shape (n_trials, n_timepoints, n_states)
        Trials of one system. Not modified.
    n_features : int or None, default=None
        Number of observed features. Fewer than ``n_states`` gives a partial
        observation (the first features after rotation); more embeds the states
        in a higher-dimensional space. None keeps ``n_states``.
    nonlinearity : float, default=0.0
        Strength of the smooth nonlinear change of coordinates (0: orthogonal only).
    noise : float, default=0.0
        Standard deviation of observation noise, relative to the data's.
    random_state : int, RandomState instance or None
        Seed.

    Returns
    -------
    Y : ndarray of shape (n_trials, n_timepoints, n_features)
    """
    rng = check_random_state(random_state)
    n_states = X.shape[-1]
    n_features = n_features or n_states
    width = max(n_states, n_features)
    lifted = np.zeros(X.shape[:-1] + (width,))
    lifted[..., :n_states] = X
    first = np.linalg.qr(rng.standard_normal((width, width)))[0]
    Y = lifted @ first.T
    if nonlinearity:
        second = np.linalg.qr(rng.standard_normal((width, width)))[0]
        scale = Y.std()
        Y = (Y + nonlinearity * scale * np.tanh(Y / scale)) @ second.T
    Y = Y[..., :n_features]
    return Y + noise * Y.std() * rng.standard_normal(Y.shape)
