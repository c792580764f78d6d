"""Lower bounds on the Procrustes distance between operators, and chords as angles."""

import numpy as np


def distance_lower_bound(a, b, scale_a=1.0, scale_b=1.0):
    """Lower bound on ``min_C ||s_a a.unit - C s_b b.unit C^T||_F`` without optimising.

    The symmetric and skew parts of ``A - C B C^T`` are orthogonal, and each is
    at least the distance between the sorted spectra of the corresponding parts
    (Hoffman-Wielandt for normal matrices). Independently, Mirsky's theorem
    bounds it by the distance between sorted singular values. The larger of the
    two bounds is returned.

    Parameters
    ----------
    a, b : PreparedOperator
        Operators of the same size.
    scale_a, scale_b : float, default=1.0
        Scales ``s_a``, ``s_b`` of the unit operators: 1 for the angular score,
        the operators' norms for the euclidean one (spectra scale linearly).

    Returns
    -------
    bound : float
    """
    spectral = np.sqrt(
        np.sum((scale_a * a.sym_values - scale_b * b.sym_values) ** 2)
        + np.sum((scale_a * a.skew_values - scale_b * b.skew_values) ** 2))
    mirsky = np.linalg.norm(scale_a * a.singular_values - scale_b * b.singular_values)
    return max(spectral, mirsky)


def chord_to_angle(chord):
    """Angle between two unit vectors ``chord`` apart: ``2 arcsin(chord / 2)``.

    It equals ``arccos(<u, v>)`` but stays accurate near 0, where arccos loses
    half the digits.
    """
    return float(2 * np.arcsin(min(chord / 2, 1.0)))


