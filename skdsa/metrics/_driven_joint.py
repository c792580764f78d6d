"""The joint comparison of two driven systems: its result, input alignment, bound and search."""

from dataclasses import dataclass

import numpy as np

from ._bounds import chord_to_angle, distance_lower_bound
from ._driven_problem import make_joint_problem
from ._prepared import PreparedOperator
from ._search import search
from ._starts import starts_for, structured_starts


@dataclass(frozen=True)
class PreparedDrivenSystem:
    """Per-system work shared by every pair a driven system takes part in.

    Attributes
    ----------
    operator, input_operator : ndarray
        ``A`` (n, n) and ``B`` (n, m) as given (float64).
    state : PreparedOperator
        Precomputations of ``A`` for the state comparison and the starts.
    norm : float
        ``sqrt(|A|^2 + w |B|^2)``, the scale of the joint comparison.
    controllability : ndarray of shape (n, (2 n - 1) m) or None
        The reference implementation's controllability matrix, when compared.
    """

    operator: np.ndarray
    input_operator: np.ndarray
    state: PreparedOperator
    norm: float
    controllability: np.ndarray


@dataclass(frozen=True)
class DrivenResult:
    """Outcome of one comparison of driven systems.

    Attributes
    ----------
    score : float
        The distance (radians for ``angular``, Frobenius for ``euclidean``).
    C : ndarray of shape (n, n)
        The orthogonal change of state coordinates aligning system 2 to 1.
    D : ndarray of shape (m, m)
        The orthogonal change of input coordinates (the identity unless
        inputs are aligned).
    lower_bound : float
        Certified lower bound on the true distance, in the units of ``score``.
    certified : bool
        Whether ``score - lower_bound <= gap_tol``.
    """

    score: float
    C: np.ndarray
    D: np.ndarray
    lower_bound: float
    certified: bool


def _polar(M):
    """The orthogonal factor of ``M`` (the nearest orthogonal matrix)."""
    U, _, Vt = np.linalg.svd(M)
    return U @ Vt


def aligned_score(M1, M2, C, D, score):
    """Score between ``M1`` and ``C M2 D^T``, computed from the residual (no cancellation)."""
    if score == "euclidean":
        return float(np.linalg.norm(M1 - C @ M2 @ D.T))
    norm_1, norm_2 = np.linalg.norm(M1), np.linalg.norm(M2)
    if norm_1 == 0 or norm_2 == 0:
        return 0.0 if norm_1 == norm_2 else np.pi / 2
    return chord_to_angle(np.linalg.norm(M1 / norm_1 - C @ M2 @ D.T / norm_2))


def aligned_inner_product(M1, M2, align_columns=False):
    """``max <M1, C M2 D^T>`` over orthogonal ``C`` (and ``D``), with the maximisers.

    One-sided (``D = I``): ``C`` is the orthogonal factor of ``M1 M2^T`` and the
    maximum its nuclear norm. Two-sided: the maximum is ``sum_i s_i(M1)
    s_i(M2)`` (von Neumann), reached by aligning the singular vectors.
    """
    if not align_columns:
        U, s, Vt = np.linalg.svd(M1 @ M2.T)
        return float(s.sum()), U @ Vt, np.eye(M1.shape[1])
    U1, s1, V1t = np.linalg.svd(M1)
    U2, s2, V2t = np.linalg.svd(M2)
    return float(s1 @ s2), U1 @ U2.T, V1t.T @ V2t


def joint_lower_bound(a, b, weight, align_inputs, scale_a, scale_b):
    """Lower bound on ``min ||A1/s_a - C A2/s_b C^T||^2 + w ||(B1/s_a) - C (B2/s_b) D^T||^2``.

    Each term is at least its own minimum over ``C`` (and ``D``): the state
    lower bound and the closed-form input minimum. Returns the bound on the
    square root (a chord).
    """
    B1, B2 = a.input_operator / scale_a, b.input_operator / scale_b
    inner, _, _ = aligned_inner_product(B1, B2, align_inputs)
    inputs = max(np.sum(B1**2) + np.sum(B2**2) - 2 * inner, 0.0)
    state = distance_lower_bound(a.state, b.state, a.state.norm / scale_a,
                                 b.state.norm / scale_b)
    return float(np.sqrt(state**2 + weight * inputs))


def compare_joint(a, b, *, weight, align_inputs, score, n_init, max_iter, tol, gap_tol,
                  random_state):
    """Joint distance between two prepared driven systems (see DrivenProcrustesMetric).

    Returns
    -------
    result : DrivenResult
    """
    if (b.operator.tobytes() + b.input_operator.tobytes()
            < a.operator.tobytes() + a.input_operator.tobytes()):
        # One canonical order per pair: d(1, 2) == d(2, 1) exactly (C -> C^T, D -> D^T).
        result = compare_joint(b, a, weight=weight, align_inputs=align_inputs, score=score,
                               n_init=n_init, max_iter=max_iter, tol=tol, gap_tol=gap_tol,
                               random_state=random_state)
        return DrivenResult(result.score, result.C.T, result.D.T, result.lower_bound,
                            result.certified)
    n, m = a.input_operator.shape
    if a.norm == 0 or b.norm == 0:
        value = ((0.0 if a.norm == b.norm else np.pi / 2) if score == "angular"
                 else abs(a.norm - b.norm))
        return DrivenResult(value, np.eye(n), np.eye(m), value, True)
    # Each system scaled by its joint norm: the same maximiser as the raw
    # problem (the aligned inner product is linear in each system's scale).
    A1, A2 = a.operator / a.norm, b.operator / b.norm
    B1, B2 = a.input_operator / a.norm, b.input_operator / b.norm

    def cost(C, D):
        return float(np.sum((A1 - C @ A2 @ C.T) ** 2)
                     + weight * np.sum((B1 - C @ B2 @ D.T) ** 2))

    def score_at(C, D):
        if score == "angular":
            return chord_to_angle(np.sqrt(max(cost(C, D), 0.0)))
        return float(np.sqrt(np.sum((a.operator - C @ b.operator @ C.T) ** 2) + weight
                             * np.sum((a.input_operator - C @ b.input_operator @ D.T) ** 2)))

    def best_D(C):
        return _polar(B1.T @ C @ B2) if align_inputs else np.eye(m)

    if score == "angular":
        lower = chord_to_angle(joint_lower_bound(a, b, weight, align_inputs, a.norm, b.norm))
    else:
        lower = joint_lower_bound(a, b, weight, align_inputs, 1.0, 1.0)
    if n == 1:
        starts = [np.ones((1, 1)), -np.ones((1, 1))]
    else:
        _, input_start, _ = aligned_inner_product(B1, B2, align_inputs)
        starts = [input_start] + starts_for(a.state, b.state,
                                            structured_starts(a.state, b.state),
                                            n_init, random_state)
        # C and -C align the A's alike (the state starts leave the sign free) but
        # not the B's: keep the sign that aligns the inputs better.
        starts = [C if np.sum(B1 * (C @ B2)) >= 0 else -C for C in starts]
    points = [(C, best_D(C)) for C in starts]
    initial = [score_at(C, D) for C, D in points]
    best = points[int(np.argmin(initial))]
    if n > 1 and min(initial) - lower > gap_tol:
        def problem_for(k, hessian_dtype):
            return make_joint_problem(A1, A2, B1, B2, weight, align_inputs=align_inputs,
                                      k=k, hessian_dtype=hessian_dtype)

        if align_inputs:
            found, _ = search(problem_for, points, lambda P: cost(*P), tol=tol,
                              max_iter=max_iter)
            best = tuple(found)
        else:
            found, _ = search(problem_for, [C for C, _ in points],
                              lambda C: cost(C, np.eye(m)), tol=tol, max_iter=max_iter)
            best = (found, np.eye(m))
    value = score_at(*best)
    lower = min(lower, value)
    return DrivenResult(value, best[0], best[1], lower, value - lower <= gap_tol)
