"""What DSA says about its input and its fits: the checks behind sound defaults.

Each warns (at the caller's line) where a choice of layout, rank or input type
would make a distance meaningless, and says what to do instead.
"""

from numbers import Integral

import numpy as np

from ..exceptions import DegenerateOperatorWarning, NoiseModeWarning
from ..recordings import DrivenRecording
from ..utils._warnings import warn


def _timepoints_and_features(system):
    """Longest trial and feature count of a recording, or None where unknown."""
    system = getattr(system, "states", system)  # a DrivenRecording's states
    if isinstance(system, (list, tuple)) and system and np.ndim(system[0]) == 2:
        return max(np.shape(trial)[0] for trial in system), np.shape(system[0])[1]
    shape = np.shape(system) if hasattr(system, "shape") else ()
    return shape[-2:] if len(shape) in (2, 3) else None


def warn_if_transposed(systems, names):
    """Warn about systems with more than twice as many features as timepoints per trial.

    Such a trial is rarely meant: it is usually a recording exported as
    ``(n_trials, n_features, n_timepoints)`` (a common MATLAB layout), which
    read as ``(n_trials, n_timepoints, n_features)`` gives a meaningless distance.
    (Short trials of a wide network, e.g. 60 steps of 64 units, stay below the
    factor of 2.)
    """
    suspects = []
    for system, name in zip(systems, names):
        sizes = _timepoints_and_features(system)
        if sizes is not None and sizes[1] > 2 * sizes[0]:
            suspects.append(f"{name} ({sizes[0]} timepoints, {sizes[1]} features)")
    if suspects:
        warn(f"{len(suspects)} system(s) have more than twice as many features as "
             "timepoints per trial: "
             f"{', '.join(suspects[:3])}{' ...' if len(suspects) > 3 else ''}. If a "
             "recording was exported as (trials, features, time), transpose it "
             "(X.transpose(0, 2, 1)) or pass an xarray DataArray with named dimensions; "
             "if the layout is right, reduce the features first (e.g. "
             "SeriesTransformer(PCA(...)) in the per-system model).")


def states_of(systems, names):
    """The systems with each DrivenRecording replaced by its states, saying so."""
    driven = [name for system, name in zip(systems, names)
              if isinstance(system, DrivenRecording)]
    if driven:
        warn(f"DSA compares the states of {len(driven)} DrivenRecording(s) ("
             f"{', '.join(driven[:3])}{' ...' if len(driven) > 3 else ''}) and leaves "
             "their inputs out, so a drive shapes the operator like the dynamics do. "
             "InputDSA fits the dynamics apart from the drive (x[t + 1] = A x[t] + "
             "B u[t]); pass {name: recording.states} to silence this.")
    return [system.states if isinstance(system, DrivenRecording) else system
            for system in systems]


def warn_about_noise_modes(models, names):
    """Warn once if a chosen rank keeps modes that some systems' data do not follow.

    The rank is chosen by an integer ``rank`` or by ``rank=None`` (with no
    threshold or variance rule), which keeps every mode the data resolve;
    ``models`` are the fitted DMD models (the last step of each pipeline).
    """
    over, every_mode = [], False
    for name, dmd in zip(names, models):
        residuals = getattr(dmd, "residuals_", None)
        rank = getattr(dmd, "rank", None)
        default = rank is None and all(getattr(dmd, rule, None) is None
                                       for rule in ("rank_threshold", "explained_variance"))
        if ((isinstance(rank, Integral) or default) and residuals is not None
                and dmd.rank_ > dmd.signal_rank_ and residuals.max() > 0.5):
            every_mode |= default
            over.append(f"{name} (rank {dmd.rank_}, estimate {dmd.signal_rank_}, "
                        f"residuals up to {residuals.max():.2f})")
    if over:
        chosen = ("The default rank=None keeps every mode the data resolve, more than"
                  if every_mode else "The rank given exceeds")
        warn(
            f"{chosen} the estimated signal rank of "
            f"{len(over)} of {len(names)} systems: {', '.join(over[:5])}"
            f"{' ...' if len(over) > 5 else ''}. Their extra modes fit noise (the "
            "data do not follow those eigenpairs), and in whitened coordinates noise "
            "modes weigh as much as signal modes. Consider rank='auto' (one common "
            "rank, the largest estimate) or a lower rank; the rank is kept.",
            NoiseModeWarning)


def warn_if_rank_floor_keeps_noise(rank, signal_ranks):
    """Warn when rank="auto" keeps 2 modes although every system's estimate is 1."""
    if rank > signal_ranks.max():
        warn(f"rank='auto' keeps {rank} modes although every system's estimated signal "
             f"rank is {signal_ranks.max()}: one mode would make every angular distance 0 "
             "or pi, and the second fits noise. These systems may have no dynamics to "
             "compare at this sampling (check skdsa.stats.noise_floor); add delays if "
             "they are partially observed.", NoiseModeWarning)


def warn_if_degenerate(operators, metric):
    """Warn when every operator is 1 x 1 under an angular score: a sign test."""
    angular = getattr(metric, "score", None) == "angular"
    if angular and all(np.shape(A) == (1, 1) for A in operators):
        warn("Every operator is 1 x 1, so the angular score between two systems is 0 or "
             "pi: the sign of a product of two numbers, not a comparison of dynamics. "
             "A rank of 1 (rank='auto' gives it for noise without dynamics) cannot "
             "separate systems: check that the data have dynamics, and use rank >= 2 or "
             "score='euclidean'.", DegenerateOperatorWarning)
