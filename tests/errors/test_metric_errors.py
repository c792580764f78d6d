"""Bad input to the operator metrics: one test per class of mistake."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdsa.metrics import (
    EigenvalueWasserstein,
    ProcrustesVectorFieldMetric,
    eigenvalue_wasserstein,
    procrustes_vector_field_distance,
)

A = np.diag([0.9, 0.5, 0.1])
DISTANCES = [procrustes_vector_field_distance, eigenvalue_wasserstein]


@pytest.mark.parametrize("distance", DISTANCES)
def test_operator_not_square(distance):
    with pytest.raises(ValueError, match=r"Operator B must be square \(n, n\); got shape "
                                         r"\(3, 2\)"):
        distance(A, np.ones((3, 2)))


@pytest.mark.parametrize("distance", DISTANCES)
def test_operators_of_different_sizes_under_the_default_policy(distance):
    with pytest.raises(ValueError, match=r"different sizes \[2, 3\].*size_mismatch='pad'"):
        distance(A, np.eye(2))


@pytest.mark.parametrize("distance", DISTANCES)
def test_operator_with_nan(distance):
    B = A.copy()
    B[0, 1] = np.nan
    with pytest.raises(ValueError, match="Operator B contains NaN or infinity"):
        distance(A, B)


@pytest.mark.parametrize("distance", DISTANCES)
def test_complex_operator(distance):
    with pytest.raises(ValueError, match="Operator A is complex"):
        distance(A + 1j, A)


@pytest.mark.parametrize("distance", DISTANCES)
def test_1d_operator(distance):
    with pytest.raises(ValueError, match="Expected 2D"):
        distance(np.ones(3), A)


def test_zero_operator_has_defined_scores():
    zero = np.zeros((3, 3))
    assert procrustes_vector_field_distance(zero, zero) == 0.0
    assert procrustes_vector_field_distance(A, zero) == pytest.approx(np.pi / 2)
    assert procrustes_vector_field_distance(zero, A, score="euclidean") == \
        pytest.approx(np.linalg.norm(A))


@pytest.mark.parametrize("params", [{"score": "cosine"}, {"n_init": -1}, {"max_iter": 0},
                                    {"tol": 0.0}, {"gap_tol": -1.0},
                                    {"size_mismatch": "truncate"}])
def test_parameters_out_of_range(params):
    with pytest.raises(InvalidParameterError):
        ProcrustesVectorFieldMetric(**params).fit(A, A)


def test_wasserstein_parameters_out_of_range():
    with pytest.raises(InvalidParameterError):
        EigenvalueWasserstein(size_mismatch="crop").pairwise([A, A])


def test_pairwise_names_the_bad_operator():
    with pytest.raises(ValueError, match=r"Operator X\[1\] must be square"):
        ProcrustesVectorFieldMetric().pairwise([A, np.ones((3, 2))])
